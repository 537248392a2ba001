"""Self-test: questions generated from the cited data, one per screen; commit to an answer, see why, and keep score."""

import random

import streamlit as st

from components.compare import Citations
from components.quiz import clamp_question, next_open, review_markdown, score
from components.ui import practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, show_notices, write_view

kb = get_kb()
read_view("quiz", kb, {"seed": "quiz_seed", "question": "quiz_question"})
if not isinstance(st.session_state.get("quiz_seed"), int):
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**31)


def _new_quiz() -> None:
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**31)
    st.session_state["quiz_question"] = 1


def _go_to(number: int) -> None:
    st.session_state["quiz_question"] = number


render.page_head(
    "Self-test",
    "Every question is generated from HipLens's cited data, and asked only where the data give one clear answer. "
    "Commit to an answer to see the numbers and their sources; an answer cannot be changed once given.",
)
seed = int(st.session_state["quiz_seed"])
questions = practice.sitting(seed)
if not questions:
    st.info("The knowledge base gives no question with one clear answer, so there is no self-test to take.", icon=":material/info:")
    st.stop()
keys = [f"quiz_{seed}_{i}" for i in range(len(questions))]
raw = st.session_state.get("quiz_question")
number = clamp_question(raw if isinstance(raw, int) else 1, len(questions))
if isinstance(raw, int) and raw != number:
    show_notices([f"'question': this quiz has {len(questions)} questions; showing question {number}."])
if raw != number and raw is not None:
    st.session_state["quiz_question"] = number

top = st.container(horizontal=True, vertical_alignment="bottom", key="quiz_top")
# One question per screen (a projector shows one at a time; a phone need not scroll past the others),
# chosen with Streamlit's pagination: one widget, where a radio per question was eight.
# persist_state="session": a visit to another page (a glossary link in an explanation, say) and Back keep the place.
number = st.pagination(len(questions), key="quiz_question", max_visible_pages=len(questions), persist_state="session")
citations = Citations()
chosen = practice.question(kb, questions[number - 1], number, keys[number - 1], citations)
answers = [st.session_state.get(practice.answer_key(k)) for k in keys]
correct, answered = score(questions, answers)
with top:
    practice.score_line(correct, answered, len(questions))
    st.button("New quiz", icon=":material/refresh:", key="quiz_new", on_click=_new_quiz, help="A new set of questions, with its own link")
following = next_open(answers, number)
if chosen is not None and following is not None:
    st.button(
        f"Next: question {following}",
        icon=":material/arrow_forward:",
        type="primary",
        key="quiz_next",
        on_click=_go_to,
        args=(following,),
        shortcut="PageDown",  # a presenter's clicker sends Page Down, as for the reveal controls
        help="The next question not yet answered (Page Down)",
    )
if answered == len(questions):
    st.success(f"Finished: {correct} of {len(questions)} correct.", icon=":material/emoji_events:")
    st.markdown(review_markdown(questions, answers))
st.caption(f":material/link: Quiz number {seed}: its link replays the same questions in the same order.")
render.reference_list(kb, citations.order)
write_view("quiz", {"seed": seed, "question": number})

"""Self-test: questions generated from the cited data; commit to an answer, see why, and keep score."""

import random

import streamlit as st

from components.compare import Citations
from components.quiz import score
from components.ui import practice, render
from components.ui.kb import get_kb
from components.ui.links import read_view, write_view

kb = get_kb()
read_view("quiz", kb, {"seed": "quiz_seed"})
if not isinstance(st.session_state.get("quiz_seed"), int):
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**31)


def _new_quiz() -> None:
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**31)


render.page_head(
    "Self-test",
    "Every question is generated from HipLens's cited data, and asked only where the data give one clear answer. "
    "Commit to an answer to see the numbers and their sources; an answer cannot be changed once given.",
)
seed = int(st.session_state["quiz_seed"])
questions = practice.sitting(seed)
keys = [f"quiz_{seed}_{i}" for i in range(len(questions))]
correct, answered = score(questions, [st.session_state.get(practice.answer_key(k)) for k in keys])
top = st.container(horizontal=True, vertical_alignment="bottom", key="quiz_top")
citations = Citations()
for i, (q, key) in enumerate(zip(questions, keys, strict=True), start=1):
    practice.question(kb, q, i, key, citations)
correct, answered = score(questions, [st.session_state.get(practice.answer_key(k)) for k in keys])
with top:
    practice.score_line(correct, answered, len(questions))
    st.button("New quiz", icon=":material/refresh:", key="quiz_new", on_click=_new_quiz, help="A new set of questions, with its own link")
st.caption(f":material/link: Quiz number {seed}: its link replays the same questions in the same order.")
if answered == len(questions):
    st.success(f"Finished: {correct} of {len(questions)} correct.", icon=":material/emoji_events:")
render.reference_list(kb, citations.order)
write_view("quiz", {"seed": seed})

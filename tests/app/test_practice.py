"""AppTest of the practice pages: cases reveal in order and never early, quiz feedback and seeds, flashcards, glossary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from streamlit.testing.v1 import AppTest

from components.knowledge.loader import KnowledgeBase
from components.quiz import generate_quiz
from components.safety import md_escape
from tests.conftest import ROOT

FILES = {
    "cases": "pages/practice_cases.py",
    "quiz": "pages/self_test.py",
    "flashcards": "pages/flashcard_deck.py",
    "glossary": "pages/glossary_terms.py",
}
CASE = "case_02"
ANSWER = "lumbar_sciatica"
WRONG = "dgs"


def open_page(page: str, query: Mapping[str, str | Sequence[str]] | None = None) -> AppTest:
    """Run app.py, switch to a practice page with a query string, and return the finished run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = list(value) if isinstance(value, (list, tuple)) else value
    at.switch_page(FILES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every text element of the page (Markdown, captions, headings, alerts), joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.subheader]
    parts += [h.value for h in at.header] + [t.value for t in at.title]
    parts += [a.value for a in (*at.success, *at.info, *at.warning, *at.error)]
    return "\n".join(str(p) for p in parts)


def query(at: AppTest, key: str) -> str | None:
    """A single query parameter after the run."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("page", list(FILES))
def test_page_runs_with_notice_and_no_warning(page: str) -> None:
    at = open_page(page)
    assert "for education, not diagnosis" in texts(at)
    assert not at.warning, [w.value for w in at.warning]


# --------------------------------------------------------------------------- cases


def pick_and_next(at: AppTest, step: int, condition: str) -> None:
    """Commit to a leading diagnosis at a step, then go on."""
    at.button_group(key=f"cases_pick_{CASE}_{step}").set_value(condition).run()
    assert not at.exception
    at.button(key="cases_next").click().run()
    assert not at.exception


def assert_answer_hidden(at: AppTest, kb: KnowledgeBase) -> None:
    """Nothing rendered as the answer names the final diagnosis, and the giveaway is nowhere."""
    case = kb.cases[CASE]
    name = kb.conditions[case.final_diagnosis].name
    assert not at.success, [s.value for s in at.success]
    assert all(name not in str(h.value) and md_escape(name) not in str(h.value) for h in at.subheader)
    all_text = texts(at)
    for secret in (case.giveaway, case.giveaway[:60], case.source_locator):
        assert secret not in all_text and md_escape(secret) not in all_text
    assert "Final diagnosis" not in all_text and "What gave it away" not in all_text


def test_case_steps_reveal_in_order_and_never_early(kb: KnowledgeBase) -> None:
    case = kb.cases[CASE]
    at = open_page("cases", {"case": CASE})
    assert at.selectbox(key="cases_case").value == CASE
    exam, imaging = md_escape(case.examination.narrative), md_escape(case.imaging.narrative)
    for step in range(3):
        shown = texts(at)
        assert (exam in shown) == (step >= 1)
        assert (imaging in shown) == (step >= 2)
        assert at.button(key="cases_next").disabled, "next must wait for a committed pick"
        assert not at.get("plotly_chart"), "the differential waits for the pick"
        assert_answer_hidden(at, kb)
        at.button_group(key=f"cases_pick_{CASE}_{step}").set_value(WRONG if step == 0 else ANSWER).run()
        assert not at.button(key="cases_next").disabled
        assert at.get("plotly_chart") and at.dataframe, "the differential shows once the student has committed"
        assert_answer_hidden(at, kb)
        assert query(at, "step") == (None if step == 0 else str(step))
        at.button(key="cases_next").click().run()
        assert not at.exception
    assert query(at, "step") == "3"
    answer = md_escape(kb.conditions[ANSWER].name)
    assert any(answer in str(s.value) for s in at.success)
    shown = texts(at)
    assert md_escape(case.giveaway) in shown
    assert "not this one" in shown and shown.count(":material/check: right") == 2
    assert md_escape(case.source_locator) in shown


def test_differential_uses_the_findings_so_far(kb: KnowledgeBase) -> None:
    at = open_page("cases", {"case": CASE})
    at.button_group(key=f"cases_pick_{CASE}_0").set_value(WRONG).run()
    table = at.dataframe[0].value
    top = table.iloc[0]["Condition"]
    assert top == kb.conditions[ANSWER].short_name  # back pain, buttock pain and pain below the knee
    assert abs(table["Now (%)"].sum() - 100) < 0.5


def test_committed_pick_is_locked(kb: KnowledgeBase) -> None:
    at = open_page("cases", {"case": CASE})
    at.button_group(key=f"cases_pick_{CASE}_0").set_value(WRONG).run()
    assert not at.button_group, "the pick is replaced by the locked choice"
    assert "You committed to" in texts(at) and md_escape(kb.conditions[WRONG].name) in texts(at)


def test_deep_link_to_the_answer_step(kb: KnowledgeBase) -> None:
    at = open_page("cases", {"case": "case_01", "step": "3"})
    case = kb.cases["case_01"]
    assert any(md_escape(kb.conditions[case.final_diagnosis].name) in str(s.value) for s in at.success)
    assert "no pick recorded" in texts(at)
    at.button(key="cases_restart").click().run()
    assert query(at, "step") is None
    assert_answer_hidden_for(at, kb, "case_01")


def assert_answer_hidden_for(at: AppTest, kb: KnowledgeBase, case_id: str) -> None:
    """The answer elements are absent for another case."""
    assert not at.success
    assert md_escape(kb.cases[case_id].giveaway) not in texts(at)


def test_changing_case_starts_at_the_history(kb: KnowledgeBase) -> None:
    at = open_page("cases", {"case": CASE, "step": "2"})
    at.selectbox(key="cases_case").select("case_03").run()
    assert query(at, "case") == "case_03" and query(at, "step") is None
    assert md_escape(kb.cases["case_03"].history.narrative) in texts(at)


def test_bad_case_link_shows_a_notice_and_a_case() -> None:
    at = open_page("cases", {"case": "no_such_case", "step": "9"})
    assert at.warning and md_escape("no_such_case") in str(at.warning[0].value)
    assert at.selectbox(key="cases_case").value == "case_01"


# --------------------------------------------------------------------------- quiz


def test_right_answer_gets_correct_feedback(kb: KnowledgeBase) -> None:
    q = generate_quiz(kb, 123)[0]
    at = open_page("quiz", {"seed": "123"})
    at.radio(key="quiz_123_0").set_value(q.answer).run()
    assert not at.exception
    assert any("Correct" in str(s.value) and md_escape(q.answer_label) in str(s.value) for s in at.success)
    assert not at.error
    assert "Why." in texts(at)
    assert at.metric[0].value == f"1 / {len(generate_quiz(kb, 123))}"


def test_wrong_answer_gets_the_answer_and_is_locked(kb: KnowledgeBase) -> None:
    q = generate_quiz(kb, 123)[1]
    wrong = next(o for o in q.options if o.id != q.answer)
    at = open_page("quiz", {"seed": "123", "question": "2"})
    at.radio(key="quiz_123_1").set_value(wrong.id).run()
    assert any("Not quite" in str(e.value) and md_escape(q.answer_label) in str(e.value) for e in at.error)
    assert not at.success
    assert not at.radio, "an answered question cannot be changed"
    assert at.metric[0].value.startswith("0 / ")
    shown = texts(at)
    assert md_escape(q.explanation[0].text) in shown
    assert "your answer" in shown


def test_one_question_per_screen_and_the_link_names_it(kb: KnowledgeBase) -> None:
    questions = generate_quiz(kb, 123)
    at = open_page("quiz", {"seed": "123", "question": "3"})
    assert [r.key for r in at.radio] == ["quiz_123_2"], "only the question asked for is drawn"
    assert md_escape(questions[2].prompt) in str(at.radio[0].label)
    assert at.pagination(key="quiz_question").value == 3
    assert query(at, "question") == "3"
    at.pagination(key="quiz_question").set_value(5).run()
    assert [r.key for r in at.radio] == ["quiz_123_4"]
    assert query(at, "question") == "5" and query(at, "seed") == "123"
    at.pagination(key="quiz_question").set_value(1).run()
    assert query(at, "question") is None, "the first question is the default and leaves the link short"


def test_question_out_of_range_shows_the_last_with_a_notice(kb: KnowledgeBase) -> None:
    total = len(generate_quiz(kb, 123))
    at = open_page("quiz", {"seed": "123", "question": "40"})
    assert at.warning, "a question past the end is named in a notice"
    assert f"has {total} questions; showing question {total}" in str(at.warning[0].value)
    assert at.pagination(key="quiz_question").value == total
    assert query(at, "question") == str(total)
    bad = open_page("quiz", {"seed": "123", "question": "zero"})
    assert bad.warning and "zero" in str(bad.warning[0].value)
    assert bad.pagination(key="quiz_question").value == 1 and [r.key for r in bad.radio] == ["quiz_123_0"]


def test_the_question_survives_a_visit_to_another_page() -> None:
    """A glossary link in an explanation, then Back: the same quiz at the same question (the URL still names it)."""
    at = open_page("quiz", {"seed": "123", "question": "5"})
    at.switch_page(FILES["glossary"]).run()
    at.query_params.clear()
    at.query_params.update({"seed": "123", "question": "5"})
    at.switch_page(FILES["quiz"]).run()
    assert not at.exception
    assert at.pagination(key="quiz_question").value == 5
    assert [r.key for r in at.radio] == ["quiz_123_4"]
    assert query(at, "question") == "5"


def test_question_zero_or_far_past_the_end_is_handled(kb: KnowledgeBase) -> None:
    total = len(generate_quiz(kb, 123))
    far = open_page("quiz", {"seed": "123", "question": "100"})
    assert f"has {total} questions; showing question {total}" in str(far.warning[0].value)
    assert far.pagination(key="quiz_question").value == total
    zero = open_page("quiz", {"seed": "123", "question": "0"})
    assert zero.warning and "question" in str(zero.warning[0].value)
    assert zero.pagination(key="quiz_question").value == 1


def test_answers_survive_moving_between_questions(kb: KnowledgeBase) -> None:
    q = generate_quiz(kb, 123)[0]
    at = open_page("quiz", {"seed": "123"})
    at.radio(key="quiz_123_0").set_value(q.answer).run()
    at.pagination(key="quiz_question").set_value(4).run()
    assert [r.key for r in at.radio] == ["quiz_123_3"]
    assert at.metric[0].value.startswith("1 / ")
    at.pagination(key="quiz_question").set_value(1).run()
    assert not at.radio, "question 1 stays answered and locked"
    assert any("Correct" in str(s.value) for s in at.success)


def test_next_goes_to_the_next_unanswered_question(kb: KnowledgeBase) -> None:
    questions = generate_quiz(kb, 123)
    at = open_page("quiz", {"seed": "123", "question": "2"})
    at.radio(key="quiz_123_1").set_value(questions[1].answer).run()
    at.pagination(key="quiz_question").set_value(1).run()
    assert "quiz_next" not in [b.key for b in at.button], "no Next before the question is answered"
    at.radio(key="quiz_123_0").set_value(questions[0].answer).run()
    nxt = at.button(key="quiz_next")
    assert nxt.label == "Next: question 3", "question 2 is answered already: Next skips it"
    nxt.click().run()
    assert [r.key for r in at.radio] == ["quiz_123_2"]
    assert query(at, "question") == "3"


def test_finishing_shows_the_score_and_a_review_of_every_question(kb: KnowledgeBase) -> None:
    questions = generate_quiz(kb, 123)
    at = open_page("quiz", {"seed": "123"})
    for number, q in enumerate(questions, start=1):
        at.pagination(key="quiz_question").set_value(number).run()
        chosen = q.answer if number % 2 else next(o.id for o in q.options if o.id != q.answer)
        at.radio(key=f"quiz_123_{number - 1}").set_value(chosen).run()
        assert not at.exception
    right = (len(questions) + 1) // 2
    assert [s.value for s in at.success if "Finished" in str(s.value)] == [f"Finished: {right} of {len(questions)} correct."]
    assert "quiz_next" not in [b.key for b in at.button]
    shown = texts(at)
    for q in questions:
        assert md_escape(q.prompt) in shown and md_escape(q.answer_label) in shown
    assert shown.count("You: ") == len(questions) // 2, "each wrong answer is shown beside the right one"
    assert at.button(key="quiz_new"), "a finished quiz offers a new one"


def sitting_view(at: AppTest) -> list[tuple[str, tuple[str, ...]]]:
    """Every question of the sitting (its radio's label and options), walked through with the pagination."""
    out = []
    for number in range(1, at.pagination(key="quiz_question").num_pages + 1):
        at.pagination(key="quiz_question").set_value(number).run()
        out.extend((str(r.label), tuple(str(o) for o in r.options)) for r in at.radio)
    return out


def test_seeded_link_replays_the_same_questions() -> None:
    first = sitting_view(open_page("quiz", {"seed": "123"}))
    second = sitting_view(open_page("quiz", {"seed": "123"}))
    other = sitting_view(open_page("quiz", {"seed": "124"}))
    assert len(first) >= 6
    assert first == second
    assert first != other


def test_new_quiz_picks_a_new_seed_and_writes_it() -> None:
    at = open_page("quiz", {"seed": "123", "question": "4"})
    assert query(at, "seed") == "123"
    at.button(key="quiz_new").click().run()
    seed = query(at, "seed")
    assert seed is not None and seed != "123" and seed.isdigit()
    assert [r.key for r in at.radio] == [f"quiz_{seed}_0"], "a new quiz starts at its first question"
    assert query(at, "question") is None


def test_quiz_without_seed_gets_one_and_bad_seed_notices() -> None:
    at = open_page("quiz")
    assert (query(at, "seed") or "").isdigit()
    bad = open_page("quiz", {"seed": "abc"})
    assert bad.warning and "abc" in str(bad.warning[0].value)
    assert (query(bad, "seed") or "").isdigit() and bad.radio


# --------------------------------------------------------------------------- flashcards


def test_flip_next_previous_and_url(kb: KnowledgeBase) -> None:
    at = open_page("flashcards")
    assert "How to perform" not in texts(at)
    at.button(key="flash_flip").click().run()
    assert "How to perform" in texts(at) and "Positive when" in texts(at)
    at.button(key="flash_next").click().run()
    assert query(at, "card") == "1" and "How to perform" not in texts(at), "a new card starts face down"
    at.button(key="flash_prev").click().run()
    at.button(key="flash_prev").click().run()
    assert query(at, "card") is not None and int(query(at, "card") or 0) > 1, "previous wraps to the last card"


def test_anatomy_deck_by_link_and_deck_switch(kb: KnowledgeBase) -> None:
    at = open_page("flashcards", {"deck": "anatomy", "card": "0"})
    first = sorted((t.term for t in kb.glossary.values() if t.kind == "anatomy"), key=str.casefold)[0]
    assert any(str(m.value).startswith(f"### {md_escape(first)}\n") for m in at.markdown), "the card's front is its heading"
    at.button(key="flash_flip").click().run()
    assert "Definition." in texts(at)
    at.button_group(key="flash_deck").set_value("tests").run()
    assert query(at, "deck") == "tests" and query(at, "card") is None


def test_card_out_of_range_notice() -> None:
    at = open_page("flashcards", {"deck": "anatomy", "card": "500"})
    assert at.warning and "500" not in query(at, "card")  # type: ignore[operator]
    assert "showing card" in str(at.warning[0].value)


# --------------------------------------------------------------------------- glossary


def test_term_link_shows_it_first(kb: KnowledgeBase) -> None:
    at = open_page("glossary", {"term": "likelihood_ratio"})
    assert at.selectbox(key="glossary_term").value == "likelihood_ratio"
    shown = [str(m.value) for m in at.markdown]
    looked = next(i for i, m in enumerate(shown) if "Looked up" in m)
    assert "**Likelihood ratio**" in shown[looked]
    first_group = next(i for i, m in enumerate(shown) if m.startswith("### "))
    assert looked < first_group, "the looked-up term comes before the groups"
    assert query(at, "term") == "likelihood_ratio"


def test_search_filters_and_every_kind_shows(kb: KnowledgeBase) -> None:
    at = open_page("glossary")
    headings = [str(m.value).split("\n", 1)[0].removeprefix("### ") for m in at.markdown if str(m.value).startswith("### ")]
    assert [h.split(" (")[0] for h in headings] == ["Anatomy", "Clinical terms", "Special tests", "Statistics of diagnosis", "Imaging"]
    at.text_input(key="glossary_search").input("labrum").run()
    shown = texts(at)
    assert "Acetabular labrum" in shown and "Quadratus femoris space" not in shown
    at.text_input(key="glossary_search").input("zzzz").run()
    assert any("No term matches" in str(i.value) for i in at.info)


def test_unknown_term_link_notices() -> None:
    at = open_page("glossary", {"term": "no_such_term"})
    assert at.warning and md_escape("no_such_term") in str(at.warning[0].value)
    assert at.selectbox(key="glossary_term").value is None

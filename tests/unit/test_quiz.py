"""The self-test generator: answers the data support, nothing else, and answers that follow the data."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from components import quiz
from components.knowledge import load_knowledge
from components.knowledge.loader import KnowledgeBase
from components.safety import md_escape


def rewrite_csv(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite a CSV file in place, passing every row (a dict) through change()."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = [change(dict(row)) for row in reader]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(r for r in rows if r is not None)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_female(condition: str, value: float):  # type: ignore[no-untyped-def]
    """A row changer giving every numeric female_pct row of a condition one value, with a locator instead of a fact."""

    def change(row: dict[str, str]) -> dict[str, str]:
        if row["condition"] == condition and row["feature"] == "female_pct" and row["value"]:
            row.update(value=f"{value:g}", fact="", locator="test: changed value", basis="reported")
        return row

    return change


# --------------------------------------------------------------------------- a sitting


def test_same_seed_same_questions(kb: KnowledgeBase) -> None:
    first = quiz.generate_quiz(kb, 123)
    again = quiz.generate_quiz(kb, 123)
    assert [(q.prompt, q.options, q.answer) for q in first] == [(q.prompt, q.options, q.answer) for q in again]
    assert len(first) == quiz.QUESTIONS_PER_SITTING


def test_different_seeds_give_different_sittings(kb: KnowledgeBase) -> None:
    sittings = {tuple(q.id for q in quiz.generate_quiz(kb, seed)) for seed in range(10)}
    assert len(sittings) > 5


@pytest.mark.parametrize("seed", [0, 1, 7, 123, 2**31 - 1])
def test_every_question_is_well_formed_and_cited(kb: KnowledgeBase, seed: int) -> None:
    questions = quiz.generate_quiz(kb, seed)
    assert len({q.id for q in questions}) == len(questions), "a question repeats within a sitting"
    assert {q.kind for q in questions} == set(quiz.KINDS), "every kind of question is asked"
    for q in questions:
        ids = [o.id for o in q.options]
        labels = [o.label for o in q.options]
        assert quiz.MIN_OPTIONS <= len(ids) <= quiz.MAX_OPTIONS
        assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
        assert q.answer in ids
        assert q.refs, f"{q.id} cites nothing"
        assert all(r in kb.references for r in q.refs)
        assert q.answer_label in q.explanation[0].text or q.kind == "female"


def test_score_counts_answered_and_correct(kb: KnowledgeBase) -> None:
    questions = quiz.generate_quiz(kb, 5)[:3]
    wrong = next(o.id for o in questions[1].options if o.id != questions[1].answer)
    assert quiz.score(questions, [questions[0].answer, wrong, None]) == (1, 2)
    assert quiz.score(questions, [None, None, None]) == (0, 0)


@pytest.mark.parametrize(("number", "total", "expected"), [(1, 8, 1), (8, 8, 8), (9, 8, 8), (0, 8, 1), (-3, 8, 1), (99, 5, 5), (4, 0, 1)])
def test_clamp_question_keeps_a_number_of_the_sitting(number: int, total: int, expected: int) -> None:
    assert quiz.clamp_question(number, total) == expected


def test_next_open_skips_answered_questions_and_wraps() -> None:
    answers = [None, "a", "b", None, "c"]
    assert quiz.next_open(answers, 1) == 4
    assert quiz.next_open(answers, 4) == 1, "past the last question it starts again from the first"
    assert quiz.next_open(answers, 2) == 4
    assert quiz.next_open([None, "a"], 1) == 1, "the current question itself comes last"
    assert quiz.next_open(["a", "b"], 1) is None


def test_review_shows_answers_only_of_answered_questions(kb: KnowledgeBase) -> None:
    questions = quiz.generate_quiz(kb, 5)[:3]
    wrong = next(o.id for o in questions[1].options if o.id != questions[1].answer)
    lines = quiz.review_markdown(questions, [questions[0].answer, wrong, None]).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("1. :green[") and lines[1].startswith("2. :red[")
    assert md_escape(questions[0].answer_label) in lines[0] and md_escape(questions[1].answer_label) in lines[1]
    mine = next(o.label for o in questions[1].options if o.id == wrong)
    assert f"You: {md_escape(mine)} · answer: **{md_escape(questions[1].answer_label)}**" in lines[1]
    assert "You:" not in lines[0]
    assert "(not answered)" in lines[2] and md_escape(questions[2].answer_label) not in lines[2]
    assert all(md_escape(q.prompt) in line for q, line in zip(questions, lines, strict=True))


# --------------------------------------------------------------------------- female share


def test_female_answer_is_the_clear_highest(kb: KnowledgeBase) -> None:
    q = quiz.female_question(kb, ("dgs", "hip_oa", "lumbar_sciatica"))
    assert q is not None and q.answer == "dgs"
    text = " ".join(line.text for line in q.explanation)
    assert "75.8%" in text and "80%" in text and "57%" in text and "51%" in text


def test_female_lowest_is_the_clear_lowest(kb: KnowledgeBase) -> None:
    q = quiz.female_question(kb, ("dgs", "hip_oa", "ifi"), highest=False)
    _low, high = quiz.female_span(kb, "hip_oa")  # type: ignore[misc]
    assert q is not None and q.answer == "hip_oa" and "lowest" in q.prompt and q.id.startswith("female-lowest:")
    assert all(high + quiz.MIN_FEMALE_GAP <= quiz.female_span(kb, c)[0] for c in ("dgs", "ifi"))  # type: ignore[index]
    # The same conditions asked both ways give both ends; overlapping lows are not asked.
    both = ("dgs", "hip_oa", "lumbar_sciatica")
    assert quiz.female_question(kb, both).answer == "dgs"  # type: ignore[union-attr]
    assert quiz.female_question(kb, both, highest=False).answer == "lumbar_sciatica"  # type: ignore[union-attr]
    assert quiz.female_question(kb, ("fai", "labral_tear", "ifi"), highest=False) is None


@pytest.mark.parametrize("seed", range(12))
def test_a_sitting_never_asks_the_same_question_twice_in_the_same_words(kb: KnowledgeBase, seed: int) -> None:
    """Two female-share questions in one sitting: one asks for the highest share, the other for the lowest."""
    questions = quiz.generate_quiz(kb, seed)
    prompts = [q.prompt for q in questions]
    assert len(set(prompts)) == len(prompts), prompts


def test_female_overlapping_ranges_are_not_asked(kb: KnowledgeBase) -> None:
    # IFI spans 81.3-100%; gluteal tendinopathy's 81.9% lies inside it.
    assert quiz.female_question(kb, ("ifi", "gluteal_tendinopathy", "hip_oa")) is None
    # FAI spans 43-68.2% and labral tear 60-71%: they overlap.
    assert quiz.female_question(kb, ("fai", "labral_tear", "lumbar_sciatica")) is None


def test_female_near_tie_is_not_asked(kb: KnowledgeBase) -> None:
    # DGS 75.8-80% against gluteal tendinopathy 81.9%: less than MIN_FEMALE_GAP apart.
    assert quiz.female_question(kb, ("dgs", "gluteal_tendinopathy", "lumbar_sciatica")) is None


def test_female_exact_tie_is_not_asked(data_copy: Path) -> None:
    rewrite_csv(data_copy / "feature_values.csv", set_female("hip_oa", 80))
    copy = load_knowledge(data_copy)
    assert quiz.female_span(copy, "hip_oa") == (80.0, 80.0)
    assert quiz.female_question(copy, ("dgs", "hip_oa", "lumbar_sciatica")) is None


def test_female_not_reported_is_not_asked(data_copy: Path) -> None:
    def drop_hip_oa(row: dict[str, str]) -> dict[str, str] | None:
        if row["condition"] == "hip_oa" and row["feature"] == "female_pct":
            return None
        return row

    rewrite_csv(data_copy / "feature_values.csv", drop_hip_oa)
    copy = load_knowledge(data_copy)
    assert quiz.female_span(copy, "hip_oa") is None
    assert quiz.female_question(copy, ("dgs", "hip_oa", "lumbar_sciatica")) is None
    assert all("hip_oa" not in combo for combo in quiz.female_candidates(copy, 3))


def test_candidates_are_kept_per_knowledge_base_and_each_caller_gets_a_copy(kb: KnowledgeBase, data_copy: Path) -> None:
    quiz.lr_candidates(kb)
    (key,) = [k for k in quiz._CANDIDATES if k[0] == id(kb) and k[1] == "lr_candidates"]
    kept = quiz._CANDIDATES[key]
    try:
        quiz._CANDIDATES[key] = (kb, [("marker", ("a", "b", "c"))])
        assert quiz.lr_candidates(kb) == [("marker", ("a", "b", "c"))], "a second call is answered from what was kept"
    finally:
        quiz._CANDIDATES[key] = kept
    first = quiz.provocation_candidates(kb)
    assert first == quiz.provocation_candidates.__wrapped__(kb), "the kept list is the one the function works out"  # type: ignore[attr-defined]
    first.clear()  # a caller shuffles or empties its copy
    assert quiz.provocation_candidates(kb), "the kept list is not the caller's"
    _answers, pool = quiz.structure_candidates(kb, "ifi")
    pool.clear()
    assert quiz.structure_candidates(kb, "ifi")[1], "lists inside a kept tuple are copied too"
    assert any("hip_oa" in combo for combo in quiz.female_candidates(kb, 3))

    def drop_hip_oa(row: dict[str, str]) -> dict[str, str] | None:
        return None if row["condition"] == "hip_oa" and row["feature"] == "female_pct" else row

    rewrite_csv(data_copy / "feature_values.csv", drop_hip_oa)
    copy = load_knowledge(data_copy)
    assert all("hip_oa" not in combo for combo in quiz.female_candidates(copy, 3)), "another knowledge base gets its own"


def test_female_text_only_rows_do_not_count_as_reported(kb: KnowledgeBase) -> None:
    rows = kb.values_for("ifi", "female_pct")
    assert any(r.text and not r.numbers for r in rows), "the IFI sex ratio text row is the case under test"
    low, high = quiz.female_span(kb, "ifi")  # type: ignore[misc]
    assert (low, high) == (81.3, 100.0)


def test_female_answer_follows_the_data(kb: KnowledgeBase, data_copy: Path) -> None:
    """On a copy of data/ with one value changed, the generated answer changes with it."""
    subset = ("dgs", "hip_oa", "lumbar_sciatica")
    before = quiz.female_question(kb, subset)
    assert before is not None and before.answer == "dgs"
    rewrite_csv(data_copy / "feature_values.csv", set_female("hip_oa", 95))
    after = quiz.female_question(load_knowledge(data_copy), subset)
    assert after is not None and after.answer == "hip_oa"
    assert "95%" in " ".join(line.text for line in after.explanation)


def test_every_female_candidate_is_valid(kb: KnowledgeBase) -> None:
    for size in (3, 4):
        combos = quiz.female_candidates(kb, size)
        assert combos
        for combo in combos:
            spans = {c: quiz.female_span(kb, c) for c in combo}
            q = quiz.female_question(kb, combo)
            assert q is not None and all(spans.values())
            top = spans[q.answer]
            assert all(spans[c][1] + quiz.MIN_FEMALE_GAP <= top[0] for c in combo if c != q.answer)  # type: ignore[index]


# --------------------------------------------------------------------------- likelihood ratios


def test_lr_highest_for_deep_gluteal_syndrome(kb: KnowledgeBase) -> None:
    q = quiz.lr_question(kb, "dgs", ["dgs_slr", "dgs_active_piriformis", "dgs_seated_piriformis_stretch"])
    assert q is not None and q.answer == "dgs_seated_piriformis_stretch"
    assert "LR+ 5.22" in q.explanation[0].text and q.explanation[0].refs == ("martin_2014_sn_tests",)


def test_lr_near_tie_is_not_asked(kb: KnowledgeBase) -> None:
    # Seated piriformis stretch 5.22 against electrodiagnostic FAIR 5.2: too close to call.
    assert quiz.lr_question(kb, "dgs", ["dgs_seated_piriformis_stretch", "dgs_fair_hreflex", "dgs_slr"]) is None
    both = {"dgs_seated_piriformis_stretch", "dgs_fair_hreflex"}
    assert all(not both <= set(combo) for _, combo in quiz.lr_candidates(kb))


def test_lr_tests_of_another_condition_or_without_lr_are_refused(kb: KnowledgeBase) -> None:
    assert quiz.lr_question(kb, "dgs", ["dgs_slr", "dgs_active_piriformis", "gt_trendelenburg_pooled"]) is None
    assert quiz.lr_question(kb, "ifi", ["ifi_long_stride_walking", "ifi_mri_ifs_le15mm", "ifi_xray_false_profile_ifs"]) is None
    # Two options would be a coin toss: at least three are needed.
    assert quiz.lr_question(kb, "fai", ["fai_fpaw", "fai_ir_restricted_lr"]) is None


def test_lr_exact_tie_is_not_asked_and_answer_follows(data_copy: Path) -> None:
    def set_lr(test_id: str, lr: str):  # type: ignore[no-untyped-def]
        def change(row: dict[str, str]) -> dict[str, str]:
            if row["id"] == test_id:
                row.update(lr_pos=lr, lr_basis="pooled_separately")
            return row

        return change

    rewrite_csv(data_copy / "tests.csv", set_lr("dgs_slr", "5.22"))
    tied = load_knowledge(data_copy)
    assert quiz.lr_question(tied, "dgs", ["dgs_slr", "dgs_seated_piriformis_stretch", "dgs_active_piriformis"]) is None
    rewrite_csv(data_copy / "tests.csv", set_lr("dgs_slr", "9.9"))
    changed = load_knowledge(data_copy)
    q = quiz.lr_question(changed, "dgs", ["dgs_slr", "dgs_seated_piriformis_stretch", "dgs_active_piriformis"])
    assert q is not None and q.answer == "dgs_slr"


def test_lr_one_test_is_one_option(kb: KnowledgeBase, data_copy: Path) -> None:
    """FADDIR against two reference standards (or MRI in two reviews) is one test, not two answers to choose from."""
    assert quiz.lr_question(kb, "labral_tear", ["labral_faddir_mra", "labral_faddir_arthroscopy", "labral_mri_huang"]) is None
    # MRI in a second review with its own LR+ and a clear winner: refused only because the name repeats.
    rewrite_csv(
        data_copy / "tests.csv",
        lambda row: {**row, "lr_pos": "9.9", "lr_basis": "pooled_separately"} if row["id"] == "labral_mri_smith" else row,
    )
    copy = load_knowledge(data_copy)
    assert quiz.lr_question(copy, "labral_tear", ["labral_mri_huang", "labral_mri_smith", "labral_faddir_mra"]) is None
    assert quiz.lr_question(copy, "labral_tear", ["labral_mri_smith", "labral_faddir_mra", "labral_faddir_arthroscopy"]) is None
    # The same rows under two names make a fair question: the name rule, not the figures, refused it above.
    rewrite_csv(data_copy / "tests.csv", lambda row: {**row, "name": "MRI, second review"} if row["id"] == "labral_mri_smith" else row)
    named = quiz.lr_question(load_knowledge(data_copy), "labral_tear", ["labral_mri_huang", "labral_mri_smith", "labral_faddir_mra"])
    assert named is not None and named.answer == "labral_mri_smith"
    for condition, combo in quiz.lr_candidates(kb):
        names = [kb.tests[t].name for t in combo]
        assert len(set(names)) == len(names), (condition, combo)


# --------------------------------------------------------------------------- provocation


def test_provocation_for_ifi(kb: KnowledgeBase) -> None:
    q = quiz.provocation_question(kb, "ifi", "worse_long_strides", ["worse_sitting", "worse_crossing_legs", "worse_fadir"])
    assert q is not None and q.answer == "worse_long_strides"
    by_label = {line.text.split(":")[0]: line for line in q.explanation}
    assert "typical" in by_label["Long strides or walking"].text and by_label["Long strides or walking"].refs
    assert "occasional" in by_label["Sitting"].text
    assert "not reported" in by_label["Crossing the legs"].text


def test_provocation_refuses_answers_and_distractors_the_data_do_not_support(kb: KnowledgeBase) -> None:
    # Sitting is only 'occasional' for IFI: not an answer.
    assert quiz.provocation_question(kb, "ifi", "worse_sitting", ["worse_crossing_legs", "worse_fadir"]) is None
    # Hip extension is also typical for IFI: not a wrong option.
    assert quiz.provocation_question(kb, "ifi", "worse_long_strides", ["worse_hip_extension", "worse_fadir"]) is None
    # Crossing the legs in DGS carries a course-notes claim beside 'not reported': never a plain wrong option.
    assert quiz.provocation_question(kb, "dgs", "worse_sitting", ["worse_crossing_legs", "worse_bending"]) is None
    # Measured shares below 'typical' (FADIR in FAI: 80% and 88%) are not an answer.
    assert quiz.provocation_question(kb, "fai", "worse_fadir", ["worse_sitting", "worse_bending"]) is None


def test_every_provocation_candidate_is_valid(kb: KnowledgeBase) -> None:
    candidates = quiz.provocation_candidates(kb)
    assert ("ifi", "worse_long_strides") in {(c, f) for c, f, _ in candidates}
    for c, answer, wrong in candidates:
        assert quiz.provocation_question(kb, c, answer, wrong) is not None


# --------------------------------------------------------------------------- structures


def test_structure_answer_is_cited_by_the_condition(kb: KnowledgeBase) -> None:
    q = quiz.structure_question(kb, "ifi", "quadratus femoris", ["acetabular labrum", "gluteus medius tendon"])
    assert q is not None and q.answer_label == "Quadratus femoris"
    assert "quadratus femoris" in q.explanation[0].text.lower()
    assert set(q.explanation[0].refs) & {"pogophysio_nd_ifi", "radiopaedia_nd_ifi"}


def test_structure_wrong_options_never_touch_the_condition(kb: KnowledgeBase) -> None:
    # The IFI text mentions piriformis syndrome and disc herniation: neither may be a wrong option.
    assert quiz.structure_question(kb, "ifi", "quadratus femoris", ["piriformis", "acetabular labrum"]) is None
    assert quiz.structure_question(kb, "ifi", "quadratus femoris", ["lumbar intervertebral disc", "acetabular labrum"]) is None
    # A structure of the condition itself is not a wrong option.
    assert quiz.structure_question(kb, "dgs", "piriformis", ["sciatic nerve", "acetabular labrum"]) is None
    # A structure that is not the condition's is not an answer.
    assert quiz.structure_question(kb, "ifi", "acetabular labrum", ["greater trochanter", "synovium"]) is None


def test_structure_questions_across_seeds(kb: KnowledgeBase) -> None:
    for seed in range(40):
        for q in quiz.generate_quiz(kb, seed):
            if q.kind != "structure":
                continue
            condition = q.id.split(":")[1]
            wrong = [o.label for o in q.options if o.id != q.answer]
            assert all(
                quiz.foreign_structure(kb, condition, w[:1].lower() + w[1:]) or quiz.foreign_structure(kb, condition, w) for w in wrong
            )


def test_generator_survives_a_knowledge_base_with_few_questions(data_copy: Path) -> None:
    rewrite_csv(data_copy / "feature_values.csv", lambda row: None if row["feature"] == "female_pct" else row)
    copy = load_knowledge(data_copy)
    questions = quiz.generate_quiz(copy, 9)
    assert questions and all(q.kind != "female" for q in questions)
    assert len({q.id for q in questions}) == len(questions)


def test_shuffled_options_keep_the_answer(kb: KnowledgeBase) -> None:
    plain = quiz.female_question(kb, ("dgs", "hip_oa", "lumbar_sciatica"))
    shuffled = quiz.female_question(kb, ("dgs", "hip_oa", "lumbar_sciatica"), rng=random.Random(4))
    assert plain is not None and shuffled is not None
    assert sorted(plain.options, key=lambda o: o.id) == sorted(shuffled.options, key=lambda o: o.id)
    assert plain.answer == shuffled.answer

"""The differential maths against hand-worked examples, edge cases and the teaching cases."""

from __future__ import annotations

import math

import pytest

from components.diagnosis import (
    DiagnosisInputError,
    default_pretest,
    entropy,
    likelihood_ratio,
    next_best_tests,
    post_test_probability,
    rank,
    red_flags_present,
)
from components.diagnosis import (
    test_lr as lr_of_test,
)
from components.knowledge.loader import KnowledgeBase


def test_post_test_probability_hand_worked() -> None:
    # pre-test 30%, LR 5: odds 0.4286 x 5 = 2.143 -> 2.143 / 3.143 = 68%
    assert post_test_probability(0.30, 5.0) == pytest.approx(0.6818, abs=1e-4)
    # LR 1 changes nothing; LR 0.1 from 50% gives 1/11
    assert post_test_probability(0.42, 1.0) == pytest.approx(0.42)
    assert post_test_probability(0.5, 0.1) == pytest.approx(1 / 11)


@pytest.mark.parametrize(
    ("pretest", "lr"), [(0.0, 2.0), (1.0, 2.0), (0.5, 0.0), (0.5, -1.0), (0.5, math.inf), (0.5, math.nan), (math.nan, 2.0)]
)
def test_post_test_probability_rejects_impossible_input(pretest: float, lr: float) -> None:
    with pytest.raises(DiagnosisInputError):
        post_test_probability(pretest, lr)


def test_likelihood_ratios_from_sensitivity_and_specificity() -> None:
    assert likelihood_ratio(0.78, 0.80, positive=True) == pytest.approx(3.9)
    assert likelihood_ratio(0.78, 0.80, positive=False) == pytest.approx(0.275)


@pytest.mark.parametrize(("sens", "spec", "positive"), [(0.9, 1.0, True), (0.0, 0.9, True), (1.0, 0.9, False), (0.9, 0.0, False)])
def test_infinite_or_zero_ratios_give_a_clear_message(sens: float, spec: float, positive: bool) -> None:
    with pytest.raises(DiagnosisInputError, match=r"(infinite|0)"):
        likelihood_ratio(sens, spec, positive=positive)


def test_published_lr_is_used_as_published(kb: KnowledgeBase) -> None:
    pooled = [t for t in kb.tests.values() if t.lr_basis == "pooled_separately" and t.lr_pos is not None]
    assert pooled
    for t in pooled:
        assert lr_of_test(t, positive=True) == t.lr_pos


def test_rank_sums_to_one_sorted_and_complete(kb: KnowledgeBase) -> None:
    ranked = rank({"buttock_pain": True, "low_back_pain": False}, kb=kb, sex="female", age=50)
    assert {r.condition for r in ranked} == set(kb.conditions)
    assert sum(r.probability for r in ranked) == pytest.approx(1.0)
    probs = [r.probability for r in ranked]
    assert probs == sorted(probs, reverse=True)
    assert all(0 < p < 1 for p in probs)


def test_no_findings_returns_the_pretest(kb: KnowledgeBase) -> None:
    pre = default_pretest(kb)
    ranked = rank({}, kb=kb, pretest=pre)
    for r in ranked:
        assert r.probability == pytest.approx(pre[r.condition])


def test_single_finding_matches_bayes_by_hand(kb: KnowledgeBase) -> None:
    bands = kb.settings.frequency_bands
    finding = kb.findings["positive_slr"]
    pre = default_pretest(kb)
    joint = {c: pre[c] * finding.p_present(c, bands) for c in kb.conditions}
    total = sum(joint.values())
    for r in rank({"positive_slr": True}, kb=kb):
        assert r.probability == pytest.approx(joint[r.condition] / total)


def test_findings_move_the_ranking_towards_what_they_support(kb: KnowledgeBase) -> None:
    base = {r.condition: r.probability for r in rank({}, kb=kb)}
    after = {r.condition: r.probability for r in rank({"disc_herniation_on_mri": True, "radiation_below_knee": True}, kb=kb)}
    assert after["lumbar_sciatica"] > base["lumbar_sciatica"]
    top = rank({"disc_herniation_on_mri": True, "radiation_below_knee": True}, kb=kb)[0]
    assert top.condition == "lumbar_sciatica"
    assert any(c.finding == "disc_herniation_on_mri" for c in top.supporting)


def test_unknown_finding_raises_naming_it_and_the_valid_ids(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="no_such_finding") as info:
        rank({"no_such_finding": True}, kb=kb)
    assert "buttock_pain" in str(info.value)


def test_bad_pretest_and_demographics(kb: KnowledgeBase) -> None:
    with pytest.raises(DiagnosisInputError):
        rank({}, kb=kb, pretest={c: 0.0 for c in kb.conditions})
    with pytest.raises(DiagnosisInputError):
        rank({}, kb=kb, pretest={"ifi": 1.0})
    with pytest.raises(DiagnosisInputError):
        rank({}, kb=kb, sex="other")
    with pytest.raises(DiagnosisInputError):
        rank({}, kb=kb, age=-4)


def test_sex_uses_the_reported_share_of_women(kb: KnowledgeBase) -> None:
    women = {r.condition: r.probability for r in rank({}, kb=kb, sex="female")}
    men = {r.condition: r.probability for r in rank({}, kb=kb, sex="male")}
    assert women["ifi"] > men["ifi"]  # about 86% of IFI patients are women


def test_next_best_tests_ranks_unknown_findings_by_information(kb: KnowledgeBase) -> None:
    findings = {"buttock_pain": True}
    suggestions = next_best_tests(findings, kb=kb, limit=5)
    assert suggestions
    assert all(s.finding not in findings for s in suggestions)
    gains = [s.information_gain for s in suggestions]
    assert gains == sorted(gains, reverse=True)
    assert all(g >= 0 for g in gains)
    assert all(kb.findings[s.finding].group in ("examination", "imaging") for s in suggestions)


def test_entropy() -> None:
    assert entropy([0.5, 0.5]) == pytest.approx(1.0)
    assert entropy([1.0]) == 0.0


def test_red_flags_are_reported(kb: KnowledgeBase) -> None:
    flags = [f for f in kb.findings.values() if f.red_flag]
    assert len(flags) >= 5
    assert red_flags_present(kb, {flags[0].id: True, "buttock_pain": True}) == [flags[0].id]
    assert red_flags_present(kb, {flags[0].id: False}) == []


def test_teaching_cases_accuracy(kb: KnowledgeBase) -> None:
    """rank() on every published case: right condition in the top three >= 80%, first >= 50%."""
    first = top3 = 0
    for case in kb.cases.values():
        order = [r.condition for r in rank(case.findings, kb=kb, sex=case.sex, age=case.age)]
        position = order.index(case.final_diagnosis)
        first += position == 0
        top3 += position < 3
    n = len(kb.cases)
    assert n >= 22
    print(f"teaching cases: first {first}/{n} = {first / n:.0%}, top three {top3}/{n} = {top3 / n:.0%}")
    assert top3 / n >= 0.80
    assert first / n >= 0.50

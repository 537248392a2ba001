"""Differential-diagnosis maths: Bayes' theorem over the eight conditions (pure: no streamlit).

The model is naive Bayes: findings are taken as conditionally independent given the condition,
and the patient is assumed to have exactly one of the eight conditions (a closed differential).
Every weight comes from the knowledge base: P(finding present | condition) from findings.yaml
(measured proportions or estimated bands) and test accuracy from tests.csv.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from components.knowledge.loader import KnowledgeBase, load_knowledge
from components.knowledge.models import CONDITION_IDS, DiagnosticTest

SEXES = ("female", "male")


@lru_cache(maxsize=1)
def _default_kb() -> KnowledgeBase:
    return load_knowledge()


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb if kb is not None else _default_kb()


class DiagnosisInputError(ValueError):
    """Input the maths cannot use, with a message fit to show a user."""


@dataclass(frozen=True)
class Contribution:
    """What one finding did to one condition: the likelihood ratio against the other candidates."""

    finding: str
    present: bool
    weight: float  # likelihood ratio (>1 supports, <1 opposes)


@dataclass(frozen=True)
class Ranked:
    """One condition of the ranked differential."""

    condition: str
    probability: float
    pretest: float
    supporting: tuple[Contribution, ...]
    opposing: tuple[Contribution, ...]


@dataclass(frozen=True)
class TestSuggestion:
    """A finding or test worth checking next, and what it would do."""

    finding: str
    information_gain: float  # expected reduction in entropy, in bits
    if_present: str  # condition that would lead if the finding were present
    if_absent: str
    top_if_present: float
    top_if_absent: float


def _check_probability(name: str, value: float, *, open_interval: bool) -> None:
    if value is None or not isinstance(value, (int, float)) or math.isnan(value):
        raise DiagnosisInputError(f"{name} must be a number between 0 and 1")
    if open_interval and not 0.0 < value < 1.0:
        raise DiagnosisInputError(f"{name} must be strictly between 0 and 1 (got {value:g}): at 0 or 1 no test result can change it")
    if not open_interval and not 0.0 <= value <= 1.0:
        raise DiagnosisInputError(f"{name} must be between 0 and 1 (got {value:g})")


def post_test_probability(pretest: float, lr: float) -> float:
    """Post-test probability from a pre-test probability and a likelihood ratio (odds form of Bayes)."""
    _check_probability("The pre-test probability", pretest, open_interval=True)
    if lr is None or not isinstance(lr, (int, float)) or math.isnan(lr) or math.isinf(lr) or lr <= 0:
        raise DiagnosisInputError(f"The likelihood ratio must be a positive finite number (got {lr!r})")
    odds = pretest / (1.0 - pretest) * lr
    return odds / (1.0 + odds)


def likelihood_ratio(sensitivity: float, specificity: float, *, positive: bool) -> float:
    """LR+ = sens / (1 - spec) for a positive result; LR- = (1 - sens) / spec for a negative one."""
    _check_probability("Sensitivity", sensitivity, open_interval=False)
    _check_probability("Specificity", specificity, open_interval=False)
    if positive:
        if specificity >= 1.0:
            raise DiagnosisInputError(
                "With a specificity of 1 the positive likelihood ratio is infinite: "
                "a positive result would prove the condition, which no real test does"
            )
        if sensitivity <= 0.0:
            raise DiagnosisInputError("With a sensitivity of 0 a positive result cannot occur in the condition (LR+ = 0)")
        return sensitivity / (1.0 - specificity)
    if specificity <= 0.0:
        raise DiagnosisInputError("With a specificity of 0 the negative likelihood ratio is infinite")
    if sensitivity >= 1.0:
        raise DiagnosisInputError(
            "With a sensitivity of 1 the negative likelihood ratio is 0: "
            "a negative result would exclude the condition, which no real test does"
        )
    return (1.0 - sensitivity) / specificity


def test_lr(test: DiagnosticTest, *, positive: bool) -> float:
    """The likelihood ratio of a test result: the published ratio when there is one, else from sens/spec."""
    published = test.lr_pos if positive else test.lr_neg
    if published is not None:
        if published <= 0:
            raise DiagnosisInputError(f"{test.name}: the published likelihood ratio is 0, so no post-test probability can be computed")
        return float(published)
    if test.sensitivity is None or test.specificity is None:
        kind = "positive" if positive else "negative"
        raise DiagnosisInputError(f"{test.name}: no {kind} likelihood ratio is reported and sensitivity or specificity is missing")
    return likelihood_ratio(test.sensitivity, test.specificity, positive=positive)


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def female_share(kb: KnowledgeBase, condition: str) -> float | None:
    """P(female | condition): the mean of the sources' point estimates, or None when none is reported."""
    points = []
    for row in kb.values_for(condition, "female_pct"):
        if row.basis in ("reported", "derived") and row.numbers:
            points.append((row.value if row.value is not None else (row.numbers[0] + row.numbers[-1]) / 2) / 100.0)
    mean = _mean(points)
    return None if mean is None else min(0.97, max(0.03, mean))


def mean_age(kb: KnowledgeBase, condition: str) -> float | None:
    """The mean of the sources' mean ages (midpoints of ranges), or None."""
    points = []
    for row in kb.values_for(condition, "age_years"):
        if row.basis in ("reported", "derived") and row.numbers:
            points.append(row.value if row.value is not None else (row.numbers[0] + row.numbers[-1]) / 2)
    return _mean(points)


def default_pretest(kb: KnowledgeBase, setting: str | None = None) -> dict[str, float]:
    """Pre-test probabilities of a setting preset, or equal ones when no setting is chosen."""
    if setting:
        for preset in kb.settings.presets:
            if preset.id == setting:
                return {p.condition: p.value for p in preset.pretest}
        raise DiagnosisInputError(f"Unknown setting '{setting}'")
    return {c: 1.0 / len(CONDITION_IDS) for c in kb.conditions}


def _normalise_pretest(kb: KnowledgeBase, pretest: Mapping[str, float] | None) -> dict[str, float]:
    if pretest is None:
        return default_pretest(kb)
    unknown = set(pretest) - set(kb.conditions)
    if unknown:
        raise DiagnosisInputError(f"Unknown condition id(s) in pre-test probabilities: {sorted(unknown)}")
    values = {c: float(pretest.get(c, 0.0)) for c in kb.conditions}
    for c, v in values.items():
        if math.isnan(v) or v < 0:
            raise DiagnosisInputError(f"The pre-test probability of {c} must be 0 or more (got {v:g})")
    total = sum(values.values())
    if total <= 0:
        raise DiagnosisInputError("At least one condition needs a pre-test probability above 0")
    if any(v >= total for v in values.values()):
        raise DiagnosisInputError("One condition has all the pre-test probability: there is nothing left to tell apart")
    return {c: v / total for c, v in values.items()}


def _validate_findings(kb: KnowledgeBase, findings: Mapping[str, bool]) -> None:
    unknown = sorted(set(findings) - set(kb.findings))
    if unknown:
        raise ValueError(f"Unknown finding id(s) {unknown}; valid ids are: {', '.join(sorted(kb.findings))}")


def _likelihood(kb: KnowledgeBase, finding: str, condition: str, present: bool) -> float:
    bands = kb.settings.frequency_bands
    p = kb.findings[finding].p_present(condition, bands)  # type: ignore[arg-type]
    return p if present else 1.0 - p


def _evidence_terms(kb: KnowledgeBase, findings: Mapping[str, bool], sex: str | None, age: float | None) -> dict[str, dict[str, float]]:
    """Per condition, the likelihood of each piece of evidence (finding ids, plus 'sex' and 'age')."""
    terms: dict[str, dict[str, float]] = {c: {} for c in kb.conditions}
    for fid, present in findings.items():
        for c in kb.conditions:
            terms[c][fid] = _likelihood(kb, fid, c, present)
    if sex is not None:
        if sex not in SEXES:
            raise DiagnosisInputError(f"sex must be 'female', 'male' or None (got {sex!r})")
        shares = {c: female_share(kb, c) for c in kb.conditions}
        if all(v is not None for v in shares.values()):
            for c, share in shares.items():
                assert share is not None
                terms[c]["sex"] = share if sex == "female" else 1.0 - share
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, (int, float)) or math.isnan(age) or not 0 <= age <= 120:
            raise DiagnosisInputError(f"age must be a number of years between 0 and 120 (got {age!r})")
        sd = kb.settings.age_sd_years
        means = {c: mean_age(kb, c) for c in kb.conditions}
        if sd and all(m is not None for m in means.values()):
            for c, m in means.items():
                assert m is not None
                terms[c]["age"] = math.exp(-0.5 * ((age - m) / sd) ** 2)
    return terms


def _posterior(prior: Mapping[str, float], terms: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    logs = {}
    for c, p in prior.items():
        if p <= 0:
            logs[c] = -math.inf
            continue
        logs[c] = math.log(p) + sum(math.log(max(v, 1e-300)) for v in terms[c].values())
    top = max(logs.values())
    exps = {c: (math.exp(v - top) if v != -math.inf else 0.0) for c, v in logs.items()}
    total = sum(exps.values())
    return {c: v / total for c, v in exps.items()}


def rank(
    findings: Mapping[str, bool],
    *,
    pretest: Mapping[str, float] | None = None,
    sex: str | None = None,
    age: float | None = None,
    kb: KnowledgeBase | None = None,
) -> list[Ranked]:
    """The eight conditions ranked by post-test probability given the findings (ids not given are unknown)."""
    kb = _kb(kb)
    _validate_findings(kb, findings)
    prior = _normalise_pretest(kb, pretest)
    terms = _evidence_terms(kb, findings, sex, age)
    post = _posterior(prior, terms)
    out = []
    for c in kb.conditions:
        supporting, opposing = [], []
        others = {o: prior[o] for o in kb.conditions if o != c}
        weight_total = sum(others.values()) or 1.0
        for key, lik in terms[c].items():
            rest = sum(others[o] * terms[o][key] for o in others) / weight_total
            weight = lik / rest if rest > 0 else math.inf
            present = findings.get(key, True) if key in findings else True
            item = Contribution(key, present, weight)
            if weight > 1.0 + 1e-9:
                supporting.append(item)
            elif weight < 1.0 - 1e-9:
                opposing.append(item)
        supporting.sort(key=lambda x: -x.weight)
        opposing.sort(key=lambda x: x.weight)
        out.append(Ranked(c, post[c], prior[c], tuple(supporting), tuple(opposing)))
    return sorted(out, key=lambda r: (-r.probability, list(kb.conditions).index(r.condition)))


def entropy(probabilities: Iterable[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(p * math.log2(p) for p in probabilities if p > 0)


def next_best_tests(
    findings: Mapping[str, bool],
    *,
    pretest: Mapping[str, float] | None = None,
    sex: str | None = None,
    age: float | None = None,
    groups: Sequence[str] = ("examination", "imaging"),
    limit: int = 5,
    kb: KnowledgeBase | None = None,
) -> list[TestSuggestion]:
    """Unknown findings (examination and imaging by default) ranked by expected information gain."""
    kb = _kb(kb)
    _validate_findings(kb, findings)
    current = {r.condition: r.probability for r in rank(findings, kb=kb, pretest=pretest, sex=sex, age=age)}
    h_now = entropy(current.values())
    out = []
    for fid, finding in kb.findings.items():
        if fid in findings or finding.group not in groups or finding.red_flag:
            continue
        p_present = sum(current[c] * _likelihood(kb, fid, c, True) for c in kb.conditions)
        outcomes = {}
        for present in (True, False):
            post = {}
            for c in kb.conditions:
                post[c] = current[c] * _likelihood(kb, fid, c, present)
            total = sum(post.values())
            outcomes[present] = {c: v / total for c, v in post.items()}
        expected = p_present * entropy(outcomes[True].values()) + (1 - p_present) * entropy(outcomes[False].values())
        top_yes = max(outcomes[True], key=outcomes[True].__getitem__)
        top_no = max(outcomes[False], key=outcomes[False].__getitem__)
        out.append(TestSuggestion(fid, max(0.0, h_now - expected), top_yes, top_no, outcomes[True][top_yes], outcomes[False][top_no]))
    return sorted(out, key=lambda s: -s.information_gain)[:limit]


def red_flags_present(kb: KnowledgeBase, findings: Mapping[str, bool]) -> list[str]:
    """Red-flag findings marked present: none of the eight explains them."""
    return [fid for fid, present in findings.items() if present and fid in kb.findings and kb.findings[fid].red_flag]


def nomogram_points(pretest: float, lr: float) -> tuple[float, float]:
    """(pre-test, post-test) for drawing a Fagan nomogram line."""
    return pretest, post_test_probability(pretest, lr)

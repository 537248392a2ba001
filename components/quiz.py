"""Self-test questions generated from the cited knowledge base, never typed by hand (pure: no streamlit).

Four kinds of question, each asked only where the data support one clear answer:

- ``female``: which of a few conditions has the highest reported share of women. Every condition
  needs at least one reported number; the winner's lowest value must exceed every other condition's
  highest value by ``MIN_FEMALE_GAP`` points (overlapping ranges and ties are never asked).
- ``lr``: which of three or four of a condition's tests has the highest published positive likelihood
  ratio; the winner must beat the runner-up by the factor ``MIN_LR_RATIO`` (near ties are never asked).
- ``provocation``: which movement or position typically provokes a condition's pain; the answer is a
  feature whose every sourced row is a ``typical`` band (or a share at least as high), the wrong
  options are features the sources do not report for it, or report only occasionally or rarely.
- ``structure``: which structure is involved in a condition; the answer is one of its listed
  structures that its own anatomy or definition statements name (so the explanation can cite them),
  the wrong options are other conditions' structures never mentioned anywhere in its text.

The same seed gives the same questions and option order (``random.Random(seed)``).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, TypeVar

from components.compare import format_value
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import Condition, DiagnosticTest, Statement
from components.safety import md_escape

_F = TypeVar("_F")
_CANDIDATES: dict[tuple[int, str, tuple[Any, ...]], tuple[KnowledgeBase, Any]] = {}
_CANDIDATES_MAX = 256


def _fresh(value: Any) -> Any:
    """A copy a caller may shuffle: lists copied, tuples of lists copied one level down."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, tuple):
        return tuple(list(v) if isinstance(v, list) else v for v in value)
    return value


def per_knowledge_base(func: _F) -> _F:
    """Work a pure candidate list out once per knowledge base (held by identity), not once per sitting.

    A new sitting (every new visitor gets a new seed) otherwise searched every combination again: about
    10 ms of a first script run. Each call gets its own copy, so a caller may shuffle it.
    """

    @wraps(func)  # type: ignore[arg-type]
    def call(kb: KnowledgeBase, *args: Any, **kwargs: Any) -> Any:
        key = (id(kb), func.__name__, (*args, *sorted(kwargs.items())))  # type: ignore[attr-defined]
        hit = _CANDIDATES.get(key)
        if hit is None or hit[0] is not kb:
            if len(_CANDIDATES) >= _CANDIDATES_MAX:
                _CANDIDATES.clear()
            hit = _CANDIDATES[key] = (kb, func(kb, *args, **kwargs))  # type: ignore[operator]
        return _fresh(hit[1])

    return call  # type: ignore[return-value]


KINDS: tuple[str, ...] = ("female", "lr", "provocation", "structure")
QUESTIONS_PER_SITTING = 8
MIN_FEMALE_GAP = 5.0  # percentage points between the winner's lowest and any other condition's highest value
MIN_LR_RATIO = 1.1  # the winner's LR+ must be at least 10% above the runner-up's
MAX_OPTIONS = 4
MIN_OPTIONS = 3
LOW_BANDS = ("occasional", "rare", "not_expected")
STRUCTURE_SECTIONS = ("anatomy", "definition")
GENERIC_WORDS = frozenset(
    {"tendon", "tendons", "nerve", "nerves", "muscle", "muscles", "bone", "bones", "joint", "root", "roots", "origin"}
    | {"junction", "band", "bands", "hip", "and", "the", "with", "from", "into", "for", "its", "not", "are", "was", "one", "two"}
)


@dataclass(frozen=True)
class Option:
    """One answer option."""

    id: str
    label: str


@dataclass(frozen=True)
class ExplanationLine:
    """One line of an explanation: plain text and the references that support it."""

    text: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """A generated question with its answer and the cited explanation."""

    id: str
    kind: str
    prompt: str
    options: tuple[Option, ...]
    answer: str
    explanation: tuple[ExplanationLine, ...]
    note: str = ""

    @property
    def answer_label(self) -> str:
        """The label of the correct option."""
        return next(o.label for o in self.options if o.id == self.answer)

    @property
    def refs(self) -> tuple[str, ...]:
        """Every reference cited by the explanation, in order of first use."""
        out: list[str] = []
        for line in self.explanation:
            out.extend(r for r in line.refs if r not in out)
        return tuple(out)

    def is_correct(self, option_id: str | None) -> bool:
        """Whether an option is the right answer."""
        return option_id == self.answer


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return tuple(out)


def _shuffled(rng: random.Random, options: Sequence[Option]) -> tuple[Option, ...]:
    items = list(options)
    rng.shuffle(items)
    return tuple(items)


# --------------------------------------------------------------------------- female share


def female_span(kb: KnowledgeBase, condition: str) -> tuple[float, float] | None:
    """Lowest and highest reported share of women (percent) for a condition, or None when none is reported."""
    numbers = [x for row in kb.values_for(condition, "female_pct") if row.basis in ("reported", "derived") for x in row.numbers]
    return (min(numbers), max(numbers)) if numbers else None


def female_question(
    kb: KnowledgeBase, conditions: Sequence[str], *, rng: random.Random | None = None, highest: bool = True
) -> Question | None:
    """'Which has the highest (or lowest) share of women?' over these conditions, or None when the data give no clear answer."""
    if len(set(conditions)) != len(conditions) or len(conditions) < 2 or "female_pct" not in kb.features:
        return None
    spans = {c: female_span(kb, c) for c in conditions}
    if any(span is None for span in spans.values()):
        return None  # a condition with no reported share cannot be ranked
    if highest:
        top = max(conditions, key=lambda c: spans[c][0])  # type: ignore[index]
        clear = all(spans[c][1] + MIN_FEMALE_GAP <= spans[top][0] for c in conditions if c != top)  # type: ignore[index]
    else:
        top = min(conditions, key=lambda c: spans[c][1])  # type: ignore[index]
        clear = all(spans[top][1] + MIN_FEMALE_GAP <= spans[c][0] for c in conditions if c != top)  # type: ignore[index]
    if not clear:
        return None  # overlapping ranges or a (near) tie
    word = "highest" if highest else "lowest"
    fdef = kb.features["female_pct"]
    lines = []
    for c in conditions:
        rows = [r for r in kb.values_for(c, "female_pct") if r.basis in ("reported", "derived") and r.numbers]
        values = "; ".join(format_value(r, fdef) for r in rows)
        lines.append(ExplanationLine(f"{kb.conditions[c].name}: {values} women", _unique(r.ref for r in rows)))
    options = [Option(c, kb.conditions[c].name) for c in conditions]
    gap = (
        f"the lowest value for the answer is at least {MIN_FEMALE_GAP:g} points above the highest value for every other option"
        if highest
        else f"the highest value for the answer is at least {MIN_FEMALE_GAP:g} points below the lowest value for every other option"
    )
    return Question(
        id=("female:" if highest else "female-lowest:") + ",".join(sorted(conditions)),
        kind="female",
        prompt=f"Which of these conditions has the {word} reported share of women among its patients?",
        options=_shuffled(rng, options) if rng else tuple(options),
        answer=top,
        explanation=tuple(lines),
        note=f"Asked only when the ranges do not overlap: {gap}.",
    )


@per_knowledge_base
def female_candidates(kb: KnowledgeBase, size: int = 3, *, highest: bool = True) -> list[tuple[str, ...]]:
    """Every set of conditions (in knowledge-base order) for which a female-share question has a clear answer."""
    return [combo for combo in itertools.combinations(kb.conditions, size) if female_question(kb, combo, highest=highest) is not None]


# --------------------------------------------------------------------------- likelihood ratios


def _pct(x: float | None) -> str:
    return "not reported" if x is None else f"{x * 100:.1f}".rstrip("0").rstrip(".") + "%"


def lr_tests(kb: KnowledgeBase, condition: str) -> list[DiagnosticTest]:
    """Tests of a condition with a published positive likelihood ratio."""
    return [t for t in kb.tests_for(condition) if t.lr_pos is not None]


def lr_question(kb: KnowledgeBase, condition: str, test_ids: Sequence[str], *, rng: random.Random | None = None) -> Question | None:
    """'Which test has the highest LR+ for this condition?' over these tests, or None when there is no clear winner."""
    tests = [kb.tests[t] for t in test_ids if t in kb.tests]
    if len(tests) < MIN_OPTIONS or len(tests) != len(set(test_ids)) or any(t.condition != condition or t.lr_pos is None for t in tests):
        return None
    if len({t.name for t in tests}) != len(tests):
        return None  # one test against two reference standards is not two options
    ranked = sorted(tests, key=lambda t: -(t.lr_pos or 0.0))
    best, runner = ranked[0], ranked[1]
    if (best.lr_pos or 0.0) < (runner.lr_pos or 0.0) * MIN_LR_RATIO:
        return None  # a tie or too close to call
    labels = {t.id: t.name for t in tests}
    name = kb.conditions[condition].name
    lines = []
    for t in ranked:
        parts = [f"LR+ {t.lr_pos:g}"]
        if t.sensitivity is not None and t.specificity is not None:
            parts.append(f"sensitivity {_pct(t.sensitivity)}, specificity {_pct(t.specificity)}")
        if t.n:
            parts.append(f"n = {t.n}")
        if t.lr_basis == "pooled_separately":
            parts.append("ratios pooled separately in a meta-analysis")
        text = f"{labels[t.id]}: " + "; ".join(parts)
        if t.caveat:
            text += f". Caveat: {t.caveat}"
        lines.append(ExplanationLine(text, (t.ref,)))
    options = [Option(t.id, labels[t.id]) for t in tests]
    return Question(
        id=f"lr:{condition}:" + ",".join(sorted(t.id for t in tests)),
        kind="lr",
        prompt=f"Which of these tests has the highest reported positive likelihood ratio (LR+) for {name}?",
        options=_shuffled(rng, options) if rng else tuple(options),
        answer=best.id,
        explanation=tuple(lines),
        note="A higher LR+ means a positive result raises the probability of the condition more. Asked only when the "
        f"best test's LR+ is at least {MIN_LR_RATIO:g} times the next one's.",
    )


@per_knowledge_base
def lr_candidates(kb: KnowledgeBase) -> list[tuple[str, tuple[str, ...]]]:
    """Every (condition, set of three or four tests) with a clear highest LR+."""
    out = []
    for c in kb.conditions:
        ids = [t.id for t in lr_tests(kb, c)]
        for size in range(min(MAX_OPTIONS, len(ids)), MIN_OPTIONS - 1, -1):
            for combo in itertools.combinations(ids, size):
                if lr_question(kb, c, combo) is not None:
                    out.append((c, combo))
    return out


# --------------------------------------------------------------------------- provocation


def _feature_level(kb: KnowledgeBase, condition: str, feature: str) -> str:
    """'typical', 'low', 'not_reported' or 'mixed' for one (condition, frequency feature), from its sourced rows."""
    rows = kb.values_for(condition, feature)
    if any(r.basis == "course" for r in rows):
        return "mixed"  # a course-notes claim beside the sources: never used as a plain distractor
    evidence = [r for r in rows if r.basis != "not_reported"]
    if not evidence:
        return "not_reported"
    typical = kb.band_value("typical")
    low = kb.band_value("occasional")
    levels = []
    for r in evidence:
        if r.text in ("typical",) and not r.numbers:
            levels.append("typical")
        elif r.text in LOW_BANDS and not r.numbers:
            levels.append("low")
        elif r.value is not None and r.low is None and r.high is None and r.value / 100.0 >= typical:
            levels.append("typical")
        elif r.numbers and max(r.numbers) / 100.0 <= low:
            levels.append("low")
        else:
            levels.append("mixed")
    return levels[0] if len(set(levels)) == 1 else "mixed"


def _provocation_label(label: str) -> str:
    text = re.sub(r"^Worse\s+(with|when|on)?\s*", "", label, flags=re.IGNORECASE).strip()
    return text[:1].upper() + text[1:] if text else label


def provocation_features(kb: KnowledgeBase) -> list[str]:
    """The aggravating features (kind frequency) a provocation question draws from."""
    return [fid for fid, f in kb.features.items() if f.group == "aggravating" and f.kind == "frequency"]


def provocation_question(
    kb: KnowledgeBase, condition: str, answer: str, distractors: Sequence[str], *, rng: random.Random | None = None
) -> Question | None:
    """'Which typically provokes this condition?' with one typical feature and others not reported or low, else None."""
    features = provocation_features(kb)
    if answer not in features or any(d not in features for d in distractors) or answer in distractors:
        return None
    if len(distractors) + 1 < MIN_OPTIONS or len(set(distractors)) != len(distractors):
        return None
    if _feature_level(kb, condition, answer) != "typical":
        return None
    if any(_feature_level(kb, condition, d) not in ("not_reported", "low") for d in distractors):
        return None
    name = kb.conditions[condition].name
    lines = []
    for fid in (answer, *distractors):
        label = _provocation_label(kb.features[fid].label)
        rows = [r for r in kb.values_for(condition, fid) if r.basis != "not_reported"]
        if rows:
            said = "; ".join(format_value(r, kb.features[fid]) for r in rows)
            lines.append(ExplanationLine(f"{label}: {said}", _unique(r.ref for r in rows)))
        else:
            lines.append(ExplanationLine(f"{label}: not reported for {name} in HipLens's sources"))
    options = [Option(fid, _provocation_label(kb.features[fid].label)) for fid in (answer, *distractors)]
    return Question(
        id=f"provocation:{condition}:{answer}:" + ",".join(sorted(distractors)),
        kind="provocation",
        prompt=f"According to HipLens's sources, which of these typically provokes or worsens the pain of {name}?",
        options=_shuffled(rng, options) if rng else tuple(options),
        answer=answer,
        explanation=tuple(lines),
        note="Bands such as 'typical' are estimates from the sources' wording, shown as such.",
    )


@per_knowledge_base
def provocation_candidates(kb: KnowledgeBase) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every (condition, typical feature, up to three distractors) that makes a valid question."""
    out = []
    features = provocation_features(kb)
    for c in kb.conditions:
        levels = {f: _feature_level(kb, c, f) for f in features}
        wrong = tuple(f for f in features if levels[f] in ("not_reported", "low"))[: MAX_OPTIONS - 1]
        for f in features:
            if levels[f] == "typical" and provocation_question(kb, c, f, wrong) is not None:
                out.append((c, f, wrong))
    return out


# --------------------------------------------------------------------------- structures


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stem(word: str) -> str:
    return word[:6]


@lru_cache(maxsize=8192)
def _tokens(text: str) -> frozenset[str]:
    """Significant word stems of a text (digits kept, short and generic words dropped)."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return frozenset(_stem(w) for w in words if (len(w) >= 3 or any(ch.isdigit() for ch in w)) and w not in GENERIC_WORDS)


def _condition_texts(cond: Condition) -> list[str]:
    texts = [cond.name, cond.short_name, cond.summary, *cond.aliases, *cond.structures]
    for _, items in cond.sections:
        texts.extend(s.text for s in items)
    for note in cond.course_notes:
        texts.extend((note.topic, note.course_says, note.evidence_says))
    return texts


def structure_statement(cond: Condition, structure: str) -> Statement | None:
    """The first anatomy or definition statement of a condition that names every significant word of a structure."""
    wanted = _tokens(structure)
    if not wanted:
        return None
    for section in STRUCTURE_SECTIONS:
        for st_ in getattr(cond.sections, section):
            if wanted <= _tokens(st_.text):
                return st_
    return None


def foreign_structure(kb: KnowledgeBase, condition: str, structure: str) -> bool:
    """True when a structure shares no significant word with anything written about a condition (a safe wrong option)."""
    wanted = _tokens(structure)
    if not wanted:
        return False
    cond = kb.conditions[condition]
    if structure.casefold() in (s.casefold() for s in cond.structures):
        return False
    return not (wanted & _written_tokens(cond))


@lru_cache(maxsize=64)
def _written_tokens(cond: Condition) -> frozenset[str]:
    """Every significant word stem written anywhere about a condition."""
    written: set[str] = set()
    for text in _condition_texts(cond):
        written |= _tokens(text)
    return frozenset(written)


def structure_question(
    kb: KnowledgeBase, condition: str, answer: str, distractors: Sequence[str], *, rng: random.Random | None = None
) -> Question | None:
    """'Which structure is involved in this condition?', or None when the answer is not cited or a wrong option is not safe."""
    cond = kb.conditions[condition]
    if answer not in cond.structures or len(distractors) + 1 < MIN_OPTIONS:
        return None
    statement = structure_statement(cond, answer)
    if statement is None:
        return None
    labels = [answer, *distractors]
    if len({x.casefold() for x in labels}) != len(labels):
        return None
    if any(not foreign_structure(kb, condition, d) for d in distractors):
        return None
    lines = [ExplanationLine(f"{_capital(answer)}: {statement.text}", statement.refs)]
    for d in distractors:
        owner = next((c for cid, c in kb.conditions.items() if cid != condition and d in c.structures), None)
        where = structure_statement(owner, d) if owner else None
        text = f"{_capital(d)}: not described for {cond.name}" + (f"; HipLens lists it for {owner.name}" if owner else "")
        lines.append(ExplanationLine(text, where.refs if where else ()))
    options = [Option(f"s{i}", _capital(label)) for i, label in enumerate(labels)]
    return Question(
        id=f"structure:{condition}:{answer}:" + ",".join(sorted(distractors)),
        kind="structure",
        prompt=f"Which of these structures is compressed or involved in {cond.name}?",
        options=_shuffled(rng, options) if rng else tuple(options),
        answer="s0",
        explanation=tuple(lines),
    )


@per_knowledge_base
def structure_candidates(kb: KnowledgeBase, condition: str) -> tuple[list[str], list[str]]:
    """A condition's citable structures (possible answers) and other conditions' structures safe as wrong options."""
    cond = kb.conditions[condition]
    answers = [s for s in cond.structures if structure_statement(cond, s) is not None]
    pool: list[str] = []
    for cid, other in kb.conditions.items():
        if cid == condition:
            continue
        for s in other.structures:
            if s not in pool and foreign_structure(kb, condition, s):
                pool.append(s)
    return answers, pool


# --------------------------------------------------------------------------- a sitting


def _pick_female(kb: KnowledgeBase, rng: random.Random, used: set[str]) -> Question | None:
    """The highest share of women; a second question of this kind in a sitting asks for the lowest."""
    highest = not any(u.startswith("female:") for u in used)
    if not highest and any(u.startswith("female-lowest:") for u in used):
        return None  # each wording once per sitting
    size = rng.choice((3, 4))
    combos = [c for c in female_candidates(kb, size, highest=highest) or female_candidates(kb, 3, highest=highest)]
    rng.shuffle(combos)
    for combo in combos:
        q = female_question(kb, combo, rng=rng, highest=highest)
        if q and q.id not in used:
            return q
    return None


def _pick_lr(kb: KnowledgeBase, rng: random.Random, used: set[str]) -> Question | None:
    by_condition: dict[str, list[tuple[str, ...]]] = {}
    for c, combo in lr_candidates(kb):
        by_condition.setdefault(c, []).append(combo)
    conditions = sorted(by_condition)
    rng.shuffle(conditions)
    for c in conditions:
        combos = sorted(by_condition[c], key=lambda x: (-len(x), x))
        largest = [x for x in combos if len(x) == len(combos[0])]
        rng.shuffle(largest)
        for combo in largest:
            q = lr_question(kb, c, combo, rng=rng)
            if q and q.id not in used and not any(u.startswith(f"lr:{c}:") for u in used):
                return q
    return None


def _pick_provocation(kb: KnowledgeBase, rng: random.Random, used: set[str]) -> Question | None:
    candidates = provocation_candidates(kb)
    rng.shuffle(candidates)
    for c, answer, wrong in candidates:
        if any(u.startswith(f"provocation:{c}:") for u in used):
            continue
        q = provocation_question(kb, c, answer, wrong, rng=rng)
        if q:
            return q
    return None


def _pick_structure(kb: KnowledgeBase, rng: random.Random, used: set[str]) -> Question | None:
    conditions = list(kb.conditions)
    rng.shuffle(conditions)
    for c in conditions:
        if any(u.startswith(f"structure:{c}:") for u in used):
            continue
        answers, pool = structure_candidates(kb, c)
        if not answers or len(pool) < MIN_OPTIONS - 1:
            continue
        answer = rng.choice(answers)
        wrong = rng.sample(pool, min(MAX_OPTIONS - 1, len(pool)))
        q = structure_question(kb, c, answer, wrong, rng=rng)
        if q:
            return q
    return None


PICKERS = {"female": _pick_female, "lr": _pick_lr, "provocation": _pick_provocation, "structure": _pick_structure}


def generate_quiz(kb: KnowledgeBase, seed: int, count: int = QUESTIONS_PER_SITTING) -> list[Question]:
    """A sitting of questions, the same for the same seed and knowledge base; kinds alternate, none repeats."""
    rng = random.Random(seed)
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    questions: list[Question] = []
    used: set[str] = set()
    for kind in kinds:
        q = PICKERS[kind](kb, rng, used)
        if q is None:
            for other in KINDS:  # fall back to any kind that still has an unused question
                q = PICKERS[other](kb, rng, used)
                if q is not None:
                    break
        if q is None:
            break
        used.add(q.id)
        questions.append(q)
    return questions


def score(questions: Sequence[Question], answers: Sequence[str | None]) -> tuple[int, int]:
    """(correct, answered) for a sitting."""
    answered = [(q, a) for q, a in zip(questions, answers, strict=False) if a is not None]
    return sum(1 for q, a in answered if q.is_correct(a)), len(answered)


def clamp_question(number: int, total: int) -> int:
    """A valid question number (1-based) of a sitting of `total` questions (1 for an empty one)."""
    return max(1, min(int(number), max(total, 1)))


def next_open(answers: Sequence[str | None], current: int) -> int | None:
    """The number (1-based) of the first unanswered question after `current`, wrapping round; None when all are answered."""
    total = len(answers)
    for step in range(1, total + 1):
        number = (current - 1 + step) % total + 1
        if answers[number - 1] is None:
            return number
    return None


def review_markdown(questions: Sequence[Question], answers: Sequence[str | None]) -> str:
    """Every question of a sitting on one line: a tick or a cross, the prompt and the answer (Markdown, escaped).

    An unanswered question keeps its answer to itself.
    """
    lines = []
    for number, (q, chosen) in enumerate(zip(questions, answers, strict=True), start=1):
        if chosen is None:
            lines.append(f"{number}. :gray[:material/radio_button_unchecked:] {md_escape(q.prompt)} :gray[(not answered)]")
            continue
        if q.is_correct(chosen):
            lines.append(f"{number}. :green[:material/check_circle:] {md_escape(q.prompt)} **{md_escape(q.answer_label)}**")
            continue
        mine = next((o.label for o in q.options if o.id == chosen), str(chosen))
        lines.append(
            f"{number}. :red[:material/cancel:] {md_escape(q.prompt)} You: {md_escape(mine)} · answer: **{md_escape(q.answer_label)}**"
        )
    return "\n".join(lines)

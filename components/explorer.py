"""What the condition explorer shows, computed from the knowledge base (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from components.compare import format_value, interval, numeric_level
from components.knowledge.loader import KnowledgeBase

KEY_FEATURES: tuple[str, ...] = ("female_pct", "age_years", "bilateral_pct")
PROVOKING_THRESHOLD = 0.5


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


@dataclass(frozen=True)
class KeyFigure:
    """A headline number of a condition: the span across sources, with every source."""

    feature: str
    label: str
    value: str
    refs: tuple[str, ...]
    sources: int
    conflict: bool
    detail: tuple[str, ...]


def key_figure(kb: KnowledgeBase, condition: str, feature: str) -> KeyFigure:
    """The span of a numeric feature's point estimates across sources ('not reported' when none).

    A row with a value (a mean or a proportion) counts as that value; a row with only a range
    counts as its range.
    """
    fdef = kb.features[feature]
    rows = [r for r in kb.values_for(condition, feature) if r.basis not in ("not_reported", "course") and r.numbers]
    if not rows:
        return KeyFigure(feature, fdef.label, "not reported", (), 0, False, ())
    spans = [(r.value, r.value) if r.value is not None else interval(r) for r in rows]
    lo = min(s[0] for s in spans if s)
    hi = max(s[1] for s in spans if s)
    unit = "%" if fdef.unit == "%" else ""  # other units are in the label, e.g. "Age (years)"
    value = f"{_fmt(lo)}{unit}" if abs(hi - lo) < 0.05 else f"{_fmt(lo)}–{_fmt(hi)}{unit}"
    refs = tuple(dict.fromkeys(r.ref for r in rows if r.ref))
    detail = tuple(format_value(r, fdef) for r in rows)
    return KeyFigure(feature, fdef.label, value, refs, len(rows), len(set(detail)) > 1, detail)


@dataclass(frozen=True)
class Provocation:
    """A movement or position that provokes the condition's symptoms."""

    feature: str
    label: str
    level: float
    text: str
    refs: tuple[str, ...]
    estimate: bool


def provoking(kb: KnowledgeBase, condition: str) -> list[Provocation]:
    """Aggravating movements and positions at least 'common' for the condition, strongest first."""
    out = []
    for fid, fdef in kb.features.items():
        if fdef.group != "aggravating":
            continue
        rows = [r for r in kb.values_for(condition, fid) if r.basis not in ("not_reported", "course")]
        levels = [lv for lv in (numeric_level(r, fdef, kb) for r in rows) if lv is not None]
        if not levels or max(levels) < PROVOKING_THRESHOLD:
            continue
        out.append(
            Provocation(
                fid,
                fdef.label,
                max(levels),
                "; ".join(format_value(r, fdef) for r in rows),
                tuple(dict.fromkeys(r.ref for r in rows if r.ref)),
                any(r.basis == "estimate" for r in rows),
            )
        )
    return sorted(out, key=lambda p: -p.level)

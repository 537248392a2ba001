"""Grouping of conditions for the overview map (pure)."""

from __future__ import annotations

from components.knowledge.loader import KnowledgeBase

MAP_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("posterior", "Back of the hip and buttock", "airline_seat_recline_normal"),
    ("anterior", "Front of the hip and groin", "sports_gymnastics"),
    ("lateral", "Side of the hip", "directions_walk"),
)


def main_group(pain_regions: tuple[str, ...]) -> str:
    """The map column a condition belongs to, from its first (main) pain region."""
    first = pain_regions[0] if pain_regions else "buttock"
    if first in ("groin", "anterior_thigh", "medial_thigh"):
        return "anterior"
    if first == "lateral_hip":
        return "lateral"
    return "posterior"


def group_conditions(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Condition ids per map group, in knowledge-base order."""
    out: dict[str, list[str]] = {}
    for cid, cond in kb.conditions.items():
        out.setdefault(main_group(cond.pain_regions), []).append(cid)
    return {k: tuple(v) for k, v in out.items()}

"""The differential page's case: findings from link parameters, grouped and ordered; how a ranking moved (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from components.diagnosis import Ranked
from components.knowledge.loader import KnowledgeBase
from components.safety import md_escape

GROUPS: tuple[str, ...] = ("history", "examination", "imaging")
GROUP_LABELS: Mapping[str, str] = {"history": "History", "examination": "Examination", "imaging": "Imaging"}


@dataclass(frozen=True)
class CaseInput:
    """Findings present and absent, in the order they were given, with notices for contradictions."""

    yes: tuple[str, ...]
    no: tuple[str, ...]
    notices: tuple[str, ...] = ()

    def findings(self, step: int | None = None) -> dict[str, bool]:
        """Finding id -> present, for the first `step` findings in order (all when step is None or 0)."""
        ordered = self.ordered()
        if step:
            ordered = ordered[:step]
        return dict(ordered)

    def ordered(self) -> list[tuple[str, bool]]:
        """Every finding with its state: present ones first, then absent ones, as given."""
        return [(f, True) for f in self.yes] + [(f, False) for f in self.no]


def resolve(yes: Sequence[str], no: Sequence[str]) -> CaseInput:
    """Drop findings given as both present and absent (with a notice); keep the rest in order."""
    both = [f for f in yes if f in set(no)]
    notices = tuple(f"'{f}' was given as both present and absent; it is treated as unknown." for f in both)
    return CaseInput(
        tuple(f for f in yes if f not in both),
        tuple(f for f in no if f not in both),
        notices,
    )


def by_group(kb: KnowledgeBase, ids: Sequence[str]) -> dict[str, list[str]]:
    """Finding ids split by group (history, examination, imaging), order kept."""
    out: dict[str, list[str]] = {g: [] for g in GROUPS}
    for fid in ids:
        out[kb.findings[fid].group].append(fid)
    return out


def options(kb: KnowledgeBase, group: str) -> list[str]:
    """The finding ids of a group, red flags last."""
    items = [f for f in kb.findings.values() if f.group == group]
    return [f.id for f in sorted(items, key=lambda f: (f.red_flag, list(kb.findings).index(f.id)))]


def finding_choices(kb: KnowledgeBase) -> tuple[tuple[str, ...], Mapping[str, str]]:
    """The findings the differential offers, history then examination then imaging (red flags last in
    each group), and each one's label ("(red flag)" added where it is one)."""
    offered = tuple(fid for group in GROUPS for fid in options(kb, group))
    labels = {fid: kb.findings[fid].label + ("  (red flag)" if kb.findings[fid].red_flag else "") for fid in offered}
    return offered, MappingProxyType(labels)


@dataclass(frozen=True)
class Movement:
    """One condition's probability now and before a step's findings (percentages)."""

    condition: str
    label: str
    now: float
    before: float

    @property
    def change(self) -> float:
        """Percentage points gained (negative: lost)."""
        return self.now - self.before


def movements(kb: KnowledgeBase, ranked: Sequence[Ranked], previous: Sequence[Ranked] | None) -> list[Movement]:
    """Each ranked condition now and before (its pre-test probability when there is no previous step), in rank order."""
    before = {r.condition: r.probability for r in previous} if previous else {}
    return [
        Movement(r.condition, kb.conditions[r.condition].short_name, r.probability * 100, before.get(r.condition, r.pretest) * 100)
        for r in ranked
    ]


def movements_markdown(rows: Sequence[Movement]) -> str:
    """The movements as a Markdown table (lecture mode: text the page's CSS sets in projector-sized type)."""
    lines = ["| Condition | Now | Before | Change (points) |", "|---|---:|---:|---:|"]
    for m in rows:
        lines.append(f"| {md_escape(m.label)} | {m.now:.1f}% | {m.before:.1f}% | {m.change:+.1f} |")
    return "\n".join(lines)


def finding_test_names(kb: KnowledgeBase, finding: str, limit: int = 2) -> list[str]:
    """The names of up to `limit` tests that check a finding, each test once.

    One manoeuvre can be a test row for two conditions under two spellings ("Straight leg raise" for deep gluteal
    syndrome, "Straight leg raise (SLR)" for sciatica): names that differ only by a closing parenthesis count once.
    """
    names: list[str] = []
    seen: set[str] = set()
    for tid in kb.findings[finding].tests:
        if tid not in kb.tests:
            continue
        name = kb.tests[tid].name
        key = re.sub(r"\s*\([^()]*\)\s*$", "", name).casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names[:limit]


def case_line(
    kb: KnowledgeBase, shown: Mapping[str, bool], sex: str | None, age: int | None, hidden: int = 0, setting: str | None = None
) -> str:
    """The case in one line of Markdown: who (and the setting, if one is chosen), what is present, what is absent,
    and how many findings a reveal still holds back.

    For when the inputs are folded (a linked case, a projector): `shown` holds the findings shown so far
    (id -> present), never the ones still to come; `setting` is the chosen setting's label.
    """
    who = ", ".join(x for x in (sex, f"{age} years" if age is not None else None) if x) or "sex and age not given"
    if setting:
        who = f"{who} · {setting}"
    present = ", ".join(md_escape(kb.findings[f].label) for f, yes in shown.items() if yes) or "none entered"
    absent = ", ".join(md_escape(kb.findings[f].label) for f, yes in shown.items() if not yes) or "none entered"
    more = f" · **still to come:** {hidden} finding{'s' if hidden != 1 else ''}" if hidden else ""
    return f"**The case:** {md_escape(who)} · **present:** {present} · **absent:** {absent}{more}"

"""Which references support which condition, and the reference table (pure)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import STRENGTH_ORDER


def references_by_condition(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Reference id -> the conditions whose content cites it."""
    out: dict[str, set[str]] = {r: set() for r in kb.references}

    def add(refs: Sequence[str | None], cid: str) -> None:
        for r in refs:
            if r in out:
                out[r].add(cid)

    for cid, cond in kb.conditions.items():
        add(cond.summary_refs, cid)
        for _, items in cond.sections:
            for st_ in items:
                add(st_.refs, cid)
        for note in cond.course_notes:
            add(note.refs, cid)
    for fv in kb.feature_values:
        add([fv.ref], fv.condition)
    for finding in kb.findings.values():
        for row in finding.frequency:
            if row.basis != "estimate":
                add(row.refs, row.condition)
    for test in kb.tests.values():
        add([test.ref, *test.procedure_refs], test.condition)
    for case in kb.cases.values():
        add(case.references, case.final_diagnosis)
    return out


NOT_CAPTURED = "not captured"
"""What the table says where the page a reference was seen on did not show its authors."""


def reference_table(kb: KnowledgeBase, conditions: Sequence[str] = ()) -> pd.DataFrame:
    """One row per reference (filtered to those citing any of conditions): strongest design first, newest first within one.

    The short citation (first author, or the journal where no author was captured, and the year) comes first so that
    the title fits beside it; the full author list has a column of its own.
    """
    by_cond = references_by_condition(kb)
    rows = []
    for rid, ref in kb.references.items():
        conds = by_cond.get(rid, set())
        if conditions and not conds & set(conditions):
            continue
        rows.append(
            {
                "id": rid,
                "Citation": ref.short,
                "Title": ref.title,
                "Design": ref.design,
                "Conditions": ", ".join(kb.conditions[c].short_name for c in kb.conditions if c in conds),
                "Journal": ref.journal or "",
                "Authors": ref.authors or NOT_CAPTURED,
                "Year": str(ref.year) if ref.year else "n.d.",  # as the reference list writes it
                "Link": ref.link or "",
                "_rank": STRENGTH_ORDER.index(ref.design),
                "_year": -(ref.year or 0),
            }
        )
    columns = ["id", "Citation", "Title", "Design", "Conditions", "Journal", "Authors", "Year", "Link", "_rank", "_year"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["_rank", "_year", "Citation"]).drop(columns=["_rank", "_year"]).reset_index(drop=True)


def strength_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many references of each design, strongest first."""
    counts = frame["Design"].value_counts().to_dict() if not frame.empty else {}
    return {d: int(counts[d]) for d in STRENGTH_ORDER if d in counts}


def strength_summary(counts: dict[str, int]) -> str:
    """Every design with its count, strongest first, as one line of Markdown (no design is left out)."""
    total = sum(counts.values())
    parts = [f"{design if design == 'meta-analysis' else design.replace('-', ' ')} **{n}**" for design, n in counts.items()]
    noun = "reference" if total == 1 else "references"
    return f"**{total} {noun}** by design: " + " · ".join(parts) if parts else "No references match."

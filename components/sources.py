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


def reference_table(kb: KnowledgeBase, conditions: Sequence[str] = ()) -> pd.DataFrame:
    """One row per reference (filtered to those citing any of conditions), strongest design first."""
    by_cond = references_by_condition(kb)
    rows = []
    for rid, ref in kb.references.items():
        conds = by_cond.get(rid, set())
        if conditions and not conds & set(conditions):
            continue
        rows.append(
            {
                "id": rid,
                "Citation": f"{ref.authors or 'Authors not captured'} ({ref.year or 'n.d.'})",
                "Title": ref.title,
                "Journal": ref.journal or "",
                "Design": ref.design,
                "Conditions": ", ".join(kb.conditions[c].short_name for c in kb.conditions if c in conds),
                "Link": ref.link or "",
                "_rank": STRENGTH_ORDER.index(ref.design),
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "Citation", "Title", "Journal", "Design", "Conditions", "Link", "_rank"])
    return frame.sort_values(["_rank", "Citation"]).drop(columns="_rank").reset_index(drop=True)


def strength_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many references of each design, strongest first."""
    counts = frame["Design"].value_counts().to_dict() if not frame.empty else {}
    return {d: int(counts[d]) for d in STRENGTH_ORDER if d in counts}

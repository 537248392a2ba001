"""The special-tests library: rows for the table, families of the same test, formatting (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from components.diagnosis import DiagnosisInputError, test_lr
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import DiagnosticTest
from components.safety import md_escape


def family(test: DiagnosticTest) -> str:
    """A key shared by rows of the same test studied for different conditions or in different studies."""
    if test.finding:
        return test.finding
    name = re.sub(r"\(.*?\)", "", test.name.lower())
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def same_test(kb: KnowledgeBase, test: DiagnosticTest) -> list[DiagnosticTest]:
    """Every row of the same test (this one included), for every condition it has been studied for."""
    key = family(test)
    return [t for t in kb.tests.values() if family(t) == key]


def lr_parts(test: DiagnosticTest, *, positive: bool) -> tuple[str, str]:
    """A likelihood ratio with its interval (or a dash), and how it was obtained ("" when published)."""
    published = test.lr_pos if positive else test.lr_neg
    low = test.lr_pos_low if positive else test.lr_neg_low
    high = test.lr_pos_high if positive else test.lr_neg_high
    try:
        value = test_lr(test, positive=positive)
    except DiagnosisInputError:
        return "–", ""
    text = f"{value:.2f}"
    if low is not None and high is not None:
        text += f" ({low:g}–{high:g})"
    if published is None:
        return text, "from sens/spec"
    if test.lr_basis == "pooled_separately":
        return text, "pooled separately"
    return text, ""


def fmt_lr(test: DiagnosticTest, *, positive: bool) -> str:
    """A likelihood ratio with its interval and how it was obtained, or a dash."""
    text, basis = lr_parts(test, positive=positive)
    return f"{text} ({basis})" if basis else text


def pct(value: float | None) -> str:
    """A proportion as a percentage, or a dash."""
    return "–" if value is None else f"{value * 100:.0f}%"


def table_rows(kb: KnowledgeBase, tests: Sequence[DiagnosticTest]) -> list[dict[str, object]]:
    """One row per test for the library table."""
    rows = []
    for t in tests:
        ref = kb.references[t.ref]
        rows.append(
            {
                "id": t.id,
                "Test": t.name,
                "Target": kb.conditions[t.condition].short_name,
                "Kind": t.category,
                "Sensitivity": pct(t.sensitivity),
                "Specificity": pct(t.specificity),
                "LR+": fmt_lr(t, positive=True),
                "LR−": fmt_lr(t, positive=False),
                "n": t.n,
                "Reference standard": t.reference_standard,
                "Source": f"{ref.short} · {ref.design}",
                "Caveat": t.caveat or "",
            }
        )
    return rows


MARKDOWN_COLUMNS = ("Test", "Target", "Kind", "Sensitivity", "Specificity", "LR+", "LR−", "n", "Source")
LR_MARKS = {"from sens/spec": "c", "pooled separately": "p"}
NBSP = "\u00a0"
MARKDOWN_KEY = "LR marked c: computed from sensitivity and specificity; p: pooled separately in the source."


def markdown_table(kb: KnowledgeBase, tests: Sequence[DiagnosticTest]) -> str:
    """The library table as Markdown text (lecture mode: the page's CSS can enlarge it, unlike the canvas grid).

    The columns of table_rows but the reference standard and caveat, which the test in detail shows; how
    a likelihood ratio was obtained is a one-letter mark (MARKDOWN_KEY explains them), an unreported n says so.
    """

    def lr(test: DiagnosticTest, positive: bool) -> str:
        text, basis = lr_parts(test, positive=positive)
        # A no-break space keeps the mark beside its number when a narrow column wraps the cell.
        return md_escape(text) + (f"{NBSP}:gray[{LR_MARKS[basis]}]" if basis else "")

    lines = ["| " + " | ".join(MARKDOWN_COLUMNS) + " |", "|" + "---|" * len(MARKDOWN_COLUMNS)]
    for row, test in zip(table_rows(kb, tests), tests, strict=True):
        n = ":gray[not reported]" if row["n"] is None else str(row["n"])
        cells = [md_escape(str(row[c])) for c in MARKDOWN_COLUMNS[:5]] + [lr(test, True), lr(test, False), n, md_escape(str(row["Source"]))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

"""The special-tests library's Markdown table (lecture mode) from the real knowledge base."""

from __future__ import annotations

from components.knowledge.loader import KnowledgeBase
from components.tests_library import LR_MARKS, MARKDOWN_COLUMNS, NBSP, fmt_lr, lr_parts, markdown_table, table_rows


def test_markdown_table_has_a_row_per_test_with_the_tables_figures(kb: KnowledgeBase) -> None:
    tests = list(kb.tests.values())
    lines = markdown_table(kb, tests).splitlines()
    assert lines[0] == "| " + " | ".join(MARKDOWN_COLUMNS) + " |"
    assert len(lines) == 2 + len(tests)
    for line, row, test in zip(lines[2:], table_rows(kb, tests), tests, strict=True):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == len(MARKDOWN_COLUMNS), line
        # Percentages and likelihood ratios are the same text as the interactive table's, escaped.
        assert cells[3] == row["Sensitivity"]
        text, basis = lr_parts(test, positive=True)
        # The mark is joined to its number by a no-break space, so a wrapped cell cannot strand it.
        assert cells[5].replace("\\", "") == text + (f"{NBSP}:gray[{LR_MARKS[basis]}]" if basis else "")
        assert fmt_lr(test, positive=True) == row["LR+"] == (f"{text} ({basis})" if basis else text)
        assert cells[7] == (":gray[not reported]" if row["n"] is None else str(row["n"]))


def test_markdown_table_escapes_text(kb: KnowledgeBase) -> None:
    test = next(iter(kb.tests.values()))
    hostile = test.model_copy(update={"name": "A | B [x](javascript:alert(1)) <b>"})
    row = markdown_table(kb, [hostile]).splitlines()[2]
    assert row.count(" | ") == len(MARKDOWN_COLUMNS) - 1  # the pipe in the name cannot split the row
    assert "[x](javascript" not in row and "<b>" not in row


def test_every_lr_basis_has_a_mark(kb: KnowledgeBase) -> None:
    bases = {lr_parts(t, positive=p)[1] for t in kb.tests.values() for p in (True, False)} - {""}
    assert bases and bases <= set(LR_MARKS), bases


def test_lr_text_for_each_way_a_ratio_is_obtained(kb: KnowledgeBase) -> None:
    """Published, computed from sensitivity and specificity, pooled separately, with an interval, and missing."""
    cases = {
        ("dgs_slr", True): "3.20",
        ("ifi_long_stride_walking", True): "5.94 (from sens/spec)",
        ("labral_faddir_mra", False): "0.48 (pooled separately)",
        ("hipoa_squat_posterior_pain", True): "6.10 (1.3–29)",
        ("hipoa_squat_posterior_pain", False): "–",
    }
    for (tid, positive), expected in cases.items():
        assert fmt_lr(kb.tests[tid], positive=positive) == expected, tid
    assert lr_parts(kb.tests["labral_faddir_mra"], positive=False) == ("0.48", "pooled separately")
    row = markdown_table(kb, [kb.tests["hipoa_squat_posterior_pain"]]).splitlines()[2]
    assert " 6\\.10 \\(1\\.3–29\\) | – | " in row, row

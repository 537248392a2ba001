"""How a ranked differential moved between steps, and its Markdown table (lecture mode), from the real knowledge base."""

from __future__ import annotations

from components.diagnosis import rank
from components.differential import finding_choices, movements, movements_markdown
from components.knowledge.loader import KnowledgeBase
from components.safety import md_escape


def test_first_step_moves_from_the_pretest_and_later_steps_from_the_step_before(kb: KnowledgeBase) -> None:
    first = rank({"worse_sitting": True}, kb=kb)
    second = rank({"worse_sitting": True, "buttock_pain": True}, kb=kb)
    moved = movements(kb, first, None)
    assert [m.condition for m in moved] == [r.condition for r in first]
    for m, r in zip(moved, first, strict=True):
        assert m.before == r.pretest * 100 and m.now == r.probability * 100
    previous = {r.condition: r.probability * 100 for r in first}
    for m in movements(kb, second, first):
        assert m.before == previous[m.condition]
        assert abs(m.change - (m.now - m.before)) < 1e-9
    assert abs(sum(m.now for m in moved) - 100) < 1e-6


def test_markdown_has_a_row_per_condition_with_signed_changes(kb: KnowledgeBase) -> None:
    moved = movements(kb, rank({"worse_sitting": True}, kb=kb), None)
    lines = movements_markdown(moved).splitlines()
    assert len(lines) == 2 + len(moved)
    top = moved[0]
    assert lines[2].startswith(f"| {md_escape(top.label)} | {top.now:.1f}% | {top.before:.1f}% | ")
    assert any("| -" in line for line in lines[2:]) and any("| +" in line for line in lines[2:])


def test_a_findings_tests_are_named_once(kb: KnowledgeBase) -> None:
    """'Straight leg raise' (DGS) and 'Straight leg raise (SLR)' (sciatica) are one manoeuvre: listed once."""
    from components.differential import finding_test_names

    assert [kb.tests[t].name for t in kb.findings["positive_slr"].tests][:2] == ["Straight leg raise", "Straight leg raise (SLR)"]
    assert finding_test_names(kb, "positive_slr") == ["Straight leg raise"]
    for fid in kb.findings:
        names = finding_test_names(kb, fid)
        assert len(names) <= 2 and len(set(names)) == len(names)
        assert all(any(kb.tests[t].name == n for t in kb.findings[fid].tests) for n in names)


def test_case_line_says_who_and_what_is_present_and_absent(kb: KnowledgeBase) -> None:
    from components.differential import case_line

    line = case_line(kb, {"buttock_pain": True, "worse_sitting": True, "low_back_pain": False}, "female", 45)
    assert line.startswith("**The case:** female, 45 years")
    assert kb.findings["buttock_pain"].label in line and kb.findings["worse_sitting"].label in line
    assert line.index("**absent:**") < line.index(md_escape(kb.findings["low_back_pain"].label))
    assert case_line(kb, {}, None, None) == "**The case:** sex and age not given · **present:** none entered · **absent:** none entered"
    # During a reveal the line holds only what has been shown, and says how much is still to come.
    early = case_line(kb, {"buttock_pain": True}, "female", 45, hidden=2)
    assert kb.findings["worse_sitting"].label not in early and early.endswith("**still to come:** 2 findings")


def test_finding_choices_offer_every_finding_once_grouped_with_red_flags_marked(kb: KnowledgeBase) -> None:
    offered, labels = finding_choices(kb)
    assert sorted(offered) == sorted(kb.findings) and len(set(offered)) == len(offered)
    groups = [kb.findings[f].group for f in offered]
    assert groups == sorted(groups, key=["history", "examination", "imaging"].index)  # history, then examination, then imaging
    for group in set(groups):
        flags = [kb.findings[f].red_flag for f in offered if kb.findings[f].group == group]
        assert flags == sorted(flags)  # red flags last within their group
    for fid in offered:
        assert labels[fid].startswith(kb.findings[fid].label)
        assert labels[fid].endswith("(red flag)") == kb.findings[fid].red_flag

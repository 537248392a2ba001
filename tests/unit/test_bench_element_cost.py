"""bench/element_cost.py's arithmetic, on the figures it saved (bench/results/element_cost.json)."""

from __future__ import annotations

import json

from bench.common import RESULTS
from bench.element_cost import VARIANTS, analyse, name_of, report


def _saved() -> dict:
    return json.loads((RESULTS / "element_cost.json").read_text(encoding="utf-8"))


def test_the_saved_summary_follows_from_the_saved_medians() -> None:
    saved = _saved()
    costs = {name_of(r): r["rerun_cpu_ms"] for r in saved["script_cost"]}
    assert set(costs) == {"minimal", *(v.name for v in VARIANTS)}
    assert analyse(costs, saved["target"]) == saved["summary"]


def test_per_element_cost_and_budget_by_hand() -> None:
    costs = {v.name: 6.0 + v.count * 0.5 for v in VARIANTS} | {"minimal": 5.0, "navigation": 5.0, "frame": 6.0}
    summary = analyse(costs, 1.5)
    assert summary["frame_ratio"] == 1.2 and summary["frame_extra_ms"] == 1.0
    assert set(summary["per_element_ms"].values()) == {0.5}
    assert summary["budget_ms"] == 1.5 and set(summary["budget_elements"].values()) == {3}
    # A frame already over the target leaves no room, not a negative budget.
    heavy = {v.name: 9.0 + v.count * 0.5 for v in VARIANTS} | {"minimal": 5.0, "navigation": 5.0, "frame": 9.0}
    assert analyse(heavy, 1.5)["budget_ms"] == -1.5
    assert set(analyse(heavy, 1.5)["budget_elements"].values()) == {0}


def test_the_report_shows_every_variant_with_its_rounds() -> None:
    saved = _saved()
    text = report(saved["script_cost"], saved["summary"], saved["target"])
    for result in saved["script_cost"]:
        rounds = result["rounds"]["rerun_cpu_ms"]
        assert f"| {name_of(result)} | {result['rerun_cpu_ms']:.1f} | {min(rounds):.1f}-{max(rounds):.1f} |" in text
    summary = saved["summary"]
    for kind, per in summary["per_element_ms"].items():
        assert f"| {kind} | {per:.2f} | {summary['budget_elements'][kind]} |" in text

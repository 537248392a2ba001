"""bench/runtime_ab.py's arithmetic: stock against tuned, and each runtime's own minimal chart page."""

from __future__ import annotations

import json

from bench.common import RESULTS
from bench.runtime_ab import report


def test_saving_and_ratios_by_hand() -> None:
    results = [
        {"page": "hiplens (stock):/compare", "rerun_cpu_ms": 15.0},
        {"page": "hiplens (tuned):/compare", "rerun_cpu_ms": 12.0},
        {"page": "minimal (stock):/chart", "rerun_cpu_ms": 10.0},
        {"page": "minimal (tuned):/chart", "rerun_cpu_ms": 8.0},
    ]
    table, rows = report(results)
    compare = next(r for r in rows if r["page"] == "hiplens:/compare")
    assert compare["saving_pct"] == 20.0
    assert compare["stock_vs_minimal_chart"] == 1.5 and compare["tuned_vs_minimal_chart"] == 1.5
    chart = next(r for r in rows if r["page"] == "minimal:/chart")
    assert chart["tuned_vs_minimal_chart"] == 1.0
    assert "| hiplens:/compare | 15.0 | 12.0 | 20% | 1.50x | 1.50x |" in table


def test_the_saved_summary_follows_from_the_saved_medians() -> None:
    path = RESULTS / "runtime_ab.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    table, rows = report(saved["script_cost"])
    assert rows == saved["summary"] and table == saved["table"]
    pages = {r["page"] for r in rows}
    assert "minimal:/chart" in pages and any(p.startswith("hiplens:/differential") for p in pages)

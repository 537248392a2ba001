"""bench/load.py's pure parts: merging the script-cost rounds, and the per-page table built from them."""

from __future__ import annotations

from bench.load import cost_rows, merge_rounds


def one(page: str, rerun: float, hall: float | None = None, new: float = 20.0) -> dict:
    out = {"page": page, "new_session_cpu_ms": new, "rerun_cpu_ms": rerun, "first_run_ms_median": 50.0, "rerun_ms_median": 40.0}
    out["rerun_loop_cpu_ms"] = rerun / 4
    out |= {"sessions": 3, "reruns": 30}
    if hall is not None:
        out |= {"hall_rerun_cpu_ms": hall, "hall_sessions": 10}
    return out


def test_merge_takes_each_figures_median_and_keeps_every_round() -> None:
    merged = merge_rounds({"hiplens:/": [one("hiplens:/", 9.0, 7.0), one("hiplens:/", 12.0, 6.0), one("hiplens:/", 10.0, 8.0)]})
    assert len(merged) == 1
    m = merged[0]
    assert (m["rerun_cpu_ms"], m["hall_rerun_cpu_ms"], m["hall_sessions"]) == (10.0, 7.0, 10)
    assert (m["sessions"], m["reruns"]) == (9, 90)
    assert m["rerun_loop_cpu_ms"] == 2.5  # the median of 2.25, 3.0, 2.5
    assert m["rounds"]["rerun_cpu_ms"] == [9.0, 12.0, 10.0] and m["rounds"]["hall_rerun_cpu_ms"] == [7.0, 6.0, 8.0]


def test_a_page_without_the_hall_measure_has_no_hall_figure() -> None:
    m = merge_rounds({"p": [one("p", 9.0, 7.0), one("p", 9.0)]})[0]
    assert "hall_rerun_cpu_ms" not in m and "hall_rerun_cpu_ms" not in m["rounds"]


def test_table_ratios_are_to_the_minimal_chart_and_text_pages() -> None:
    costs = merge_rounds(
        {
            "hiplens:/": [one("hiplens:/", 12.0, 9.0)],
            "minimal:/chart": [one("minimal:/chart", 8.0, 6.0)],
            "minimal:/": [one("minimal:/", 4.0, 3.0)],
        }
    )
    lines = cost_rows(costs).splitlines()
    assert "10 sessions at once" in lines[0]
    hiplens = [c.strip() for c in lines[2].strip("|").split("|")]
    # rerun 12 vs 8 and 4, 3 of it in the event loop; at once 9 vs 6 and 3
    assert hiplens[3:] == ["12.0", "3.0 / 9.0", "1.50x", "3.00x", "9.0", "1.50x", "3.00x"]
    without = cost_rows(merge_rounds({"minimal:/chart": [one("minimal:/chart", 8.0)]})).splitlines()
    assert "at once" not in without[0]


def test_split_is_not_available_without_the_event_loops_figure() -> None:
    entry = one("hiplens:/", 12.0)
    del entry["rerun_loop_cpu_ms"]
    merged = merge_rounds({"hiplens:/": [entry]})
    assert "rerun_loop_cpu_ms" not in merged[0]
    row = [c.strip() for c in cost_rows(merged).splitlines()[2].strip("|").split("|")]
    assert row[4] == "n/a"

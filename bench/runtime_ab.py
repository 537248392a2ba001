"""What serve.py's runtime fixes save: `python bench/runtime_ab.py [--rounds 3] [--out bench/results/runtime_ab.json]`.

components/ui/serving.py replaces five private methods or names of Streamlit's runtime (one event-loop
wake-up per batch of messages, the send flag set on the loop's thread, the theme built once, one
loop hand-back per 32 messages sent, widgets looking up only their own key in session state). This
benchmark starts four servers side by side, each through its serve.py launcher: HipLens and the
minimal app (bench/minimal_app), each once with the fixes and once with HIPLENS_STOCK_RUNTIME=1.
In interleaved rounds (bench/load.py interleaved_costs(), so every server meets the same background
load) it measures the server CPU of a warm rerun of every HipLens page and of the minimal app's
chart and text pages, and prints, per page, the CPU with Streamlit's own runtime, with the fixes,
the saving, and each page's ratio to the minimal chart page under the same runtime. Saves JSON.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import MINIMAL_SERVE, RESULTS, ROOT, Target, hiplens_targets, markdown_table, minimal_targets, run_header, save_json
from bench.load import Running, interleaved_costs, start_plain

STOCK = {"HIPLENS_STOCK_RUNTIME": "1"}
RUNTIMES = ("stock", "tuned")


def relabel(target: Target, runtime: str) -> Target:
    """The same page, named with the runtime it was served by (so the rounds of both stay apart)."""
    return Target(f"{target.app} ({runtime})", target.key, target.url_path, target.page_file, target.page_name, target.query)


def report(results: Sequence[dict]) -> tuple[str, list[dict]]:
    """One row per page: CPU per warm rerun with each runtime, the saving, and the ratio to the minimal chart page."""
    cpu = {r["page"]: r["rerun_cpu_ms"] for r in results}
    chart = {rt: cpu[f"minimal ({rt}):/chart"] for rt in RUNTIMES}
    rows, table = [], []
    for page in dict.fromkeys(p.split(":", 1)[0].split(" (")[0] + ":" + p.split(":", 1)[1] for p in cpu):
        app, path = page.split(":", 1)
        stock, tuned = cpu[f"{app} (stock):{path}"], cpu[f"{app} (tuned):{path}"]
        row = {
            "page": page,
            "stock_ms": stock,
            "tuned_ms": tuned,
            "saving_pct": round(100 * (stock - tuned) / stock, 1),
            "stock_vs_minimal_chart": round(stock / chart["stock"], 2),
            "tuned_vs_minimal_chart": round(tuned / chart["tuned"], 2),
        }
        rows.append(row)
        table.append(
            [
                page,
                f"{stock:.1f}",
                f"{tuned:.1f}",
                f"{row['saving_pct']:.0f}%",
                f"{row['stock_vs_minimal_chart']:.2f}x",
                f"{row['tuned_vs_minimal_chart']:.2f}x",
            ]
        )
    header = [
        "page",
        "CPU ms per warm rerun, Streamlit's runtime",
        "with serve.py's fixes",
        "saving",
        "vs minimal chart (stock)",
        "vs minimal chart (fixes)",
    ]
    return markdown_table(header, table), rows


def main(argv: Sequence[str] | None = None) -> int:
    """Start the four servers, measure in rounds, print the table, save the JSON."""
    parser = argparse.ArgumentParser(prog="python bench/runtime_ab.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each page's figure is their median (default 3)")
    parser.add_argument("--reruns", type=int, default=60, help="warm reruns per page in each round (default 60)")
    parser.add_argument("--out", type=Path, default=RESULTS / "runtime_ab.json", help="JSON results file")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    logs = Path(tempfile.mkdtemp(prefix="hiplens-runtime-ab-"))
    started = time.time()
    servers: list[tuple[Running, list[Target]]] = []
    minimal_pages = [t for t in minimal_targets() if t.key in ("chart", "text")]
    try:
        for runtime in RUNTIMES:
            env = STOCK if runtime == "stock" else {}
            hiplens = start_plain(logs / f"hiplens-{runtime}", env=env)
            servers.append((hiplens, [relabel(t, runtime) for t in hiplens_targets()]))
            minimal = start_plain(logs / f"minimal-{runtime}", MINIMAL_SERVE, env=env)
            servers.append((minimal, [relabel(t, runtime) for t in minimal_pages]))
        results = interleaved_costs(
            servers,
            rounds=max(1, args.rounds),
            sessions=1,
            reruns=max(1, args.reruns),
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
    finally:
        for running, _ in servers:
            running.stop()

    table, rows = report(results)
    print(table)
    payload = {
        **run_header("bench/runtime_ab.py", argv, started),
        "summary": rows,
        "script_cost": results,
        "table": table,
    }
    save_json(args.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

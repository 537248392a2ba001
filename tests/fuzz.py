"""Fuzz command: `python -m tests.fuzz [--examples 10000] [--workers 2]` runs the link property on every page.

Each worker runs hypothesis with its own seed; the result (examples run, failures, time) is written to
bench/results/fuzz.json and printed, for the README.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _worker(args: tuple[int, int]) -> dict[str, object]:
    seed, examples = args
    import sys

    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    from tests.app.fuzz_support import page, query
    from tests.app.test_fuzz_pages import check_page

    count = {"n": 0}

    @hseed(seed)
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(name=page, params=query)
    def prop(name: str, params: dict[str, list[str]]) -> None:
        count["n"] += 1
        check_page(name, params)

    start = time.time()
    try:
        prop()
        failure = None
    except Exception:
        failure = traceback.format_exc(limit=5)
    return {"seed": seed, "examples": count["n"], "failure": failure, "seconds": round(time.time() - start, 1)}


def main() -> int:
    """Run the fuzz command and return its exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "fuzz.json"))
    args = parser.parse_args()
    per = -(-args.examples // args.workers)
    start = time.time()
    with mp.get_context("spawn").Pool(args.workers) as pool:
        results = pool.map(_worker, [(1000 + i, per) for i in range(args.workers)])
    total = sum(int(r["examples"]) for r in results)
    failures = [r for r in results if r["failure"]]
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "examples": total,
        "failures": len(failures),
        "seconds": round(time.time() - start, 1),
        "workers": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"fuzz: {total} generated links over every page, {len(failures)} failure(s), {report['seconds']} s")
    for f in failures:
        print(f["failure"])
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

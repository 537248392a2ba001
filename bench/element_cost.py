"""Where a script run's server CPU goes: `python bench/element_cost.py [--rounds 3] [--out bench/results/element_cost.json]`.

bench/load.py measures each HipLens page against the minimal app's pages. This benchmark explains the
gap. In one run, side by side and in interleaved rounds (bench/load.py interleaved_costs()), it
measures the server CPU of a warm rerun of:

- the minimal app's text page (bench/minimal_app, served through the same launcher; the reference);
- the same text page under HipLens's navigation (every page listed) without the frame, then with
  HipLens's frame (page config, lecture-mode toggle, top bar, share link), as app.py draws it;
- the framed text page plus N elements of one kind: Markdown, bordered containers (each with one
  Markdown), page links, metrics, selectboxes.

It prints what the frame adds, the CPU per element of each kind, and the element budget of a page
that is to stay within --target (1.5x) of the minimal text page, and saves JSON.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import MINIMAL_SERVE, RESULTS, ROOT, Target, markdown_table, minimal_targets, run_header, save_json
from bench.load import Running, interleaved_costs, start_plain

PROBE_APP = ROOT / "bench" / "frame_probe" / "serve.py"  # app.py beside it, through the project's launcher


@dataclass(frozen=True)
class Variant:
    """One probe server: frame or bare, and what the page adds."""

    name: str
    frame: bool = True
    kind: str = ""
    count: int = 0

    def env(self) -> dict[str, str]:
        """The environment bench/frame_probe reads."""
        return {"HIPLENS_PROBE": "frame" if self.frame else "bare", "HIPLENS_PROBE_KIND": self.kind, "HIPLENS_PROBE_COUNT": str(self.count)}


VARIANTS = (
    Variant("navigation", frame=False),
    Variant("frame"),
    Variant("frame+10 markdown", kind="markdown", count=10),
    Variant("frame+10 containers", kind="container", count=10),
    Variant("frame+10 page links", kind="page_link", count=10),
    Variant("frame+10 metrics", kind="metric", count=10),
    Variant("frame+5 selectboxes", kind="selectbox", count=5),
)


def analyse(costs: dict[str, float], target: float) -> dict:
    """From rerun CPU per variant (ms): the frame's share, CPU per element of each kind, and a page's budget."""
    minimal, frame = costs["minimal"], costs["frame"]
    per_element = {v.kind: round((costs[v.name] - frame) / v.count, 3) for v in VARIANTS if v.count}
    room = target * minimal - frame  # CPU a page may add on top of the frame and the text page
    return {
        "minimal_text_ms": minimal,
        "navigation_ratio": round(costs["navigation"] / minimal, 2),
        "frame_ratio": round(frame / minimal, 2),
        "frame_extra_ms": round(frame - minimal, 2),
        "per_element_ms": per_element,
        "budget_ms": round(room, 2),
        "budget_elements": {kind: (max(0, int(room / ms)) if ms > 0 else None) for kind, ms in per_element.items()},
    }


def name_of(result: dict) -> str:
    """The variant's name of one interleaved_costs() result ("minimal" for the minimal app's text page)."""
    return result["page"].rsplit(":/", 1)[0]


def report(results: Sequence[dict], summary: dict, target: float) -> str:
    """Two Markdown tables: each variant's CPU per warm rerun (median, rounds' range, ratio) and each element kind's cost and budget."""
    reference = summary["minimal_text_ms"]
    rows = [
        [
            name_of(r),
            f"{r['rerun_cpu_ms']:.1f}",
            f"{min(r['rounds']['rerun_cpu_ms']):.1f}-{max(r['rounds']['rerun_cpu_ms']):.1f}",
            f"{r['rerun_cpu_ms'] / reference:.2f}x",
        ]
        for r in results
    ]
    kinds = summary["per_element_ms"]
    return "\n\n".join(
        [
            markdown_table(["Page", "CPU ms per warm rerun (median)", "rounds (min-max)", "vs minimal text"], rows),
            markdown_table(
                ["Element", "CPU ms each", f"Budget within {target}x"],
                [[kind, f"{ms:.2f}", str(summary["budget_elements"][kind])] for kind, ms in kinds.items()],
            ),
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Start the servers, measure in rounds, print the table, save the JSON."""
    parser = argparse.ArgumentParser(prog="python bench/element_cost.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each variant's figure is their median (default 3)")
    parser.add_argument("--reruns", type=int, default=150, help="warm reruns per variant in each round (default 150)")
    parser.add_argument("--target", type=float, default=1.5, help="ratio to the minimal text page a page's budget is worked out for")
    parser.add_argument("--out", type=Path, default=RESULTS / "element_cost.json", help="JSON results file")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    logs = Path(tempfile.mkdtemp(prefix="hiplens-element-cost-"))
    started = time.time()
    servers: list[tuple[Running, list[Target]]] = []
    try:
        minimal = start_plain(logs / "minimal", MINIMAL_SERVE)
        servers.append((minimal, [t for t in minimal_targets() if t.key == "text"]))
        for variant in VARIANTS:
            running = start_plain(logs / variant.name.replace(" ", "_"), PROBE_APP, env=variant.env())
            servers.append((running, [Target(variant.name, "text", "", "page.py", "", "")]))
        rounds = max(1, args.rounds)
        results = interleaved_costs(
            servers,
            rounds=rounds,
            sessions=rounds,
            reruns=max(1, args.reruns),
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
    finally:
        for running, _ in servers:
            running.stop()

    summary = analyse({name_of(r): r["rerun_cpu_ms"] for r in results}, args.target)
    print(report(results, summary, args.target))
    payload = {
        **run_header("bench/element_cost.py", argv, started),
        "target": args.target,
        "variants": [v.__dict__ for v in VARIANTS],
        "script_cost": results,
        "summary": summary,
    }
    save_json(args.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

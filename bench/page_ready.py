"""Page-ready benchmark: `python bench/page_ready.py [--loads 5] [--runs 10] [--out bench/results/page_ready.json]`.

In one run, against two servers started the same way (tests/browser/server.py start_server(), same
.streamlit/config.toml): HipLens (`python serve.py`) and the minimal three-page app in
bench/minimal_app (through the same launcher, bench/minimal_app/serve.py). For every page of both:

- ready time in Debian's chromium: a fresh browser context per load (cold cache), from navigation
  start until the script run has finished (stApp data-test-script-state=notRunning after running),
  no stSkeleton is left, every visible stPlotlyChart has drawn (.main-svg) and every stDataFrame
  has its canvas (charts and tables in a closed expander or tab are not drawn by the browser, so not
  waited for). Median of --loads loads per page, after one unmeasured warm-up load per page; the
  loads of all pages are interleaved so that a busy machine slows every page alike.
- warm script time: AppTest runs the page once to warm up, then --runs further runs of the same
  page are timed in-process (median).

Prints a Markdown table with each page's ratio to the minimal app's chart page (target: every
HipLens page within --target, 1.5x) and saves JSON. With --profile, each HipLens page over the target
gets a cProfile of five warm AppTest runs (the script thread) in bench/results/profile-PAGE.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Error as PlaywrightError

from bench.common import (
    MINIMAL_APP,
    MINIMAL_SERVE,
    RESULTS,
    ROOT,
    Target,
    fmt,
    hiplens_targets,
    markdown_table,
    median,
    minimal_targets,
)

VIEWPORT = {"width": 1280, "height": 800}

# Runs in every page before its own scripts: remembers when the script state last went running -> notRunning.
INIT_SCRIPT = """
window.__bench = {runningAt: null, finishedAt: null, runs: 0, longTaskMs: 0, longTasks: 0};
try {  // main-thread work of 50 ms or more (parsing bundles, rendering): how busy the browser was
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { window.__bench.longTaskMs += e.duration; window.__bench.longTasks += 1; }
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
(() => {
  const seen = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return;
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running' && window.__bench.runningAt === null) window.__bench.runningAt = performance.now();
    if (state === 'running') window.__bench.running = true;
    if (state === 'notRunning' && window.__bench.running) {
      window.__bench.running = false;
      window.__bench.finishedAt = performance.now();
      window.__bench.runs += 1;
    }
  };
  new MutationObserver(seen).observe(document, {subtree: true, attributes: true, childList: true,
                                               attributeFilter: ['data-test-script-state']});
})();
"""

# True (the time since navigation start, ms) once the page is ready; false before.
READY = """
() => {
  const b = window.__bench;
  if (!b || b.finishedAt === null) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (chart.checkVisibility() && !chart.querySelector('.main-svg')) return false;
  }
  for (const frame of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (frame.checkVisibility() && !frame.querySelector('canvas')) return false;
  }
  return performance.now();
}
"""

DEBUG = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return {bench: window.__bench, script: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
          charts: charts.length, visibleChartsNotDrawn: charts.filter(c => c.checkVisibility() && !c.querySelector('.main-svg')).length,
          frames: document.querySelectorAll('[data-testid="stDataFrame"]').length,
          visibleFramesWithoutCanvas: [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .filter(f => f.checkVisibility() && !f.querySelector('canvas')).length};
}
"""

STATS = """
() => ({
  scriptDone: window.__bench.finishedAt,
  scriptStart: window.__bench.runningAt,
  runs: window.__bench.runs,
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  frames: document.querySelectorAll('[data-testid="stDataFrame"]').length,
  exceptions: document.querySelectorAll('[data-testid="stException"]').length,
  elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
  longTaskMs: window.__bench.longTaskMs,
  scripts: performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script' || r.name.endsWith('.js')).length,
  kbTransferred: performance.getEntriesByType('resource').reduce((a, r) => a + (r.transferSize || 0), 0) / 1024,
})
"""


def load_once(browser, url: str, timeout_ms: float) -> dict:  # type: ignore[no-untyped-def]
    """Open url in a fresh context; the ready time and what the page held (ms since navigation start)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.add_init_script(INIT_SCRIPT)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        try:
            ready = page.wait_for_function(READY, polling="raf", timeout=timeout_ms).json_value()
        except PlaywrightError as exc:
            raise RuntimeError(f"{url} was not ready after {timeout_ms / 1000:.0f} s: {page.evaluate(DEBUG)}") from exc
        stats = page.evaluate(STATS)
        nav = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseEnd : null; }")
        return {"ready_ms": float(ready), "html_ms": nav, "requests": len(requests), **stats}
    finally:
        context.close()


def browser_phase(targets: Sequence[Target], urls: dict[str, str], loads: int, timeout_ms: float) -> dict[str, list[dict]]:
    """Measure every target `loads` times (interleaved), after one warm-up load each."""
    from playwright.sync_api import sync_playwright

    from tests.browser.server import CHROMIUM_ARGS, chromium_path

    samples: dict[str, list[dict]] = {t.label: [] for t in targets}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            for target in targets:
                load_once(browser, f"{urls[target.app]}/{target.url_path}", timeout_ms)
            for round_no in range(loads):
                for target in targets:
                    sample = load_once(browser, f"{urls[target.app]}/{target.url_path}", timeout_ms)
                    samples[target.label].append(sample)
                print(f"  browser round {round_no + 1}/{loads} done", file=sys.stderr, flush=True)
        finally:
            browser.close()
    return samples


def apptest_for(target: Target, timeout: float = 120):  # type: ignore[no-untyped-def]
    """An AppTest of the target's app switched to its page with its query string (not yet run)."""
    from urllib.parse import parse_qs

    from streamlit.testing.v1 import AppTest

    main = ROOT / "app.py" if target.app == "hiplens" else MINIMAL_APP
    at = AppTest.from_file(str(main), default_timeout=timeout)
    for key, values in parse_qs(target.query).items():
        at.query_params[key] = values if len(values) > 1 else values[0]
    at.switch_page(target.page_file)
    return at


def script_phase(targets: Sequence[Target], runs: int) -> dict[str, list[float]]:
    """Warm in-process script time of each target: AppTest, one warm-up run, then `runs` timed reruns (ms)."""
    out: dict[str, list[float]] = {}
    for target in targets:
        at = apptest_for(target)
        at.run()
        if at.exception:
            raise RuntimeError(f"{target.label} raised: {[e.value for e in at.exception]}")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
        out[target.label] = times
    return out


def profile_page(target: Target, dest: Path, runs: int = 5) -> str:
    """cProfile of `runs` warm AppTest runs of the target (the script thread, where the page runs); text, also written to dest."""
    at = apptest_for(target)
    at.run()
    profiles: list[cProfile.Profile] = []

    def start_in_thread(*_: object) -> None:  # the first profile event of each new thread (the script runner's)
        sys.setprofile(None)
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()

    threading.setprofile(start_in_thread)
    try:
        for _ in range(runs):
            at.run()
    finally:
        threading.setprofile(None)
    out = io.StringIO()
    stats = pstats.Stats(*profiles, stream=out) if profiles else None
    if stats is None:
        return ""
    out.write(f"cProfile of {runs} warm AppTest runs of {target.label} (script thread)\n\n")
    stats.sort_stats("cumulative").print_stats(r"(HipLens|/work/|components|pages|app\.py)", 40)
    stats.sort_stats("tottime").print_stats(25)
    text = out.getvalue()
    dest.write_text(text, encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, save the JSON."""
    parser = argparse.ArgumentParser(prog="python bench/page_ready.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="measured browser loads per page (default 5; median)")
    parser.add_argument("--runs", type=int, default=10, help="timed warm AppTest runs per page (default 10; median)")
    parser.add_argument("--target", type=float, default=1.5, help="target ratio to the minimal chart page (default 1.5)")
    parser.add_argument("--out", type=Path, default=RESULTS / "page_ready.json", help="JSON results file")
    parser.add_argument("--profile", action="store_true", help="profile (cProfile) each HipLens page over the target")
    parser.add_argument("--profile-pages", nargs="*", default=[], help="also profile these HipLens page keys, over the target or not")
    parser.add_argument("--pages", nargs="*", default=None, help="only these HipLens page keys (default: every registered page)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds one load may take (default 90)")
    parser.add_argument(
        "--server-args", default="", help='extra Streamlit options for both servers, e.g. "--runner.postScriptGC false" (an A/B comparison)'
    )
    args = parser.parse_args(argv)
    if args.loads < 5:
        parser.error("--loads must be at least 5 (the median of at least 5 loads per page)")

    # AppTest logs "missing ScriptRunContext" from the main thread at every run; not news. (Set after Streamlit made the logger.)
    import streamlit.runtime.scriptrunner_utils.script_run_context as run_context

    from tests.browser.server import start_server

    logging.getLogger(run_context.__name__).setLevel(logging.ERROR)
    os.chdir(ROOT)
    hiplens = [t for t in hiplens_targets() if args.pages is None or t.key in args.pages]
    minimal = minimal_targets()
    targets = [*minimal, *hiplens]
    logs = Path(tempfile.mkdtemp(prefix="hiplens-bench-"))
    started = time.time()
    load_at_start = os.getloadavg()
    extra = shlex.split(args.server_args)
    app_server = start_server(log_dir=logs / "hiplens", extra_args=extra)
    try:
        minimal_server = start_server(MINIMAL_SERVE, log_dir=logs / "minimal", extra_args=extra)
    except BaseException:
        app_server.stop()
        raise
    try:
        urls = {"hiplens": app_server.url, "minimal": minimal_server.url}
        print(f"HipLens {app_server.url}, minimal app {minimal_server.url}; {len(targets)} pages x {args.loads} loads", file=sys.stderr)
        browser = browser_phase(targets, urls, args.loads, args.timeout * 1000)
    finally:
        app_server.stop()
        minimal_server.stop()
    print("browser phase done; timing warm script runs (AppTest)", file=sys.stderr, flush=True)
    scripts = script_phase(targets, args.runs)

    reference = median([s["ready_ms"] for s in browser[minimal[0].label]])
    reference_script = median(scripts[minimal[0].label])
    rows = []
    results = []
    for target in targets:
        samples = browser[target.label]
        ready = median([s["ready_ms"] for s in samples])
        done = median([s["scriptDone"] for s in samples if s["scriptDone"] is not None])
        script = median(scripts[target.label])
        ratio = ready / reference
        ok = target.app == "minimal" or ratio <= args.target
        results.append(
            {
                "app": target.app,
                "page": target.key,
                "url": "/" + target.url_path,
                "ready_ms": [round(s["ready_ms"], 1) for s in samples],
                "ready_median_ms": round(ready, 1),
                "script_done_median_ms": round(done, 1),
                "ratio_to_minimal_chart": round(ratio, 3),
                "within_target": ok,
                "warm_script_ms": [round(t, 2) for t in scripts[target.label]],
                "warm_script_median_ms": round(script, 2),
                "script_ratio_to_minimal_chart": round(script / reference_script, 2),
                "requests_median": median([s["requests"] for s in samples]),
                "js_files_median": median([s["scripts"] for s in samples]),
                "kb_transferred_median": round(median([s["kbTransferred"] for s in samples])),
                "main_thread_long_tasks_ms_median": round(median([s["longTaskMs"] for s in samples])),
                "charts": samples[-1]["charts"],
                "dataframes": samples[-1]["frames"],
                "elements": samples[-1]["elements"],
                "exceptions": max(s["exceptions"] for s in samples),
            }
        )
        rows.append(
            [
                target.app,
                "/" + target.url_path,
                fmt(ready),
                fmt(done),
                f"{ratio:.2f}x" + ("" if ok else " **over**"),
                fmt(median([s["longTaskMs"] for s in samples])),
                fmt(median([s["scripts"] for s in samples])),
                fmt(script, 1),
                f"{script / reference_script:.1f}x",
                str(samples[-1]["charts"]),
                str(samples[-1]["frames"]),
                str(samples[-1]["elements"]),
            ]
        )
    header = [
        "app",
        "page",
        "ready ms (median)",
        "script done ms",
        "ready / minimal chart",
        "browser busy ms (long tasks)",
        "JS files",
        "warm script ms",
        "script / minimal chart",
        "charts",
        "dataframes",
        "elements",
    ]
    table = markdown_table(header, rows)
    print(table)
    over = [r for r in results if not r["within_target"]]
    print(
        f"\nTarget: every HipLens page within {args.target}x of the minimal chart page ({fmt(reference)} ms): "
        + ("all pages meet it." if not over else f"{len(over)} over: " + ", ".join(r["url"] for r in over))
    )

    profiles = {}
    wanted = [r["page"] for r in over] if args.profile else []
    wanted += [key for key in args.profile_pages if key not in wanted]
    for key in wanted:
        target = next((t for t in hiplens if t.key == key), None)
        if target is None:
            continue
        dest = args.out.parent / f"profile-{target.key}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        profile_page(target, dest)
        profiles[target.key] = str(dest.relative_to(ROOT)) if dest.is_relative_to(ROOT) else str(dest)
        print(f"profile of /{target.url_path}: {profiles[target.key]}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": "python bench/page_ready.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "server_args": extra,
        "loads_per_page": args.loads,
        "warm_runs_per_page": args.runs,
        "target_ratio": args.target,
        "reference": {
            "page": minimal[0].label,
            "ready_median_ms": round(reference, 1),
            "warm_script_median_ms": round(reference_script, 2),
        },
        "pages": results,
        "profiles": profiles,
        "table": table,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

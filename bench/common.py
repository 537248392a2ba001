"""Shared by the benchmark commands: the pages measured, servers to compare, statistics and /proc readings."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MINIMAL_APP = ROOT / "bench" / "minimal_app" / "app.py"
MINIMAL_SERVE = ROOT / "bench" / "minimal_app" / "serve.py"  # its launcher: the project's serve.py, as HipLens is started
RESULTS = ROOT / "bench" / "results"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Query strings of the HipLens pages measured (a page not listed here is opened without one).
HIPLENS_QUERIES: dict[str, str] = {
    "explorer": "condition=ifi",
    "differential": "yes=buttock_pain&yes=worse_sitting&sex=female&age=45",
}
# Pages measured a second time, in another state: target key -> (page key, query string). A linked case
# opens the differential builder with its inputs folded; an empty builder opens with them drawn.
EXTRA_VIEWS: dict[str, tuple[str, str]] = {"differential_open": ("differential", "")}


@dataclass(frozen=True)
class Target:
    """One page of one app: where a browser opens it and which file AppTest switches to."""

    app: str  # "hiplens" or "minimal"
    key: str  # page key ("overview", "compare", ... or "chart", "table", "text")
    url_path: str  # url path plus query string, without the leading slash
    page_file: str  # the page file, relative to the app's main script
    page_name: str  # the url path alone (what the frontend sends as page_name)
    query: str  # the query string alone

    @property
    def label(self) -> str:
        """The name shown in tables: app/page?query."""
        return f"{self.app}:/{self.url_path}"


def hiplens_targets() -> list[Target]:
    """Every registered HipLens page (components/ui/nav.py registered()), in navigation order, then EXTRA_VIEWS."""
    from components.links import PAGES
    from components.ui.links import PAGE_FILES
    from components.ui.nav import registered

    out = []
    for entry in registered():
        path = PAGES[entry.key].url_path
        query = HIPLENS_QUERIES.get(entry.key, "")
        url = f"{path}?{query}" if query else path
        out.append(Target("hiplens", entry.key, url, PAGE_FILES[entry.key], path, query))
    present = {entry.key for entry in registered()}
    for key, (page, query) in EXTRA_VIEWS.items():
        if page in present:
            path = PAGES[page].url_path
            out.append(Target("hiplens", key, f"{path}?{query}" if query else path, PAGE_FILES[page], path, query))
    return out


def minimal_targets() -> list[Target]:
    """The three pages of bench/minimal_app (chart first: the reference page; text is the default page, at /)."""
    return [
        Target("minimal", "chart", "chart", "views/plot_view.py", "chart", ""),
        Target("minimal", "table", "table", "views/table_view.py", "table", ""),
        Target("minimal", "text", "", "views/text_view.py", "", ""),
    ]


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100, nearest rank), or NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User plus system CPU seconds of one process (or one of its threads) so far (/proc), 0.0 once it is gone.

    The thread whose id is the process id is the main thread: in Streamlit, the event loop that sends
    every session's messages; script runs happen in other threads.
    """
    try:
        text = Path(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (/proc/PID/statm), 0 once it is gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def children_of(pid: int) -> list[int]:
    """Every descendant process of pid (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    out: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        out += kids
        frontier += kids
    return out


def cmdline(pid: int) -> str:
    """A process's command line, spaces between arguments ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def fmt(value: float, digits: int = 0) -> str:
    """A number for a Markdown table ("-" for NaN)."""
    if value != value:  # NaN
        return "-"
    return f"{value:,.{digits}f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run_header(script: str, argv: Sequence[str] | None, started: float) -> dict:
    """What every saved benchmark result starts with: the command, when it started, how long it took, the machine."""
    return {
        "command": f"python {script} " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }


def save_json(out: Path, payload: dict) -> None:
    """Write a benchmark's results as indented JSON (creating its folder) and say where."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nsaved {out}")

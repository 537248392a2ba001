"""Who pays for Streamlit's frontend files: `python deploy/bench_static.py [--loads 30]`.

Simulates --loads first visits (a lecture hall opening the app): each fetches the frontend files a
HipLens page loads (index bundle, CSS, fonts, and the Plotly and dataframe chunks), with
`Accept-Encoding: gzip`, once straight from a replica and once through HAProxy (cache warmed first,
as deploy/cluster.py does at start). It prints wall time, bytes sent, and the CPU seconds used by the
replica's Python process and by HAProxy (from /proc), as a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster, streamlit_static_dir  # noqa: E402

CHUNKS = ("index.", "PlotlyChart.", "DataFrame.", "Markdown", "ButtonGroup.", "Multiselect.", "Tabs.", "Toggle.")


def page_files() -> list[str]:
    """URL paths of the frontend files one page load of HipLens needs (an approximation, about 6 MB)."""
    static = streamlit_static_dir() / "static"
    paths = [p for p in sorted((static / "js").glob("*.js")) if p.name.startswith(CHUNKS)]
    paths += sorted((static / "css").glob("*.css")) + sorted((static / "media").glob("SourceSans*.woff2"))
    return [f"/static/{p.relative_to(static).as_posix()}" for p in paths]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its finished children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def load_all(url: str, paths: list[str], loads: int) -> int:
    """loads visitors, 8 at a time, each fetching every path on one keep-alive connection; bytes received."""
    parts = urlsplit(url)

    def visit(_: int) -> int:
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
        got = 0
        for path in paths:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            got += len(resp.read())
            if resp.status != 200:
                raise RuntimeError(f"{path}: {resp.status}")
        conn.close()
        return got

    with ThreadPoolExecutor(max_workers=8) as pool:
        return sum(pool.map(visit, range(loads)))


def main(argv: list[str] | None = None) -> int:
    """Measure both ways and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=30)
    args = parser.parse_args(argv)
    paths = page_files()
    with Cluster(replicas=1, log_dir=Path(tempfile.mkdtemp(prefix="hiplens-bench-"))) as cluster:
        replica = cluster.replicas[0]
        assert replica.process is not None and cluster._haproxy is not None
        cluster.warm_cache()
        rows = []
        for label, url in (("straight from the replica (Python)", replica.url), ("through HAProxy (cache + gzip)", cluster.url)):
            py0, ha0, t0 = cpu_seconds(replica.process.pid), cpu_seconds(cluster._haproxy.pid), time.perf_counter()
            received = load_all(url, paths, args.loads)
            wall = time.perf_counter() - t0
            py1, ha1 = cpu_seconds(replica.process.pid), cpu_seconds(cluster._haproxy.pid)
            rows.append((label, wall, received / 1e6, py1 - py0, ha1 - ha0))
    print(f"| {args.loads} page loads x {len(paths)} files | wall s | MB sent | Python CPU s | HAProxy CPU s |")
    print("|---|---|---|---|---|")
    for label, wall, mb, py, ha in rows:
        print(f"| {label} | {wall:.1f} | {mb:.0f} | {py:.2f} | {ha:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

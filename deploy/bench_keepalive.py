"""Measure what upstream keep-alive costs with Streamlit 1.67: `python deploy/bench_keepalive.py [--requests 40]`.

Streamlit's server socket lacks TCP_NODELAY, so a request on a reused keep-alive connection waits for the
client's delayed ACK (~40 ms on Linux). The script times small GETs (/_stcore/health, / and a hashed
bundle) over one persistent client connection:
  - straight to a replica, reusing the connection, and with a new connection per request;
  - through HAProxy with the shipped config (option http-server-close upstream);
  - through HAProxy with upstream keep-alive (HAProxy's default: idle server connections are reused).
It prints a Markdown table of medians and 90th percentiles in milliseconds (deploy/README.md has a run).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster, streamlit_static_dir  # noqa: E402


def time_requests(url: str, path: str, count: int, *, reuse: bool) -> list[float]:
    """Milliseconds of each of count GETs of path, on one kept-alive connection or a new one each time."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    conn = http.client.HTTPConnection(host, port, timeout=30)
    times: list[float] = []
    for _ in range(count + 1):  # the first request opens the connection: not counted
        if not reuse:
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        resp = conn.getresponse()
        resp.read()
        times.append((time.perf_counter() - start) * 1000)
        if resp.status != 200:
            raise RuntimeError(f"GET {url}{path}: {resp.status}")
    conn.close()
    return times[1:]


def summary(times: list[float]) -> str:
    """'median / p90' in ms."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"{statistics.median(ordered):.1f} / {p90:.1f}"


def main(argv: list[str] | None = None) -> int:
    """Run both proxy configurations and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args(argv)
    bundle = sorted(p.name for p in (streamlit_static_dir() / "static" / "js").glob("index.*.js"))[0]
    paths = ["/_stcore/health", "/", f"/static/js/{bundle}"]
    rows: dict[str, dict[str, str]] = {}
    logs = Path(tempfile.mkdtemp(prefix="hiplens-bench-"))
    for keepalive in (False, True):
        with Cluster(replicas=1, log_dir=logs, upstream_keepalive=keepalive) as cluster:
            replica = cluster.replica_urls[0]
            if not keepalive:
                rows["replica, reused connection"] = {p: summary(time_requests(replica, p, args.requests, reuse=True)) for p in paths}
                rows["replica, new connection per GET"] = {p: summary(time_requests(replica, p, args.requests, reuse=False)) for p in paths}
                label = "HAProxy, option http-server-close (shipped)"
            else:
                label = "HAProxy, upstream keep-alive"
            rows[label] = {p: summary(time_requests(cluster.url, p, args.requests, reuse=True)) for p in paths}
    print(f"| client connection kept alive ({args.requests} GETs, median / p90 ms) | " + " | ".join(f"`{p}`" for p in paths) + " |")
    print("|---|" + "---|" * len(paths))
    for label, cells in rows.items():
        print(f"| {label} | " + " | ".join(cells[p] for p in paths) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A live cluster: two replicas behind HAProxy, driven over HTTP (deploy/cluster.py)."""

from __future__ import annotations

import gzip
import http.client
import logging
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy.cluster import COOKIE_NAME, REPLICA_HEADER, Cluster, ClusterError, free_port, streamlit_static_dir

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "artifacts" / "logs" / "cluster"
IMMUTABLE = "public, max-age=31536000, immutable"
pytestmark = pytest.mark.slow


def get(base: str, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, Message, bytes]:
    """One GET on a new connection: status, headers, raw (still encoded) body."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity", **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.msg, resp.read()
    finally:
        conn.close()


def sticky_cookie(headers: Message) -> str | None:
    """The HIPLENS_SRV Set-Cookie header of a response, if any."""
    found = [c for c in headers.get_all("Set-Cookie") or [] if c.startswith(f"{COOKIE_NAME}=")]
    assert len(found) <= 1, found
    return found[0] if found else None


def wait_for_row(cluster: Cluster, name: str, check: Callable[[dict[str, str]], bool], timeout: float = 30) -> dict[str, str]:
    """Poll HAProxy's `show stat` row of server name until check(row) holds."""
    deadline = time.monotonic() + timeout
    row: dict[str, str] = {}
    while time.monotonic() < deadline:
        row = cluster.server_stats()[name]
        if check(row):
            return row
        time.sleep(0.2)
    raise AssertionError(f"HAProxy's row for {name} never matched: {row}")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Two healthy replicas behind HAProxy (checks every second, so that failures show quickly)."""
    with Cluster(replicas=2, check_inter="1s", log_dir=LOGS) as running:
        yield running


def test_proxy_serves_the_app_with_security_headers(cluster: Cluster) -> None:
    assert cluster.server_states() == {"r0": "UP", "r1": "UP"}
    for path in ("/", "/compare?conditions=fai&conditions=hip_oa"):
        status, headers, body = get(cluster.url, path)
        assert status == 200, path
        assert b'<div id="root">' in body
        assert headers[REPLICA_HEADER] in ("r0", "r1")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Server"] is None
    status, _, body = get(cluster.url, "/_stcore/health")
    assert (status, body) == (200, b"ok")


def test_sticky_cookie_keeps_a_browser_on_its_replica(cluster: Cluster) -> None:
    status, headers, _ = get(cluster.url, "/")
    cookie = sticky_cookie(headers)
    assert status == 200 and cookie, headers
    name = headers[REPLICA_HEADER]
    assert cookie.split(";")[0] == f"{COOKIE_NAME}={name}"
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/explorer?condition=ifi"):
        status, headers, _ = get(cluster.url, path, {"Cookie": f"{COOKIE_NAME}={name}"})
        assert status == 200
        assert headers[REPLICA_HEADER] == name, path
        assert sticky_cookie(headers) is None  # "indirect": a browser that already has it is not sent it again
    other = "r1" if name == "r0" else "r0"
    assert get(cluster.url, "/", {"Cookie": f"{COOKIE_NAME}={other}"})[1][REPLICA_HEADER] == other


def test_new_browsers_are_spread_not_pinned_by_address(cluster: Cluster) -> None:
    # Every request here comes from 127.0.0.1: balancing by source address would send them all to one replica.
    served = {get(cluster.url, "/")[1][REPLICA_HEADER] for _ in range(6)}
    assert served == {"r0", "r1"}


def test_static_bundle_comes_from_haproxy_cache_compressed_and_immutable(cluster: Cluster) -> None:
    bundle = max((streamlit_static_dir() / "static" / "js").glob("index.*.js"), key=lambda p: p.stat().st_size)
    raw = bundle.read_bytes()
    path = f"/static/js/{bundle.name}"

    status, headers, body = get(cluster.url, path, {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200
    assert headers["Cache-Control"] == IMMUTABLE
    assert headers["Content-Encoding"] == "gzip"
    assert "accept-encoding" in headers["Vary"].lower()
    assert gzip.decompress(body) == raw
    assert len(body) < len(raw) / 2
    assert headers["X-Cache-Status"] == "MISS"  # the first request reached a replica ...

    for encoding in ("gzip", "identity", "br"):  # ... the next ones are answered by HAProxy alone
        status, headers, body = get(cluster.url, path, {"Accept-Encoding": encoding})
        assert status == 200
        assert headers["X-Cache-Status"] == "HIT", encoding
        assert headers["Cache-Control"] == IMMUTABLE
        if encoding == "gzip":
            assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == raw
        else:  # HAProxy 2.6 has no brotli: a browser that only takes br gets the plain file
            assert headers["Content-Encoding"] is None and body == raw, encoding
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_oversized_requests_are_refused(cluster: Cluster) -> None:
    assert get(cluster.url, "/compare?" + "&".join(f"conditions=c{i}" for i in range(20)))[0] == 200
    assert get(cluster.url, "/compare?conditions=" + "x" * 5000)[0] == 414
    assert get(cluster.url, "/", {"X-Padding": "y" * 13000})[0] == 431
    assert get(cluster.url, "/", {"X-Padding": "y" * 4000})[0] == 200


def test_stopped_replica_is_bypassed(cluster: Cluster) -> None:
    name = get(cluster.url, "/")[1][REPLICA_HEADER]
    index = cluster.index_of(name)
    cluster.stop_replica(index)
    try:
        # A browser stuck to the stopped replica is sent to the other one at once, with a new cookie.
        status, headers, _ = get(cluster.url, "/", {"Cookie": f"{COOKIE_NAME}={name}"})
        assert status == 200
        survivor = headers[REPLICA_HEADER]
        assert survivor != name
        assert (sticky_cookie(headers) or "").startswith(f"{COOKIE_NAME}={survivor};")
        cluster.wait_for(lambda s: s[name].startswith("DOWN"), 30, f"{name} DOWN")
        for path in ("/", "/_stcore/health", "/compare?conditions=fai"):
            status, headers, _ = get(cluster.url, path)
            assert (status, headers[REPLICA_HEADER]) == (200, survivor), path
    finally:
        assert cluster.start_replica(index)
    cluster.wait_for(lambda s: s[name] == "UP", 30, f"{name} UP again")
    assert get(cluster.url, "/", {"Cookie": f"{COOKIE_NAME}={name}"})[1][REPLICA_HEADER] == name


def test_invalid_knowledge_base_keeps_a_replica_out(data_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    (data_copy / "features.yaml").write_text("- id: [broken\n", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="hiplens.cluster")
    with Cluster(replicas=2, replica_env={1: {"HIPLENS_DATA_DIR": str(data_copy)}}, check_inter="1s", log_dir=LOGS) as cluster:
        # Checked before the start: r1 is not started, and the log names the file and the problem.
        assert list(cluster.skipped) == [1]
        assert not cluster.replicas[1].running
        messages = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert any("r1 not started" in m and "features.yaml" in m and "malformed YAML" in m for m in messages), messages
        assert cluster.server_states() == {"r0": "UP", "r1": "MAINT"}
        assert {get(cluster.url, "/")[1][REPLICA_HEADER] for _ in range(4)} == {"r0"}

        # Started anyway: Streamlit's script health check fails on it, and HAProxy keeps it out of rotation.
        cluster.check_knowledge = False
        assert cluster.start_replica(1)
        status, _, _ = get(cluster.replica_urls[1], "/_stcore/script-health-check")
        assert status == 503
        row = wait_for_row(cluster, "r1", lambda r: r["status"].startswith("DOWN") and r["check_status"] == "L7STS")
        assert row["check_code"] == "503"
        assert get(cluster.replica_urls[1], "/_stcore/health")[0] == 200  # the process itself is alive
        for headers in ({}, {"Cookie": f"{COOKIE_NAME}=r1"}):
            status, response, _ = get(cluster.url, "/", headers)
            assert (status, response[REPLICA_HEADER]) == (200, "r0"), headers


def children_of(pid: int) -> set[int]:
    """The live child processes of pid."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(x) for x in (task / "children").read_text().split())
    return found


def test_command_line_serves_until_sigterm_and_leaves_nothing_behind(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    output = (tmp_path / "cluster.out").open("wb")
    cmd = [sys.executable, "deploy/cluster.py", "--replicas", "1", "--port", str(port), "--log-dir", str(tmp_path), "--no-warm"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if get(url, "/_stcore/health")[0] == 200 and b"HipLens: " + url.encode() in (tmp_path / "cluster.out").read_bytes():
                    break
            except OSError:
                pass
            time.sleep(0.3)
        assert proc.poll() is None, (tmp_path / "cluster.out").read_text()
        children = children_of(proc.pid)
        assert len(children) == 2, children  # one replica and HAProxy
        assert get(url, "/")[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        output.close()
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    log = (tmp_path / "cluster.out").read_text()
    assert "got SIGTERM: stopping" in log and log.rstrip().endswith("stopped"), log


def test_port_in_use_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        cluster = Cluster(replicas=1, port=busy.getsockname()[1], log_dir=tmp_path)
        with pytest.raises(ClusterError, match="already in use"):
            cluster.start()
    assert not cluster.replicas

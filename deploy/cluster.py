"""Serve HipLens to a whole lecture hall from one machine: N Streamlit replicas behind Debian's HAProxy.

    python deploy/cluster.py [--replicas N] [--port 8080] [--bind 127.0.0.1]

starts N replicas of the app (`python serve.py ...` on free loopback ports, one shared cookie secret),
checks each one's knowledge base first (`python -m components.knowledge check`; a replica whose content
is invalid is logged and left out, the others serve), renders deploy/haproxy.cfg.j2 into a temporary
folder, checks it with `haproxy -c` and runs HAProxy in the foreground until Ctrl-C or SIGTERM. Then it
stops everything it started. A replica that dies is restarted (after its content is checked again).

From Python (tests, benchmarks), with the repository root on sys.path:

    from deploy.cluster import Cluster
    with Cluster(replicas=2) as cluster:
        cluster.url, cluster.replica_urls, cluster.stop_replica(0), cluster.logs, cluster.server_states()
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import jinja2

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().with_name("haproxy.cfg.j2")
HAPROXY = "/usr/sbin/haproxy"
APP_BACKEND = "hiplens_app"
STATIC_BACKEND = "hiplens_static"
COOKIE_NAME = "HIPLENS_SRV"
REPLICA_HEADER = "X-HipLens-Replica"
CACHE_HEADER = "X-Cache-Status"
COOKIE_SECRET_ENV = "HIPLENS_COOKIE_SECRET"
DATA_ENV = "HIPLENS_DATA_DIR"
MAX_URL_BYTES = 4096
MAX_HEADER_BYTES = 12288
CACHE_MB = 64
CACHE_OBJECT_BYTES = 8 * 1024 * 1024
RESTART_BACKOFF = 10.0
PROBLEMS_LOGGED = 5

_log = logging.getLogger("hiplens.cluster")

try:  # Linux: a child asks to be sent SIGTERM when the process that started it dies.
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
    _LIBC.prctl  # noqa: B018 (fails here, not in the child, where prctl is missing)
except (OSError, AttributeError):
    _LIBC = None
_PR_SET_PDEATHSIG = 1


class ClusterError(RuntimeError):
    """The cluster could not start or lost its proxy."""


@dataclass(frozen=True)
class ServerSpec:
    """One `server` line of the HAProxy config."""

    name: str
    port: int
    enabled: bool = True


@dataclass
class Replica:
    """One Streamlit process of the cluster."""

    index: int
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    skipped: str | None = None
    stopped_on_purpose: bool = False
    started_at: float = 0.0
    restarts: int = 0
    script_ok: bool = False
    _handle: BinaryIO | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The replica's server name in HAProxy (also its cookie value and X-HipLens-Replica)."""
        return f"r{self.index}"

    @property
    def url(self) -> str:
        """The replica's own loopback URL (bypassing the proxy)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the replica's process is alive."""
        return self.process is not None and self.process.poll() is None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on host right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    """Whether a listener could bind host:port now (as HAProxy does: with SO_REUSEADDR, without SO_REUSEPORT)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def find_haproxy() -> str:
    """Debian's HAProxy (/usr/sbin/haproxy), else one on PATH; ClusterError when none is installed."""
    for path in (HAPROXY, shutil.which("haproxy")):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise ClusterError("HAProxy is not installed: `apt-get install haproxy` (Debian's package)")


def streamlit_static_dir() -> Path:
    """The installed Streamlit's frontend folder (index.html and static/), found without importing Streamlit."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise ClusterError("Streamlit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def render_config(
    servers: Sequence[ServerSpec],
    *,
    port: int,
    bind: str = "127.0.0.1",
    admin_socket: Path | str,
    upstream_keepalive: bool = False,
    check_inter: str = "5s",
    maxconn: int = 4096,
) -> str:
    """The HAProxy config for these replicas, from deploy/haproxy.cfg.j2."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        servers=list(servers),
        port=port,
        bind=f"[{bind}]" if ":" in bind else bind,
        admin_socket=str(admin_socket),
        upstream_keepalive=upstream_keepalive,
        check_inter=check_inter,
        maxconn=maxconn,
        cache_mb=CACHE_MB,
        cache_object_bytes=CACHE_OBJECT_BYTES,
        max_url_bytes=MAX_URL_BYTES,
        max_header_bytes=MAX_HEADER_BYTES,
    )


def check_config(path: Path, haproxy: str | None = None) -> tuple[bool, str]:
    """Run `haproxy -c -f PATH`: (valid, HAProxy's output)."""
    result = subprocess.run([haproxy or find_haproxy(), "-c", "-f", str(path)], capture_output=True, text=True, timeout=30, check=False)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def knowledge_problems(data_dir: Path | None = None, *, root: Path = ROOT, env: Mapping[str, str] | None = None) -> list[str]:
    """Run `python -m components.knowledge check [DATA_DIR]`: its problem lines, or [] when the content is valid."""
    cmd = [sys.executable, "-m", "components.knowledge", "check"]
    if data_dir is not None:
        cmd.append(str(data_dir))
    full_env = {**os.environ, **(env or {})}
    try:
        result = subprocess.run(cmd, cwd=str(root), env=full_env, capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return ["the knowledge-base check did not finish in 120 s"]
    if result.returncode == 0:
        return []
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return lines or [line for line in result.stderr.splitlines() if line.strip()] or [f"check exited with {result.returncode}"]


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the starting process dies (no orphan after a kill -9)."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(cmd: Sequence[str], *, log: Path, env: Mapping[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], BinaryIO]:
    """Start a child in its own process group, output appended to log."""
    handle = log.open("ab")
    proc = subprocess.Popen(
        list(cmd),
        cwd=str(cwd),
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # only a prctl call: no lock is taken in the child
    )
    return proc, handle


def _terminate(proc: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    """SIGTERM a child's process group, SIGKILL it after timeout; also kills what the child left in its group."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _http_status(url: str, timeout: float = 5.0) -> int | None:
    """The status of GET url, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (OSError, ValueError):
        return None


class Cluster:
    """N HipLens replicas behind HAProxy; a context manager that starts and stops everything."""

    def __init__(
        self,
        replicas: int | None = None,
        port: int = 0,
        *,
        bind: str = "127.0.0.1",
        env: Mapping[str, str] | None = None,
        replica_env: Mapping[int, Mapping[str, str]] | None = None,
        check_knowledge: bool = True,
        root: Path = ROOT,
        log_dir: Path | None = None,
        check_inter: str = "5s",
        upstream_keepalive: bool = False,
        startup_timeout: float = 120.0,
        streamlit_args: Sequence[str] = (),
    ) -> None:
        """Describe the cluster; nothing starts before start() or `with`.

        replicas: how many Streamlit processes (default: the number of cores). port: the proxy's port
        (0: a free one). env: extra environment of every replica; replica_env: extra environment of
        replica i only. check_knowledge=False skips the content check before a start (tests of the
        proxy's own health checks). upstream_keepalive=True keeps HAProxy's connections to the replicas
        open (only to measure what option http-server-close saves).
        """
        self.count = replicas if replicas is not None else (os.cpu_count() or 1)
        if self.count < 1:
            raise ValueError("replicas must be at least 1")
        self.requested_port = port
        self.port = port
        self.bind = bind
        self.env = dict(env or {})
        self.replica_env = {int(k): dict(v) for k, v in (replica_env or {}).items()}
        self.check_knowledge = check_knowledge
        self.root = Path(root)
        self.check_inter = check_inter
        self.upstream_keepalive = upstream_keepalive
        self.startup_timeout = startup_timeout
        self.streamlit_args = list(streamlit_args)
        self.log_dir = Path(log_dir) if log_dir else None
        self.replicas: list[Replica] = []
        self.workdir: Path | None = None
        self.config_path: Path | None = None
        self.admin_socket: Path | None = None
        self.haproxy_log: Path | None = None
        self._haproxy: subprocess.Popen[bytes] | None = None
        self._haproxy_handle: BinaryIO | None = None
        self._haproxy_bin = ""
        self._cookie_secret = ""
        self._lock = threading.RLock()
        self._started = False

    # ----- addresses and files -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The proxy's URL, the one to give to students."""
        host = "127.0.0.1" if self.bind in ("", "0.0.0.0", "::") else self.bind
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def replica_urls(self) -> list[str]:
        """Each replica's own URL, by index (whether or not it runs)."""
        return [r.url for r in self.replicas]

    @property
    def logs(self) -> dict[str, Path]:
        """Log files: "haproxy" and one per replica name ("r0", "r1", ...)."""
        out: dict[str, Path] = {}
        if self.haproxy_log is not None:
            out["haproxy"] = self.haproxy_log
        out.update({r.name: r.log for r in self.replicas})
        return out

    @property
    def skipped(self) -> dict[int, str]:
        """Replicas that were not started, by index, with the reason."""
        return {r.index: r.skipped for r in self.replicas if r.skipped}

    def index_of(self, name: str) -> int:
        """The index of the replica HAProxy calls name ("r1" -> 1)."""
        for replica in self.replicas:
            if replica.name == name:
                return replica.index
        raise KeyError(name)

    # ----- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> Cluster:
        """Start the cluster (see start())."""
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Stop everything (see stop())."""
        self.stop()

    def start(self) -> Cluster:
        """Check the content, start the replicas, then HAProxy; return when every started replica is UP behind it."""
        with self._lock:
            if self._started:
                return self
            self._started = True
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self._haproxy_bin = find_haproxy()
        self.workdir = Path(tempfile.mkdtemp(prefix="hiplens-cluster-"))
        if self.log_dir is None:
            self.log_dir = Path(tempfile.mkdtemp(prefix="hiplens-cluster-logs-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._cookie_secret = self.env.get(COOKIE_SECRET_ENV) or os.environ.get(COOKIE_SECRET_ENV) or secrets.token_urlsafe(32)
        ports: set[int] = set()
        if not self.port:
            self.port = free_port(self.bind if self.bind not in ("", "0.0.0.0", "::") else "127.0.0.1")
        elif not port_is_free(self.bind or "0.0.0.0", self.port):
            raise ClusterError(f"port {self.port} on {self.bind or '0.0.0.0'} is already in use")
        ports.add(self.port)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for index in range(self.count):
            port = free_port()
            while port in ports:
                port = free_port()
            ports.add(port)
            env = {**self.env, **self.replica_env.get(index, {})}
            env.pop(COOKIE_SECRET_ENV, None)
            log = self.log_dir / f"{stamp}-r{index}-{port}.log"
            self.replicas.append(Replica(index, port, env, log))

        if self.check_knowledge:
            self._check_all()
        for replica in self.replicas:
            if not replica.skipped:
                self._launch(replica)
        self._wait_replicas_ready([r for r in self.replicas if not r.skipped])
        if not any(r.running for r in self.replicas):
            reasons = "; ".join(f"{r.name}: {r.skipped}" for r in self.replicas)
            raise ClusterError(f"no replica could start ({reasons})")
        self._start_haproxy()
        # Healthy replicas UP, and those whose script fails already out of rotation, before anyone is let in.
        healthy = [r.name for r in self.replicas if r.running and r.script_ok]
        failing = [r.name for r in self.replicas if r.running and not r.script_ok]
        self.wait_for(
            lambda s: all(s.get(n) == "UP" for n in healthy) and all(s.get(n, "").startswith("DOWN") for n in failing),
            self.startup_timeout,
            f"{', '.join(healthy) or 'no replica'} UP behind HAProxy" + (f" and {', '.join(failing)} DOWN" if failing else ""),
        )
        if not healthy:
            raise ClusterError(f"no replica passes its script health check; see {', '.join(str(r.log) for r in self.replicas)}")
        _log.info("HipLens is served at %s by %d replica(s): %s", self.url, len(healthy), ", ".join(healthy))

    def _data_dir(self, replica: Replica) -> Path | None:
        value = replica.env.get(DATA_ENV) or os.environ.get(DATA_ENV)
        return Path(value) if value else None

    def _check_all(self) -> None:
        """Check each distinct data folder once, in parallel; mark the replicas whose content is invalid."""
        folders = {self._data_dir(r) for r in self.replicas}
        with ThreadPoolExecutor(max_workers=max(1, len(folders))) as pool:
            results = dict(zip(folders, pool.map(lambda f: knowledge_problems(f, root=self.root, env=self.env), folders), strict=True))
        for replica in self.replicas:
            problems = results[self._data_dir(replica)]
            if problems:
                self._skip(replica, problems)

    def _skip(self, replica: Replica, problems: list[str]) -> None:
        folder = self._data_dir(replica) or self.root / "data"
        replica.skipped = f"invalid knowledge base in {folder}: {problems[0]}"
        _log.error(
            "replica %s not started: the knowledge base in %s has %d problem(s); first: %s",
            replica.name,
            folder,
            len(problems),
            "; ".join(problems[:PROBLEMS_LOGGED]),
        )

    def _launch(self, replica: Replica) -> None:
        """Start the replica's Streamlit process (no wait)."""
        options = {
            "server.port": str(replica.port),
            "server.address": "127.0.0.1",
            "server.headless": "true",
            "server.scriptHealthCheckEnabled": "true",
            "server.fileWatcherType": "none",
            "server.runOnSave": "false",
            "browser.gatherUsageStats": "false",
            "global.developmentMode": "false",
        }
        cmd = [sys.executable, "serve.py", *(a for k, v in options.items() for a in (f"--{k}", v)), *self.streamlit_args]
        # The secret goes by environment, not on the command line where `ps` would show it.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **replica.env, "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret}
        if replica._handle is not None:
            replica._handle.close()
        replica.process, replica._handle = _spawn(cmd, log=replica.log, env=env, cwd=self.root)
        replica.started_at = time.monotonic()
        replica.stopped_on_purpose = False
        _log.info("replica %s starting on %s (pid %d, log %s)", replica.name, replica.url, replica.process.pid, replica.log)

    def _wait_replica_ready(self, replica: Replica, timeout: float) -> bool:
        """Wait for /_stcore/health, then run the script once (warms the first run); False if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not replica.running:
                code = replica.process.returncode if replica.process else None
                replica.skipped = replica.skipped or f"exited with {code} while starting"
                _log.error("replica %s exited with %s while starting:\n%s", replica.name, code, _tail(replica.log))
                return False
            if _http_status(f"{replica.url}/_stcore/health", timeout=2) == 200:
                status = _http_status(f"{replica.url}/_stcore/script-health-check", timeout=60)
                replica.script_ok = status == 200
                if status != 200:
                    _log.warning("replica %s: its script health check answers %s; HAProxy will keep it out", replica.name, status)
                return True
            time.sleep(0.2)
        _log.error("replica %s did not answer /_stcore/health in %.0f s:\n%s", replica.name, timeout, _tail(replica.log))
        return False

    def _wait_replicas_ready(self, replicas: list[Replica]) -> None:
        if not replicas:
            return
        with ThreadPoolExecutor(max_workers=len(replicas)) as pool:
            list(pool.map(lambda r: self._wait_replica_ready(r, self.startup_timeout), replicas))

    def _start_haproxy(self) -> None:
        assert self.workdir is not None and self.log_dir is not None
        self.admin_socket = self.workdir / "admin.sock"
        self.config_path = self.workdir / "haproxy.cfg"
        servers = [ServerSpec(r.name, r.port, enabled=r.running) for r in self.replicas]
        self.config_path.write_text(
            render_config(
                servers,
                port=self.port,
                bind=self.bind,
                admin_socket=self.admin_socket,
                upstream_keepalive=self.upstream_keepalive,
                check_inter=self.check_inter,
            ),
            encoding="utf-8",
        )
        valid, output = check_config(self.config_path, self._haproxy_bin)
        if not valid:
            raise ClusterError(f"HAProxy rejects the generated config {self.config_path}:\n{output}")
        self.haproxy_log = self.log_dir / f"{self.config_path.parent.name}-haproxy.log"
        self._haproxy, self._haproxy_handle = _spawn(
            [self._haproxy_bin, "-db", "-f", str(self.config_path)], log=self.haproxy_log, env=dict(os.environ), cwd=self.workdir
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._haproxy.poll() is not None:
                raise ClusterError(f"HAProxy exited with {self._haproxy.returncode}:\n{_tail(self.haproxy_log)}")
            with contextlib.suppress(OSError):
                self.admin("show info")
                return
            time.sleep(0.1)
        raise ClusterError(f"HAProxy did not open its admin socket:\n{_tail(self.haproxy_log)}")

    def stop(self) -> None:
        """Stop HAProxy, then every replica (whole process groups); idempotent."""
        with self._lock:
            _terminate(self._haproxy, timeout=5)
            running = [r for r in self.replicas if r.process is not None]
            for replica in running:
                if replica.running:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(replica.process.pid, signal.SIGTERM)  # type: ignore[union-attr]
            for replica in running:
                replica.stopped_on_purpose = True
                _terminate(replica.process)
            for handle in [self._haproxy_handle, *(r._handle for r in self.replicas)]:
                if handle is not None:
                    with contextlib.suppress(OSError):
                        handle.close()
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)
            self._started = False

    # ----- replicas at run time ------------------------------------------------------------------

    def stop_replica(self, index: int) -> None:
        """Stop replica index (HAProxy sees it fail and sends its users to the others)."""
        replica = self.replicas[index]
        replica.stopped_on_purpose = True
        _terminate(replica.process)
        _log.info("replica %s stopped", replica.name)

    def start_replica(self, index: int, *, wait: bool = True) -> bool:
        """(Re)start replica index on its port after checking its content; False when the content is invalid."""
        replica = self.replicas[index]
        if replica.running:
            return True
        if self.check_knowledge:
            problems = knowledge_problems(self._data_dir(replica), root=self.root, env=self.env)
            if problems:
                self._skip(replica, problems)
                return False
        replica.skipped = None
        self._launch(replica)
        if self.admin_socket is not None:
            self.admin(f"set server {APP_BACKEND}/{replica.name} state ready")
        return self._wait_replica_ready(replica, self.startup_timeout) if wait else True

    def _check_haproxy(self) -> None:
        if self._haproxy is not None and self._haproxy.poll() is not None:
            raise ClusterError(f"HAProxy exited with {self._haproxy.returncode}:\n{_tail(self.haproxy_log) if self.haproxy_log else ''}")

    def supervise(self) -> None:
        """Restart replicas that died on their own (at most once per RESTART_BACKOFF s each); fail if HAProxy died."""
        self._check_haproxy()
        for replica in self.replicas:
            if replica.process is None or replica.running or replica.stopped_on_purpose:
                continue
            if time.monotonic() - replica.started_at < RESTART_BACKOFF:
                continue
            _log.warning("replica %s exited with %s; restarting it:\n%s", replica.name, replica.process.returncode, _tail(replica.log, 10))
            replica.restarts += 1
            if not self.start_replica(replica.index, wait=False):
                replica.started_at = time.monotonic()

    # ----- HAProxy's view --------------------------------------------------------------------------

    def admin(self, command: str, timeout: float = 5.0) -> str:
        """Send one command to HAProxy's admin socket and return its answer."""
        if self.admin_socket is None:
            raise ClusterError("HAProxy is not running")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.admin_socket))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def server_stats(self, backend: str = APP_BACKEND) -> dict[str, dict[str, str]]:
        """HAProxy's `show stat` row of each server of backend, by server name."""
        lines = [line for line in self.admin("show stat").splitlines() if line.strip()]
        if not lines or not lines[0].startswith("#"):
            raise ClusterError(f"unexpected answer to `show stat`: {lines[:2]}")
        header = lines[0].lstrip("# ").split(",")
        rows: dict[str, dict[str, str]] = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == backend and row.get("svname") not in ("FRONTEND", "BACKEND"):
                rows[row["svname"]] = row
        return rows

    def server_states(self, backend: str = APP_BACKEND) -> dict[str, str]:
        """Each server's status as HAProxy sees it ("UP", "DOWN", "MAINT", "UP 1/2", ...), by name."""
        return {name: row.get("status", "") for name, row in self.server_stats(backend).items()}

    def wait_for(self, predicate: Callable[[dict[str, str]], bool], timeout: float, what: str) -> dict[str, str]:
        """Poll server_states() until predicate holds; ClusterError naming `what` on timeout."""
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            self._check_haproxy()
            with contextlib.suppress(OSError):
                states = self.server_states()
                if predicate(states):
                    return states
            time.sleep(0.2)
        raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}; HAProxy says {states}")

    def warm_cache(self, workers: int = 4) -> int:
        """Fetch every hashed frontend file once through the proxy, so HAProxy's cache holds them all; the count."""
        static = streamlit_static_dir() / "static"
        paths = [f"/static/{p.relative_to(static).as_posix()}" for p in sorted(static.rglob("*")) if p.is_file()]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            statuses = list(pool.map(lambda path: _http_status(self.url + path, timeout=30), paths))
        done = sum(1 for s in statuses if s == 200)
        _log.info("HAProxy's cache holds %d of %d frontend files", done, len(paths))
        return done


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run the cluster in the foreground until Ctrl-C or SIGTERM, then stop everything."""
    parser = argparse.ArgumentParser(prog="python deploy/cluster.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: number of cores)")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port (default 8080)")
    parser.add_argument("--bind", default="127.0.0.1", help="the proxy's address (default 127.0.0.1; 0.0.0.0 for the hall's network)")
    parser.add_argument("--log-dir", type=Path, default=None, help="where replica and HAProxy logs go (default: a new temporary folder)")
    parser.add_argument("--check-interval", default="5s", help="HAProxy health-check interval (default 5s)")
    parser.add_argument("--no-warm", action="store_true", help="do not preload HAProxy's cache with the frontend files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        _log.info("got %s: stopping", signal.Signals(signum).name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    cluster = Cluster(args.replicas, args.port, bind=args.bind, log_dir=args.log_dir, check_inter=args.check_interval)
    try:
        cluster.start()
        if stop.is_set():
            return 0
        print(f"HipLens: {cluster.url}  ({len(cluster.replicas) - len(cluster.skipped)} replica(s); logs in {cluster.log_dir})", flush=True)
        if not args.no_warm:
            threading.Thread(target=cluster.warm_cache, name="warm-cache", daemon=True).start()
        while not stop.wait(1.0):
            cluster.supervise()
    except ClusterError as exc:
        _log.error("%s", exc)
        return 1
    finally:
        cluster.stop()
        _log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load test over Streamlit's own protocol: `python bench/load.py [--sizes 150 300] [--ramp 60] [--targets plain cluster]`.

Each simulated student is a real Streamlit session, driven the way the browser's frontend drives it:
GET the page, fetch the static files a cold visit fetches (those index.html names before the app
starts, then, with --assets browser, the chunks a real cold visit of the page loads on demand, as
recorded once in Debian's chromium), probe /PAGE/_stcore/health and host-config like the frontend
does, GET /_stcore/health and /_stcore/host-config, open the websocket /_stcore/stream with the
subprotocols ["streamlit", XSRF cookie] and the page's Origin, send a rerun_script BackMsg (page
name, query string, context), read ForwardMsgs until script_finished, then change the condition
explorer's selectbox --changes times (widget_states as the frontend sends them, with the cached
message hashes), --think seconds apart, and close. Cookies are kept per session like a browser (the
XSRF cookie, and HAProxy's sticky HIPLENS_SRV cookie); each session has its own 6 connections.

Phases, all in one run, each against a freshly started server:
  1. script cost: server CPU ms per script run of every HipLens page and of the minimal app's pages
     (bench/minimal_app, its own server started through the same serve.py launcher, running beside
     HipLens's), sessions one after another: CPU
     per new session (connect + first run) and per warm rerun, from /proc/PID/stat, with the event
     loop's share (the main thread's /proc/PID/task/PID/stat); then per warm rerun while --cost-hall
     sessions rerun the page at once, 10 times each; in --cost-rounds rounds that each measure every
     page of both apps in turn, so both meet the same background load; a page's figure is the median
     of its rounds (the script threads' share: the median total less the median loop share).
  2. memory: server RSS before and after --idle N sessions connected (each after its first run).
  3. load: for each target ((a) one plain `python serve.py`, (b) deploy/cluster.py's Cluster with
     --replicas behind HAProxy) and each size: that many sessions ramped evenly over --ramp seconds.
     Reports sessions, completed sessions and runs, errors, disconnects, p50/p95/max time to a
     finished script, p95 time to first content (static files + connect + first run), static fetch
     p95, server CPU ms per script run (every process of the target, static serving included),
     peak RSS, and the load generator's own CPU.

Bounded: a fixed number of sessions, each with a deadline (--session-timeout), so a phase ends within
--ramp + --session-timeout and the command stops by itself. Only 127.0.0.1 is contacted. Prints
Markdown tables and saves JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import shlex
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.common import (
    MINIMAL_SERVE,
    RESULTS,
    ROOT,
    Target,
    children_of,
    cmdline,
    cpu_seconds,
    fmt,
    hiplens_targets,
    markdown_table,
    median,
    minimal_targets,
    percentile,
    rss_bytes,
    save_json,
)

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) HipLensLoad/1.0 (like Chrome)"
CONNECTIONS_PER_SESSION = 6  # what a browser opens to one HTTP/1.1 host
XSRF_COOKIE = "_streamlit_xsrf"
STICKY_COOKIE = "HIPLENS_SRV"
REPLICA_HEADER = "X-HipLens-Replica"
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
ASSET_PATTERN = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)="\./([^"]+)"[^>]*>""", re.IGNORECASE)


# ----- what a session does -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """The page a session opens and the selectbox it changes."""

    page_name: str = "explorer"
    query: str = "condition=ifi"
    widget_key: str = "explorer_condition"  # the widget's key (its id ends with -KEY)
    changes: int = 3
    think: float = 5.0

    @property
    def path(self) -> str:
        """The page's path and query string."""
        return f"/{self.page_name}" + (f"?{self.query}" if self.query else "")


@dataclass
class Assets:
    """The static files one cold visit fetches: before the app starts (index) and while it renders (lazy)."""

    index: list[str]
    lazy: list[str] = field(default_factory=list)


@dataclass
class SessionResult:
    """What one simulated student saw."""

    ok: bool = False
    error: str | None = None
    disconnected: bool = False
    runs: list[float] = field(default_factory=list)  # seconds from rerun_script to script_finished
    queries: list[str] = field(default_factory=list)  # the page's query string after each run (the URL the browser shows)
    static_s: float | None = None  # document + index assets
    lazy_s: float | None = None  # on-demand chunks (fetched while the first run goes on)
    connect_s: float | None = None  # health and host-config probes + websocket handshake
    first_content_s: float | None = None  # start -> first run finished and its chunks fetched
    requests: int = 0
    request_s: list[float] = field(default_factory=list)
    bytes: int = 0
    replica: str | None = None  # X-HipLens-Replica of the page (behind the proxy)
    sticky: str | None = None  # HIPLENS_SRV cookie value (behind the proxy)
    started: float = 0.0
    ended: float = 0.0


class SessionError(Exception):
    """A session failed in a way that counts as an error."""


class Disconnected(SessionError):
    """The server (or proxy) closed the websocket before the session did."""


def parse_index_assets(html: str) -> list[str]:
    """The files index.html makes a browser fetch before the app starts (scripts, module preloads, styles, fonts, icon)."""
    out: list[str] = []
    for match in ASSET_PATTERN.finditer(html):
        tag, path = match.group(0), match.group(1)
        if path.startswith("_stcore/") or 'rel="service-desc"' in tag or 'rel="manifest"' in tag:
            continue
        if path not in out:
            out.append(path)
    return ["/" + p for p in out]


def record_browser_assets(base_url: str, scenario: Scenario, index: Sequence[str]) -> list[str]:
    """The static files a real cold visit of the page fetches on demand (beyond index.html's), recorded in Debian's chromium."""
    from playwright.sync_api import sync_playwright

    from bench.page_ready import INIT_SCRIPT, READY
    from tests.browser.server import CHROMIUM_ARGS, chromium_path

    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.add_init_script(INIT_SCRIPT)
            page.on("request", lambda r: seen.append(urlsplit(r.url).path))
            page.goto(base_url + scenario.path, wait_until="commit")
            page.wait_for_function(READY, polling="raf", timeout=120_000)
            page.wait_for_timeout(500)
            context.close()
        finally:
            browser.close()
    wanted = set(index)
    lazy: list[str] = []
    for path in seen:
        if path.startswith("/static/") and path not in wanted and path not in lazy:
            lazy.append(path)
    return lazy


class Session:
    """One browser-like Streamlit session against base_url."""

    def __init__(self, base_url: str, scenario: Scenario, assets: Assets, *, run_timeout: float = 120.0) -> None:
        """Describe the session; nothing is sent before the coroutines run."""
        self.base = base_url.rstrip("/")
        self.scenario = scenario
        self.assets = assets
        self.run_timeout = run_timeout
        self.result = SessionResult()
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.closing = False
        self.cached_hashes: list[str] = []
        self.script_hash = ""
        self.query = scenario.query
        self.toggles: dict[str, bool] = {}
        self.select_id: str | None = None
        self.select_options: list[str] = []
        self.select_value: str | None = None
        self.media: list[str] = []  # /media/ files the page asks for (its icon), fetched after the first run
        self.page_not_found = False  # a fresh server's first session may see it once (tolerated only while warming up)
        self.strict = True

    # HTTP

    async def open_http(self) -> None:
        """A fresh cookie jar and connection pool (a new browser profile)."""
        connector = aiohttp.TCPConnector(limit=CONNECTIONS_PER_SESSION, limit_per_host=CONNECTIONS_PER_SESSION, ttl_dns_cache=None)
        self.http = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies from 127.0.0.1, as a browser keeps them
            auto_decompress=False,  # count the bytes on the wire; a browser's inflating costs the server nothing
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", "Accept-Language": "en-US,en;q=0.9"},
            timeout=aiohttp.ClientTimeout(total=self.run_timeout, sock_connect=30),
        )

    async def get(self, path: str, *, expect: int | None = 200, accept: str = "*/*") -> aiohttp.ClientResponse:
        """GET path, reading (and discarding) the body; SessionError when the status is not `expect`."""
        assert self.http is not None
        start = time.perf_counter()
        try:
            async with self.http.get(self.base + path, headers={"Accept": accept}, allow_redirects=True) as resp:
                size = 0
                async for chunk in resp.content.iter_chunked(1 << 16):
                    size += len(chunk)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise SessionError(f"GET {_shape(path)}: {type(exc).__name__}") from exc
        self.result.request_s.append(time.perf_counter() - start)
        self.result.requests += 1
        self.result.bytes += size
        if expect is not None and resp.status != expect:
            raise SessionError(f"GET {_shape(path)}: HTTP {resp.status}")
        return resp

    async def fetch_all(self, paths: Sequence[str]) -> None:
        """GET every path over the session's connections (at most 6 at a time, like a browser)."""
        await asyncio.gather(*(self.get(p) for p in paths))

    # Websocket

    def xsrf_token(self) -> str:
        """The XSRF cookie's value (what the frontend passes as the second subprotocol)."""
        assert self.http is not None
        for cookie in self.http.cookie_jar:
            if cookie.key == XSRF_COOKIE:
                return cookie.value
        return "PLACEHOLDER_AUTH_TOKEN"

    def cookie(self, name: str) -> str | None:
        """A cookie's value, if the jar holds it."""
        assert self.http is not None
        return next((c.value for c in self.http.cookie_jar if c.key == name), None)

    async def connect(self) -> None:
        """The frontend's start: probe the base path, health + host-config, then the websocket."""
        assert self.http is not None
        page = f"/{self.scenario.page_name}" if self.scenario.page_name else ""
        if page:  # the frontend first looks for a server under the page's own path (404 on a root deployment)
            await asyncio.gather(self.get(f"{page}/_stcore/health", expect=None), self.get(f"{page}/_stcore/host-config", expect=None))
        await asyncio.gather(self.get("/_stcore/health"), self.get("/_stcore/host-config"))
        parts = urlsplit(self.base)
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/_stcore/stream"
        try:
            self.ws = await self.http.ws_connect(
                ws_url,
                protocols=("streamlit", self.xsrf_token()),
                origin=self.base,
                autoping=True,
                heartbeat=None,
                max_msg_size=0,
                compress=15,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=10),
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise SessionError(f"websocket handshake: {type(exc).__name__}: {exc}") from exc

    def rerun_msg(self, *, first: bool, widget_value: str | None = None) -> bytes:
        """The rerun_script BackMsg the frontend sends (first load, or a widget change / rerun)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.scenario.page_name
        if not first:
            state.page_script_hash = self.script_hash
            state.cached_message_hashes.extend(self.cached_hashes)
            for wid, value in self.toggles.items():
                w = state.widget_states.widgets.add()
                w.id = wid
                w.bool_value = value
            if self.select_id is not None:
                w = state.widget_states.widgets.add()
                w.id = self.select_id
                w.string_value = widget_value if widget_value is not None else (self.select_value or "")
        else:
            state.widget_states.SetInParent()
        info = state.context_info
        info.timezone = "UTC"
        info.timezone_offset = 0
        info.locale = "en-US"
        info.url = self.base + self.scenario.path
        info.is_embedded = False
        info.color_scheme = "light"
        return msg.SerializeToString()

    def note(self, fwd: ForwardMsg) -> None:
        """Remember what the frontend would: cached message hashes, the page's script hash, widgets, query string."""
        if fwd.metadata.cacheable and fwd.hash and fwd.hash not in self.cached_hashes:
            self.cached_hashes.append(fwd.hash)
        if fwd.metadata.active_script_hash:
            self.script_hash = fwd.metadata.active_script_hash
        kind = fwd.WhichOneof("type")
        if kind == "page_info_changed":
            self.query = fwd.page_info_changed.query_string
        elif kind == "page_config_changed":
            icon = fwd.page_config_changed.favicon
            if icon.startswith("/media/") and icon not in self.media:
                self.media.append(icon)
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                raise SessionError(f"exception on the page: {element.exception.type}")
            if which == "checkbox":
                box = element.checkbox
                self.toggles[box.id] = box.value if box.set_value else box.default
            elif which == "selectbox" and element.selectbox.id.endswith("-" + self.scenario.widget_key):
                box = element.selectbox
                self.select_id = box.id
                self.select_options = list(box.options)
                if box.set_value and box.raw_value:
                    self.select_value = box.raw_value
                elif box.HasField("default") and 0 <= box.default < len(box.options):
                    self.select_value = box.options[box.default]
        elif kind == "page_not_found":
            self.page_not_found = True
            if self.strict:
                raise SessionError("page not found")

    async def run(self, payload: bytes) -> float:
        """Send one rerun_script and read ForwardMsgs until its script_finished; the seconds it took."""
        assert self.ws is not None
        start = time.perf_counter()
        try:
            await self.ws.send_bytes(payload)
        except (ConnectionResetError, aiohttp.ClientError) as exc:
            raise Disconnected(f"send: {type(exc).__name__}") from exc
        deadline = start + self.run_timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SessionError(f"no script_finished within {self.run_timeout:.0f} s")
            try:
                message = await self.ws.receive(timeout=remaining)
            except TimeoutError as exc:
                raise SessionError(f"no script_finished within {self.run_timeout:.0f} s") from exc
            if message.type == aiohttp.WSMsgType.BINARY:
                fwd = ForwardMsg.FromString(message.data)
                self.note(fwd)
                if fwd.WhichOneof("type") == "script_finished":
                    status = fwd.script_finished
                    if status in FINISHED_OK:
                        return time.perf_counter() - start
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        raise SessionError("script finished with a compile error")
                    # FINISHED_EARLY_FOR_RERUN: the page called st.rerun(); the next run follows.
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                raise Disconnected(f"websocket closed by the server ({self.ws.close_code})")
            elif message.type == aiohttp.WSMsgType.ERROR:
                raise Disconnected(f"websocket error: {self.ws.exception()!r}")

    def next_choice(self) -> str:
        """The option after the current one (another condition)."""
        if not self.select_options:
            raise SessionError(f"no selectbox with key {self.scenario.widget_key} on the page")
        current = self.select_options.index(self.select_value) if self.select_value in self.select_options else -1
        return self.select_options[(current + 1) % len(self.select_options)]

    async def open_page(self) -> None:
        """Everything up to the first finished run: document, static files, connect, first run (+ on-demand chunks)."""
        result = self.result
        start = time.perf_counter()
        resp = await self.get(self.scenario.path, accept="text/html,application/xhtml+xml")
        result.replica = resp.headers.get(REPLICA_HEADER)
        await self.fetch_all(self.assets.index)
        result.static_s = time.perf_counter() - start
        connect_start = time.perf_counter()
        await self.connect()
        result.connect_s = time.perf_counter() - connect_start
        result.sticky = self.cookie(STICKY_COOKIE)

        async def lazy() -> None:
            if self.assets.lazy:
                lazy_start = time.perf_counter()
                await self.fetch_all(self.assets.lazy)
                result.lazy_s = time.perf_counter() - lazy_start

        first_run, _ = await asyncio.gather(self.run(self.rerun_msg(first=True)), lazy())
        result.runs.append(first_run)
        result.queries.append(self.query)
        await self.fetch_all(self.media)
        result.first_content_s = time.perf_counter() - start

    async def close(self) -> None:
        """Close the websocket (code 1000) and the HTTP connections."""
        self.closing = True
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 10)
        if self.http is not None:
            with contextlib.suppress(Exception):
                await self.http.close()

    async def student(self, deadline: float) -> SessionResult:
        """The whole visit: open the page, change the selectbox `changes` times with think time, close."""
        result = self.result
        result.started = time.perf_counter()
        try:
            async with asyncio.timeout(deadline):
                await self.open_http()
                await self.open_page()
                for _ in range(self.scenario.changes):
                    await asyncio.sleep(self.scenario.think)
                    choice = self.next_choice()
                    result.runs.append(await self.run(self.rerun_msg(first=False, widget_value=choice)))
                    result.queries.append(self.query)
                    self.select_value = choice
                result.ok = True
        except Disconnected as exc:
            result.disconnected, result.error = True, str(exc)
        except SessionError as exc:
            result.error = str(exc)
        except TimeoutError:
            result.error = f"session did not finish within {deadline:.0f} s"
        except Exception as exc:  # anything else is a bug in the client or a broken server: count it, keep going
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            await self.close()
            result.ended = time.perf_counter()
        return result


def _shape(path: str) -> str:
    """A path for error messages, with hashed file names folded (so errors group)."""
    return re.sub(r"\.[A-Za-z0-9_-]{8}\.(js|css|woff2|ttf)$", r".*.\1", path.split("?")[0])


# ----- servers and their processes -----------------------------------------------------------------


@dataclass
class Running:
    """A server under test: its URL, the processes whose CPU and memory count, and how to stop it."""

    name: str
    url: str
    pids: Callable[[], dict[str, int]]
    stop: Callable[[], None]


def start_plain(log_dir: Path, script: Path | None = None, extra: Sequence[str] = (), env: Mapping[str, str] | None = None) -> Running:
    """One `python serve.py` (or `streamlit run SCRIPT`), started like the browser tests start it, warmed by one script run."""
    from tests.browser.server import start_server

    server = start_server(script or ROOT / "serve.py", log_dir=log_dir, extra_args=extra, env=env)
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{server.url}/_stcore/script-health-check", timeout=120).read()
    name = "plain serve.py" if script is None else f"streamlit run {script.relative_to(ROOT)}"
    return Running(name, server.url, lambda: {"server": server.process.pid}, server.stop)


def start_cluster(replicas: int, log_dir: Path, extra: Sequence[str] = ()) -> Running:
    """deploy/cluster.py's Cluster: `replicas` Streamlit processes behind HAProxy, its cache warmed like the command does."""
    from deploy.cluster import Cluster

    cluster = Cluster(replicas=replicas, log_dir=log_dir, streamlit_args=list(extra))
    cluster.start()
    try:
        cluster.warm_cache()
    except BaseException:
        cluster.stop()
        raise

    def pids() -> dict[str, int]:
        out = {r.name: r.process.pid for r in cluster.replicas if r.process is not None and r.running}
        for pid in children_of(os.getpid()):
            if "haproxy" in cmdline(pid).split(" ")[0]:
                out["haproxy"] = pid
        return out

    return Running(f"HAProxy + {replicas} replicas", cluster.url, pids, cluster.stop)


def cpu_of(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process."""
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def rss_of(pids: dict[str, int]) -> dict[str, int]:
    """RSS bytes of each named process."""
    return {name: rss_bytes(pid) for name, pid in pids.items()}


def streamlit_only(values: dict[str, float] | dict[str, int]) -> float:
    """The sum over Streamlit processes (not HAProxy)."""
    return sum(v for k, v in values.items() if k != "haproxy")


@contextlib.contextmanager
def generator_cpu() -> Iterator[dict[str, float]]:
    """The load generator's own CPU seconds and wall seconds over the block."""
    out: dict[str, float] = {}
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    yield out
    after = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out["wall_s"] = time.perf_counter() - start


# ----- phases ----------------------------------------------------------------------------------------


def fetch_index_assets(base_url: str) -> list[str]:
    """Parse the served index.html for the files it makes a browser fetch."""
    with urllib.request.urlopen(base_url + "/", timeout=60) as resp:
        return parse_index_assets(resp.read().decode("utf-8", errors="replace"))


async def script_cost(running: Running, target: Target, *, sessions: int, reruns: int, hall: int = 0, hall_reruns: int = 10) -> dict:
    """Server CPU per new session (connect + first run) and per warm rerun of one page, sessions one at a time.

    With hall > 0, also per warm rerun while `hall` sessions of the page rerun at once, each as fast as
    its runs finish, `hall_reruns` times (a lecture hall's regime: the event loop sends several sessions'
    messages per wake-up).
    """
    scenario = Scenario(page_name=target.page_name, query=target.query, widget_key="-", changes=0, think=0)
    empty = Assets(index=[])
    pids = running.pids()
    first_times: list[float] = []
    # Warm the page (first run in this process imports and caches), not counted.
    warm = Session(running.url, scenario, empty)
    warm.strict = False  # a fresh `streamlit run` answers the very first deep link with page_not_found
    await warm.open_http()
    await warm.connect()
    await warm.run(warm.rerun_msg(first=True))
    await warm.close()
    before = cpu_of(pids)
    for _ in range(sessions):
        s = Session(running.url, scenario, empty)
        await s.open_http()
        await s.connect()
        first_times.append(await s.run(s.rerun_msg(first=True)))
        await s.close()
    await asyncio.sleep(0.2)  # let the server finish closing the sessions
    middle = cpu_of(pids)
    s = Session(running.url, scenario, empty)
    await s.open_http()
    await s.connect()
    await s.run(s.rerun_msg(first=True))
    main = pids.get("server")  # one plain process: its main thread is the event loop
    mid2 = cpu_of(pids)
    loop_before = cpu_seconds(main, main) if main else 0.0
    rerun_times = [await s.run(s.rerun_msg(first=False)) for _ in range(reruns)]
    after = cpu_of(pids)
    loop_after = cpu_seconds(main, main) if main else 0.0
    await s.close()
    out = {
        "page": target.label,
        # Three decimals, not one: /proc counts 10 ms ticks, so 30 reruns give multiples of 1/3 ms, and a
        # ratio of figures rounded to 0.1 ms first can read 1.51x where the ticks say 1.50x.
        "new_session_cpu_ms": round(1000 * streamlit_only({k: middle[k] - before[k] for k in pids}) / sessions, 3),
        "rerun_cpu_ms": round(1000 * streamlit_only({k: after[k] - mid2[k] for k in pids}) / reruns, 3),
        "first_run_ms_median": round(1000 * median(first_times), 1),
        "rerun_ms_median": round(1000 * median(rerun_times), 1),
        "sessions": sessions,
        "reruns": reruns,
    }
    if main:
        # Of which the event loop (the main thread: receiving, sending); the rest is the other threads, the script's.
        out["rerun_loop_cpu_ms"] = round(1000 * (loop_after - loop_before) / reruns, 3)
    if hall:
        out["hall_rerun_cpu_ms"] = await hall_cost(running, scenario, sessions=hall, reruns=hall_reruns)
        out["hall_sessions"] = hall
        out["hall_reruns_each"] = hall_reruns
    return out


async def hall_cost(running: Running, scenario: Scenario, *, sessions: int, reruns: int) -> float:
    """Server CPU ms per warm rerun while `sessions` sessions rerun the page at once, `reruns` times each."""
    pids = running.pids()
    opened: list[Session] = []
    each = max(1, reruns)

    async def rerun(s: Session) -> None:
        for _ in range(each):
            await s.run(s.rerun_msg(first=False))

    try:
        for _ in range(sessions):
            s = Session(running.url, scenario, Assets(index=[]))
            opened.append(s)
            await s.open_http()
            await s.connect()
            await s.run(s.rerun_msg(first=True))
        before = cpu_of(pids)
        tasks = [asyncio.create_task(rerun(s)) for s in opened]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()  # one session's error stops the others before their sessions close
        after = cpu_of(pids)
    finally:
        for s in opened:
            await s.close()
    return round(1000 * streamlit_only({k: after[k] - before[k] for k in pids}) / (each * sessions), 3)


@dataclass(frozen=True)
class RunShape:
    """What one warm rerun of a page sends.

    messages: every ForwardMsg; elements: the deltas among them plus the references to elements the
    browser has cached (ref_hash, sent in place of a large element); widgets: the elements whose proto
    carries a generated widget id (inputs, and keyed charts and tables), cached ones not included.
    """

    messages: int
    elements: int
    widgets: int
    kinds: dict[str, int]


def run_shape_of(messages: Sequence[ForwardMsg]) -> RunShape:
    """Count a script run's ForwardMsgs by kind (a delta by its element's kind)."""
    from streamlit.elements.lib.utils import GENERATED_ELEMENT_ID_PREFIX

    kinds: dict[str, int] = {}
    elements = widgets = 0
    for fwd in messages:
        kind = fwd.WhichOneof("type") or "?"
        if kind == "ref_hash":
            elements += 1
        elif kind == "delta":
            elements += 1
            delta = fwd.delta
            kind = delta.WhichOneof("type") or "?"
            if kind == "new_element":
                kind = delta.new_element.WhichOneof("type") or "?"
                proto = getattr(delta.new_element, kind, None)
                if str(getattr(proto, "id", "")).startswith(GENERATED_ELEMENT_ID_PREFIX):
                    widgets += 1
        kinds[kind] = kinds.get(kind, 0) + 1
    return RunShape(len(messages), elements, widgets, dict(sorted(kinds.items())))


async def warm_run_shape(url: str, target: Target) -> RunShape:
    """Open one page like a browser, run it once, rerun it with the same widget values: what the rerun sent.

    Raises SessionError if either run draws an exception or the rerun lands on "page not found".
    """
    seen: list[ForwardMsg] = []

    class Recording(Session):
        def note(self, fwd: ForwardMsg) -> None:
            seen.append(fwd)
            super().note(fwd)

    scenario = Scenario(page_name=target.page_name, query=target.query, widget_key="-", changes=0, think=0)
    session = Recording(url, scenario, Assets(index=[]))
    session.strict = False  # a fresh `streamlit run` answers the very first deep link with page_not_found
    await session.open_http()
    await session.connect()
    try:
        await session.run(session.rerun_msg(first=True))
        session.strict = True
        seen.clear()
        await session.run(session.rerun_msg(first=False))
    finally:
        await session.close()
    return run_shape_of(seen)


def interleaved_costs(
    servers: Sequence[tuple[Running, Sequence[Target]]],
    *,
    rounds: int,
    sessions: int,
    reruns: int,
    log: Callable[[str], None],
    hall: int = 0,
) -> list[dict]:
    """script_cost of every target, in `rounds` rounds that each visit every page of every server in turn.

    The servers run side by side and each round measures every page once, so a HipLens page and the
    minimal app's pages meet the same background load (these machines are shared): a burst of other
    work lands on one round of every page, not on every run of one page. A page's figure is the median
    of its rounds; each round is kept in the JSON.
    """
    per_page: dict[str, list[dict]] = {}
    for index in range(rounds):
        for running, targets in servers:
            for target in targets:
                one = asyncio.run(script_cost(running, target, sessions=sessions, reruns=reruns, hall=hall))
                per_page.setdefault(one["page"], []).append(one)
                log(f"  round {index + 1}/{rounds}: {one}")
    return merge_rounds(per_page)


def merge_rounds(per_page: Mapping[str, Sequence[dict]]) -> list[dict]:
    """One entry per page: the median of its rounds' figures, their totals, and every round's CPU figures."""
    out = []
    for page, runs in per_page.items():
        merged: dict = {"page": page}
        keys = ["new_session_cpu_ms", "rerun_cpu_ms", "first_run_ms_median", "rerun_ms_median"]
        keys += ["rerun_loop_cpu_ms"] if all("rerun_loop_cpu_ms" in r for r in runs) else []
        hall = all("hall_rerun_cpu_ms" in r for r in runs)
        for key in keys + (["hall_rerun_cpu_ms"] if hall else []):
            merged[key] = round(median([r[key] for r in runs]), 3)
        merged["sessions"] = sum(r["sessions"] for r in runs)
        merged["reruns"] = sum(r["reruns"] for r in runs)
        cpu = ["new_session_cpu_ms", "rerun_cpu_ms"]
        if hall:
            merged["hall_sessions"] = runs[0]["hall_sessions"]
            merged["hall_reruns_each"] = runs[0].get("hall_reruns_each")
            cpu.append("hall_rerun_cpu_ms")
        if "rerun_loop_cpu_ms" in merged:
            cpu.append("rerun_loop_cpu_ms")
        merged["rounds"] = {key: [r[key] for r in runs] for key in cpu}
        out.append(merged)
    return out


async def idle_memory(running: Running, scenario: Scenario, count: int, settle: float = 3.0) -> dict:
    """Server RSS before, with `count` idle sessions connected (each after its first run), and after they close."""
    pids = running.pids()
    await asyncio.sleep(settle)
    before = rss_of(pids)
    sessions = [Session(running.url, scenario, Assets(index=[])) for _ in range(count)]
    opened = 0
    sem = asyncio.Semaphore(4)

    async def open_one(s: Session) -> None:
        nonlocal opened
        async with sem:
            await s.open_http()
            await s.connect()
            await s.run(s.rerun_msg(first=True))
            opened += 1

    errors = [r for r in await asyncio.gather(*(open_one(s) for s in sessions), return_exceptions=True) if r is not None]
    await asyncio.sleep(settle)
    held = rss_of(pids)
    for s in sessions:
        await s.close()
    await asyncio.sleep(settle * 2)
    after = rss_of(pids)
    extra = streamlit_only(held) - streamlit_only(before)
    return {
        "sessions": count,
        "opened": opened,
        "errors": [str(e) for e in errors[:5]],
        "rss_before_mb": round(streamlit_only(before) / 2**20, 1),
        "rss_with_sessions_mb": round(streamlit_only(held) / 2**20, 1),
        "rss_after_close_mb": round(streamlit_only(after) / 2**20, 1),
        "rss_per_session_kb": round(extra / max(opened, 1) / 1024, 1),
        "haproxy_rss_mb": round(held.get("haproxy", 0) / 2**20, 1) if "haproxy" in held else None,
    }


async def load(running: Running, scenario: Scenario, assets: Assets, *, sessions: int, ramp: float, session_timeout: float) -> dict:
    """`sessions` students ramped evenly over `ramp` seconds; the summary of what they saw and what the server spent."""
    pids = running.pids()
    cpu_before = cpu_of(pids)
    peak_rss: dict[str, int] = dict.fromkeys(pids, 0)
    active = 0
    peak_active = 0
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            for name, value in rss_of(pids).items():
                peak_rss[name] = max(peak_rss[name], value)
            await asyncio.sleep(1.0)

    async def one(index: int) -> SessionResult:
        nonlocal active, peak_active
        await asyncio.sleep(index * ramp / sessions)
        active += 1
        peak_active = max(peak_active, active)
        try:
            return await Session(running.url, scenario, assets).student(session_timeout)
        finally:
            active -= 1

    with generator_cpu() as gen:
        sampler = asyncio.create_task(sample())
        start = time.perf_counter()
        results = await asyncio.gather(*(one(i) for i in range(sessions)))
        wall = time.perf_counter() - start
        done.set()
        await sampler
    cpu_after = cpu_of(pids)
    return summarize(running, results, cpu_before, cpu_after, peak_rss, gen, wall, peak_active, sessions, ramp)


def summarize(
    running: Running,
    results: Sequence[SessionResult],
    cpu_before: dict[str, float],
    cpu_after: dict[str, float],
    peak_rss: dict[str, int],
    gen: dict[str, float],
    wall: float,
    peak_active: int,
    sessions: int,
    ramp: float,
) -> dict:
    """The numbers of one load phase."""
    runs = [t for r in results for t in r.runs]
    completed = [r for r in results if r.ok]
    errors = Counter(r.error for r in results if r.error and not r.disconnected)
    disconnects = Counter(r.error for r in results if r.disconnected)
    cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
    server_cpu = sum(cpu.values())
    first_content = [r.first_content_s for r in results if r.first_content_s is not None]
    static = [r.static_s for r in results if r.static_s is not None]
    lazy = [r.lazy_s for r in results if r.lazy_s is not None]
    requests = [t for r in results for t in r.request_s]
    replicas = Counter(r.replica for r in results if r.replica)
    return {
        "target": running.name,
        "sessions": sessions,
        "ramp_s": ramp,
        "wall_s": round(wall, 1),
        "completed_sessions": len(completed),
        "runs": len(runs),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(8)),
        "disconnects": sum(disconnects.values()),
        "disconnect_kinds": dict(disconnects.most_common(8)),
        "peak_concurrent_sessions": peak_active,
        "run_p50_ms": round(1000 * percentile(runs, 50), 0),
        "run_p95_ms": round(1000 * percentile(runs, 95), 0),
        "run_max_ms": round(1000 * max(runs), 0) if runs else None,
        "first_content_p50_ms": round(1000 * percentile(first_content, 50), 0),
        "first_content_p95_ms": round(1000 * percentile(first_content, 95), 0),
        "static_p95_ms": round(1000 * percentile(static, 95), 0),
        "lazy_static_p95_ms": round(1000 * percentile(lazy, 95), 0) if lazy else None,
        "request_p95_ms": round(1000 * percentile(requests, 95), 0),
        "requests": len(requests),
        "mb_received": round(sum(r.bytes for r in results) / 2**20, 1),
        "server_cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "server_cpu_ms_per_run": round(1000 * server_cpu / max(len(runs), 1), 1),
        "server_cpu_share_of_2_cores": round(server_cpu / wall / (os.cpu_count() or 1), 2),
        "peak_rss_mb": {k: round(v / 2**20, 1) for k, v in peak_rss.items()},
        "generator_cpu_s": round(gen["cpu_s"], 1),
        "generator_cpu_share_of_a_core": round(gen["cpu_s"] / gen["wall_s"], 2),
        "sessions_per_replica": dict(replicas),
        "sticky_cookie_matches_replica": sum(1 for r in results if r.replica and r.sticky == r.replica),
    }


def run_load(
    url: str,
    *,
    sessions: int,
    ramp: float,
    scenario: Scenario | None = None,
    assets: Assets | None = None,
    session_timeout: float = 300.0,
    pids: Callable[[], dict[str, int]] | None = None,
) -> tuple[dict, list[SessionResult]]:
    """Run one load phase against a server that is already up (tests use this); the summary and each session's result."""
    scenario = scenario or Scenario()
    assets = assets or Assets(index=fetch_index_assets(url))
    running = Running(url, url, pids or dict, lambda: None)
    captured: list[SessionResult] = []

    async def go() -> dict:
        async def one(index: int) -> SessionResult:
            await asyncio.sleep(index * ramp / sessions)
            result = await Session(url, scenario, assets).student(session_timeout)
            captured.append(result)
            return result

        with generator_cpu() as gen:
            start = time.perf_counter()
            results = await asyncio.gather(*(one(i) for i in range(sessions)))
            wall = time.perf_counter() - start
        return summarize(running, results, {}, {}, {}, gen, wall, 0, sessions, ramp)

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(go()), captured
    # Called from a thread that runs an event loop (e.g. pytest after Playwright's sync API): use a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result(), captured


# ----- the command ---------------------------------------------------------------------------------------


def load_rows(loads: Sequence[dict]) -> str:
    """The load table."""
    header = [
        "target",
        "sessions",
        "completed",
        "runs",
        "errors",
        "disconnects",
        "run p50 / p95 / max ms",
        "first content p95 ms",
        "static p95 ms",
        "server CPU ms/run",
        "server CPU (share of 2 cores)",
        "peak RSS MB",
        "generator CPU (share of a core)",
    ]
    rows = []
    for r in loads:
        rows.append(
            [
                r["target"],
                str(r["sessions"]),
                str(r["completed_sessions"]),
                str(r["runs"]),
                str(r["errors"]),
                str(r["disconnects"]),
                f"{fmt(r['run_p50_ms'])} / {fmt(r['run_p95_ms'])} / {fmt(r['run_max_ms'] or float('nan'))}",
                fmt(r["first_content_p95_ms"]),
                fmt(r["static_p95_ms"]),
                fmt(r["server_cpu_ms_per_run"]),
                f"{sum(r['server_cpu_s'].values()):.0f} s ({r['server_cpu_share_of_2_cores']:.0%})",
                " + ".join(f"{v:.0f}" for v in r["peak_rss_mb"].values()),
                f"{r['generator_cpu_s']:.0f} s ({r['generator_cpu_share_of_a_core']:.0%})",
            ]
        )
    return markdown_table(header, rows)


def cost_rows(costs: Sequence[dict]) -> str:
    """The per-page script cost table, with ratios to the minimal app's chart page and its text page."""
    chart = next((c for c in costs if c["page"] == "minimal:/chart"), None)
    text = next((c for c in costs if c["page"] == "minimal:/"), None)

    def ratio(c: dict, ref: dict | None, key: str) -> str:
        return f"{fmt(c[key] / ref[key], 2)}x" if ref and ref[key] else "n/a"

    def split(c: dict) -> str:
        loop = c.get("rerun_loop_cpu_ms")
        return "n/a" if loop is None else f"{fmt(loop, 1)} / {fmt(c['rerun_cpu_ms'] - loop, 1)}"

    header = [
        "page",
        "CPU ms per new session (connect + first run)",
        "new / minimal chart",
        "CPU ms per warm rerun",
        "of which event loop / script threads ms",
        "rerun / minimal chart",
        "rerun / minimal text",
    ]
    hall = bool(costs) and all("hall_rerun_cpu_ms" in c for c in costs)
    if hall:
        n = costs[0]["hall_sessions"]
        header += [f"CPU ms per rerun, {n} sessions at once", "at once / minimal chart", "at once / minimal text"]
    rows = []
    for c in costs:
        row = [
            c["page"],
            fmt(c["new_session_cpu_ms"], 1),
            ratio(c, chart, "new_session_cpu_ms"),
            fmt(c["rerun_cpu_ms"], 1),
            split(c),
            ratio(c, chart, "rerun_cpu_ms"),
            ratio(c, text, "rerun_cpu_ms"),
        ]
        if hall:
            row += [fmt(c["hall_rerun_cpu_ms"], 1), ratio(c, chart, "hall_rerun_cpu_ms"), ratio(c, text, "hall_rerun_cpu_ms")]
        rows.append(row)
    return markdown_table(header, rows)


def memory_rows(memory: Sequence[dict]) -> str:
    """The idle-session memory table."""
    header = ["target", "idle sessions", "RSS before MB", "RSS with sessions MB", "RSS after close MB", "RSS per extra session KB"]
    rows = [
        [
            m["target"],
            str(m["opened"]),
            fmt(m["rss_before_mb"], 1),
            fmt(m["rss_with_sessions_mb"], 1),
            fmt(m["rss_after_close_mb"], 1),
            fmt(m["rss_per_session_kb"]),
        ]
        for m in memory
    ]
    return markdown_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the phases, print the tables, save the JSON."""
    parser = argparse.ArgumentParser(prog="python bench/load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 300], help="sessions per load phase (default 150 300)")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which a phase's sessions start (default 60)")
    parser.add_argument(
        "--targets",
        nargs="*",
        choices=["plain", "cluster"],
        default=["plain", "cluster"],
        help="servers under load (none: skip the load phase)",
    )
    parser.add_argument("--replicas", type=int, default=2, help="replicas behind HAProxy for the cluster target (default 2)")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between widget changes (default 5)")
    parser.add_argument("--changes", type=int, default=3, help="widget changes per session (default 3)")
    parser.add_argument(
        "--assets",
        choices=["browser", "index"],
        default="browser",
        help="static files per visit: index.html's plus the chunks a recorded chromium visit loads (browser), or index.html's only",
    )
    parser.add_argument("--idle", type=int, default=100, help="idle sessions for the memory phase (0: skip; default 100)")
    parser.add_argument(
        "--cost-sessions", type=int, default=15, help="new sessions per page in the script-cost phase, all rounds (0: skip; default 15)"
    )
    parser.add_argument(
        "--cost-reruns", type=int, default=150, help="warm reruns per page in the script-cost phase, over all rounds (default 150)"
    )
    parser.add_argument(
        "--cost-rounds",
        type=int,
        default=5,
        help="rounds of the script-cost phase; each measures every page of HipLens and of the minimal app once (default 5)",
    )
    parser.add_argument(
        "--cost-hall",
        type=int,
        default=10,
        help="sessions that rerun a page at once in the script-cost phase's second measure (0: skip; default 10)",
    )
    parser.add_argument("--session-timeout", type=float, default=300.0, help="seconds one session may take in all (default 300)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json", help="JSON results file")
    parser.add_argument(
        "--server-args", default="", help='extra Streamlit options for every server, e.g. "--runner.postScriptGC false" (an A/B comparison)'
    )
    args = parser.parse_args(argv)
    extra = shlex.split(args.server_args)

    os.chdir(ROOT)
    logs = Path(tempfile.mkdtemp(prefix="hiplens-load-"))
    scenario = Scenario(changes=args.changes, think=args.think)
    started = time.time()
    payload: dict = {
        "command": "python bench/load.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average_at_start": os.getloadavg()},
        "server_args": extra,
        "scenario": asdict(scenario),
        "logs": str(logs),
    }

    # Static files, the script cost of every page (next to the minimal app's), and memory per idle session.
    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    plain = start_plain(logs / "plain", extra=extra)
    try:
        index = fetch_index_assets(plain.url)
        lazy = record_browser_assets(plain.url, scenario, index) if args.assets == "browser" and args.targets else []
        assets = Assets(index=index, lazy=lazy)
        payload["assets"] = {"mode": args.assets, "index": len(index), "lazy": len(lazy), "lazy_files": lazy}
        log(f"a cold visit of {scenario.path}: {len(index)} files from index.html + {len(lazy)} on demand")
        costs = []
        if args.cost_sessions:
            minimal = start_plain(logs / "minimal", MINIMAL_SERVE, extra)
            try:
                costs = interleaved_costs(
                    [(plain, hiplens_targets()), (minimal, minimal_targets())],
                    rounds=args.cost_rounds,
                    sessions=max(1, args.cost_sessions // args.cost_rounds),
                    reruns=max(1, args.cost_reruns // args.cost_rounds),
                    log=log,
                    hall=args.cost_hall,
                )
            finally:
                minimal.stop()
        memory = []
        if args.idle:
            memory.append({"target": plain.name, **asyncio.run(idle_memory(plain, scenario, args.idle))})
            log(f"  memory {memory[-1]}")
    finally:
        plain.stop()
    payload["script_cost"] = costs

    loads = []
    for name in args.targets:
        for size in args.sizes:
            if name == "plain":
                running = start_plain(logs / f"plain-{size}", extra=extra)
            else:
                running = start_cluster(args.replicas, logs / f"cluster-{size}", extra)
            try:
                if name == "cluster" and args.idle and size == args.sizes[0]:
                    memory.append({"target": running.name, **asyncio.run(idle_memory(running, scenario, args.idle))})
                    print(f"  memory {memory[-1]}", file=sys.stderr, flush=True)
                print(f"load: {running.name}, {size} sessions over {args.ramp:.0f} s ...", file=sys.stderr, flush=True)
                summary = asyncio.run(load(running, scenario, assets, sessions=size, ramp=args.ramp, session_timeout=args.session_timeout))
            finally:
                running.stop()
            loads.append(summary)
            print(f"  {json.dumps(summary)}", file=sys.stderr, flush=True)
    payload["memory"] = memory
    payload["load"] = loads
    payload["seconds"] = round(time.time() - started, 1)

    tables = {"load": load_rows(loads), "script_cost": cost_rows(costs) if costs else "", "memory": memory_rows(memory) if memory else ""}
    payload["tables"] = tables
    print("\n## Load\n\n" + tables["load"])
    if costs:
        print("\n## Server CPU per script run, by page (sessions one at a time, then several at once)\n\n" + tables["script_cost"])
    if memory:
        print("\n## Memory per idle session\n\n" + tables["memory"])
    save_json(args.out, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())

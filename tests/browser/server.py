"""Start and stop a real `streamlit run` of the app for browser tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """Debian's chromium (required: the tests never download a browser)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is not installed: run the README's test command, which installs it")
    return path


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running streamlit server."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        """Base URL of the server."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Terminate, then kill if needed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(
    script: Path | str = ROOT / "serve.py",
    *,
    log_dir: Path,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
    cwd: Path = ROOT,
    timeout: float = 60,
) -> Server:
    """Start the app (serve.py, the README's command; or `streamlit run SCRIPT`) on a free port; wait for health."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"streamlit-{port}.log"
    plain = [sys.executable, "-m", "streamlit", "run", str(script)]
    launcher = [sys.executable, str(script)] if Path(script).name == "serve.py" else plain
    options = {
        "server.headless": "true",
        "server.port": str(port),
        "server.address": "127.0.0.1",
        "browser.gatherUsageStats": "false",
        "server.fileWatcherType": "none",
        "global.developmentMode": "false",
    }
    cmd = [*launcher, *(arg for key, value in options.items() for arg in (f"--{key}", value)), *extra_args]
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    handle = log.open("wb")
    proc = subprocess.Popen(cmd, cwd=str(cwd), stdout=handle, stderr=subprocess.STDOUT, env=full_env)
    server = Server(proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text(errors='replace')}")


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until the script run has finished and no loading skeleton is left."""
    page.wait_for_timeout(250)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", state="attached", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    page.wait_for_timeout(150)

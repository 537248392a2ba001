"""Browser fixtures: one app server per session, Debian's Chromium, console-error capture."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.browser.server import CHROMIUM_ARGS, ROOT, Server, chromium_path, start_server

ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BASE_PATH_PROBE = re.compile(r"^https?://[^/]+/[^_][^?]*/_stcore/(health|host-config)$")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the browser marker."""
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_server() -> Iterator[Server]:
    """The app, served once for the browser tests."""
    server = start_server(log_dir=ARTIFACTS / "logs")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class ConsoleLog:
    """Console errors and page errors seen by a page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if BASE_PATH_PROBE.search(url) and "404" in msg.text:
            # Streamlit's frontend looks for its server under the page's own path first
            # (/compare/_stcore/health, /compare/_stcore/host-config) before trying the root.
            return
        self.errors.append(f"console: {msg.text} ({url})")


@pytest.fixture
def desktop(browser: Browser) -> Iterator[tuple[Page, ConsoleLog]]:
    """A fresh desktop-sized page and its console log."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        yield page, log
    finally:
        context.close()


def shot(page: Page, name: str, *, full_page: bool = True, max_height: int = 7000) -> Path:
    """Save a screenshot under artifacts/screenshots; full_page grows the window to the app's height."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    if full_page and size:
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]');"
            " return m ? m.scrollHeight : document.documentElement.scrollHeight; }"
        )
        page.set_viewport_size({"width": size["width"], "height": min(max(int(height), size["height"]), max_height)})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=False)
    if full_page and size:
        page.set_viewport_size(size)
    return path

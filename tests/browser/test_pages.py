"""Every page in a real Chromium: loads with no exception or console error, on desktop and phone."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, ConsoleLog, shot
from tests.browser.server import Server, wait_for_app

PAGES = {
    "overview": "",
    "explorer": "explorer?condition=ifi",
    "compare": "compare",
    "charts": "charts",
    "differential": "differential?yes=buttock_pain&yes=worse_sitting&no=low_back_pain&sex=female&age=45",
    "tests": "tests?conditions=dgs",
    "sources": "sources",
}
HEADINGS = {
    "overview": "The hip and buttock",
    "explorer": "Condition explorer",
    "compare": "Compare conditions",
    "charts": "Charts",
    "differential": "Differential builder",
    "tests": "Special tests",
    "sources": "Sources and data",
}


def open_page(page: Page, server: Server, path: str) -> None:
    """Go to a path of the app and wait for the script to finish."""
    page.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page)


def assert_healthy(page: Page, log: ConsoleLog) -> None:
    """No exception element and no console error."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not log.errors, log.errors


@pytest.mark.parametrize("viewport_name", ["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads(browser: Browser, app_server: Server, name: str, viewport_name: str) -> None:
    viewport = DESKTOP if viewport_name == "desktop" else PHONE
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        open_page(page, app_server, PAGES[name])
        expect(page.get_by_role("heading", name=re.compile(HEADINGS[name])).first).to_be_visible()
        expect(page.get_by_text("for education, not diagnosis").first).to_be_attached()
        if page.get_by_test_id("stPlotlyChart").count():
            expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible(timeout=20_000)
        assert_healthy(page, log)
        if viewport_name == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"page scrolls sideways by {overflow}px on a phone"
        shot(page, f"{name}-{viewport_name}")
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility(desktop: tuple[Page, ConsoleLog], app_server: Server, name: str) -> None:
    page, _ = desktop
    open_page(page, app_server, PAGES[name])
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"] if v["nodes"] else None) for v in serious]
    assert not serious, summary


def test_compare_default_shows_three_conditions(desktop: tuple[Page, ConsoleLog], app_server: Server) -> None:
    page, log = desktop
    open_page(page, app_server, "compare")
    table = page.locator("[data-testid='stMarkdownContainer'] table").first
    expect(table).to_be_visible()
    header = table.locator("thead").inner_text()
    for name in ("Ischiofemoral impingement", "Deep gluteal syndrome", "Lumbar"):
        assert name in header, header
    assert_healthy(page, log)


def test_compare_deep_link(desktop: tuple[Page, ConsoleLog], app_server: Server) -> None:
    page, log = desktop
    open_page(page, app_server, "compare?conditions=fai&conditions=hip_oa")
    header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
    assert "Femoroacetabular impingement" in header and "osteoarthritis" in header.lower(), header
    assert "Ischiofemoral" not in header
    assert_healthy(page, log)


def test_changing_conditions_updates_url_and_back_restores(desktop: tuple[Page, ConsoleLog], app_server: Server) -> None:
    page, log = desktop
    open_page(page, app_server, "compare?conditions=fai&conditions=hip_oa")
    page.get_by_test_id("stButtonGroup").first.get_by_role("button", name="Labral tear").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"conditions=labral_tear"))
    header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
    assert "labral" in header.lower()
    page.go_back()
    wait_for_app(page)
    expect(page).not_to_have_url(re.compile(r"labral_tear"))
    header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
    assert "labral" not in header.lower(), header
    assert "Femoroacetabular impingement" in header
    assert_healthy(page, log)


def test_bad_link_shows_notice(desktop: tuple[Page, ConsoleLog], app_server: Server) -> None:
    page, log = desktop
    open_page(page, app_server, "compare?conditions=fai&conditions=%3Cscript%3E&conditions=nope")
    expect(page.get_by_test_id("stAlert").filter(has_text="could not be used").first).to_be_visible()
    header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
    assert "Ischiofemoral" in header  # one valid condition is not a comparison: default view
    assert_healthy(page, log)

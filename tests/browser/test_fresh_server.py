"""A deep link as the very first request of a freshly started server runs the full app, not a bare page."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, DESKTOP, ConsoleLog, shot
from tests.browser.server import start_server, wait_for_app


def test_deep_link_first_request_of_fresh_server(browser: Browser) -> None:
    server = start_server(log_dir=ARTIFACTS / "logs")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        page.goto(f"{server.url}/compare?conditions=fai&conditions=hip_oa", wait_until="domcontentloaded")
        wait_for_app(page)
        expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Overview")).to_be_attached()
        header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
        assert "Femoroacetabular impingement" in header
        assert "Ischiofemoral" not in header
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert not log.errors, log.errors
        shot(page, "compare-fresh-server-deep-link")
    finally:
        context.close()
        server.stop()

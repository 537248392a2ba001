"""Failover through the proxy: when the replica serving a page stops, the page reconnects to another one."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page, expect

from deploy.cluster import COOKIE_NAME, Cluster
from tests.browser.conftest import ARTIFACTS, DESKTOP, ConsoleLog, shot
from tests.browser.server import wait_for_app

DEEP_LINK = "/compare?conditions=fai&conditions=hip_oa"
APP = "[data-testid='stApp']"
# Records every connection state the app goes through (a reconnection can be over before Python looks).
WATCH_STATES = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__hiplensStates = [];
  new MutationObserver(() => window.__hiplensStates.push(app.getAttribute("data-test-connection-state")))
    .observe(app, {attributes: true, attributeFilter: ["data-test-connection-state"]});
}"""


def sticky_replica(context: BrowserContext, url: str) -> str:
    """The replica the browser's HIPLENS_SRV cookie points to."""
    values = [c["value"] for c in context.cookies(url) if c["name"] == COOKIE_NAME]
    assert len(values) == 1, context.cookies(url)
    return values[0]


def assert_comparison(page: Page) -> None:
    """The deep link's view: the two chosen conditions side by side, and no exception."""
    header = page.locator("[data-testid='stMarkdownContainer'] table thead").first.inner_text()
    assert "Femoroacetabular" in header and "osteoarthritis" in header.lower(), header
    assert "Ischiofemoral" not in header, header
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_page_reconnects_to_the_other_replica(browser: Browser) -> None:
    with Cluster(replicas=2, log_dir=ARTIFACTS / "logs" / "cluster") as cluster:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        ConsoleLog(page)  # the dropped websocket logs errors by design; the page itself must recover
        try:
            page.goto(cluster.url + DEEP_LINK, wait_until="domcontentloaded")
            wait_for_app(page)
            assert_comparison(page)
            first = sticky_replica(context, cluster.url)

            page.evaluate(WATCH_STATES)
            cluster.stop_replica(cluster.index_of(first))
            page.wait_for_function("() => window.__hiplensStates.some((s) => s !== 'CONNECTED')", timeout=15_000)
            page.wait_for_selector(f"{APP}[data-test-connection-state='CONNECTED']", state="attached", timeout=15_000)
            wait_for_app(page, timeout=15_000)

            assert sticky_replica(context, cluster.url) != first
            assert page.url.endswith(DEEP_LINK), page.url
            assert_comparison(page)
            expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Overview")).to_be_attached()
            shot(page, "compare-after-failover")
        finally:
            context.close()

"""The handout opens in Debian's chromium with every network request blocked, draws, prints, and runs no injected code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route

from components.charts import Chart
from components.compare import build_comparison
from components.handout import handout_html
from components.knowledge.loader import KnowledgeBase
from tests.browser.conftest import ARTIFACTS, ConsoleLog
from tests.unit.test_handout import CONDITIONS, GENERATED, IMG, JS_LINK, SCRIPT, VIEW_URL, injected_kb, make_charts

MODES = {"images": True, "plotly": False}
HOVER_EVERY_TRACE = """() => {
  const shown = [];
  for (const gd of document.querySelectorAll('.plotly-chart')) {
    gd.data.forEach((trace, i) => {
      const point = trace.type === 'heatmap' ? [1, 0] : 0;
      try { Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: point}]); } catch (e) { return; }
      const label = gd.querySelector('.hoverlayer');
      if (label && label.textContent) shown.push(label.textContent);
    });
  }
  return shown;
}"""


class Offline:
    """A page whose every request is aborted except the handout file itself; records what was asked for."""

    def __init__(self, page: Page, allowed: str) -> None:
        self.page = page
        self.allowed = allowed
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.console = ConsoleLog(page)
        page.on("request", self._on_request)
        page.on("dialog", self._on_dialog)
        page.route("**/*", self._route)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_dialog(self, dialog: object) -> None:
        self.dialogs.append(getattr(dialog, "message", "?"))
        dialog.dismiss()  # type: ignore[attr-defined]

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url == self.allowed or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def fetched(self) -> list[str]:
        """Requests other than the file itself and inline data."""
        return [u for u in self.requests if u != self.allowed and not u.startswith("data:")]


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[Page]:
    """A fresh A4-ish page with JavaScript enabled (the plotly handout needs it)."""
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    try:
        yield context.new_page()
    finally:
        context.close()


def write(tmp_path: Path, name: str, html: str) -> tuple[Path, str]:
    """Save a handout and return its path and file URL."""
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path, path.resolve().as_uri()


def open_offline(page: Page, url: str, charts: int, mode: str) -> Offline:
    """Open a handout with the network blocked and wait until its charts are shown."""
    watch = Offline(page, url)
    page.goto(url, wait_until="load")
    if mode == "plotly":
        page.wait_for_function(f"document.querySelectorAll('[data-drawn=true]').length === {charts}", timeout=30_000)
    else:
        page.wait_for_function(
            f"Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length === {charts}", timeout=30_000
        )
    page.wait_for_timeout(200)
    return watch


@pytest.mark.parametrize("mode", list(MODES))
def test_handout_opens_offline_draws_and_prints(offline_page: Page, kb: KnowledgeBase, tmp_path: Path, mode: str) -> None:
    charts: list[Chart] = make_charts(kb)
    comparison = build_comparison(kb, CONDITIONS)
    html = handout_html(kb, comparison, charts, view_url=VIEW_URL, generated=GENERATED, browser=MODES[mode])
    assert f'data-chart-mode="{mode}"' in html
    _, url = write(tmp_path, f"handout-{mode}.html", html)
    watch = open_offline(offline_page, url, len(charts), mode)
    assert watch.fetched() == [], watch.fetched()
    assert watch.blocked == []
    assert watch.console.errors == []
    assert watch.dialogs == []
    page = offline_page
    assert page.locator("table.comparison thead th").count() == len(CONDITIONS) + 1
    assert page.locator("table.comparison tbody tr").count() == len(comparison.rows)
    assert page.locator("figure.chart").count() == len(charts)
    if mode == "plotly":
        assert page.locator(".plotly-chart svg.main-svg").count() >= len(charts)
    assert page.locator(".references li").count() == len(comparison.citations)
    assert page.get_by_text("HipLens is for education, not diagnosis.").first.is_visible()
    # the header row repeats when printed; rows and figures are not split across pages
    assert page.evaluate("getComputedStyle(document.querySelector('table.comparison thead')).display") == "table-header-group"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"handout-{mode}.png"), full_page=False)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 2
    (ARTIFACTS / f"handout-{mode}.pdf").write_bytes(pdf)
    assert watch.fetched() == [] and watch.console.errors == []


@pytest.mark.parametrize("mode", list(MODES))
def test_injected_markup_is_shown_not_run(offline_page: Page, data_copy: Path, tmp_path: Path, mode: str) -> None:
    kb = injected_kb(data_copy)
    charts = make_charts(kb)
    html = handout_html(kb, build_comparison(kb, CONDITIONS), charts, view_url=JS_LINK, generated=GENERATED, browser=MODES[mode])
    _, url = write(tmp_path, f"injected-{mode}.html", html)
    watch = open_offline(offline_page, url, len(charts), mode)
    page = offline_page
    if mode == "plotly":  # show a hover label of every trace: hover labels hold the injected names too
        shown = page.evaluate(HOVER_EVERY_TRACE)
        assert any(SCRIPT in text for text in shown), shown
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.fetched() == [], watch.fetched()
    assert watch.console.errors == []
    header = page.locator("table.comparison thead th").all_inner_texts()
    assert SCRIPT in header  # the condition's name shown as text
    body = page.locator("body").inner_text()
    assert IMG in body and JS_LINK in body
    assert page.evaluate("document.querySelectorAll('img[src=x], [onerror], script[src]').length") == 0
    assert page.evaluate("Array.from(document.links).filter(a => a.protocol === 'javascript:').length") == 0


def test_the_watch_sees_requests_dialogs_and_errors(offline_page: Page, tmp_path: Path) -> None:
    """The checks above would catch a handout that fetches something or runs a script (loopback only, and aborted)."""
    leaky = (
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="http://127.0.0.1:9/a.css"></head>'
        '<body><img src="http://127.0.0.1:9/x.png"><script>alert(1)</script></body></html>'
    )
    _, url = write(tmp_path, "leaky.html", leaky)
    watch = Offline(offline_page, url)
    offline_page.goto(url, wait_until="load")
    offline_page.wait_for_timeout(300)
    assert url in watch.requests  # the file itself goes through the route
    assert sorted(watch.fetched()) == ["http://127.0.0.1:9/a.css", "http://127.0.0.1:9/x.png"]
    assert sorted(watch.blocked) == sorted(watch.fetched())
    assert watch.dialogs == ["1"]
    assert watch.console.errors  # the blocked loads are reported

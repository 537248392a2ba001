"""From the comparison page: the handout and the slides download, open offline and hold what was shown."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.browser.conftest import ARTIFACTS, DESKTOP, ConsoleLog
from tests.browser.server import Server, wait_for_app
from tests.browser.test_handout_offline import open_offline

VIEW = "compare?conditions=ifi&conditions=dgs&conditions=lumbar_sciatica"
NAMES = ("Ischiofemoral impingement", "Deep gluteal syndrome", "Lumbar disc herniation")
CHARTS = 5


def open_download_menu(page: Page) -> None:
    """Open the page's Download menu (its buttons are drawn once it is open)."""
    page.get_by_role("button", name="Download", exact=True).click()
    expect(page.locator('[data-testid="stPopoverBody"] [data-testid="stDownloadButton"]').first).to_be_visible(timeout=60_000)


def download(browser: Browser, server: Server, label: str, *, view: str = VIEW) -> Path:
    """Click a download button on a page (the comparison by default) and return the saved file."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        page.goto(f"{server.url}/{view}")
        wait_for_app(page)
        open_download_menu(page)
        with page.expect_download(timeout=180_000) as info:
            page.get_by_role("button", name=label).click()
        target = ARTIFACTS / "downloads" / info.value.suggested_filename
        target.parent.mkdir(parents=True, exist_ok=True)
        info.value.save_as(target)
        assert not log.errors, log.errors
        return target
    finally:
        context.close()


def test_html_handout_downloads_and_opens_with_the_network_off(browser: Browser, app_server: Server) -> None:
    path = download(browser, app_server, "Handout (HTML, printable)")
    html = path.read_text(encoding="utf-8")
    mode = "images" if 'data-chart-mode="images"' in html else "plotly"
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    try:
        watch = open_offline(page, path.resolve().as_uri(), CHARTS, mode)
        assert watch.fetched() == [] and watch.console.errors == [] and watch.dialogs == []
        header = page.locator("table.comparison thead").inner_text()
        for name in NAMES:
            assert name in header, header
        assert page.locator("figure.chart").count() == CHARTS
        assert page.locator(".references li").count() > 10
        assert "doi.org/" in html
        assert page.get_by_text("HipLens is for education, not diagnosis.").first.is_visible()
        assert "/compare?conditions=ifi" in html
    finally:
        context.close()


def test_pptx_downloads_with_table_chart_images_and_references(browser: Browser, app_server: Server) -> None:
    path = download(browser, app_server, "Slides (PowerPoint)")
    deck = Presentation(io.BytesIO(path.read_bytes()))
    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    tables = [s for s in shapes if s.has_table]
    assert tables
    first_row = " ".join(cell.text for cell in tables[0].table.rows[0].cells)
    for name in ("IFI", "DGS", "Lumbar"):
        assert name in first_row or any(n in first_row for n in NAMES), first_row
    pictures = [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == CHARTS
    text = " ".join(s.text_frame.text for s in shapes if s.has_text_frame)
    assert "References" in text and "doi" in text.lower()

"""From the differential page: the CSV, the handout and the slides download and hold the case."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Browser
from pptx import Presentation

from tests.browser.server import Server
from tests.browser.test_handout_download import download

CASE = "differential?yes=buttock_pain&yes=worse_sitting&yes=positive_fair_or_piriformis_test&no=low_back_pain&sex=female&age=45"


def test_differential_downloads(browser: Browser, app_server: Server) -> None:
    rows = list(csv.reader(io.StringIO(download(browser, app_server, "Differential (CSV)", view=CASE).read_text(encoding="utf-8"))))
    text = " ".join(cell for row in rows for cell in row)
    assert "Deep gluteal syndrome" in text and "Buttock pain" in text
    html = download(browser, app_server, "Handout (HTML, printable)", view=CASE).read_text(encoding="utf-8")
    for words in ("Buttock pain", "Low back pain", "HipLens is for education, not diagnosis.", "independent"):
        assert words in html, words
    deck = Presentation(io.BytesIO(download(browser, app_server, "Slides (PowerPoint)", view=CASE).read_bytes()))
    assert any(shape.has_table for slide in deck.slides for shape in slide.shapes)

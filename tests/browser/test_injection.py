"""Content injection: a knowledge base whose texts carry scripts, event handlers, javascript: links and
Markdown that tries to render HTML. Nothing runs; the text shows as text; CSV cells cannot run formulas."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Dialog, expect

from tests.browser.conftest import ARTIFACTS, DESKTOP, ConsoleLog, shot
from tests.browser.server import ROOT, Server, start_server, wait_for_app
from tests.browser.test_handout_download import open_download_menu

SCRIPT = "<script>alert('name')</script>"
IMG = "<img src=x onerror=alert('img')>"
JS_LINK = "[click me](javascript:alert('link'))"
MD_HTML = "**<b onmouseover=alert('b')>bold</b>** <iframe src=javascript:alert('f')></iframe>"
FORMULA = '=HYPERLINK("http://evil.example","x")'


def _poison(folder: Path) -> None:
    path = folder / "conditions" / "ifi.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["name"] = f"IFI {SCRIPT}"
    data["summary"] = f"Summary {IMG}. Second {JS_LINK}."
    data["sections"]["definition"][0]["text"] = f"Definition {MD_HTML}"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    fv = folder / "feature_values.csv"
    rows = list(csv.DictReader(fv.open(newline="", encoding="utf-8")))
    for row in rows:
        if row["condition"] == "ifi" and row["feature"] == "pain_location":
            row["text"] = FORMULA
        if row["condition"] == "dgs" and row["feature"] == "radiation":
            row["text"] = f"{SCRIPT} {JS_LINK}"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fv.write_text(buf.getvalue(), encoding="utf-8")
    refs = folder / "references.yaml"
    data = yaml.safe_load(refs.read_text(encoding="utf-8"))
    for ref in data:
        if ref["id"] == "singer_nd_ifi_meta":
            ref["title"] = f"Meta-analysis {SCRIPT} {IMG}"
    refs.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app serving a poisoned copy of the knowledge base."""
    folder = tmp_path_factory.mktemp("poisoned") / "data"
    shutil.copytree(ROOT / "data", folder)
    _poison(folder)
    server = start_server(log_dir=ARTIFACTS / "logs", env={"HIPLENS_DATA_DIR": str(folder)})
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    "path",
    [
        "explorer?condition=ifi",
        "compare",
        "compare?conditions=ifi&conditions=dgs&lecture=true",
        "charts",
        "sources",
        "differential?yes=buttock_pain",
        "",
    ],
)
def test_injected_content_never_runs_and_shows_as_text(browser: Browser, poisoned_server: Server, path: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log = ConsoleLog(page)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(f"{poisoned_server.url}/{path}")
        wait_for_app(page)
        page.mouse.move(300, 300)
        page.wait_for_timeout(500)
        assert not dialogs, dialogs
        expect(page.get_by_test_id("stException")).to_have_count(0)
        html = page.content()
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert", "")
        assert 'href="javascript:' not in html.lower()
        if path.startswith("explorer"):
            expect(page.get_by_text(SCRIPT, exact=False).first).to_be_visible()
            expect(page.get_by_text("onerror=alert", exact=False).first).to_be_attached()
        assert not [e for e in log.errors if "alert" in e], log.errors
        shot(page, f"injection-{path.split('?')[0] or 'overview'}", full_page=False)
    finally:
        context.close()


def test_csv_download_neutralises_formulas(browser: Browser, poisoned_server: Server) -> None:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{poisoned_server.url}/compare")
        wait_for_app(page)
        open_download_menu(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="Table (CSV)").click()
        text = Path(info.value.path()).read_text(encoding="utf-8")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert any(cell.startswith("'=HYPERLINK") for cell in cells), [c for c in cells if "HYPERLINK" in c]
        assert not any(cell.startswith("=") for cell in cells)
    finally:
        context.close()

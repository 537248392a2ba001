"""The differential handout opens in Debian's chromium with every request blocked, shows the whole case, prints, runs no injected code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from components.differential_handout import INDEPENDENCE_STATEMENT
from components.handout import EDUCATION_NOTICE
from components.knowledge.loader import KnowledgeBase
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_handout_offline import HOVER_EVERY_TRACE, MODES, open_offline, write
from tests.unit.test_differential_handout import FINDINGS, inject_differential_markup, make_case
from tests.unit.test_handout import IMG, JS_LINK, SCRIPT


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh A4-ish page with JavaScript enabled (the plotly handout needs it)."""
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("mode", list(MODES))
def test_differential_handout_opens_offline_shows_everything_and_prints(page: Page, kb: KnowledgeBase, tmp_path: Path, mode: str) -> None:
    case = make_case(kb)
    html = case.html(browser=MODES[mode])
    assert f'data-chart-mode="{mode}"' in html
    _, url = write(tmp_path, f"differential-{mode}.html", html)
    watch = open_offline(page, url, 1, mode)
    assert watch.fetched() == [], watch.fetched()
    assert watch.blocked == []
    assert watch.console.errors == []
    assert watch.dialogs == []
    # every finding entered, with its state
    shown = {t.strip() for t in page.locator(".case li.finding").all_inner_texts()}
    expected = {kb.findings[f].label + (" red flag" if kb.findings[f].red_flag else "") for f in FINDINGS}
    assert {re.sub(r"\s+", " ", t) for t in shown} == expected
    assert page.locator('.case li.finding[data-state="absent"]').count() == sum(not p for p in FINDINGS.values())
    for label in ("female", "45 years", "Primary care: buttock and/or leg pain"):
        assert page.locator(".case dl.facts").get_by_text(label, exact=False).first.is_visible()
    # the red flags, the chart (image or drawn), the table, reasons, suggestions
    for item in kb.findings["red_flag_fever_infection_risk"].rule_out:
        assert page.locator(".red-flags").get_by_text(item.name).first.is_visible()
    assert page.locator("figure.chart").count() == 1
    if mode == "plotly":
        assert page.locator(".plotly-chart svg.main-svg").count() >= 1
        assert page.locator(".plotly-chart .bars .point").count() == 8
    else:
        assert page.evaluate("document.images[0].naturalWidth") > 300
    rows = page.locator("table.probabilities tbody tr")
    assert rows.count() == 8
    assert rows.first.locator("th").inner_text().startswith(kb.conditions[case.ranked[0].condition].name)
    assert page.locator(".reasons .reason").count() == 4
    assert page.locator(".next-tests li").count() == len(case.suggestions)
    # the sources, the statement and the notice
    n_refs = html.count('<li id="ref-')
    assert n_refs > 20 and page.locator(".references li").count() == n_refs
    assert page.locator(".references a[href^='https://doi.org/']").count() >= 10
    assert page.get_by_text(INDEPENDENCE_STATEMENT).is_visible()
    assert page.get_by_text(EDUCATION_NOTICE).first.is_visible()
    # a citation marker leads to its reference
    page.locator(".red-flags a.cite").first.click()
    assert page.evaluate("location.hash") == "#ref-1"
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"differential-handout-{mode}.png"), full_page=False)
    assert page.evaluate("getComputedStyle(document.querySelector('table.probabilities thead')).display") == "table-header-group"
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2
    (ARTIFACTS / f"differential-handout-{mode}.pdf").write_bytes(pdf)
    assert watch.fetched() == [] and watch.console.errors == [] and watch.dialogs == []


@pytest.mark.parametrize("mode", list(MODES))
def test_injected_markup_is_shown_not_run(page: Page, data_copy: Path, tmp_path: Path, mode: str) -> None:
    kb = inject_differential_markup(data_copy)
    case = make_case(kb)
    assert case.ranked[0].condition == "dgs"  # the condition whose names hold markup leads, so its hover label is shown
    html = case.html(browser=MODES[mode], view_url=JS_LINK)
    _, url = write(tmp_path, f"differential-injected-{mode}.html", html)
    watch = open_offline(page, url, 1, mode)
    if mode == "plotly":  # hover labels hold the injected names too
        shown = page.evaluate(HOVER_EVERY_TRACE)
        assert any(SCRIPT in text for text in shown), shown
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.fetched() == [], watch.fetched()
    assert watch.console.errors == []
    assert SCRIPT in page.locator("table.probabilities tbody tr").first.inner_text()  # DGS's name, as text
    assert SCRIPT in page.locator(".red-flags").inner_text()  # a rule-out's name
    findings = page.locator(".case li.finding").all_inner_texts()
    assert any(IMG in t and JS_LINK in t for t in findings)  # a finding's label
    body = page.locator("body").inner_text()
    assert IMG in body and JS_LINK in body
    assert page.evaluate("document.querySelectorAll('img[src=x], [onerror], script[src]').length") == 0
    assert page.evaluate("Array.from(document.links).filter(a => a.protocol === 'javascript:').length") == 0

"""Lecture mode in a real browser: readable from the back of the hall, step-by-step, kept across pages."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleLog, shot
from tests.browser.server import Server, wait_for_app

HALL = {"width": 1280, "height": 720}


def lecture_page(browser: Browser) -> tuple[Page, ConsoleLog]:
    """A fresh page at projector size."""
    page = browser.new_context(viewport=HALL).new_page()
    return page, ConsoleLog(page)


def rows_shown(page: Page) -> int:
    """Number of body rows in the comparison table."""
    return page.locator("[data-testid='stMarkdownContainer'] table tbody tr").count()


def font_px(page: Page, selector: str) -> list[float]:
    """Computed font sizes (px) of the visible elements matching selector."""
    return page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => parseFloat(getComputedStyle(e).fontSize))",
    )


def test_prepared_link_opens_in_lecture_mode_at_step_two(browser: Browser, app_server: Server) -> None:
    page, log = lecture_page(browser)
    page.goto(f"{app_server.url}/compare?conditions=ifi&conditions=dgs&conditions=lumbar_sciatica&lecture=true&step=2")
    wait_for_app(page)
    expect(page.get_by_role("button", name="Leave lecture mode")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_text("Step 2 of")).to_be_visible()
    assert rows_shown(page) == 2
    body = font_px(page, "[data-testid='stMarkdownContainer'] p")
    cells = font_px(page, "[data-testid='stMarkdownContainer'] td, [data-testid='stMarkdownContainer'] th")
    headings = font_px(page, "h1")
    assert body and min(body) >= 22, body
    assert cells and min(cells) >= 22, cells
    assert headings and min(headings) > max(body), (headings, body)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not log.errors, log.errors
    shot(page, "lecture-compare-step2", full_page=False)


def test_clicker_keys_move_the_step(browser: Browser, app_server: Server) -> None:
    page, log = lecture_page(browser)
    page.goto(f"{app_server.url}/compare?lecture=true&step=2")
    wait_for_app(page)
    page.get_by_role("heading", name="Compare conditions").click()
    page.keyboard.press("PageDown")
    wait_for_app(page)
    expect(page.get_by_text("Step 3 of")).to_be_visible()
    assert rows_shown(page) == 3
    expect(page).to_have_url(re.compile(r"step=3"))
    for expected in (2, 1):
        page.keyboard.press("PageUp")
        wait_for_app(page)
        expect(page.get_by_text(f"Step {expected} of")).to_be_visible()
    assert rows_shown(page) == 1
    assert not log.errors, log.errors


def test_lecture_mode_survives_moving_to_another_page_and_can_be_left(browser: Browser, app_server: Server) -> None:
    page, log = lecture_page(browser)
    page.goto(f"{app_server.url}/compare?lecture=true")
    wait_for_app(page)
    page.get_by_role("button", name="Pages").click()
    page.get_by_role("link", name="Charts").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/charts\?.*lecture=true"))
    expect(page.get_by_role("button", name="Leave lecture mode")).to_be_visible()
    assert min(font_px(page, "[data-testid='stMarkdownContainer'] p")) >= 22
    page.get_by_role("button", name="Leave lecture mode").click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Leave lecture mode")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"lecture=true"))
    assert not log.errors, log.errors


def test_every_page_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    from tests.browser.test_pages import PAGES

    page, log = lecture_page(browser)
    for name, path in PAGES.items():
        joiner = "&" if "?" in path else "?"
        page.goto(f"{app_server.url}/{path}{joiner}lecture=true")
        wait_for_app(page)
        expect(page.get_by_role("button", name="Leave lecture mode")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        sizes = font_px(page, "[data-testid='stMarkdownContainer'] p")
        assert sizes and min(sizes) >= 22, (name, min(sizes))
        shot(page, f"lecture-{name}", full_page=False)
    assert not log.errors, log.errors


def test_key_numbers_stay_large_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    """Metric values (sensitivity, LR+, the explorer's key figures) are the numbers a hall must read: larger than body text."""
    page, log = lecture_page(browser)
    for path, key in (("tests?test=ifi_long_stride_walking", "tests_metrics"), ("explorer?condition=ifi", "explorer_metrics")):
        page.goto(f"{app_server.url}/{path}&lecture=true")
        wait_for_app(page)
        sizes = font_px(page, f".st-key-{key} [data-testid='stMetricValue'] p")
        assert sizes and min(sizes) >= 40, (path, sizes)
    assert not log.errors, log.errors


def test_views_drawn_in_one_mode_are_not_replayed_in_the_other(browser: Browser, app_server: Server) -> None:
    """The explorer's body is drawn once per view and mode, then replayed: its links carry lecture mode only in lecture mode."""
    hrefs = {}
    for mode, query in (("lecture", "&lecture=true"), ("normal", ""), ("lecture again", "&lecture=true")):
        page, log = lecture_page(browser)
        page.goto(f"{app_server.url}/explorer?condition=ifi{query}")
        wait_for_app(page)
        links = page.locator("[data-testid='stMarkdownContainer'] a[href*='glossary?term=']")
        expect(links.first).to_be_attached()
        hrefs[mode] = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert not log.errors, log.errors
        page.context.close()
    assert hrefs["lecture"] and all("lecture=true" in h for h in hrefs["lecture"]), hrefs["lecture"]
    assert hrefs["normal"] and not any("lecture" in h for h in hrefs["normal"]), hrefs["normal"]
    assert hrefs["lecture again"] == hrefs["lecture"]


def test_special_tests_table_is_projector_sized_text_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    """The canvas grid cannot be restyled, so lecture mode sets the tests table as text, in body-sized type, and back."""
    page, log = lecture_page(browser)
    page.goto(f"{app_server.url}/tests?conditions=ifi&test=ifi_long_stride_walking&lecture=true")
    wait_for_app(page)
    table = page.locator("[data-testid='stMarkdownContainer'] table").filter(has_text="Long-stride walking test")
    expect(table).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(3)  # the three IFI rows
    sizes = font_px(page, "[data-testid='stMarkdownContainer'] table td")
    assert sizes and min(sizes) >= 24, sizes
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(0)  # this test's only row of its family: no other grid
    shot(page, "lecture-tests-table", full_page=False)
    page.get_by_role("button", name="Leave lecture mode").click()
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1)
    expect(page.locator("[data-testid='stMarkdownContainer'] table")).to_have_count(0)
    # A test studied more than once: its family table below the detail is text too, in lecture mode only.
    page.goto(f"{app_server.url}/tests?conditions=labral_tear&test=labral_faddir_mra&lecture=true")
    wait_for_app(page)
    expect(page.locator("[data-testid='stMarkdownContainer'] table")).to_have_count(2)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(0)
    family = page.locator("[data-testid='stMarkdownContainer'] table").nth(1)
    expect(family.locator("tbody tr")).to_have_count(5)  # FADIR/FADDIR and impingement rows in FAI and labral-tear studies
    assert min(font_px(page, "[data-testid='stMarkdownContainer'] table td")) >= 24
    page.goto(f"{app_server.url}/tests?conditions=labral_tear&test=labral_faddir_mra")
    wait_for_app(page)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(2)
    assert not log.errors, log.errors


def test_sources_of_one_condition_are_a_projector_sized_list_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    """One condition's references fit as text in lecture mode; all of them stay a grid, with a hint to narrow them."""
    page, log = lecture_page(browser)
    page.goto(f"{app_server.url}/sources?conditions=ifi&lecture=true")
    wait_for_app(page)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(0)
    items = page.locator("[data-testid='stMarkdownContainer'] li").filter(has_text="Ischiofemoral")
    assert items.count() >= 10, items.count()
    assert min(font_px(page, "[data-testid='stMarkdownContainer'] li")) >= 24
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ references\.$"))
    expect(caption).to_have_count(1)
    shown, total = (int(x) for x in re.findall(r"\d+", caption.inner_text()))
    assert page.locator("[data-testid='stMarkdownContainer'] li").count() == shown < total
    page.goto(f"{app_server.url}/sources?lecture=true")
    wait_for_app(page)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1)
    expect(page.get_by_text(re.compile("Choose conditions above to list at most 50"))).to_have_count(1)
    assert not log.errors, log.errors


def test_case_step_table_is_projector_sized_text_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    """After a pick, how the differential moved is a text table in lecture mode (the grid outside it)."""
    page, log = lecture_page(browser)
    for lecture in (True, False):
        page.goto(f"{app_server.url}/cases?case=case_02" + ("&lecture=true" if lecture else ""))
        wait_for_app(page)
        pills = page.locator(".st-key-cases_pick_case_02_0")
        pills.get_by_role("radio", name="Deep gluteal syndrome", exact=True).click()
        wait_for_app(page)
        expect(page.locator(".st-key-cases_diff_0_chart .main-svg").first).to_be_visible(timeout=20_000)
        table = page.locator("[data-testid='stMarkdownContainer'] table").filter(has_text="Change (points)")
        if lecture:
            expect(table).to_have_count(1)
            expect(table.locator("tbody tr")).to_have_count(8)  # every condition
            assert min(font_px(page, "[data-testid='stMarkdownContainer'] table td")) >= 24
            expect(page.locator("[data-testid='stDataFrame']")).to_have_count(0)
        else:
            expect(table).to_have_count(0)
            expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1)
    assert not log.errors, log.errors


def test_differential_shows_its_case_in_lecture_mode(browser: Browser, app_server: Server) -> None:
    """A linked case's inputs are folded: one line (in projector-sized type in lecture mode) says what the ranking
    rests on; opening "The case" shows the inputs holding the link's values, and the line goes."""
    page, log = lecture_page(browser)
    case = "differential?yes=buttock_pain&yes=worse_sitting&no=low_back_pain&sex=female&age=45"
    for lecture in (True, False):
        page.goto(f"{app_server.url}/{case}" + ("&lecture=true" if lecture else ""))
        wait_for_app(page)
        line = page.locator("[data-testid='stMarkdownContainer'] p").filter(has_text="The case:")
        expect(line).to_have_count(1)
        expect(line).to_contain_text("female, 45 years")
        expect(line).to_contain_text("Buttock pain")
        assert "Low back pain" in line.inner_text().split("absent:")[1]
        expect(page.locator("[data-testid='stMultiSelect']")).to_have_count(0)
        if lecture:
            assert min(font_px(page, "[data-testid='stMarkdownContainer'] p:has-text('The case:')")) >= 22
    page.locator("[data-testid='stExpander'] summary").filter(has_text="The case").click()
    present = page.locator("[data-testid='stMultiSelect']").filter(has_text="Findings present")
    expect(present).to_contain_text("Buttock pain")
    expect(present).to_contain_text("Worse with sitting")
    expect(page.locator("[data-testid='stNumberInput'] input")).to_have_value("45")
    expect(line).to_have_count(0)
    # Revealing step by step: at step 1 the line holds the first finding only, not the ones still to come.
    page.goto(f"{app_server.url}/{case}&step=1&lecture=true")
    wait_for_app(page)
    line = page.locator("[data-testid='stMarkdownContainer'] p").filter(has_text="The case:")
    expect(line).to_contain_text("Buttock pain")
    expect(line).to_contain_text("still to come: 2 findings")
    assert "Worse with sitting" not in line.inner_text() and "Low back pain" not in line.inner_text()
    assert not log.errors, log.errors

"""Practice pages in a real Chromium: a whole case walked through, a quiz answered, flashcards flipped, the glossary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, ConsoleLog, shot
from tests.browser.server import Server, wait_for_app

CASE = "case_02"
WRONG_THEN_RIGHT = (
    "Deep gluteal syndrome",
    "Lumbar disc herniation with radiculopathy (sciatica)",
    "Lumbar disc herniation with radiculopathy (sciatica)",
)
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def open_path(page: Page, server: Server, path: str) -> None:
    """Go to a path of the app and wait for the script run to finish."""
    page.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page)


def assert_healthy(page: Page, log: ConsoleLog) -> None:
    """No exception element, no console error, and no sideways scrolling."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not log.errors, log.errors
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px"


def click(page: Page, locator) -> None:  # type: ignore[no-untyped-def]
    """Click and wait for the rerun to finish."""
    locator.scroll_into_view_if_needed()
    locator.click()
    wait_for_app(page)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_case_walkthrough(browser: Browser, app_server: Server, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        open_path(page, app_server, f"cases?case={CASE}")
        expect(page.get_by_role("heading", name="Teaching cases")).to_be_visible()
        for step, pick in enumerate(WRONG_THEN_RIGHT):
            pills = page.locator(f".st-key-cases_pick_{CASE}_{step}")
            expect(pills).to_be_visible()
            expect(page.get_by_text("Final diagnosis")).to_have_count(0)
            click(page, pills.get_by_role("radio", name=pick, exact=True))
            expect(page.locator(f".st-key-cases_diff_{step}_chart .main-svg").first).to_be_visible(timeout=20_000)
            expect(page).to_have_url(re.compile(rf"case={CASE}"))
            if step == 0:
                shot(page, f"cases-step0-{viewport}")
            assert_healthy(page, log)
            click(page, page.locator(".st-key-cases_next button"))
        expect(page.get_by_text("Final diagnosis")).to_be_visible()
        expect(page).to_have_url(re.compile(r"step=3"))
        expect(page.get_by_text("not this one")).to_be_visible()
        assert_healthy(page, log)
        shot(page, f"cases-answer-{viewport}")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_quiz_answer_and_new_quiz(browser: Browser, app_server: Server, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        open_path(page, app_server, "quiz?seed=123")
        expect(page.get_by_role("heading", name="Self-test")).to_be_visible()
        click(page, page.locator(".st-key-quiz_123_0 label:has(input[type=radio])").first)
        expect(page.locator(".st-key-quiz_123_0_box").get_by_test_id("stAlertContainer")).to_be_visible()
        assert_healthy(page, log)
        shot(page, f"quiz-{viewport}")
        # One question per screen: the answered one gives way to the next, and the link names it.
        expect(page.locator(".st-key-quiz_123_1")).to_have_count(0)
        click(page, page.get_by_role("button", name=re.compile(r"Next: question 2")))
        expect(page.locator(".st-key-quiz_123_1 label:has(input[type=radio])").first).to_be_visible()
        expect(page.locator(".st-key-quiz_123_0_box")).to_have_count(0)
        expect(page).to_have_url(re.compile(r"question=2\b"))
        # A presenter's clicker sends Page Down: it moves on too, once the question is answered.
        click(page, page.locator(".st-key-quiz_123_1 label:has(input[type=radio])").first)
        expect(page.locator(".st-key-quiz_123_1_box")).to_be_visible()
        page.get_by_role("heading", name="Self-test").click()
        page.keyboard.press("PageDown")
        expect(page).to_have_url(re.compile(r"question=3\b"))
        expect(page.locator(".st-key-quiz_123_2 label:has(input[type=radio])").first).to_be_visible()
        assert_healthy(page, log)
        click(page, page.get_by_role("button", name="New quiz"))
        expect(page).not_to_have_url(re.compile(r"seed=123\b"))
        expect(page).to_have_url(re.compile(r"seed=\d+"))
        assert_healthy(page, log)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_flashcards_flip_and_next(browser: Browser, app_server: Server, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        open_path(page, app_server, "flashcards?deck=tests")
        expect(page.get_by_role("heading", name="Flashcards")).to_be_visible()
        click(page, page.locator(".st-key-flash_flip button"))
        expect(page.locator(".st-key-flash_card_box").get_by_text("How to perform")).to_be_visible()
        assert_healthy(page, log)
        shot(page, f"flashcards-{viewport}")
        click(page, page.locator(".st-key-flash_next button"))
        expect(page).to_have_url(re.compile(r"card=1"))
        assert_healthy(page, log)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_glossary_deep_link_shows_term_first(browser: Browser, app_server: Server, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log = ConsoleLog(page)
    try:
        open_path(page, app_server, "glossary?term=ischiofemoral_space")
        box = page.locator(".st-key-glossary_highlight")
        expect(box).to_be_visible()
        expect(box).to_contain_text("Ischiofemoral space")
        expect(page.get_by_role("heading", name=re.compile("Anatomy"))).to_be_visible()
        assert_healthy(page, log)
        shot(page, f"glossary-{viewport}", max_height=4000)
    finally:
        context.close()

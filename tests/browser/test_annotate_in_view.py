"""Every quote the annotator page shows is fully in the window, its first question highlighted,
whatever brought it there and however far the page was scrolled (issue 14, item 1)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import DESKTOP, PHONE, fully_in_viewport, log_in

DEMO_PASSWORD = "claimlab-demo"
SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def open_annotate(page, live_server, project, screen):
    page.set_viewport_size(SCREENS[screen])
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    expect(page.locator("#label-form .dimension.is-active")).to_have_attribute("data-key", "stance")
    return page.locator("#annotate-card")


def scroll_to_bottom(page):
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")


def assert_quote_shown(page, first_question="stance"):
    expect(page.locator("#label-form .dimension.is-active")).to_have_attribute(
        "data-key", first_question
    )
    assert fully_in_viewport(page, "#annotate-card .paragraph")
    assert fully_in_viewport(page, "#annotate-card .quote-source h2")


def answer_all(page):
    for key in ("1", "1", "1"):
        page.keyboard.press(key)


@pytest.mark.parametrize("screen", SCREENS)
def test_each_submitted_quote_makes_room_for_the_next(
    page, live_server, demo_data, screen, screenshot_dir
):
    card = open_annotate(page, live_server, demo_data, screen)
    assert_quote_shown(page)
    for number in range(3):
        shown = card.get_attribute("data-quote")
        if number == 0:  # the steps: a note scrolls the page down
            page.keyboard.press("n")
            page.keyboard.type("a note")
            page.keyboard.press("Escape")
        scroll_to_bottom(page)
        answer_all(page)
        page.keyboard.press("Enter")
        expect(card).not_to_have_attribute("data-quote", shown)
        assert_quote_shown(page)
    if screenshot_dir and screen == "phone":  # what the phone shows after a submit
        page.screenshot(path=f"{screenshot_dir}/annotate-phone.png")
    assert page.console_errors == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_refused_submit_keeps_the_quote_and_its_message_in_view(
    page, live_server, demo_data, screen
):
    card = open_annotate(page, live_server, demo_data, screen)
    shown = card.get_attribute("data-quote")
    page.keyboard.press("1")  # stance answered; attribution and sourcing are not
    scroll_to_bottom(page)
    page.keyboard.press("Enter")
    expect(page.locator("#label-problem")).to_be_visible()
    assert card.get_attribute("data-quote") == shown
    assert_quote_shown(page, first_question="attribution")
    assert fully_in_viewport(page, "#label-problem")
    assert page.console_errors == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_skip_from_a_scrolled_page_shows_the_next_quote(page, live_server, demo_data, screen):
    card = open_annotate(page, live_server, demo_data, screen)
    shown = card.get_attribute("data-quote")
    scroll_to_bottom(page)
    page.keyboard.press("s")
    expect(card).not_to_have_attribute("data-quote", shown)
    assert_quote_shown(page)
    assert page.console_errors == []


@pytest.mark.parametrize("screen", SCREENS)
def test_undo_from_a_scrolled_page_shows_the_reopened_quote(page, live_server, demo_data, screen):
    card = open_annotate(page, live_server, demo_data, screen)
    first = card.get_attribute("data-quote")
    answer_all(page)
    page.keyboard.press("Enter")
    expect(card).not_to_have_attribute("data-quote", first)
    scroll_to_bottom(page)
    page.keyboard.press("u")
    expect(card).to_have_attribute("data-quote", first)
    assert_quote_shown(page)
    assert page.console_errors == []


def test_submit_is_above_the_fold_at_1280_by_900(page, live_server, demo_data):
    open_annotate(page, live_server, demo_data, "desktop")
    assert fully_in_viewport(page, "#label-form button[type=submit]:not([form])")
    assert fully_in_viewport(page, "#annotate-card .paragraph")

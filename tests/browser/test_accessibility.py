"""Accessibility as a test: axe-core finds nothing serious or critical on any page, at 1280 px
and on a 390 px phone, and no page scrolls sideways on the phone (issue 14, items 3 and 4)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import (
    DESKTOP,
    PHONE,
    fits_width,
    keep_offline,
    log_in,
    serious_axe_violations,
)
from tests.browser.site_walk import DEMO_PASSWORD, annotator_pages, labelled_demo, manager_pages

SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def walk(page, live_server, project, check) -> list[str]:
    """Run `check(page)` (a list of problems) on every page as the demo's manager and
    annotator1, and on the login page; the problems prefixed with the page's name."""
    problems = []
    page.goto(f"{live_server.url}/accounts/login/")
    problems += [f"login: {problem}" for problem in check(page)]
    for username, pages in (
        ("manager", manager_pages(project)),
        ("annotator1", annotator_pages(project)),
    ):
        page.context.clear_cookies()
        log_in(page, live_server, username, DEMO_PASSWORD)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            problems += [f"{name} ({path}): {problem}" for problem in check(page)]
    return problems


@pytest.mark.parametrize("screen", SCREENS)
def test_no_page_has_a_serious_axe_violation(page, live_server, demo_data, screen):
    labelled_demo(demo_data)
    page.set_viewport_size(SCREENS[screen])
    leaving = keep_offline(page, live_server)
    assert walk(page, live_server, demo_data, serious_axe_violations) == []
    assert leaving == []  # axe and the pages fetch nothing from elsewhere
    assert [e for e in page.console_errors if "status of 404" not in e] == []  # but "not found"


def test_every_page_fits_a_phone_without_sideways_scrolling(page, live_server, demo_data):
    labelled_demo(demo_data)
    page.set_viewport_size(PHONE)

    def too_wide(page):
        if fits_width(page):
            return []
        width = page.evaluate("document.documentElement.scrollWidth")
        return [f"{width} px wide in a {PHONE['width']} px window"]

    assert walk(page, live_server, demo_data, too_wide) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_annotator_page_open_panels_and_forms_pass_axe(page, live_server, demo_data, screen):
    """The parts of the annotator page that appear on demand: shortcuts, guidelines, whole
    article, the speaker search with a highlighted match, a refused submit."""
    page.set_viewport_size(SCREENS[screen])
    keep_offline(page, live_server)
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/annotate/")
    page.keyboard.press("Enter")  # refused: names the unanswered questions
    expect(page.locator("#label-problem")).to_be_visible()
    page.keyboard.press("?")
    page.keyboard.press("g")
    page.keyboard.press("w")
    expect(page.locator("#whole-article .article-text")).to_be_visible()
    assert serious_axe_violations(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("p")
    page.keyboard.type("Zel")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".speaker-result").first).to_be_focused()
    assert serious_axe_violations(page) == []
    assert page.console_errors == []

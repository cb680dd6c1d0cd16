"""Skips are not final: an annotator finds what they skipped or submitted under "my labels",
reopens it and answers or changes it; the page measures the time spent on each quote (issue
14, item 6 and time spent)."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.labelling.labels import labelling_effort
from annotations.models import Assignment
from tests.browser.pages import log_in
from tests.browser.site_walk import DEMO_PASSWORD


def open_annotate(page, live_server, project):
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    return page.locator("#annotate-card")


def test_a_skipped_quote_is_reopened_from_my_labels_and_answered(
    page, live_server, demo_data, screenshot_dir
):
    card = open_annotate(page, live_server, demo_data)
    skipped = card.get_attribute("data-quote")
    page.keyboard.press("s")
    expect(card).not_to_have_attribute("data-quote", skipped)
    expect(card.locator(".flash")).to_contain_text("My labels")
    page.get_by_role("link", name="my labels").click()
    page.get_by_role("link", name="Skipped (1)").click()
    row = page.locator(f"#item-{skipped}")
    expect(row).to_contain_text("skipped")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/my-labels.png", full_page=True)
    row.get_by_role("button", name="Reopen").click()
    expect(card).to_have_attribute("data-quote", skipped)
    expect(page.locator(".messages")).to_contain_text("Reopened")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "stance")
    for key in ("2", "1", "1"):
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    expect(card).not_to_have_attribute("data-quote", skipped)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/annotate/mine/")
    expect(page.locator(f"#item-{skipped}")).to_contain_text("submitted")
    expect(page.locator(f"#item-{skipped}")).to_contain_text("Stance: Against")
    assert page.console_errors == []


def test_a_submitted_answer_is_changed_later_and_the_change_is_counted(
    page, live_server, demo_data
):
    card = open_annotate(page, live_server, demo_data)
    first = card.get_attribute("data-quote")
    page.wait_for_timeout(1200)  # reading the quote
    for key in ("1", "1", "1", "Enter"):
        page.keyboard.press(key)
    expect(card).not_to_have_attribute("data-quote", first)
    annotator = get_user_model().objects.get(username="annotator1")
    seconds = Assignment.objects.get(annotator=annotator, quote_id=int(first)).seconds_spent
    assert 1.0 <= seconds < 60  # measured on the page, display to submit

    page.goto(f"{live_server.url}/projects/{demo_data.id}/annotate/mine/?status=submitted")
    page.locator(f"#item-{first}").get_by_role("button", name="Reopen").click()
    expect(card).to_have_attribute("data-quote", first)
    expect(card.locator("input[name=label-stance][value=favor]")).to_be_checked()
    page.wait_for_timeout(600)  # a second look: seconds are stored to a tenth
    page.keyboard.press("3")  # stance: neutral instead of favor
    page.keyboard.press("Enter")
    expect(card).not_to_have_attribute("data-quote", first)
    effort = labelling_effort(project=demo_data)[(int(first), annotator.id)]
    assert effort.changes == 1
    assert effort.seconds >= seconds + 0.5  # the second visit's time is added
    assert page.console_errors == []

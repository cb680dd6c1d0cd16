"""The agreement dashboard says what each of its counts counts (issue 14, item 8)."""

from playwright.sync_api import expect

from tests.browser.pages import log_in
from tests.browser.site_walk import DEMO_PASSWORD, labelled_demo


def figure(page, name):
    return page.locator(".figures > div").filter(has=page.locator("dt", has_text=name))


def test_each_count_says_what_it_counts(page, live_server, demo_data):
    labelled_demo(demo_data)  # two annotators, three quotes, three questions
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/dashboard/")
    answers = figure(page, "Answers")
    expect(answers.locator("dd").first).to_have_text("18")
    expect(answers).to_contain_text("one per question, annotator and quote")
    expect(figure(page, "Quotes answered").locator("dd").first).to_have_text("3")
    progress = figure(page, "Progress")
    expect(progress).to_contain_text("6 of 48 submissions (24 quotes × 2 annotators)")
    expect(page.locator("main")).not_to_contain_text("Labels")
    assert page.console_errors == []


def test_each_annotator_is_measured_against_gold(page, live_server, demo_data):
    labelled_demo(demo_data)  # unanimous gold on attribution and sourcing, a reviewer's on one
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/dashboard/")
    quality = page.locator("table.quality")
    expect(quality.locator("tbody tr")).to_have_count(2)
    expect(quality.locator("tbody tr").first).to_contain_text("annotator1")
    expect(page.locator("table.confusion")).not_to_have_count(0)
    expect(page.locator("table.weeks tbody tr")).to_have_count(1)
    assert page.console_errors == []

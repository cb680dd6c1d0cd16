"""A submit with questions unanswered is refused on the page, in words, without a request:
the unanswered questions are named and marked until they are answered (issue 14, item 5)."""

from playwright.sync_api import expect

from annotations.models import Label
from tests.browser.pages import log_in

DEMO_PASSWORD = "claimlab-demo"


def test_enter_with_nothing_answered_names_and_marks_every_question(page, live_server, demo_data):
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else 0)
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/annotate/")
    problem = page.locator("#label-problem")
    expect(problem).to_be_hidden()
    posts.clear()

    page.keyboard.press("Enter")
    expect(problem).to_have_text("Answer Stance, Attribution and Sourcing before submitting.")
    expect(problem).to_have_attribute("role", "alert")
    invalid = page.locator("#label-form .dimension[aria-invalid=true]")
    expect(invalid).to_have_count(3)
    expect(invalid.first).to_have_attribute("aria-describedby", "label-problem")
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "stance")

    page.keyboard.press("2")  # stance answered: the message shrinks
    expect(problem).to_have_text("Answer Attribution and Sourcing before submitting.")
    expect(page.locator("#question-stance")).not_to_have_attribute("aria-invalid", "true")
    page.locator("#question-sourcing label.choice").first.click()  # a click counts too
    expect(problem).to_have_text("Answer Attribution before submitting.")
    page.keyboard.press("Enter")  # still refused
    expect(page.locator(".dimension.is-active")).to_have_attribute("data-key", "attribution")
    page.keyboard.press("1")
    expect(problem).to_be_hidden()
    expect(page.locator("#label-form .dimension[aria-invalid]")).to_have_count(0)
    assert posts == []  # refused on the page: no 400 in the console

    card = page.locator("#annotate-card")
    shown = card.get_attribute("data-quote")
    page.keyboard.press("Enter")
    expect(card).not_to_have_attribute("data-quote", shown)
    assert Label.objects.filter(quote_id=int(shown)).count() == 3
    assert page.console_errors == []

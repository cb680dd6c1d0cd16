"""Annotators label with the keyboard alone; a reviewer settles their disagreement."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.labelling.labels import label_save
from annotations.labelling.queue import assign_next_quote
from annotations.models import Assignment, Gold, Label
from tests.browser.pages import log_in

DEMO_PASSWORD = "claimlab-demo"
FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


def next_card(page, previous_quote):
    card = page.locator("#annotate-card")
    expect(card).not_to_have_attribute("data-quote", previous_quote)
    return card.get_attribute("data-quote")


def test_annotator_labels_five_quotes_with_the_keyboard_only(
    page, live_server, demo_data, screenshot_dir
):
    project = demo_data
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    card = page.locator("#annotate-card")
    expect(page.locator("#label-form .dimension.is-active")).to_have_attribute("data-key", "stance")
    expect(card.locator(".paragraph .q")).not_to_have_count(0)
    page.keyboard.press("?")
    expect(page.locator("#help-panel")).to_be_visible()
    page.keyboard.press("?")
    expect(page.locator("#help-panel")).to_be_hidden()
    page.keyboard.press("g")
    expect(page.locator("#guidelines-panel h2")).to_have_text("Guidelines")
    expect(page.locator("#guidelines-panel h4")).to_have_text("Stance")  # "##", under the h2
    expect(page.locator("h1")).to_have_count(1)
    page.keyboard.press("g")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/annotate.png", full_page=True)

    labelled = []
    for number in range(5):
        quote_id = card.get_attribute("data-quote")
        labelled.append(int(quote_id))
        page.keyboard.press("2")  # stance: against, then on to attribution
        page.keyboard.press("Tab")  # attribution → sourcing
        page.keyboard.press("ArrowUp")  # back to attribution
        page.keyboard.press("1")  # attribution: accurate
        page.keyboard.press(str(number % 6 + 1))  # sourcing
        if number == 0:
            page.keyboard.press("n")  # typing a note must not trigger S, U, G …
            page.keyboard.type("sure, ugh")
            page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        next_card(page, quote_id)
    assert page.console_errors == []

    annotator = get_user_model().objects.get(username="annotator1")
    mine = Label.objects.filter(annotator=annotator).prefetch_related("choices")
    answers = {(lab.quote_id, lab.dimension.key): lab.choices.get().value for lab in mine}
    assert len(answers) == 15
    assert {answers[(q, "stance")] for q in labelled} == {"against"}
    assert {answers[(q, "attribution")] for q in labelled} == {"accurate"}
    assert answers[(labelled[4], "sourcing")] == "document"
    assert mine.filter(quote_id=labelled[0]).first().note == "sure, ugh"
    submitted = Assignment.objects.filter(annotator=annotator, status="submitted")
    assert sorted(submitted.values_list("quote_id", flat=True)) == sorted(labelled)

    # U reopens the last one with its answers checked; S skips what is on screen.
    showing = card.get_attribute("data-quote")
    page.keyboard.press("u")
    expect(card).to_have_attribute("data-quote", str(labelled[-1]))
    expect(card.locator("input[name=label-sourcing][value=document]")).to_be_checked()
    page.keyboard.press("Enter")
    expect(card).to_have_attribute("data-quote", showing)
    page.keyboard.press("s")
    next_card(page, showing)
    skipped = Assignment.objects.get(annotator=annotator, quote_id=int(showing))
    assert skipped.status == "skipped"
    assert page.console_errors == []


def test_reviewer_resolves_two_annotators_disagreement_on_the_review_page(
    page, live_server, demo_data, screenshot_dir
):
    project = demo_data
    users = get_user_model().objects
    one, two = users.get(username="annotator1"), users.get(username="annotator2")
    quote = assign_next_quote(project=project, annotator=one)
    label_save(project=project, quote=quote, annotator=one, labels=FULL, note="reads as support")
    label_save(project=project, quote=quote, annotator=two, labels={**FULL, "stance": "against"})

    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/review/")
    item = page.locator(f"#review-{quote.id}")
    expect(item.locator(".review-dim.is-active")).to_have_attribute("data-key", "stance")
    expect(item.locator(".gold-unanimous")).to_have_count(2)  # attribution and sourcing
    expect(item.locator(".note")).to_have_text(["annotator1's note: reads as support"])
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/review.png", full_page=True)
    page.keyboard.press("2")  # stance: against
    expect(page.locator(f"#review-{quote.id}")).to_contain_text("every disagreement now has")
    gold = Gold.objects.get(quote=quote, dimension__key="stance")
    assert (gold.method, gold.decided_by.username) == ("reviewer", "manager")
    assert [choice.value for choice in gold.choices.all()] == ["against"]

    textarea = page.locator(f"#comment-text-{quote.id}")
    textarea.focus()
    page.keyboard.type("Settled: 'against' per guideline 2")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Comment button
    expect(page.locator(f"#comments-{quote.id} .comment-list")).to_contain_text("Settled")
    if screenshot_dir:
        page.locator(f"#review-{quote.id}").screenshot(path=f"{screenshot_dir}/comments.png")

    # The manager's other two pages show the settled quote: the project list and the dashboard.
    page.goto(f"{live_server.url}/projects/")
    expect(page.locator("body")).to_contain_text(project.name)
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/project-list.png", full_page=True)
    page.goto(f"{live_server.url}/projects/{project.id}/dashboard/")
    expect(page.locator("body")).to_contain_text("Krippendorff")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/dashboard.png", full_page=True)
    assert page.console_errors == []

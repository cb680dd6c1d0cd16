"""A manager sets up a project in the browser and edits its schema; the annotator sees it."""

import pytest
from playwright.sync_api import expect

from annotations.labelling.labels import label_save
from annotations.models import Choice, Project
from tests.browser.pages import htmx_settled, log_in
from tests.factories import ArticleFactory, QuoteFactory, UserFactory


@pytest.fixture
def people(transactional_db):
    manager = UserFactory(username="boss", is_superuser=True)  # superusers see every article
    annotator = UserFactory(username="ann")
    article = ArticleFactory(title="Talks resume")
    for start in (0, 20, 40):
        QuoteFactory(article=article, content_start=start, content_end=start + 15)
    return manager, annotator


def test_a_manager_sets_up_a_project_and_edits_the_schema(
    page, live_server, people, screenshot_dir
):
    _, annotator = people
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="New project").click()
    page.fill("#id_name", "Ceasefire coverage")
    page.fill("#id_guidelines", "# Guidelines\n\nLabel **what the quote says**.")
    page.fill("#id_stance_targets", "negotiations with Russia")
    page.fill("#id_annotators_per_quote", "1")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/project-new.png", full_page=True)
    page.get_by_role("button", name="Create project").click()
    expect(page.locator(".messages")).to_contain_text("Project “Ceasefire coverage” created")
    project = Project.objects.get(name="Ceasefire coverage")

    page.fill("#id_username", "ann")
    page.select_option("#id_role", "annotator")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".messages")).to_contain_text("ann added as annotator")
    expect(page.locator(f"#member-{annotator.id}")).to_be_visible()
    page.get_by_role("link", name="Choose articles").click()
    page.get_by_role("button", name="Use every article I can see").click()
    expect(page.locator(".messages")).to_contain_text("all 1 articles")
    page.get_by_role("link", name="Settings & members").click()
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/project-settings.png", full_page=True)

    # The annotator has already used "Neutral" when the manager edits the schema.
    quote = project.articles.get().quotes.first()
    label_save(
        project=project,
        quote=quote,
        annotator=annotator,
        labels={"stance": "neutral", "attribution": "accurate", "sourcing": "none"},
    )
    page.get_by_role("link", name="Label schema").click()
    stance = project.dimensions.get(key="stance")
    attribution = project.dimensions.get(key="attribution")
    sourcing = project.dimensions.get(key="sourcing")

    # Add a choice with a key; a taken key is refused first, with the reason.
    page.fill(f"#id_n{stance.id}-label", "Mixed")
    page.fill(f"#id_n{stance.id}-description", "Both for and against.")
    page.fill(f"#id_n{stance.id}-shortcut", "1")
    page.locator(f"#n{stance.id}-add").click()
    expect(page.locator("#schema-editor")).to_contain_text("“1” is already the key of “Favor”")
    htmx_settled(page)
    page.fill(f"#id_n{stance.id}-shortcut", "5")
    page.locator(f"#n{stance.id}-add").click()
    expect(page.locator(".flash")).to_contain_text("Choice “Mixed” added")
    htmx_settled(page)

    # Rename a question.
    page.fill(f"#id_d{attribution.id}-name", "Who said it")
    page.locator(f"#d{attribution.id}-save").click()
    expect(page.locator(f"#dim-{attribution.id}-h")).to_contain_text("Who said it")
    htmx_settled(page)

    # Reorder from the keyboard: sourcing up twice; focus stays on its button.
    page.locator(f"#d{sourcing.id}-up").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Moved “Sourcing” up")
    expect(page.locator(f"#d{sourcing.id}-up")).to_be_focused()
    htmx_settled(page)
    page.keyboard.press("Enter")
    expect(page.locator(".schema-dim h2").first).to_contain_text("Sourcing")
    htmx_settled(page)

    # Archive a used choice (never deleted).
    neutral = Choice.objects.get(dimension=stance, value="neutral")
    expect(page.locator(f"#c{neutral.id}-remove")).to_have_text("Archive")
    page.locator(f"#c{neutral.id}-remove").click()
    expect(page.locator(".flash")).to_contain_text("Choice “Neutral” archived")
    expect(page.locator(f"#c{neutral.id}-restore")).to_be_visible()
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/schema-editor.png", full_page=True)
    assert page.console_errors == []

    # The annotator's page offers the new choice with its key, in the new order.
    page.context.clear_cookies()
    log_in(page, live_server, "ann")
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    mixed = page.locator('input[name="label-stance"][value="mixed"]')
    expect(mixed).to_have_attribute("data-shortcut", "5")
    expect(page.locator("label.choice", has=mixed)).to_contain_text("Mixed")
    expect(page.locator('input[name="label-stance"][value="neutral"]')).to_have_count(0)
    expect(page.locator("legend").first).to_contain_text("Sourcing")
    expect(page.locator("#label-form")).to_contain_text("Who said it")
    assert page.console_errors == []
    neutral.refresh_from_db()
    assert neutral.archived and neutral.labels.count() == 1

"""The smaller things a new user tripped over (issue 14, item 10): where logging in leads, which
project an import goes to, where a saved setting is announced, stance questions per target, and
what the schema editor calls a key."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotations.labelling.projects import membership_set, project_create
from tests.browser.pages import log_in
from tests.browser.site_walk import DEMO_PASSWORD


def test_an_annotator_lands_on_their_queue_others_on_the_articles(page, live_server, demo_data):
    log_in(page, live_server, "annotator1", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/projects/{demo_data.id}/annotate/")
    expect(page.locator("#annotate-card .paragraph")).to_be_visible()
    page.context.clear_cookies()
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    assert page.console_errors == []


def test_the_import_link_of_a_project_imports_into_that_project(page, live_server, demo_data):
    manager = get_user_model().objects.get(username="manager")
    other = project_create(name="Another project", created_by=manager)
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/import/")
    expect(page.locator("#id_project option:checked")).to_have_text("Choose a project…")
    for project in (demo_data, other):
        page.goto(f"{live_server.url}/projects/{project.id}/settings/")
        page.get_by_role("link", name="import articles into this project").click()
        expect(page.locator("#id_project")).to_have_value(str(project.id))
    assert page.console_errors == []


def test_a_saved_setting_is_announced_inside_the_page_column(page, live_server, demo_data):
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/settings/")
    page.get_by_role("button", name="Save settings").click()
    message = page.locator(".manage-page .messages")
    expect(message).to_be_visible()
    column = page.locator(".manage-page").bounding_box()
    box = message.bounding_box()
    assert column["x"] <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"]
    assert page.console_errors == []


def test_each_stance_target_has_a_named_key_and_a_plain_legend(page, live_server, demo_data):
    manager = get_user_model().objects.get(username="manager")
    project = project_create(
        name="Energy",
        created_by=manager,
        stance_targets=["a gas price cap", "sanctions on Russian oil"],
        articles=list(demo_data.articles.all()),
    )
    membership_set(project=project, user=manager, role="manager")
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.id}/annotate/")
    questions = page.locator("#label-form .dimension")
    expect(questions.nth(0)).to_have_attribute("data-key", "stance")
    expect(questions.nth(1)).to_have_attribute("data-key", "stance-sanctions-on-russian-oil")
    expect(questions.nth(0).locator("legend")).to_have_text("Stance: a gas price cap")
    expect(questions.nth(1).locator("legend")).to_have_text("Stance: sanctions on Russian oil")
    assert page.console_errors == []


def test_the_schema_editor_tells_shortcut_keys_from_machine_names(page, live_server, demo_data):
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/schema/")
    expect(page.get_by_label("Shortcut key").first).to_have_value("1")
    expect(page.get_by_label("Machine name").first).to_be_visible()
    expect(page.get_by_text("Key", exact=True)).to_have_count(0)
    reserved = page.locator(".manage-page > p.meta kbd").all_inner_texts()
    assert set("?GUSNJKPTAXWR") <= set(reserved)
    assert page.console_errors == []

"""What a fresh `make run` shows: the demo's outlet and dates reach the insight pages (issue 14,
item 9), and running it again keeps other articles out of the demo project (item 7)."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.labelling.projects import project_articles_set, project_create
from claims.models import Article, Speaker
from tests.browser.pages import log_in
from tests.browser.site_walk import DEMO_PASSWORD, labelled_demo


def test_the_outlet_and_stance_over_time_pages_show_the_demo(page, live_server, demo_data):
    labelled_demo(demo_data)
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/outlets/")
    expect(page.locator("main")).not_to_contain_text("No outlets in your projects")
    page.get_by_role("link", name="RT", exact=True).click()
    expect(page.locator("h1")).to_contain_text("RT")
    speaker = Speaker.objects.filter(quotes__labels__project=demo_data).distinct().first()
    page.goto(f"{live_server.url}/speakers/{speaker.id}/")
    expect(page.locator("main")).to_contain_text("2023-11")
    expect(page.locator("main")).not_to_contain_text("undated")
    assert page.console_errors == []


def test_running_the_demo_again_keeps_other_articles_out(page, live_server, demo_data, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Bridge news\n\nThe mayor said the bridge would open next week.", "utf-8")
    call_command("import_articles", str(other), "--no-progress", stdout=StringIO())
    manager = get_user_model().objects.get(username="manager")
    elsewhere = project_create(name="Bridges", created_by=manager)
    project_articles_set(
        project=elsewhere, article_ids=[Article.objects.get(title="Bridge news").id]
    )
    call_command("setup_demo", stdout=StringIO())  # make run, again
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/settings/articles/")
    expect(page.locator("main")).to_contain_text("2 articles in the project")
    expect(page.get_by_label("Bridge news")).not_to_be_checked()
    assert page.console_errors == []

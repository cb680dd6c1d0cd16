"""A manager uploads two files and watches the batch's progress bar fill without a reload.

The import stages its records and queues one task on a test Redis; the test then plays the
worker — storing the batch, then extracting one article at a time — and the page (polling
with htmx) follows.
"""

import json

# Loaded now rather than by the first fingerprint inside the worker's first transaction: the
# test database (SQLite, shared cache) refuses the page's polling reads while a write is open.
import datasketch  # noqa: F401
import pytest
from playwright.sync_api import expect

from annotations.models import Membership
from claims.models import ImportBatch
from claims.tasks import extract_article_quotes, process_import_batch
from tests.browser.pages import log_in
from tests.celery_broker import broker_at
from tests.factories import MembershipFactory

BROKER = "redis://127.0.0.1:6379/11"


@pytest.fixture
def manager(transactional_db):
    return MembershipFactory(role=Membership.Role.MANAGER, project__name="Eastern front")


@pytest.fixture
def broker(settings):
    with broker_at(settings, BROKER) as connection:
        yield connection


def test_upload_two_files_and_watch_the_batch_finish(
    page, live_server, manager, broker, screenshot_dir
):
    log_in(page, live_server, manager.user.username)
    page.goto(f"{live_server.url}/import/")
    rows = [
        {"title": "Envoy", "text": "“Talks are over,” Smith said on Monday."},
        {"title": "Mayor", "text": "“The bridge reopens in May,” Jones said at noon."},
    ]
    page.set_input_files(
        "#id_files",
        [
            {
                "name": "speech.txt",
                "mimeType": "text/plain",
                "buffer": "Minister speaks\n“We will not give up,” Brown said.\n".encode(),
            },
            {
                "name": "feed.jsonl",
                "mimeType": "application/x-ndjson",
                "buffer": "\n".join(json.dumps(row) for row in rows).encode(),
            },
        ],
    )
    page.select_option("#id_project", label="Eastern front")
    page.click("form.import-form button[type=submit]")

    page.wait_for_selector("#batch-progress")
    assert "Import started: 3 record(s) and 0 URL(s)." in page.inner_text(".messages")
    expect(page.locator("#items-summary")).to_contain_text("3 waiting")
    page.evaluate("window.notReloaded = true")

    batch = ImportBatch.objects.get()
    process_import_batch.apply(args=[batch.id])  # the worker stores the staged records
    expect(page.locator("#items-percent")).to_have_text("100%")
    expect(page.locator("#batch-percent")).to_have_text("0%")
    for done, article_id in enumerate(batch.articles.order_by("id").values_list("id", flat=True)):
        extract_article_quotes.apply(args=[article_id])
        expect(page.locator("#batch-percent")).to_have_text(f"{(done + 1) * 100 // 3}%")
        if screenshot_dir and done == 1:
            page.screenshot(path=f"{screenshot_dir}/batch.png", full_page=True)

    expect(page.locator("#batch-bar")).to_have_attribute("value", "3")
    expect(page.locator(".batch-articles tr.status-done")).to_have_count(3)
    # Finished: the swapped-in part no longer polls, and the page was never reloaded.
    expect(page.locator("#batch-progress")).to_have_attribute("data-active", "false")
    assert page.locator("#batch-progress[hx-trigger]").count() == 0
    assert page.evaluate("window.notReloaded") is True
    assert page.console_errors == []

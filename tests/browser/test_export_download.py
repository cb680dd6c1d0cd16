"""A manager downloads the dataset from the project's dashboard (issue 14): the form says how
many quotes it holds, and the file is the chosen format with the chosen options."""

import csv
import json

from playwright.sync_api import expect

from tests.browser.pages import log_in
from tests.browser.site_walk import DEMO_PASSWORD, labelled_demo


def test_a_manager_downloads_csv_and_jsonl_from_the_dashboard(
    page, live_server, demo_data, tmp_path
):
    labelled_demo(demo_data)  # three quotes answered by two annotators, gold on all three
    log_in(page, live_server, "manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/projects/{demo_data.id}/dashboard/")
    form = page.locator("#export")
    expect(form.get_by_test_id("export-count")).to_have_text("24 quotes")
    expect(form).to_contain_text("3 with gold")

    form.get_by_label("Format").select_option("csv")
    form.get_by_label("only quotes with gold").check()
    with page.expect_download() as download_info:
        form.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == f"claimlab-project-{demo_data.id}.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert all(json.loads(row["labels_json"]) for row in rows)
    assert {note for row in rows for note in json.loads(row["notes_json"]).values()} == {"check"}

    page.goto(f"{live_server.url}/projects/{demo_data.id}/dashboard/")
    with page.expect_download() as download_info:
        page.locator("#export").get_by_role("button", name="Download").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")[:-1]]
    assert len(records) == 24 and path.suffix == ".jsonl"
    assert sum(len(record["comments"]) for record in records) == 1
    assert page.console_errors == []

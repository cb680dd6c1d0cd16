"""A reader opens an article that was edited after publication: the versions, the diff, the
quote whose words changed and the one whose words are gone."""

import pytest

from annotations.labelling.projects import membership_set
from annotations.models import Membership
from tests.browser.pages import log_in
from tests.factories import UserFactory
from tests.versions import V2, import_version, labelled_first_version


@pytest.fixture
def edited(transactional_db):
    setup = labelled_first_version()
    second = import_version(V2).article
    reader = UserFactory(username="reader")
    membership_set(project=setup["project"], user=reader, role=Membership.Role.REVIEWER)
    return setup, second


def test_a_reader_follows_the_versions_and_reads_what_changed(
    page, live_server, edited, screenshot_dir
):
    setup, second = edited
    log_in(page, live_server, "reader")
    page.goto(f"{live_server.url}/articles/{second.id}/")

    versions = page.locator(".version-list li")
    assert versions.count() == 2
    assert page.locator(".version-list li[aria-current=page]").inner_text().startswith("v2")
    assert "text changed since labelled (v2)" in page.inner_text(".quote-list")
    assert "gone in version 2" in page.inner_text(".gone-quotes")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/article-versions.png", full_page=True)

    page.click(".version-list li[data-version='2'] .version-changes")
    page.wait_for_selector("#diff")
    assert page.locator("#diff ins", has_text="June").count() == 1
    assert page.locator("#diff del", has_text="Supplies are running low").count() == 1
    assert "1 gone" in page.inner_text("#diff-summary")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/article-changes.png", full_page=True)

    page.click("#diff-summary a")  # to version 1, where the gone quote still is
    page.wait_for_selector(".notice")
    assert "replaced by a newer text" in page.inner_text(".notice")
    assert page.locator(f"#quote-{setup['official'].id} .badge-gone").count() == 1
    assert page.console_errors == []

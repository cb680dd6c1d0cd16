"""A person logs in, sees the seed articles and opens one with its quotes marked."""

# demo_data (tests/browser/conftest.py) sets up what make run does: RT's two dated articles.


def log_in(page, live_server, username="annotator1", password="claimlab-demo"):  # noqa: S107
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_annotator_logs_in_and_reads_an_article_with_marked_quotes(
    page, live_server, demo_data, screenshot_dir
):
    log_in(page, live_server)
    rows = page.locator("table.articles tbody tr")
    assert rows.count() == 2
    assert "Zelensky admits Ukraine’s backers talking to Russia" in page.inner_text(
        "table.articles"
    )
    counts = [int(text) for text in page.locator("table.articles td.num").all_inner_texts()]
    assert all(count > 0 for count in counts)
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/article-list.png", full_page=True)

    title = "Zelensky admits Ukraine’s backers talking to Russia"
    listed_count = int(rows.filter(has_text=title).locator("td.num").inner_text())
    page.click(f"text={title}")
    page.wait_for_selector("#article-text")
    assert page.locator("#article-text .q").count() > 0
    assert page.locator("#article-text .speaker").count() > 0
    assert page.locator("#article-text .cue").count() > 0
    assert page.locator(".quote-item").count() == listed_count
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/article.png", full_page=True)
    assert page.console_errors == []


def test_wrong_password_shows_an_error_and_no_articles(page, live_server, demo_data):
    log_in(page, live_server, password="wrong")
    assert "didn't match" in page.inner_text("main")
    assert page.locator("table.articles").count() == 0
    assert page.console_errors == []


def test_script_in_article_text_does_not_run(page, live_server, demo_data):
    from annotations.models import Project
    from claims.services.articles import article_import

    result = article_import(
        title="<img src=x onerror=\"document.title='pwned'\">",
        text="The mayor said <script>document.title='pwned'</script> it was fine.",
    )
    Project.objects.get().articles.add(result.article)
    log_in(page, live_server)
    page.click("a:has-text('<img src=x')")
    page.wait_for_selector("#article-text")
    assert page.title() != "pwned"
    assert "<script>document.title='pwned'</script>" in page.inner_text("#article-text")
    assert page.console_errors == []

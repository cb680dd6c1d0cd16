"""Insight pages in a real browser: search the seed data, a speaker's chart and quotes, merging."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.test_article_pages import log_in

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "demo" / "articles"


@pytest.fixture
def demo_data(transactional_db, settings):
    settings.DEBUG = True
    call_command("import_articles", str(DEMO_ARTICLES), "--no-progress", stdout=StringIO())
    call_command("setup_demo", stdout=StringIO())


@pytest.fixture
def labelled_speaker(demo_data):
    """The most quoted seed speaker, with one stance and sourcing label per quote."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from annotations.models import Label, Project
    from claims.models import Speaker

    project = Project.objects.get()
    annotator = get_user_model().objects.get(username="annotator1")
    speaker = (
        Speaker.objects.annotate(n=Count("quotes")).filter(n__gt=0).order_by("-n", "id").first()
    )
    for key, value in [("stance", "against"), ("sourcing", "named-official")]:
        dimension = project.dimensions.get(key=key)
        for quote in speaker.quotes.all():
            label = Label.objects.create(
                project=project, quote=quote, annotator=annotator, dimension=dimension
            )
            label.choices.set(dimension.choices.filter(value=value))
    return speaker


def test_search_finds_a_quote_in_the_seed_articles(page, live_server, demo_data, screenshot_dir):
    from claims.models import Quote

    quote = Quote.objects.select_related("article").filter(is_rejected=False).first()
    word = max(quote.content.split(), key=len).strip(".,;:!?“”\"'’‘()")
    log_in(page, live_server)
    page.click("nav >> text=Search")
    page.fill("#id_q", word)
    page.click(".search-form button[type=submit]")
    page.wait_for_selector(".search-results")
    rows = page.locator(".quote-row")
    assert rows.count() >= 1
    assert word.lower() in page.inner_text(".quotes-table").lower()
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/search.png", full_page=True)
    assert page.console_errors == []


def test_bad_date_shows_a_message_not_an_error_page(page, live_server, demo_data):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/search/?q=talks&date_from=2024-02-31")
    assert "Enter a date as YYYY-MM-DD." in page.inner_text("main")
    assert page.locator("#search-error").is_visible()


def test_speaker_page_shows_the_chart_and_quotes(
    page, live_server, labelled_speaker, screenshot_dir
):
    log_in(page, live_server)
    page.click("nav >> text=Speakers")
    page.click(f"table.speakers >> text={labelled_speaker.name}")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart rect.bar").count() >= 1
    assert "Stance toward" in page.inner_text(".charts")
    assert page.locator("svg.chart title").first.text_content().startswith("Stance toward")
    assert page.locator("table.chart-data").count() == 2
    assert page.locator(".quote-row").count() == labelled_speaker.quotes.count()
    with page.expect_download() as download:
        page.click("#figure-stance-1 a.csv-link")
    assert Path(download.value.path()).read_text().startswith("month,favor,against")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/speaker.png", full_page=True)
    assert page.console_errors == []


def test_manager_merges_two_speakers_and_undoes_it(page, live_server, demo_data):
    from claims.models import Speaker
    from tests.factories import QuoteFactory

    target = Speaker.objects.filter(quotes__isnull=False).first()
    source = QuoteFactory(
        article=target.quotes.first().article, content_start=0, content_end=3
    ).speaker
    log_in(page, live_server, username="manager")
    page.goto(f"{live_server.url}/speakers/{target.id}/")
    page.fill("#id_other", source.name)
    page.click(".merge-form button[type=submit]")
    assert "Merged" in page.inner_text(".messages")
    assert not Speaker.objects.filter(id=source.id).exists()
    page.click(".merges button[type=submit]")
    assert "is back with its quotes" in page.inner_text(".messages")
    assert Speaker.objects.filter(id=source.id).exists()
    assert page.console_errors == []


def test_outlet_pages_on_a_generated_corpus(page, live_server, demo_data, screenshot_dir):
    from django.contrib.auth import get_user_model

    from tests.insights.insight_data import generated_corpus

    corpus = generated_corpus(get_user_model().objects.get(username="annotator1"))
    log_in(page, live_server)
    page.click("nav >> text=Outlets")
    assert page.locator("table.outlets tbody tr").count() == 2
    assert page.locator("#figure-sourcing-by-outlet svg.chart rect.bar").count() >= 2
    page.click(f"table.outlets >> text={corpus['outlets'][0].name}")
    page.wait_for_selector("#figure-sourcing svg.chart")
    assert page.locator("#figure-stance svg.chart rect.bar").count() >= 1
    assert page.inner_text("#anonymous-share").endswith("%")
    if screenshot_dir:
        page.screenshot(path=f"{screenshot_dir}/outlet.png", full_page=True)
    assert page.console_errors == []

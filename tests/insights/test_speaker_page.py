"""The speaker page: quotes across articles, aliases, stance over time and sourcing around them."""

import csv
import io

import pytest
from django.urls import reverse

from claims.models import SpeakerAlias
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import (
    generated_corpus,
    gold,
    month_sql,
    project_with,
    sql_resolved_counts,
    votes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def speaker_url(speaker, **query):
    url = reverse("insights:speaker-detail", args=[speaker.id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_page_requires_login(client):
    speaker = SpeakerFactory()
    response = client.get(speaker_url(speaker))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_shows_every_quote_across_articles_and_the_aliases(client, member):
    speaker = SpeakerFactory(name="Volodymyr Zelensky")
    SpeakerAlias.objects.create(speaker=speaker, alias="Zelensky")
    first = ArticleFactory(title="First article", text="We will not give up our land, he said.")
    second = ArticleFactory(title="Second article", text="Talks are possible, Zelensky said.")
    QuoteFactory(article=first, speaker=speaker, content_start=0, content_end=28)
    QuoteFactory(article=second, speaker=speaker, content_start=0, content_end=19)
    project_with(member, [first, second])
    html = client.get(speaker_url(speaker)).content.decode()
    assert "We will not give up our land" in html
    assert "Talks are possible" in html
    assert "First article" in html and "Second article" in html
    assert '<span class="alias">Zelensky</span>' in html
    assert "2 quotes in 2 articles" in html


def test_speaker_only_quoted_outside_my_projects_is_404(client, member):
    quote = QuoteFactory()
    project_with(UserFactory(), [quote.article])
    assert client.get(speaker_url(quote.speaker)).status_code == 404


def test_unknown_speaker_is_404_and_non_numeric_id_is_404(client, member):
    assert client.get(reverse("insights:speaker-detail", args=[999999])).status_code == 404
    assert client.get("/speakers/abc/").status_code == 404


def test_quotes_outside_my_projects_are_not_listed(client, member):
    speaker = SpeakerFactory()
    mine = ArticleFactory(text="Visible words are here.")
    theirs = ArticleFactory(text="Hidden words are here.")
    QuoteFactory(article=mine, speaker=speaker, content_start=0, content_end=13)
    QuoteFactory(article=theirs, speaker=speaker, content_start=0, content_end=12)
    project_with(member, [mine])
    project_with(UserFactory(), [theirs])
    html = client.get(speaker_url(speaker)).content.decode()
    assert "Visible words" in html
    assert "Hidden words" not in html


def test_stance_uses_gold_where_present_else_the_majority(client, member):
    speaker = SpeakerFactory()
    article = ArticleFactory(text="x" * 100, published_at="2024-03-05T10:00:00Z")
    by_majority = QuoteFactory(article=article, speaker=speaker, content_start=0, content_end=5)
    by_gold = QuoteFactory(article=article, speaker=speaker, content_start=10, content_end=15)
    tied = QuoteFactory(article=article, speaker=speaker, content_start=20, content_end=25)
    project = project_with(member, [article], targets=["talks"])
    votes(project, by_majority, "stance", "against", "against", "favor")
    votes(project, by_gold, "stance", "against", "against")
    gold(project, by_gold, "stance", "favor")
    votes(project, tied, "stance", "favor", "against")
    response = client.get(speaker_url(speaker, format="csv", chart="stance-1"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert csv_rows(response) == [
        ["month", "favor", "against", "neutral", "unclear", "total"],
        ["2024-03", "1", "1", "0", "0", "2"],
    ]


def test_labels_of_projects_i_am_not_in_do_not_count(client, member):
    speaker = SpeakerFactory()
    article = ArticleFactory(published_at="2024-03-05T10:00:00Z")
    quote = QuoteFactory(article=article, speaker=speaker)
    mine = project_with(member, [article], targets=["talks"])
    theirs = project_with(UserFactory(), [article], targets=["talks"])
    votes(mine, quote, "stance", "neutral")
    votes(theirs, quote, "stance", "favor", "favor", "favor")
    rows = csv_rows(client.get(speaker_url(speaker, format="csv", chart="stance-1")))
    assert rows[1] == ["2024-03", "0", "0", "1", "0", "1"]


def test_stance_figures_match_direct_sql(client, member):
    corpus = generated_corpus(member)
    for speaker in corpus["speakers"]:
        response = client.get(speaker_url(speaker))
        insights = response.context["insights"]
        expected = sql_resolved_counts(
            user=member,
            family="stance",
            group_by=f"w.target, {month_sql()}, w.value",
            where="vq.speaker_id = %(speaker)s",
            params={"speaker": speaker.id},
        )
        shown = {
            (table.title.split("“")[1].rstrip("”"), row, value): table.count(row, value)
            for table in insights.stance_tables
            for row in table.rows
            for value in table.series
            if table.count(row, value)
        }
        assert shown == expected
        assert sum(expected.values()) > 0


def test_sourcing_of_articles_quoting_them_matches_direct_sql(client, member):
    corpus = generated_corpus(member)
    speaker = corpus["speakers"][0]
    table = client.get(speaker_url(speaker)).context["insights"].sourcing_table
    expected = sql_resolved_counts(
        user=member,
        family="sourcing",
        group_by="w.value",
        where=(
            "vq.article_id IN (SELECT article_id FROM visible_quotes "
            "WHERE speaker_id = %(speaker)s)"
        ),
        params={"speaker": speaker.id},
    )
    assert {
        (value,): table.count("all", value) for value in table.series if table.count("all", value)
    } == expected


def test_chart_is_inline_svg_with_title_desc_and_a_table(client, member):
    speaker = SpeakerFactory()
    article = ArticleFactory(published_at="2024-03-05T10:00:00Z")
    quote = QuoteFactory(article=article, speaker=speaker)
    project = project_with(member, [article], targets=["talks"])
    votes(project, quote, "stance", "favor")
    html = client.get(speaker_url(speaker)).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert '<title id="chart-stance-1-title">' in html
    assert '<desc id="chart-stance-1-desc">' in html
    assert '<table class="chart-data">' in html
    assert 'href="?format=csv&amp;chart=stance-1"' in html
    assert "<script" not in html


def test_unknown_chart_or_format_is_400(client, member):
    quote = QuoteFactory()
    project_with(member, [quote.article])
    assert client.get(speaker_url(quote.speaker, format="csv", chart="nope")).status_code == 400
    assert client.get(speaker_url(quote.speaker, format="xml")).status_code == 400


def test_speaker_name_and_quote_text_are_escaped(client, member):
    payload = '<script>alert("x")</script>'
    speaker = SpeakerFactory(name=f"Evil {payload}")
    SpeakerAlias.objects.create(speaker=speaker, alias=f"alias {payload}")
    article = ArticleFactory(text=f"He said {payload} loudly.", published_at="2024-01-02T00:00Z")
    quote = QuoteFactory(
        article=article, speaker=speaker, content_start=8, content_end=8 + len(payload)
    )
    project = project_with(member, [article], targets=[f"target {payload}"])
    votes(project, quote, "stance", "favor")
    html = client.get(speaker_url(speaker)).content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html


def test_query_count_does_not_grow_with_quotes(client, member, django_assert_max_num_queries):
    speaker = SpeakerFactory()
    articles = [
        ArticleFactory(text=f"{n} " + "x" * 200, published_at="2024-02-01T00:00Z")
        for n in range(10)
    ]
    project = project_with(member, articles, targets=["talks"])
    for article in articles:
        for start in (0, 20, 40):
            quote = QuoteFactory(
                article=article, speaker=speaker, content_start=start, content_end=start + 9
            )
            votes(project, quote, "stance", "favor")
            votes(project, quote, "sourcing", "anonymous")
    with django_assert_max_num_queries(15):
        response = client.get(speaker_url(speaker))
    assert response.status_code == 200
    assert response.content.decode().count('class="quote-row"') == 30


def test_speaker_list_shows_quote_counts_and_filters_by_alias(client, member):
    speaker = SpeakerFactory(name="Dmitry Peskov")
    SpeakerAlias.objects.create(speaker=speaker, alias="Kremlin spokesman")
    other = SpeakerFactory(name="Someone Else")
    article = ArticleFactory(text="x" * 100)
    QuoteFactory(article=article, speaker=speaker, content_start=0, content_end=5)
    QuoteFactory(article=article, speaker=other, content_start=10, content_end=15)
    project_with(member, [article])
    html = client.get(reverse("insights:speaker-list") + "?q=spokesman").content.decode()
    assert "Dmitry Peskov" in html
    assert "Someone Else" not in html


def test_speaker_list_query_count_is_fixed(client, member, django_assert_max_num_queries):
    articles = ArticleFactory.create_batch(30)
    for article in articles:
        QuoteFactory(article=article)
    project_with(member, articles)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("insights:speaker-list"))
    assert response.content.decode().count("/speakers/") >= 30

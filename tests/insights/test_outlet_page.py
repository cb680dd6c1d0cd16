"""The outlet pages: who an outlet quotes, its anonymous and media-report sourcing, stance mix."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import generated_corpus, project_with, sql_resolved_counts, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def outlet_url(outlet, query=""):
    return reverse("insights:outlet-detail", args=[outlet.id]) + query


def test_pages_require_login(client):
    outlet = OutletFactory()
    for url in [reverse("insights:outlet-list"), outlet_url(outlet)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_outlet_outside_my_projects_is_404_and_not_listed(client, member):
    article = ArticleFactory(outlet=OutletFactory(name="Secret Outlet"))
    project_with(UserFactory(), [article])
    assert client.get(outlet_url(article.outlet)).status_code == 404
    assert "Secret Outlet" not in client.get(reverse("insights:outlet-list")).content.decode()
    assert client.get(reverse("insights:outlet-detail", args=[999999])).status_code == 404


def test_shares_of_anonymous_and_media_report_sourcing(client, member):
    article = ArticleFactory(text="x" * 100)
    quotes = [
        QuoteFactory(article=article, content_start=start, content_end=start + 5)
        for start in (0, 10, 20, 30)
    ]
    project = project_with(member, [article])
    votes(project, quotes[0], "sourcing", "anonymous")
    votes(project, quotes[1], "sourcing", "anonymous", "anonymous", "named-official")
    votes(project, quotes[2], "sourcing", "media-report")
    votes(project, quotes[3], "sourcing", "named-official", "anonymous")  # a tie: not counted
    response = client.get(outlet_url(article.outlet))
    insights = response.context["insights"]
    assert insights.anonymous_share == pytest.approx(2 / 3)
    assert insights.media_report_share == pytest.approx(1 / 3)
    html = response.content.decode()
    assert '<dd id="anonymous-share">67%</dd>' in html
    assert '<dd id="media-report-share">33%</dd>' in html


def test_sourcing_stance_and_speakers_match_direct_sql(client, member):
    corpus = generated_corpus(member)
    for outlet in corpus["outlets"]:
        insights = client.get(outlet_url(outlet)).context["insights"]
        where, params = "vq.outlet_id = %(outlet)s", {"outlet": outlet.id}
        sourcing = sql_resolved_counts(
            user=member, family="sourcing", group_by="w.value", where=where, params=params
        )
        table = insights.sourcing_table
        assert {(v,): table.count("all", v) for v in table.series if table.count("all", v)} == (
            sourcing
        )
        anonymous = sourcing.get(("anonymous",), 0)
        assert insights.anonymous_share == pytest.approx(anonymous / sum(sourcing.values()))
        stance = sql_resolved_counts(
            user=member,
            family="stance",
            group_by="w.target, w.value",
            where=where,
            params=params,
        )
        table = insights.stance_table
        shown = {
            (row, value): table.count(row, value)
            for row in table.rows
            for value in table.series
            if table.count(row, value)
        }
        assert shown == stance
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.speaker_id, COUNT(*) FROM claims_quote q "
                "JOIN claims_article a ON a.id = q.article_id "
                "WHERE a.outlet_id = %s AND q.is_rejected = %s AND q.speaker_id IS NOT NULL "
                "GROUP BY q.speaker_id",
                [outlet.id, False],
            )
            speakers = dict(cursor.fetchall())
        assert {row["id"]: row["quote_count"] for row in insights.top_speakers} == speakers
        assert insights.speaker_count == len(speakers)


def test_outlet_list_sourcing_chart_matches_direct_sql(client, member):
    generated_corpus(member)
    response = client.get(reverse("insights:outlet-list") + "?format=csv&chart=sourcing-by-outlet")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    shown = {
        (row[0], value): int(count)
        for row in body
        for value, count in zip(header[1:-1], row[1:-1], strict=True)
        if int(count)
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM claims_outlet")
        names = dict(cursor.fetchall())
    by_outlet = sql_resolved_counts(
        user=member, family="sourcing", group_by="vq.outlet_id, w.value"
    )
    expected = {(names[outlet_id], value): n for (outlet_id, value), n in by_outlet.items()}
    assert shown == expected


def test_outlet_name_speaker_name_and_quote_text_are_escaped(client, member):
    payload = '<script>alert("x")</script>'
    outlet = OutletFactory(name=f"Outlet {payload}")
    article = ArticleFactory(outlet=outlet, text=f"He said {payload} loudly.")
    quote = QuoteFactory(
        article=article,
        speaker=SpeakerFactory(name=f"Evil {payload}"),
        content_start=8,
        content_end=8 + len(payload),
    )
    project = project_with(member, [article], targets=[f"target {payload}"])
    votes(project, quote, "stance", "favor")
    votes(project, quote, "sourcing", "anonymous")
    for url in [outlet_url(outlet), reverse("insights:outlet-list")]:
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;" in html


def test_outlet_page_query_count_is_fixed(client, member, django_assert_max_num_queries):
    outlet = OutletFactory()
    articles = [ArticleFactory(outlet=outlet, text=f"{n} " + "x" * 100) for n in range(10)]
    project = project_with(member, articles, targets=["talks"])
    for article in articles:
        for start in (0, 20, 40):
            quote = QuoteFactory(article=article, content_start=start, content_end=start + 9)
            votes(project, quote, "stance", "against")
            votes(project, quote, "sourcing", "media-report")
    with django_assert_max_num_queries(14):
        response = client.get(outlet_url(outlet))
    assert response.status_code == 200
    assert response.content.decode().count('class="quote-row"') == 30


def test_outlet_list_query_count_is_fixed(client, member, django_assert_max_num_queries):
    articles = [ArticleFactory(text=f"{n} article text") for n in range(30)]
    project = project_with(member, articles)
    for article in articles:
        votes(project, QuoteFactory(article=article), "sourcing", "anonymous")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("insights:outlet-list"))
    assert response.content.decode().count("/outlets/") >= 30

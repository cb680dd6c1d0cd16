"""The insight API: the same figures as the pages, the same visibility, JSON errors."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ArticleFactory, QuoteFactory, UserFactory
from tests.insights.insight_data import generated_corpus, project_with, sql_resolved_counts, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def member(api):
    user = UserFactory()
    api.force_authenticate(user)
    return user


def test_endpoints_need_authentication(api):
    for url in [
        reverse("api:insights-search"),
        reverse("api:insights-speaker", args=[1]),
        reverse("api:insights-outlet", args=[1]),
        reverse("api:insights-outlets"),
    ]:
        assert api.get(url).status_code in (401, 403)


def test_speaker_figures_match_the_page_and_direct_sql(api, client, member):
    corpus = generated_corpus(member)
    speaker = corpus["speakers"][1]
    body = api.get(reverse("api:insights-speaker", args=[speaker.id])).json()
    client.force_login(member)
    page = client.get(reverse("insights:speaker-detail", args=[speaker.id])).context["insights"]
    assert [t["key"] for t in body["stance"]] == [t.key for t in page.stance_tables]
    for table, data in zip(page.stance_tables, body["stance"], strict=True):
        assert [row["total"] for row in data["rows"]] == [t for _, _, t in table.matrix]
    sourcing = sql_resolved_counts(
        user=member,
        family="sourcing",
        group_by="w.value",
        where=(
            "vq.article_id IN (SELECT article_id FROM visible_quotes "
            "WHERE speaker_id = %(speaker)s)"
        ),
        params={"speaker": speaker.id},
    )
    counts = body["sourcing"]["rows"][0]["counts"]
    assert {(k,): v for k, v in counts.items() if v} == sourcing
    assert body["speaker"]["quote_count"] == speaker.quotes.filter(is_rejected=False).count()


def test_outlet_figures_match_direct_sql(api, member):
    corpus = generated_corpus(member)
    outlet = corpus["outlets"][0]
    body = api.get(reverse("api:insights-outlet", args=[outlet.id])).json()
    sourcing = sql_resolved_counts(
        user=member,
        family="sourcing",
        group_by="w.value",
        where="vq.outlet_id = %(outlet)s",
        params={"outlet": outlet.id},
    )
    assert body["sourcing"]["total"] == sum(sourcing.values())
    assert body["anonymous_share"] == pytest.approx(
        sourcing.get(("anonymous",), 0) / sum(sourcing.values())
    )
    assert body["media_report_share"] == pytest.approx(
        sourcing.get(("media-report",), 0) / sum(sourcing.values())
    )


def test_outlet_list_counts(api, member):
    article = ArticleFactory()
    quote = QuoteFactory(article=article)
    project = project_with(member, [article])
    votes(project, quote, "sourcing", "anonymous")
    body = api.get(reverse("api:insights-outlets")).json()
    assert body["outlets"] == [
        {
            "id": article.outlet.id,
            "name": article.outlet.name,
            "article_count": 1,
            "quote_count": 1,
            "labelled_quotes": 1,
            "anonymous": 1,
            "media_report": 0,
        }
    ]


def test_search_returns_quotes_and_articles(api, member):
    article = ArticleFactory(text="The ceasefire talks resume, officials said.")
    quote = QuoteFactory(article=article, content_start=0, content_end=24)
    project_with(member, [article])
    body = api.get(reverse("api:insights-search"), {"q": "ceasefire"}).json()
    assert [q["id"] for q in body["quotes"]] == [quote.id]
    assert body["quotes"][0]["content"] == "The ceasefire talks resu"
    assert [a["id"] for a in body["articles"]] == [article.id]


def test_bad_search_input_is_a_400_with_field_messages(api, member):
    response = api.get(reverse("api:insights-search"), {"date_from": "2024-02-30"})
    assert response.status_code == 400
    assert response.json()["fields"]["date_from"] == ["Enter a date as YYYY-MM-DD."]


def test_invisible_or_unknown_objects_are_404(api, member):
    quote = QuoteFactory()
    project_with(UserFactory(), [quote.article])
    assert api.get(reverse("api:insights-speaker", args=[quote.speaker.id])).status_code == 404
    assert (
        api.get(reverse("api:insights-outlet", args=[quote.article.outlet.id])).status_code == 404
    )
    assert api.get(reverse("api:insights-outlet", args=[999999])).status_code == 404
    assert api.get("/api/v1/insights/speakers/abc/").status_code == 404


def test_speaker_endpoint_query_count_is_fixed(api, member, django_assert_max_num_queries):
    corpus = generated_corpus(member, quotes_per_article=6, articles=5)
    speaker = corpus["speakers"][0]
    with django_assert_max_num_queries(10):
        response = api.get(reverse("api:insights-speaker", args=[speaker.id]))
    assert response.status_code == 200

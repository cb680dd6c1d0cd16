"""Search cost stays bounded: limits on the query, capped counts and pages, no article text read.

(bench/search.py measures the timings on a million quotes; these tests pin the behaviour.)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Quote
from insights import search as search_module
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import project_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def api(member):
    api = APIClient()
    api.force_authenticate(member)
    return api


def talks_corpus(member, n=7):
    articles = [ArticleFactory(text=f"{i} Talks will resume soon, he said.") for i in range(n)]
    for article in articles:
        QuoteFactory(article=article, content_start=2, content_end=19)
    project_with(member, articles)
    return articles


def test_more_than_ten_words_is_a_400_on_the_page_and_the_api(client, api, member):
    words = " ".join(["talks"] * 11)
    response = client.get(reverse("insights:search"), {"q": words})
    assert response.status_code == 400
    assert "Search for at most 10 words." in response.content.decode()
    response = api.get(reverse("api:insights-search"), {"q": words})
    assert response.status_code == 400
    assert response.json()["fields"]["q"] == ["Search for at most 10 words."]


def test_a_query_over_200_characters_is_a_400(api):
    response = api.get(reverse("api:insights-search"), {"q": "a" * 201})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_counts_and_pages_stop_at_the_cap(client, api, member, monkeypatch):
    monkeypatch.setattr(search_module, "RESULT_CAP", 4)
    monkeypatch.setattr(search_module, "QUOTES_PER_PAGE", 2)
    talks_corpus(member)
    body = api.get(reverse("api:insights-search"), {"q": "talks"}).json()
    assert (body["count"], body["count_capped"], body["num_pages"]) == (4, True, 2)
    last = api.get(reverse("api:insights-search"), {"q": "talks", "page": 99}).json()
    assert last["page"] == 2 and len(last["quotes"]) == 2
    html = client.get(reverse("insights:search"), {"q": "talks"}).content.decode()
    assert '<span class="count">(4+)</span>' in html


def test_counts_below_the_cap_are_exact(api, member):
    talks_corpus(member)
    body = api.get(reverse("api:insights-search"), {"q": "talks"}).json()
    assert (body["count"], body["count_capped"]) == (7, False)


@pytest.mark.parametrize("params", [{"q": "talks"}, {"q": "talks", "label": "stance:favor"}, {}])
def test_result_lists_never_load_article_text(client, member, params):
    talks_corpus(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:search"), {"kind": "indirect", **params})
    assert response.status_code == 200
    article_text = '"claims_article"."text"'
    selected = [query["sql"].split(" FROM ")[0] for query in queries]
    assert not [columns for columns in selected if article_text in columns]


def test_quote_found_by_its_new_words_after_a_span_change(client, member):
    article = talks_corpus(member, n=1)[0]
    quote = article.quotes.get()
    start = article.text.index("he said")
    Quote.objects.filter(pk=quote.pk).update(content_start=start, content_end=start + 7)
    api = APIClient()
    api.force_authenticate(member)
    found = api.get(reverse("api:insights-search"), {"q": "said"}).json()["quotes"]
    assert [(q["id"], q["content"]) for q in found] == [(quote.id, "he said")]


def test_quote_found_by_its_speakers_new_name(api, member):
    article = talks_corpus(member, n=1)[0]
    speaker = SpeakerFactory(name="Olaf Scholz")
    article.quotes.update(speaker=speaker)
    speaker.name = "Annalena Baerbock"
    speaker.save()
    found = api.get(reverse("api:insights-search"), {"q": "baerbock"}).json()["quotes"]
    assert [q["id"] for q in found] == [article.quotes.get().id]
    assert api.get(reverse("api:insights-search"), {"q": "scholz"}).json()["quotes"] == []

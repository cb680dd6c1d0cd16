"""Search over quotes and articles: words, filters, who sees what, bad input, ranking."""

import pytest
from django.db import connection
from django.urls import reverse

from insights import search as search_module
from insights.search import SearchFilters
from insights.selectors import insight_scope, labels_resolved, quotes_visible
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import generated_corpus, gold, project_with, votes

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking needs PostgreSQL"
)


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def quote_in(article, phrase, **fields):
    start = article.text.index(phrase)
    return QuoteFactory(
        article=article, content_start=start, content_end=start + len(phrase), **fields
    )


def search(client, **params):
    return client.get(reverse("insights:search"), params)


def found_quote_ids(response):
    return [quote.id for quote in response.context["page"].object_list]


def test_search_requires_login(client):
    response = search(client, q="talks")
    assert response.status_code == 302


def test_empty_search_shows_the_form_only(client, member):
    response = search(client)
    assert response.status_code == 200
    assert response.context["searched"] is False


def test_finds_a_quote_by_a_word_in_it(client, member):
    article = ArticleFactory(text="Officials said the ceasefire talks would resume in Geneva.")
    hit = quote_in(article, "the ceasefire talks would resume in Geneva")
    project_with(member, [article])
    response = search(client, q="ceasefire")
    assert found_quote_ids(response) == [hit.id]
    assert "the ceasefire talks would resume in Geneva" in response.content.decode()


def test_finds_a_quote_by_its_speaker_name(client, member):
    article = ArticleFactory(text="Prices will rise, the minister said.")
    hit = quote_in(article, "Prices will rise", speaker=SpeakerFactory(name="Olaf Scholz"))
    project_with(member, [article])
    assert found_quote_ids(search(client, q="scholz")) == [hit.id]


def test_finds_articles_by_title(client, member):
    article = ArticleFactory(title="Grain corridor reopens", text="Ships sailed on Monday.")
    project_with(member, [article])
    response = search(client, q="corridor")
    assert [a.id for a in response.context["articles"]] == [article.id]


def test_never_finds_quotes_outside_my_projects(client, member):
    article = ArticleFactory(text="A secret ceasefire plan was discussed.")
    quote_in(article, "A secret ceasefire plan")
    project_with(UserFactory(), [article])
    response = search(client, q="ceasefire")
    assert found_quote_ids(response) == []
    assert response.context["articles"] == []


def test_rejected_quotes_are_not_found(client, member):
    article = ArticleFactory(text="The ceasefire holds, she said.")
    quote_in(article, "The ceasefire holds", is_rejected=True)
    project_with(member, [article])
    assert found_quote_ids(search(client, q="ceasefire")) == []


def test_filters_by_speaker_outlet_kind_and_dates(client, member):
    outlet_a, outlet_b = OutletFactory(), OutletFactory()
    speaker = SpeakerFactory()
    old = ArticleFactory(outlet=outlet_a, text="Talks old one.", published_at="2023-01-05T12:00Z")
    new = ArticleFactory(outlet=outlet_b, text="Talks new one.", published_at="2024-06-05T12:00Z")
    old_quote = quote_in(old, "Talks old", speaker=speaker, kind="direct")
    new_quote = quote_in(new, "Talks new", kind="indirect")
    project_with(member, [old, new])
    assert found_quote_ids(search(client, q="talks", speaker=speaker.id)) == [old_quote.id]
    assert found_quote_ids(search(client, outlet=outlet_b.id)) == [new_quote.id]
    assert found_quote_ids(search(client, kind="direct")) == [old_quote.id]
    assert found_quote_ids(search(client, date_from="2024-01-01")) == [new_quote.id]
    assert found_quote_ids(search(client, date_to="2023-01-05")) == [old_quote.id]
    assert found_quote_ids(search(client, date_from="2023-01-06", date_to="2024-06-04")) == []
    articles = search(client, q="talks", speaker=speaker.id).context["articles"]
    assert [a.id for a in articles] == [old.id]


def test_label_filter_uses_gold_else_the_majority(client, member):
    article = ArticleFactory(text="x" * 100)
    majority, overruled, tied = (
        QuoteFactory(article=article, content_start=s, content_end=s + 5) for s in (0, 10, 20)
    )
    project = project_with(member, [article])
    votes(project, majority, "stance", "against", "against", "favor")
    votes(project, overruled, "stance", "against", "against")
    gold(project, overruled, "stance", "favor")
    votes(project, tied, "stance", "against", "favor")
    assert found_quote_ids(search(client, label="stance:against")) == [majority.id]
    assert found_quote_ids(search(client, label="stance:favor")) == [overruled.id]


def test_label_filter_ignores_labels_of_projects_i_am_not_in(client, member):
    article = ArticleFactory()
    quote = QuoteFactory(article=article)
    project_with(member, [article])
    theirs = project_with(UserFactory(), [article])
    votes(theirs, quote, "sourcing", "anonymous")
    assert found_quote_ids(search(client, label="sourcing:anonymous")) == []


def test_label_filter_agrees_with_the_aggregate_rule_on_a_generated_corpus(member):
    generated_corpus(member)
    resolved = labels_resolved(
        scope=insight_scope(user=member), quotes=quotes_visible(user=member), family="sourcing"
    )
    for value in ["anonymous", "media-report", "named-official"]:
        expected = sorted(quote_id for (quote_id, _), v in resolved.items() if v == value)
        filters = SearchFilters(label=("sourcing", value))
        found = search_module.search(scope=insight_scope(user=member), filters=filters).quotes
        assert sorted(q.id for q in found) == expected
        assert expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2024-13-45"}, "Enter a date as YYYY-MM-DD."),
        ({"date_to": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "before the start date"),
        ({"speaker": "abc"}, "Enter a whole number."),
        ({"speaker": "999999"}, "No speaker 999999 in your projects."),
        ({"outlet": "999999"}, "No outlet 999999 in your projects."),
        ({"kind": "shouted"}, "Select a valid choice."),
        ({"label": "stance"}, "Write a label as dimension:value"),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, member, params, message):
    response = search(client, q="talks", **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'id="search-error"' in html


def test_results_are_escaped(client, member):
    payload = '<script>alert("x")</script>'
    article = ArticleFactory(title=f"Title {payload}", text=f"He said {payload} today.")
    quote_in(article, payload, speaker=SpeakerFactory(name=f"Evil {payload}"))
    project_with(member, [article])
    response = search(client, q="alert")
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 1
    assert payload not in html
    assert "&lt;script&gt;" in html
    html = search(client, q=payload).content.decode()
    assert payload not in html


def test_query_count_does_not_grow_with_results(client, member, django_assert_max_num_queries):
    articles = [ArticleFactory(text=f"{n} Talks will resume soon.") for n in range(30)]
    for article in articles:
        quote_in(article, "Talks will resume")
    project = project_with(member, articles)
    outlet = articles[0].outlet
    votes(project, articles[0].quotes.get(), "stance", "against")
    with django_assert_max_num_queries(9):
        response = search(client, q="talks", label="stance:against", outlet=outlet.id)
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        response = search(client, q="talks resume")
    assert len(response.context["page"].object_list) == 30


@postgres_only
def test_postgres_ranks_and_stems(client, member):
    article = ArticleFactory(
        text="Negotiations on negotiations. Weather is fine, a negotiator said of it."
    )
    strong = quote_in(article, "Negotiations on negotiations")
    weak = quote_in(article, "Weather is fine, a negotiator said")
    project_with(member, [article])
    response = search(client, q="negotiation")
    assert found_quote_ids(response)[0] == strong.id
    assert weak.id not in found_quote_ids(search(client, q="negotiating -weather"))
    assert response.context["full_text"] is True

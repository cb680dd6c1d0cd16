"""Blind mode holds in insights: figures count only the labels the user may see in each project.

In a blind project an annotator sees only their own labels and no gold; reviewers, managers and
superusers see everything (annotations.access.sees_all_labels). Every door is tried: the
search page and API (label filter), the speaker page, API and CSV, the outlet page, API and CSV,
the outlet list page, API and CSV.
"""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from insights.search import SearchFilters, search
from insights.selectors import insight_scope, labels_resolved, quotes_visible
from tests.factories import ArticleFactory, OutletFactory, QuoteFactory, SpeakerFactory, UserFactory
from tests.insights.insight_data import (
    generated_corpus,
    gold,
    label,
    month_sql,
    project_with,
    sql_resolved_counts,
    votes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def blind():
    """A blind project: another annotator labelled one quote, a reviewer gave another gold."""
    outlet = OutletFactory(name="Daily")
    speaker = SpeakerFactory(name="Ann Minister")
    article = ArticleFactory(
        outlet=outlet,
        title="A fixed title",  # the pages are searched for answers' names: no random words
        text="x" * 100,
        published_at="2024-03-05T10:00:00Z",
    )
    labelled, golden, mine = (
        QuoteFactory(article=article, speaker=speaker, content_start=s, content_end=s + 5)
        for s in (0, 10, 20)
    )
    viewer = UserFactory()
    project = project_with(viewer, [article], targets=["talks"], blind_mode=True)
    votes(project, labelled, "stance", "against")
    votes(project, labelled, "sourcing", "anonymous")
    gold(project, golden, "stance", "favor")
    gold(project, golden, "sourcing", "media-report")
    return {
        "project": project,
        "viewer": viewer,
        "outlet": outlet,
        "speaker": speaker,
        "labelled": labelled,
        "golden": golden,
        "mine": mine,
    }


def page_client(client, user):
    client.force_login(user)
    return client


def api_client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def search_ids(response):
    return [quote.id for quote in response.context["page"].object_list]


# --- the annotator with no labels sees nothing of anyone's ------------------------------------


@pytest.mark.parametrize("label_filter", ["stance:against", "sourcing:anonymous"])
def test_search_page_label_filter_ignores_other_annotators_labels(client, blind, label_filter):
    client = page_client(client, blind["viewer"])
    response = client.get(reverse("insights:search"), {"label": label_filter})
    assert search_ids(response) == []
    assert response.context["articles"] == []


@pytest.mark.parametrize("label_filter", ["stance:favor", "sourcing:media-report"])
def test_search_page_label_filter_ignores_gold_in_a_blind_project(client, blind, label_filter):
    client = page_client(client, blind["viewer"])
    response = client.get(reverse("insights:search"), {"label": label_filter})
    assert search_ids(response) == []


@pytest.mark.parametrize(
    "label_filter",
    ["stance:against", "sourcing:anonymous", "stance:favor", "sourcing:media-report"],
)
def test_search_api_label_filter_ignores_hidden_labels(blind, label_filter):
    api = api_client(blind["viewer"])
    body = api.get(reverse("api:insights-search"), {"label": label_filter}).json()
    assert body["count"] == 0
    assert body["quotes"] == [] and body["articles"] == []


def test_speaker_page_counts_no_hidden_label(client, blind):
    client = page_client(client, blind["viewer"])
    response = client.get(reverse("insights:speaker-detail", args=[blind["speaker"].id]))
    insights = response.context["insights"]
    assert insights.stance_tables == []
    assert insights.sourcing_table.total == 0
    assert insights.labelled_quotes == 0
    assert "against" not in response.content.decode()


def test_speaker_csv_counts_no_hidden_label(client, blind):
    client = page_client(client, blind["viewer"])
    url = reverse("insights:speaker-detail", args=[blind["speaker"].id])
    assert csv_rows(client.get(url, {"format": "csv", "chart": "sourcing"}))[1:] == []
    assert client.get(url, {"format": "csv", "chart": "stance-1"}).status_code == 400


def test_speaker_api_counts_no_hidden_label(blind):
    api = api_client(blind["viewer"])
    body = api.get(reverse("api:insights-speaker", args=[blind["speaker"].id])).json()
    assert body["stance"] == []
    assert body["sourcing"]["total"] == 0
    assert body["labelled_quotes"] == 0


def test_outlet_page_counts_no_hidden_label(client, blind):
    client = page_client(client, blind["viewer"])
    response = client.get(reverse("insights:outlet-detail", args=[blind["outlet"].id]))
    insights = response.context["insights"]
    assert insights.stance_table.total == 0
    assert insights.sourcing_table.total == 0
    assert insights.anonymous_share is None and insights.media_report_share is None


@pytest.mark.parametrize("chart", ["stance", "sourcing"])
def test_outlet_csv_counts_no_hidden_label(client, blind, chart):
    client = page_client(client, blind["viewer"])
    url = reverse("insights:outlet-detail", args=[blind["outlet"].id])
    assert csv_rows(client.get(url, {"format": "csv", "chart": chart}))[1:] == []


def test_outlet_api_counts_no_hidden_label(blind):
    api = api_client(blind["viewer"])
    body = api.get(reverse("api:insights-outlet", args=[blind["outlet"].id])).json()
    assert body["stance"]["total"] == 0
    assert body["sourcing"]["total"] == 0
    assert body["anonymous_share"] is None


def test_outlet_list_page_and_csv_count_no_hidden_label(client, blind):
    client = page_client(client, blind["viewer"])
    response = client.get(reverse("insights:outlet-list"))
    assert dict(response.context["rows"])[blind["outlet"]] is None
    rows = csv_rows(
        client.get(
            reverse("insights:outlet-list"), {"format": "csv", "chart": "sourcing-by-outlet"}
        )
    )
    assert rows[1:] == []


def test_outlet_list_api_counts_no_hidden_label(blind):
    body = api_client(blind["viewer"]).get(reverse("api:insights-outlets")).json()
    assert body["outlets"][0]["labelled_quotes"] == 0
    assert body["outlets"][0]["anonymous"] == 0
    assert body["outlets"][0]["media_report"] == 0
    assert body["sourcing"]["total"] == 0


# --- what does count --------------------------------------------------------------------------


def test_annotators_own_labels_count_for_them(client, blind):
    label(blind["project"], blind["mine"], blind["viewer"], "stance", "neutral")
    client = page_client(client, blind["viewer"])
    found = client.get(reverse("insights:search"), {"label": "stance:neutral"})
    assert search_ids(found) == [blind["mine"].id]
    url = reverse("insights:speaker-detail", args=[blind["speaker"].id])
    rows = csv_rows(client.get(url, {"format": "csv", "chart": "stance-1"}))
    assert rows[1:] == [["2024-03", "0", "0", "1", "0", "1"]]


def test_own_label_counts_even_where_a_hidden_gold_label_exists(client, blind):
    label(blind["project"], blind["golden"], blind["viewer"], "stance", "against")
    client = page_client(client, blind["viewer"])
    found = client.get(reverse("insights:search"), {"label": "stance:against"})
    assert search_ids(found) == [blind["golden"].id]


@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_reviewers_and_managers_see_everyones_labels_and_gold(client, blind, role):
    adjudicator = UserFactory()
    blind["project"].memberships.create(user=adjudicator, role=role)
    client = page_client(client, adjudicator)
    search = reverse("insights:search")
    assert search_ids(client.get(search, {"label": "stance:against"})) == [blind["labelled"].id]
    assert search_ids(client.get(search, {"label": "stance:favor"})) == [blind["golden"].id]
    body = api_client(adjudicator).get(reverse("api:insights-outlet", args=[blind["outlet"].id]))
    assert body.json()["sourcing"]["total"] == 2


def test_superuser_sees_everyones_labels_and_gold(blind):
    body = api_client(UserFactory(is_superuser=True, is_staff=True)).get(
        reverse("api:insights-speaker", args=[blind["speaker"].id])
    )
    assert body.json()["labelled_quotes"] == 2


def test_each_project_keeps_its_own_rule(client, blind):
    """Open-project labels count for the same annotator; the blind project's still do not."""
    open_project = project_with(
        blind["viewer"], [blind["labelled"].article], targets=["talks"], blind_mode=False
    )
    votes(open_project, blind["mine"], "sourcing", "document")
    client = page_client(client, blind["viewer"])
    search = reverse("insights:search")
    assert search_ids(client.get(search, {"label": "sourcing:document"})) == [blind["mine"].id]
    assert search_ids(client.get(search, {"label": "sourcing:anonymous"})) == []


# --- a generated blind corpus, checked against the rule written by hand in SQL ----------------


@pytest.mark.parametrize("role", ["annotator", "reviewer"])
def test_speaker_and_outlet_figures_match_direct_sql_in_a_blind_project(role):
    member = UserFactory()
    corpus = generated_corpus(member, blind_mode=True, role=role)
    api = api_client(member)
    for speaker in corpus["speakers"]:
        body = api.get(reverse("api:insights-speaker", args=[speaker.id])).json()
        shown = {
            (table["title"].split("“")[1].rstrip("”"), row["label"], value): n
            for table in body["stance"]
            for row in table["rows"]
            for value, n in row["counts"].items()
            if n
        }
        expected = sql_resolved_counts(
            user=member,
            family="stance",
            group_by=f"w.target, {month_sql()}, w.value",
            where="vq.speaker_id = %(speaker)s",
            params={"speaker": speaker.id},
        )
        assert shown == expected and expected
    for outlet in corpus["outlets"]:
        body = api.get(reverse("api:insights-outlet", args=[outlet.id])).json()
        counts = body["sourcing"]["rows"][0]["counts"]
        expected = sql_resolved_counts(
            user=member,
            family="sourcing",
            group_by="w.value",
            where="vq.outlet_id = %(outlet)s",
            params={"outlet": outlet.id},
        )
        assert {(k,): v for k, v in counts.items() if v} == expected


def test_label_filter_agrees_with_the_figures_in_a_blind_project():
    member = UserFactory()
    generated_corpus(member, blind_mode=True)
    scope = insight_scope(user=member)
    resolved = labels_resolved(scope=scope, quotes=quotes_visible(user=member), family="sourcing")
    for value in ["anonymous", "media-report", "named-official"]:
        expected = sorted(quote_id for (quote_id, _), v in resolved.items() if v == value)
        found = search(scope=scope, filters=SearchFilters(label=("sourcing", value))).quotes
        assert sorted(q.id for q in found) == expected


def test_staff_without_superuser_see_only_their_projects(client, blind):
    """ "Sees everything" is one rule, an active superuser (claims.access.sees_everything):
    admin staff status alone opens no project's quotes or labels."""
    client = page_client(client, UserFactory(is_staff=True))
    search = reverse("insights:search")
    # The speaker is not one they can see: the form says so, and no quote is listed.
    response = client.get(search, {"speaker": blind["speaker"].id})
    assert "No speaker" in response.content.decode()
    assert search_ids(client.get(search, {"label": "stance:against"})) == []

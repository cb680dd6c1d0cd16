"""Labels, queue, gold, agreement and comments through /api/v1/projects/{id}/…"""

import pytest
from rest_framework.test import APIClient

from annotations.labelling.projects import membership_set, project_create
from annotations.models import Label, LabelHistory
from tests.factories import ArticleFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db

LABELS = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def team():
    manager, ann1, ann2, reviewer = (UserFactory() for _ in range(4))
    project = project_create(name="P", created_by=manager, annotators_per_quote=2)
    membership_set(project=project, user=ann1, role="annotator")
    membership_set(project=project, user=ann2, role="annotator")
    membership_set(project=project, user=reviewer, role="reviewer")
    article = ArticleFactory(text="x" * 200)
    project.articles.add(article)
    quotes = [
        QuoteFactory(article=article, content_start=i * 10, content_end=i * 10 + 5)
        for i in range(3)
    ]
    return {
        "project": project,
        "manager": manager,
        "ann1": ann1,
        "ann2": ann2,
        "reviewer": reviewer,
        "quotes": quotes,
    }


def url(team, path):
    return f"/api/v1/projects/{team['project'].id}/{path}"


def test_save_labels_in_one_request_and_again_keeps_history(team):
    api, quote = client_for(team["ann1"]), team["quotes"][0]
    response = api.post(
        url(team, "labels/"), {"quote": quote.id, "labels": LABELS, "note": "clear"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert {row["dimension"]: row["values"] for row in response.json()} == {
        k: [v] for k, v in LABELS.items()
    }
    api.post(
        url(team, "labels/"),
        {"quote": quote.id, "labels": {**LABELS, "stance": "favor"}},
        format="json",
    )
    stance = Label.objects.get(annotator=team["ann1"], dimension__key="stance")
    assert [c.value for c in stance.choices.all()] == ["favor"]
    assert [h.values for h in LabelHistory.objects.filter(label=stance).order_by("id")] == [
        ["against"],
        ["favor"],
    ]


def test_unknown_dimensions_and_choices_are_named_in_the_400(team):
    api = client_for(team["ann1"])
    response = api.post(
        url(team, "labels/"),
        {"quote": team["quotes"][0].id, "labels": {**LABELS, "stanse": "x", "sourcing": "maybe"}},
        format="json",
    )
    assert response.status_code == 400
    messages = " ".join(response.json()["fields"]["labels"])
    assert "stanse" in messages and "maybe" in messages
    assert not Label.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"quote": "one", "labels": LABELS},
        {"quote": 999999, "labels": LABELS},
        {"labels": LABELS},
        {"quote": 1, "labels": "against"},
        {"quote": 1, "labels": {"stance": 5}},
    ],
)
def test_malformed_label_requests_are_400s(team, payload):
    if payload.get("quote") == 1:
        payload = {**payload, "quote": team["quotes"][0].id}
    response = client_for(team["ann1"]).post(url(team, "labels/"), payload, format="json")
    assert response.status_code == 400
    assert not Label.objects.exists()


def test_queue_hands_out_quotes_then_204(team):
    api = client_for(team["ann1"])
    seen = []
    for _ in range(3):
        item = api.get(url(team, "queue/next/")).json()
        seen.append(item["quote"]["id"])
        api.post(
            url(team, "labels/"), {"quote": item["quote"]["id"], "labels": LABELS}, format="json"
        )
    assert sorted(seen) == sorted(q.id for q in team["quotes"])
    assert api.get(url(team, "queue/next/")).status_code == 204


def test_queue_skip_and_undo(team):
    api = client_for(team["ann1"])
    first = api.get(url(team, "queue/next/")).json()["quote"]["id"]
    second = api.post(url(team, "queue/skip/"), {"quote": first}, format="json").json()["quote"][
        "id"
    ]
    assert second != first
    api.post(url(team, "labels/"), {"quote": second, "labels": LABELS}, format="json")
    undone = api.post(url(team, "queue/undo/")).json()
    assert undone["quote"]["id"] == second
    assert undone["my_labels"]["stance"] == ["against"]


def test_reviewer_sets_gold_and_annotator_cannot(team):
    quote = team["quotes"][0]
    payload = {"quote": quote.id, "dimension": "stance", "values": "neutral"}
    assert (
        client_for(team["ann1"]).post(url(team, "gold/"), payload, format="json").status_code == 403
    )
    response = client_for(team["reviewer"]).post(url(team, "gold/"), payload, format="json")
    assert response.status_code == 201
    assert response.json()["method"] == "reviewer"
    gold = client_for(team["manager"]).get(url(team, "gold/")).json()
    assert [(g["dimension"], g["values"]) for g in gold] == [("stance", ["neutral"])]


@pytest.mark.parametrize("values", [5, ["neutral", 3], {"a": 1}, "nonsense"])
def test_bad_gold_values_are_400s(team, values):
    payload = {"quote": team["quotes"][0].id, "dimension": "stance", "values": values}
    assert (
        client_for(team["reviewer"]).post(url(team, "gold/"), payload, format="json").status_code
        == 400
    )


def test_unanimous_labels_become_gold_by_themselves(team):
    quote = team["quotes"][0]
    for who in ("ann1", "ann2"):
        client_for(team[who]).post(
            url(team, "labels/"), {"quote": quote.id, "labels": LABELS}, format="json"
        )
    gold = client_for(team["reviewer"]).get(url(team, "gold/"), {"quote": quote.id}).json()
    assert {(g["dimension"], g["method"]) for g in gold} == {(k, "unanimous") for k in LABELS}


def test_blind_mode_hides_others_labels_from_annotators(team):
    quote = team["quotes"][0]
    for who in ("ann1", "ann2"):
        client_for(team[who]).post(
            url(team, "labels/"), {"quote": quote.id, "labels": LABELS}, format="json"
        )
    mine = client_for(team["ann1"]).get(url(team, "labels/")).json()
    assert {row["annotator"] for row in mine} == {team["ann1"].username}
    everyone = client_for(team["reviewer"]).get(url(team, "labels/")).json()
    assert {row["annotator"] for row in everyone} == {team["ann1"].username, team["ann2"].username}
    assert client_for(team["ann1"]).get(url(team, "agreement/")).status_code == 403
    assert client_for(team["ann1"]).get(url(team, "gold/")).status_code == 403


def test_agreement_reports_alpha_kappa_counts_and_progress(team):
    for index, quote in enumerate(team["quotes"]):
        client_for(team["ann1"]).post(
            url(team, "labels/"), {"quote": quote.id, "labels": LABELS}, format="json"
        )
        other = {**LABELS, "stance": "favor" if index == 0 else "against"}
        client_for(team["ann2"]).post(
            url(team, "labels/"), {"quote": quote.id, "labels": other}, format="json"
        )
    body = client_for(team["manager"]).get(url(team, "agreement/")).json()
    stance = next(d for d in body["dimensions"] if d["key"] == "stance")
    assert stance["quotes_with_disagreement"] == 1 and stance["labels"] == 6
    assert stance["kappa"][0]["shared_quotes"] == 3
    attribution = next(d for d in body["dimensions"] if d["key"] == "attribution")
    assert attribution["alpha"] is None and attribution["alpha_reason"]
    assert body["progress"]["done"] == 6 and body["progress"]["needed"] == 6


def test_comments_thread_on_a_quote(team):
    quote = team["quotes"][0]
    path = url(team, f"quotes/{quote.id}/comments/")
    response = client_for(team["ann1"]).post(
        path, {"text": "Is this <b>sarcasm</b>?"}, format="json"
    )
    assert response.status_code == 201
    thread = client_for(team["reviewer"]).get(path).json()
    assert [(c["author"], c["text"]) for c in thread] == [
        (team["ann1"].username, "Is this <b>sarcasm</b>?")
    ]
    assert client_for(team["ann1"]).post(path, {"text": "   "}, format="json").status_code == 400
    assert client_for(UserFactory()).get(path).status_code == 404


def test_quote_of_another_project_is_a_400(team):
    other = QuoteFactory()
    response = client_for(team["ann1"]).post(
        url(team, "labels/"), {"quote": other.id, "labels": LABELS}, format="json"
    )
    assert response.status_code == 400
    assert "quote" in response.json()["fields"]

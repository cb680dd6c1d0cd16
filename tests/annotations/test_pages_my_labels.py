"""My labels (/projects/{id}/annotate/mine/) and reopening from it; seconds sent by the page."""

import pytest
from django.urls import reverse

from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.queue import assign_next_quote, assignment_skip
from annotations.models import Assignment
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
FETCH = {"headers": {"X-Requested-With": "fetch"}}
MINE = "annotations:my-labels"


def reopen_url(project, quote):
    return reverse("annotations:quote-reopen", args=[project.id, quote.id])


def test_the_list_shows_skipped_and_submitted_quotes_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    project, quotes, (ann, _) = labelling_project(quotes=12)
    for quote in quotes[:10]:
        label_save(project=project, quote=quote, annotator=ann, labels=FULL, seconds=5)
    skipped = assign_next_quote(project=project, annotator=ann)
    assignment_skip(project=project, annotator=ann, quote=skipped)
    client.force_login(ann)
    with django_assert_max_num_queries(9):  # session, user, project + membership, my_items
        response = client.get(reverse(MINE, args=[project.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skipped (1)" in html and "Submitted (10)" in html
    assert html.count(">Reopen</button>") == 11
    assert "5 s" in html
    only = client.get(reverse(MINE, args=[project.id]), {"status": "skipped"}).content.decode()
    assert only.count(">Reopen</button>") == 1


@pytest.mark.parametrize("status", ["nonsense", "<script>", ""])
def test_an_unknown_filter_shows_everything(client, status):
    project, _, (ann, _) = labelling_project()
    client.force_login(ann)
    response = client.get(reverse(MINE, args=[project.id]), {"status": status, "page": "x"})
    assert response.status_code == 200


def test_outsiders_get_404(client):
    project, (quote, *_), _ = labelling_project()
    client.force_login(UserFactory())
    assert client.get(reverse(MINE, args=[project.id])).status_code == 404
    assert client.post(reopen_url(project, quote)).status_code == 404


def test_reopen_puts_the_quote_back_on_the_card(client):
    project, quotes, (ann, _) = labelling_project()
    label_save(project=project, quote=quotes[0], annotator=ann, labels=FULL)
    client.force_login(ann)
    response = client.post(reopen_url(project, quotes[0]))
    assert response["Location"] == reverse("annotations:annotate", args=[project.id])
    page = client.get(response["Location"]).content.decode()
    assert f'data-quote="{quotes[0].id}"' in page
    assert "Reopened" in page
    assert 'value="favor" data-shortcut="1" tabindex="-1" checked' in page  # answers kept


def test_a_refused_reopen_is_a_400_saying_why(client):
    project, (quote, other, _), (ann, _) = labelling_project()
    label_save(project=project, quote=quote, annotator=ann, labels=FULL)
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    gold_set(
        project=project, quote=quote, dimension_key="stance", values="favor", reviewer=reviewer
    )
    client.force_login(ann)
    response = client.post(reopen_url(project, quote))
    assert response.status_code == 400
    assert "settled" in response.content.decode()
    assert client.post(reopen_url(project, other)).status_code == 400  # never had it
    missing = reverse("annotations:quote-reopen", args=[project.id, 999_999])
    assert client.post(missing).status_code == 404


def test_the_page_sends_the_seconds_spent_and_a_bad_value_is_a_400(client):
    project, (quote, *_), (ann, _) = labelling_project()
    client.force_login(ann)
    client.get(reverse("annotations:annotate", args=[project.id]))
    data = {"quote": quote.id, **{f"label-{k}": v for k, v in FULL.items()}}
    submit = reverse("annotations:annotate-submit", args=[project.id])
    response = client.post(submit, {**data, "seconds": "soon"}, **FETCH)
    assert response.status_code == 400 and "seconds" in response.content.decode()
    assert client.post(submit, {**data, "seconds": "6.25"}, **FETCH).status_code == 200
    assert Assignment.objects.get(annotator=ann, quote=quote).seconds_spent == 6.2

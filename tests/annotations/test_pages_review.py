"""The review page: disagreements worst first, labels side by side, gold by key or click."""

import pytest
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.labelling.schema import choice_archive_or_delete
from annotations.models import Choice, Gold
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
FETCH = {"headers": {"X-Requested-With": "fetch"}}
# Session, user, project, membership, the schema, review_queue's fixed queries and the
# listed quotes' comments and every choice (archived ones name old answers), whatever the
# number of quotes.
QUERIES_REVIEW = 17


def disagreeing_project(quotes=2):
    project, rows, (a, b) = labelling_project(quotes=quotes)
    for quote in rows:
        label_save(project=project, quote=quote, annotator=a, labels=FULL)
        label_save(project=project, quote=quote, annotator=b, labels={**FULL, "stance": "against"})
    reviewer = UserFactory()
    membership_set(project=project, user=reviewer, role="reviewer")
    return project, rows, (a, b), reviewer


def url(project, name="review"):
    return reverse(f"annotations:{name}", args=[project.id])


def test_annotator_cannot_open_the_review_page(client):
    project, _, (annotator, _), _ = disagreeing_project()
    client.force_login(annotator)
    assert client.get(url(project)).status_code == 403
    data = {"quote": 1, "dimension": "stance", "value": "favor"}
    assert client.post(url(project, "review-gold"), data).status_code == 403
    assert not Gold.objects.filter(method="reviewer").exists()


def test_non_member_gets_404(client):
    project, _, _, _ = disagreeing_project()
    client.force_login(UserFactory())
    assert client.get(url(project)).status_code == 404


def test_reviewer_sees_each_annotators_labels_side_by_side_and_unanimous_gold(client):
    project, (quote, _), (a, b), reviewer = disagreeing_project()
    client.force_login(reviewer)
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="review-{quote.id}"' in html
    assert f"<th>{a.username}</th><th>{b.username}</th>" in html
    assert '<span class="answer">Favor</span>' in html
    assert '<span class="answer">Against</span>' in html
    assert 'class="review-dim is-open" tabindex="0" data-key="stance"' in html
    assert '<span class="badge gold-unanimous">Unanimous</span>' in html  # attribution
    assert "csrfmiddlewaretoken" in html


def test_manager_picks_gold_and_the_item_says_it_is_resolved(client):
    project, (quote, _), _, _ = disagreeing_project()
    manager = project.memberships.get(role="manager").user
    client.force_login(manager)
    data = {"quote": quote.id, "dimension": "stance", "value": "against"}
    response = client.post(url(project, "review-gold"), data, **FETCH)
    assert response.status_code == 200
    assert "every disagreement now has a gold label" in response.content.decode()
    gold = Gold.objects.get(quote=quote, dimension__key="stance")
    assert gold.method == "reviewer" and [c.value for c in gold.choices.all()] == ["against"]
    assert f'id="review-{quote.id}"' not in client.get(url(project)).content.decode()


def test_a_bad_gold_value_is_reported_not_a_500(client):
    project, (quote, _), _, reviewer = disagreeing_project()
    client.force_login(reviewer)
    data = {"quote": quote.id, "dimension": "stance", "value": "maybe"}
    response = client.post(url(project, "review-gold"), data, **FETCH)
    assert response.status_code == 400
    assert "unknown choice &#x27;maybe&#x27;" in response.content.decode()


def test_nothing_to_review_says_so(client):
    project, _, _ = labelling_project()
    client.force_login(project.memberships.get(role="manager").user)
    assert "No disagreements are waiting" in client.get(url(project)).content.decode()


@pytest.mark.parametrize("quotes", [5, 30])
def test_query_count_does_not_grow_with_the_number_of_quotes(
    client, django_assert_max_num_queries, quotes
):
    project, _, _, reviewer = disagreeing_project(quotes=quotes)
    client.force_login(reviewer)
    with django_assert_max_num_queries(QUERIES_REVIEW):
        response = client.get(url(project))
    assert response.content.decode().count('class="review-item"') == min(quotes, 25)


def test_an_answer_with_an_archived_choice_shows_its_label_and_is_not_offered_as_gold(client):
    project, _, _, reviewer = disagreeing_project()
    favor = Choice.objects.get(dimension__project=project, dimension__key="stance", value="favor")
    assert choice_archive_or_delete(choice=favor) == "archived"
    client.force_login(reviewer)
    page = client.get(url(project)).content.decode()
    assert "Favor" in page  # the old answer, by its label
    assert 'value="favor"' not in page  # no longer a gold option

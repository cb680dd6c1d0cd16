"""The annotator's page: the next quote in its paragraph, labelling, skip, undo, permissions."""

import pytest
from django.test import Client
from django.urls import reverse

from annotations.labelling.labels import label_save
from annotations.models import Assignment, Label
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
FETCH = {"headers": {"X-Requested-With": "fetch"}}
# The page: session, user, project, membership, the queue (assign_next_quote), the quote, the
# schema, my labels, both progress figures and the comments. Submitting adds label_save (one
# insert per dimension, not per quote) and the next card. Neither grows with the quotes.
QUERIES_PAGE = 17
QUERIES_SUBMIT = 55


def url(project, name="annotate"):
    return reverse(f"annotations:{name}", args=[project.id])


def post_labels(client, project, quote, labels=FULL, note=""):
    data = {"quote": quote.id, "note": note, **{f"label-{k}": v for k, v in labels.items()}}
    return client.post(url(project, "annotate-submit"), data, **FETCH)


def test_non_member_gets_404(client):
    project, _, _ = labelling_project()
    client.force_login(UserFactory())
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project, "annotate-submit"), {"quote": 1}).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client):
    project, _, _ = labelling_project()
    response = client.get(url(project))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_shows_the_first_quote_in_its_paragraph_with_choices_and_shortcuts(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    response = client.get(url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-quote="{quotes[0].id}"' in html
    assert (
        '<span class="q q-indirect" data-start="0">Sentence number 0000</span>'
        '<span data-start="20">. Sentence number 0001.'
    ) in html
    assert 'data-shortcut="1"' in html and "<kbd>1</kbd> Favor" in html
    assert "The quote supports the target." in html  # choice definition
    assert "csrfmiddlewaretoken" in html
    assert 'src="/static/js/annotate.js"' in html
    assert Assignment.objects.get(annotator=annotator).quote == quotes[0]


def test_submitting_saves_the_labels_and_answers_with_the_next_card(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.get(url(project))
    response = post_labels(client, project, quotes[0], note="clear case")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="annotate-card"')
    assert f'data-quote="{quotes[1].id}"' in html
    saved = {
        label.dimension.key: [c.value for c in label.choices.all()]
        for label in Label.objects.filter(annotator=annotator, quote=quotes[0])
    }
    assert saved == {key: [value] for key, value in FULL.items()}
    assert Label.objects.filter(annotator=annotator, note="clear case").count() == 3


def test_submitting_without_javascript_redirects_back_to_the_page(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.get(url(project))
    data = {"quote": quotes[0].id, **{f"label-{k}": v for k, v in FULL.items()}}
    response = client.post(url(project, "annotate-submit"), data)
    assert response.status_code == 302
    assert response["Location"] == url(project)


def test_a_missing_dimension_is_shown_in_the_card_and_nothing_is_saved(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.get(url(project))
    response = post_labels(client, project, quotes[0], labels={"stance": "against"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer Attribution and Sourcing before submitting." in html  # names, not keys
    assert "missing required dimension" not in html
    assert html.count('aria-invalid="true"') == 2
    assert f'data-quote="{quotes[0].id}"' in html
    assert 'value="against" data-shortcut="2" tabindex="-1" checked' in html  # kept
    assert not Label.objects.exists()


@pytest.mark.parametrize("quote_id", ["abc", "999999999", "-1", ""])
def test_a_bad_quote_id_is_a_400_not_a_500(client, quote_id):
    project, _, (annotator, _) = labelling_project()
    client.force_login(annotator)
    data = {"quote": quote_id, "label-stance": "favor"}
    response = client.post(url(project, "annotate-submit"), data, **FETCH)
    assert response.status_code == 400
    assert not Label.objects.exists()


def test_an_unknown_choice_value_is_reported_not_a_500(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.get(url(project))
    response = post_labels(client, project, quotes[0], labels={**FULL, "stance": "<b>bogus</b>"})
    assert response.status_code == 400
    assert "unknown choice &#x27;&lt;b&gt;bogus&lt;/b&gt;&#x27;" in response.content.decode()


def test_skip_moves_on_and_the_quote_never_comes_back(client):
    project, quotes, (annotator, _) = labelling_project(quotes=2)
    client.force_login(annotator)
    client.get(url(project))
    response = client.post(url(project, "annotate-skip"), {"quote": quotes[0].id}, **FETCH)
    assert response.status_code == 200
    assert f'data-quote="{quotes[1].id}"' in response.content.decode()
    assert Assignment.objects.get(quote=quotes[0], annotator=annotator).status == "skipped"


def test_undo_reopens_the_last_submission_with_its_labels_checked(client):
    project, quotes, (annotator, _) = labelling_project()
    client.force_login(annotator)
    client.get(url(project))
    post_labels(client, project, quotes[0], labels={**FULL, "stance": "neutral"}, note="hmm")
    response = client.post(url(project, "annotate-undo"), **FETCH)
    html = response.content.decode()
    assert f'data-quote="{quotes[0].id}"' in html
    assert 'value="neutral" data-shortcut="3" tabindex="-1" checked' in html
    assert ">hmm</textarea>" in html
    assert client.get(url(project)).context["quote"] == quotes[0]


def test_an_empty_queue_says_so(client):
    project, quotes, (annotator, _) = labelling_project(quotes=1)
    label_save(project=project, quote=quotes[0], annotator=annotator, labels=FULL)
    client.force_login(annotator)
    response = client.get(url(project))
    assert response.status_code == 200
    assert "Nothing left to label" in response.content.decode()


def test_progress_bars_show_mine_and_the_projects(client):
    project, quotes, (annotator, other) = labelling_project(quotes=2)
    label_save(project=project, quote=quotes[0], annotator=other, labels=FULL)
    client.force_login(annotator)
    html = client.get(url(project)).content.decode()
    assert 'id="my-progress" max="2" value="0"' in html
    assert 'id="project-progress" max="4" value="1"' in html


def test_posts_without_a_csrf_token_are_refused():
    project, quotes, (annotator, _) = labelling_project()
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    data = {"quote": quotes[0].id, **{f"label-{k}": v for k, v in FULL.items()}}
    assert client.post(url(project, "annotate-submit"), data, **FETCH).status_code == 403
    assert not Label.objects.exists()


@pytest.mark.parametrize("quotes", [5, 30])
def test_query_count_does_not_grow_with_the_number_of_quotes(
    client, django_assert_max_num_queries, quotes
):
    project, rows, (annotator, other) = labelling_project(quotes=quotes)
    for quote in rows[:3]:
        label_save(project=project, quote=quote, annotator=other, labels=FULL)
    client.force_login(annotator)
    client.get(url(project))  # the session and the first assignment
    with django_assert_max_num_queries(QUERIES_PAGE):
        assert client.get(url(project)).status_code == 200
    with django_assert_max_num_queries(QUERIES_SUBMIT):
        assert post_labels(client, project, rows[0]).status_code == 200

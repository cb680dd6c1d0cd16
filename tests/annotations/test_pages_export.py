"""Exporting the dataset from the project's dashboard: reviewers and managers get a form with
the API's formats and options and the number of quotes it holds; the download streams the same
records; annotators and outsiders are refused, bad options are a 400 saying what is wrong."""

import csv
import io
import json

import pytest
from django.urls import reverse

from annotations.export import FORMATS, DatasetExporter, ExportOptions
from annotations.labelling.gold import gold_set
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set
from annotations.models import Quote
from tests.factories import UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FAVOR = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
AGAINST = {"stance": "against", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def project_with_labels():
    project, quotes, (ann1, ann2) = labelling_project(quotes=4, blind_mode=False)
    manager = project.memberships.get(role="manager").user
    reviewer = UserFactory(username="reviewer-rita")
    membership_set(project=project, user=reviewer, role="reviewer")
    label_save(project=project, quote=quotes[0], annotator=ann1, labels=FAVOR)
    label_save(project=project, quote=quotes[0], annotator=ann2, labels=FAVOR)  # unanimous
    label_save(project=project, quote=quotes[1], annotator=ann1, labels=FAVOR)
    label_save(project=project, quote=quotes[1], annotator=ann2, labels=AGAINST)
    gold_set(
        project=project, quote=quotes[1], dimension_key="stance", values="favor", reviewer=reviewer
    )
    Quote.objects.filter(pk=quotes[3].pk).update(is_rejected=True)  # not in the dataset
    return project, quotes, manager, reviewer, ann1


def dashboard(project):
    return reverse("annotations:dashboard", args=[project.id])


def download(project):
    return reverse("annotations:export", args=[project.id])


def content(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def jsonl(response) -> list[dict]:
    return [json.loads(line) for line in content(response).split("\n")[:-1]]


def test_managers_see_the_form_with_every_format_and_the_count(client, project_with_labels):
    project, _, manager, _, _ = project_with_labels
    client.force_login(manager)
    html = client.get(dashboard(project)).content.decode()
    assert 'id="export"' in html
    assert "3 quotes</strong>, 2 with gold" in html  # 4 quotes, one marked "not a quote"
    for export_format in FORMATS.values():
        assert f'<option value="{export_format.name}">' in html
    assert 'name="pseudonymise"' in html


def test_reviewers_see_the_form_without_real_names(client, project_with_labels):
    project, _, _, reviewer, _ = project_with_labels
    client.force_login(reviewer)
    html = client.get(dashboard(project)).content.decode()
    assert 'id="export"' in html
    assert 'name="pseudonymise"' not in html


def test_annotators_see_no_form_and_are_refused_the_download(client, project_with_labels):
    project, _, _, _, annotator = project_with_labels
    client.force_login(annotator)
    response = client.get(dashboard(project))
    assert response.status_code == 200  # an open project's dashboard
    assert 'id="export"' not in response.content.decode()
    assert client.get(download(project)).status_code == 403


def test_outsiders_get_404_and_visitors_the_login(client, project_with_labels):
    project, *_ = project_with_labels
    other, _, _ = labelling_project()
    outsider = other.memberships.get(role="manager").user  # a manager, of another project
    client.force_login(outsider)
    assert client.get(download(project)).status_code == 404
    client.logout()
    response = client.get(download(project))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_download_streams_the_same_records_as_the_exporter(client, project_with_labels):
    project, _, manager, _, _ = project_with_labels
    client.force_login(manager)
    response = client.get(download(project))
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="claimlab-project-{project.id}.jsonl"'
    )
    expected = "".join(DatasetExporter(project=project, options=ExportOptions()).jsonl_stream())
    assert content(response) == expected
    assert len(expected.split("\n")[:-1]) == 3


def test_the_options_are_honoured(client, project_with_labels):
    project, quotes, manager, _, ann1 = project_with_labels
    client.force_login(manager)
    gold = jsonl(client.get(download(project), {"gold_only": "true"}))
    assert [r["quote_id"] for r in gold] == [quotes[0].id, quotes[1].id]
    one = jsonl(client.get(download(project), {"dimension": "stance"}))
    assert {key for r in one for labels in r["labels"].values() for key in labels} == {"stance"}
    agreed = jsonl(client.get(download(project), {"min_agreement": "1"}))
    assert [r["quote_id"] for r in agreed] == [quotes[0].id]
    named = jsonl(client.get(download(project), {"pseudonymise": "false"}))
    assert ann1.username in named[0]["labels"]
    rows = list(csv.reader(io.StringIO(content(client.get(download(project), {"format": "csv"})))))
    assert rows[0][0] == "quote_id" and len(rows) == 4


def test_spacy_downloads_a_docbin(client, project_with_labels):
    import spacy
    from spacy.tokens import DocBin

    project, _, manager, _, _ = project_with_labels
    client.force_login(manager)
    response = client.get(download(project), {"format": "spacy"})
    assert response.status_code == 200 and not response.streaming
    assert response["Content-Disposition"].endswith('.spacy"')
    docs = list(DocBin().from_bytes(response.content).get_docs(spacy.blank("en").vocab))
    assert sum(len(doc.user_data["claimlab"]) for doc in docs) == 3


def test_reviewers_may_not_ask_for_real_names(client, project_with_labels):
    project, _, _, reviewer, _ = project_with_labels
    client.force_login(reviewer)
    assert client.get(download(project), {"pseudonymise": "false"}).status_code == 403


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "xml"}, "use one of jsonl, csv, spacy"),
        ({"min_agreement": "high"}, "is not a number"),
        ({"min_agreement": "1.5"}, "from 0 to 1"),
        ({"min_agreement": "nan"}, "from 0 to 1"),
        ({"dimension": "nope"}, "No dimension"),
        ({"gold_only": "maybe"}, "is not a boolean"),
    ],
)
def test_bad_options_are_a_400_saying_what_is_wrong(client, project_with_labels, params, message):
    project, _, manager, _, _ = project_with_labels
    client.force_login(manager)
    response = client.get(download(project), params)
    assert response.status_code == 400
    assert message in response.content.decode()

"""One table of export formats: the API, the command and the page offer exactly its formats,
and an unknown one is refused naming them."""

import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from annotations.export import FORMATS
from annotations.labelling.labels import label_save
from tests.factories import labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def project():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    return project


def manager_api(project) -> APIClient:
    api = APIClient()
    api.force_authenticate(project.memberships.get(role="manager").user)
    return api


def test_the_table_holds_jsonl_csv_and_spacy():
    assert [(f.name, f.extension, f.streams) for f in FORMATS.values()] == [
        ("jsonl", "jsonl", True),
        ("csv", "csv", True),
        ("spacy", "spacy", False),
    ]


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_api_serves_every_format_as_the_table_says(project, name):
    response = manager_api(project).get(f"/api/v1/projects/{project.id}/export/", {"format": name})
    export_format = FORMATS[name]
    assert response.status_code == 200
    assert response["Content-Type"] == export_format.content_type
    assert response.streaming == export_format.streams
    assert response["Content-Disposition"].endswith(f'.{export_format.extension}"')


def test_an_unknown_format_is_a_400_listing_the_formats(project):
    response = manager_api(project).get(f"/api/v1/projects/{project.id}/export/", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["fields"]["format"] == [
        "Unknown format 'xml': use one of jsonl, csv, spacy."
    ]


@pytest.mark.parametrize("value", ["high", "-0.1", "nan", "inf"])
def test_a_bad_min_agreement_is_a_400(project, value):
    response = manager_api(project).get(
        f"/api/v1/projects/{project.id}/export/", {"min_agreement": value}
    )
    assert response.status_code == 400
    assert "min_agreement" in response.json()["fields"]


def test_another_projects_id_is_a_404(project):
    other, _, _ = labelling_project()
    api = manager_api(project)
    assert api.get(f"/api/v1/projects/{other.id}/export/").status_code == 404
    assert api.get(f"/api/v1/projects/{other.id}/export/schema/").status_code == 404


def test_the_command_writes_every_format_and_refuses_others(project, tmp_path):
    for name in FORMATS:
        path = tmp_path / f"out.{name}"
        call_command("export_dataset", str(project.id), "--format", name, "--output", str(path))
        assert path.stat().st_size > 0
    first = json.loads((tmp_path / "out.jsonl").read_text().split("\n")[0])
    assert set(first["labels"]) and "seconds_spent" in first
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("export_dataset", str(project.id), "--format", "xml")
    with pytest.raises(CommandError, match="--output"):
        call_command("export_dataset", str(project.id), "--format", "spacy")

"""GET /api/v1/projects/{id}/export/: read as-is by pandas, Hugging Face datasets and spaCy."""

import io
import json

import pytest
from rest_framework.test import APIClient

from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Mayor Smith said the road would reopen. “Not yet,” the engineer replied on Friday."


@pytest.fixture
def setup():
    manager, ann1, ann2 = UserFactory(), UserFactory(), UserFactory()
    project = project_create(name="P", created_by=manager, annotators_per_quote=2)
    for user in (ann1, ann2):
        membership_set(project=project, user=user, role="annotator")
    article = ArticleFactory(text=TEXT, title="Road")
    project.articles.add(article)
    first = QuoteFactory(
        article=article,
        content_start=17,
        content_end=38,
        speaker=SpeakerFactory(name="John Smith"),
        speaker_start=0,
        speaker_end=11,
        cue_start=12,
        cue_end=16,
    )
    second = QuoteFactory(article=article, kind="direct", content_start=41, content_end=48)
    agreed = {"attribution": "accurate", "sourcing": "named-official"}
    for quote in (first, second):
        for annotator, stance in ((ann1, "favor"), (ann2, "against")):
            labels = {"stance": stance, **agreed}
            label_save(project=project, quote=quote, annotator=annotator, labels=labels)
    api = APIClient()
    api.force_authenticate(manager)
    return project, api, ann1


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_jsonl_export_reads_into_pandas(setup):
    import pandas as pd

    project, api, _ = setup
    response = api.get(f"/api/v1/projects/{project.id}/export/", {"format": "jsonl"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    frame = pd.read_json(io.BytesIO(body(response)), lines=True)
    assert len(frame) == 2
    assert list(frame["text"]) == ["the road would reopen", "Not yet"]
    assert frame.loc[0, "gold"]["attribution"] == {"value": "accurate", "method": "unanimous"}
    assert frame.loc[0, "agreement"]["stance"] == 0.5


def test_jsonl_export_loads_with_hugging_face_datasets(setup, tmp_path):
    import datasets

    project, api, _ = setup
    path = tmp_path / "export.jsonl"
    path.write_bytes(body(api.get(f"/api/v1/projects/{project.id}/export/")))
    dataset = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache")
    )
    assert dataset.num_rows == 2
    assert dataset[0]["kind"] == "indirect"
    assert dataset[0]["speaker"]["name"] == "John Smith"


def test_csv_export_reads_into_pandas(setup):
    import pandas as pd

    project, api, _ = setup
    response = api.get(f"/api/v1/projects/{project.id}/export/", {"format": "csv"})
    frame = pd.read_csv(io.BytesIO(body(response)))
    assert list(frame["quote_id"]) == sorted(frame["quote_id"])
    assert list(frame["gold_attribution"]) == ["accurate", "accurate"]


def test_spacy_export_is_a_docbin(setup):
    import spacy
    from spacy.tokens import DocBin

    project, api, _ = setup
    response = api.get(f"/api/v1/projects/{project.id}/export/", {"format": "spacy"})
    docs = list(DocBin().from_bytes(response.content).get_docs(spacy.blank("en").vocab))
    assert [s.text for s in docs[0].spans["quotes"]] == ["the road would reopen", "Not yet"]


def test_filters_and_schema_card(setup):
    project, api, _ = setup
    url = f"/api/v1/projects/{project.id}/export/"
    lines = (
        body(api.get(url, {"dimension": "stance", "min_agreement": "0.9"})).decode().splitlines()
    )
    assert lines == []
    card = api.get(f"{url}schema/").json()
    assert card["counts"]["quotes"] == 2 and card["counts"]["annotators"] == 2
    stance = card["dimensions"][0]
    assert stance["key"] == "stance" and stance["labels"] == 4
    assert {c["value"]: c["description"] for c in stance["choices"]}["favor"]


@pytest.mark.parametrize(
    "params",
    [{"format": "xml"}, {"gold_only": "maybe"}, {"min_agreement": "2"}, {"dimension": "nope"}],
)
def test_bad_export_parameters_are_a_400(setup, params):
    project, api, _ = setup
    response = api.get(f"/api/v1/projects/{project.id}/export/", params)
    assert response.status_code == 400
    assert response.json()["fields"]


def test_annotators_cannot_export(setup):
    project, _, annotator = setup
    api = APIClient()
    api.force_authenticate(annotator)
    assert api.get(f"/api/v1/projects/{project.id}/export/").status_code == 403


def test_real_names_only_for_managers(setup):
    project, api, _ = setup
    records = [
        json.loads(line)
        for line in body(
            api.get(f"/api/v1/projects/{project.id}/export/", {"pseudonymise": "false"})
        ).splitlines()
    ]
    assert all(not name.startswith("annotator-") for name in records[0]["labels"])

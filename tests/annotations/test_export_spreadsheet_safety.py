"""A CSV export opened in a spreadsheet never runs a formula someone typed into a title, a
speaker's name, a quote, a note or a comment; JSONL keeps the text exactly as written."""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from annotations.labelling.comments import comment_add
from annotations.labelling.labels import label_save
from annotations.labelling.projects import membership_set, project_create
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = '=HYPERLINK("http://x","y")'
SPEAKER = "@SUM(1)"
NOTE = "-1+2"
TEXT = "\tcmd|' /C calc'!A0 said the mayor, +1 to that."
QUOTE_END = 20
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ANSWERS = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}


@pytest.fixture
def setup():
    manager, annotator = UserFactory(), UserFactory()
    project = project_create(name="Risky", created_by=manager)
    membership_set(project=project, user=annotator, role="annotator")
    article = ArticleFactory(title=TITLE, text=TEXT, outlet__name="+Outlet")
    project.articles.add(article)
    quote = QuoteFactory(
        article=article,
        content_start=0,
        content_end=QUOTE_END,
        speaker=SpeakerFactory(name=SPEAKER),
        speaker_start=21,
        speaker_end=34,
    )
    label_save(project=project, quote=quote, annotator=annotator, labels=ANSWERS, note=NOTE)
    comment_add(project=project, quote=quote, author=manager, text="=1+1")
    api = APIClient()
    api.force_authenticate(manager)
    return project, api


def download(api, project, fmt: str) -> str:
    response = api.get(f"/api/v1/projects/{project.id}/export/", {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def test_no_csv_cell_starts_like_a_formula(setup):
    project, api = setup
    header, row = list(csv.reader(io.StringIO(download(api, project, "csv"), newline="")))
    cells = dict(zip(header, row, strict=True))
    assert cells["article_title"] == "'" + TITLE
    assert cells["speaker"] == "'" + SPEAKER
    assert cells["outlet"] == "'+Outlet"
    assert cells["text"] == "'" + TEXT[:QUOTE_END]
    assert json.loads(cells["notes_json"]) == {next(iter(json.loads(cells["labels_json"]))): NOTE}
    assert [c["text"] for c in json.loads(cells["comments_json"])] == ["=1+1"]
    risky = {name: value for name, value in cells.items() if value.startswith(FORMULA_STARTS)}
    assert not risky


def test_jsonl_keeps_the_text_as_written(setup):
    project, api = setup
    (record,) = [json.loads(line) for line in download(api, project, "jsonl").split("\n")[:-1]]
    assert record["article"]["title"] == TITLE
    assert record["speaker"]["name"] == SPEAKER
    assert record["text"] == TEXT[:QUOTE_END]
    assert list(record["notes"].values()) == [NOTE]
    assert [c["text"] for c in record["comments"]] == ["=1+1"]


def test_a_negative_number_stays_a_number():
    from config.spreadsheets import spreadsheet_cell

    assert spreadsheet_cell("-1.5") == "-1.5"
    assert spreadsheet_cell("\rDDE") == "'\rDDE"
    assert spreadsheet_cell("plain") == "plain"

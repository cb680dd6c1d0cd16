"""The dataset export: one lossless record per quote, JSONL and CSV, streamed."""

import csv
import io
import json

import pytest

from annotations.export import DatasetExporter, ExportOptions, docbin, item_agreement
from annotations.labelling.projects import membership_set, project_create
from annotations.models import Gold, Label
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Mayor Smith said the road would reopen. “Not yet,” the engineer replied."


def label(project, quote, annotator, **values):
    for key, value in values.items():
        dimension = project.dimensions.get(key=key)
        row = Label.objects.create(
            project=project, quote=quote, annotator=annotator, dimension=dimension
        )
        row.choices.set([dimension.choices.get(value=value)])


@pytest.fixture
def labelled():
    manager, ann1, ann2 = UserFactory(), UserFactory(username="ann1"), UserFactory(username="ann2")
    project = project_create(name="P", created_by=manager)
    for user in (ann1, ann2):
        membership_set(project=project, user=user, role="annotator")
    article = ArticleFactory(text=TEXT, title="Road", url="https://x.example.org/road")
    project.articles.add(article)
    quote = QuoteFactory(
        article=article,
        content_start=17,
        content_end=38,
        speaker=SpeakerFactory(name="John Smith"),
        speaker_start=0,
        speaker_end=11,
        cue_start=12,
        cue_end=16,
    )
    other = QuoteFactory(
        article=article, kind="direct", content_start=41, content_end=48, speaker=None
    )
    label(project, quote, ann1, stance="favor", attribution="accurate")
    label(project, quote, ann2, stance="against", attribution="accurate")
    gold = Gold.objects.create(
        project=project,
        quote=quote,
        dimension=project.dimensions.get(key="attribution"),
        method="unanimous",
    )
    gold.choices.set([project.dimensions.get(key="attribution").choices.get(value="accurate")])
    return project, quote, other


def records(project, **options):
    return [
        json.loads(line)
        for line in DatasetExporter(project=project, options=ExportOptions(**options)).jsonl()
    ]


def test_jsonl_record_carries_article_quote_speaker_cue_labels_gold_and_agreement(labelled):
    project, quote, _ = labelled
    record = records(project)[0]
    assert record["quote_id"] == quote.id
    assert (
        record["article"]["title"] == "Road"
        and record["article"]["url"] == "https://x.example.org/road"
    )
    assert (
        record["text"]
        == "the road would reopen"
        == TEXT[record["content_start"] : record["content_end"]]
    )
    assert record["speaker"] == {
        "id": quote.speaker_id,
        "name": "John Smith",
        "kind": "person",
        "mention": "Mayor Smith",
        "start": 0,
        "end": 11,
    }
    assert record["cue"] == {"text": "said", "start": 12, "end": 16}
    assert sorted(v["stance"] for v in record["labels"].values()) == ["against", "favor"]
    assert record["gold"] == {"attribution": {"value": "accurate", "method": "unanimous"}}
    assert record["agreement"] == {
        "stance": 0.5,
        "attribution": 1.0,
        "sourcing": None,
        "mean": 0.75,
    }


def test_annotators_are_pseudonymised_by_default(labelled):
    project, _, _ = labelled
    names = list(records(project)[0]["labels"])
    assert all(name.startswith("annotator-") for name in names)
    assert "ann1" not in json.dumps(records(project))
    assert sorted(records(project, pseudonymise=False)[0]["labels"]) == ["ann1", "ann2"]


def test_filters_gold_only_dimension_and_min_agreement(labelled):
    project, quote, other = labelled
    assert [r["quote_id"] for r in records(project)] == [quote.id, other.id]
    assert [r["quote_id"] for r in records(project, gold_only=True)] == [quote.id]
    only_stance = records(project, dimension="stance")[0]
    assert set(only_stance["agreement"]) == {"stance", "mean"}
    assert records(project, min_agreement=0.8) == []
    assert [r["quote_id"] for r in records(project, min_agreement=0.75)] == [quote.id]


def test_csv_has_one_row_per_quote_with_flat_columns(labelled):
    project, _quote, _ = labelled
    text = "".join(DatasetExporter(project=project, options=ExportOptions()).csv())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[0]["text"] == "the road would reopen"
    assert rows[0]["gold_attribution"] == "accurate" and rows[0]["agreement_stance"] == "0.5"
    assert len(json.loads(rows[0]["labels_json"])) == 2


def test_item_agreement_is_the_share_of_the_majority():
    assert item_agreement(["a", "a", "b"]) == pytest.approx(0.6667)
    assert item_agreement(["a"]) is None


def test_docbin_holds_quote_speaker_and_cue_spans_linked_by_quote_id(labelled):
    import spacy
    from spacy.tokens import DocBin

    project, quote, other = labelled
    data = docbin(DatasetExporter(project=project, options=ExportOptions()))
    docs = list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 1
    doc = docs[0]
    assert [(s.text, s.label_, s.id_) for s in doc.spans["quotes"]] == [
        ("the road would reopen", "indirect", str(quote.id)),
        ("Not yet", "direct", str(other.id)),
    ]
    assert [(s.text, s.id_) for s in doc.spans["speakers"]] == [("Mayor Smith", str(quote.id))]
    assert [(s.text, s.id_) for s in doc.spans["cues"]] == [("said", str(quote.id))]
    assert doc.user_data["claimlab"][0]["gold"]["attribution"]["value"] == "accurate"


TRICKY = 'Le "maire", a dit:\r\n« Non\\pas\t»\x01 — ok, 🎉\u2028 fin.'


@pytest.fixture
def tricky(labelled):
    project, _, _ = labelled
    article = ArticleFactory(text=TRICKY, title='Title, "quoted"\nline', url=None, outlet=None)
    project.articles.add(article)
    QuoteFactory(
        article=article,
        content_start=0,
        content_end=len(TRICKY),
        speaker=SpeakerFactory(name='Smith, "Jr"'),
        speaker_start=3,
        speaker_end=8,
        cue_start=12,
        cue_end=17,
    )
    return project


def test_jsonl_lines_are_exactly_what_json_dumps_writes(tricky):
    lines = "".join(DatasetExporter(project=tricky, options=ExportOptions()).jsonl_stream())
    lines = lines.split("\n")
    assert lines.pop() == ""
    assert len(lines) == 3
    for line in lines:
        assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))
    assert json.loads(lines[-1])["text"] == TRICKY


def test_csv_is_exactly_what_csv_writer_writes(tricky):
    text = "".join(DatasetExporter(project=tricky, options=ExportOptions()).csv())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rewritten = io.StringIO()
    csv.writer(rewritten).writerows(rows)
    assert text == rewritten.getvalue()
    assert rows[-1][10] == TRICKY and rows[-1][2] == 'Title, "quoted"\nline'
    assert rows[-1][11] == 'Smith, "Jr"'


def test_a_teams_answers_read_back_as_given_in_both_formats():
    """Four annotators in pairs and a trio, answers repeating across people and quotes, a
    question with several answers: each record holds exactly each person's answers and the
    agreement they make, and the CSV row says the same as the JSON line (the encoder builds
    both from pieces it shares between quotes)."""
    manager = UserFactory()
    team = [UserFactory(username=f"a{i}") for i in range(4)]
    project = project_create(name="Team", created_by=manager)
    for user in team:
        membership_set(project=project, user=user, role="annotator")
    project.dimensions.filter(key="sourcing").update(multiple=True)
    sourcing = project.dimensions.get(key="sourcing")
    several = list(sourcing.choices.order_by("order", "id").values_list("value", flat=True))[:2]
    article = ArticleFactory(text=TEXT)
    project.articles.add(article)
    given = [  # per quote: annotator index → (stance, sourcing values)
        {0: ("favor", several), 1: ("favor", several[:1])},
        {2: ("favor", several), 3: ("favor", several[:1])},  # same answers, other people
        {1: ("favor", several), 0: ("favor", several[:1])},  # the same pair, swapped answers
        {0: ("against", several[1:]), 1: ("favor", several[1:]), 2: ("against", several[1:])},
        {3: ("neutral", several)},
    ]
    quotes = []
    for offset, answers in enumerate(given):
        quote = QuoteFactory(article=article, content_start=offset, content_end=38)
        quotes.append(quote)
        for index, (stance, values) in answers.items():
            label(project, quote, team[index], stance=stance)
            row = Label.objects.create(
                project=project, quote=quote, annotator=team[index], dimension=sourcing
            )
            row.choices.set(sourcing.choices.filter(value__in=values))
    exporter = DatasetExporter(project=project, options=ExportOptions(pseudonymise=False))
    lines = [json.loads(line) for line in exporter.jsonl()]
    text = "".join(
        DatasetExporter(project=project, options=ExportOptions(pseudonymise=False)).csv()
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [line["quote_id"] for line in lines] == [quote.id for quote in quotes]
    for line, row, answers in zip(lines, rows, given, strict=True):
        expected = {
            f"a{index}": {"sourcing": sorted(values), "stance": stance}
            for index, (stance, values) in sorted(answers.items())
        }
        assert line["labels"] == expected
        assert list(line["labels"]) == sorted(expected)  # by annotator
        stances = [stance for stance, _ in answers.values()]
        sourcings = [tuple(sorted(values)) for _, values in answers.values()]
        assert line["agreement"]["stance"] == item_agreement(stances)
        assert line["agreement"]["sourcing"] == item_agreement(sourcings)
        assert line["agreement"]["attribution"] is None
        assert json.loads(row["labels_json"]) == expected
        for key in ("stance", "sourcing", "attribution", "mean"):
            share = line["agreement"][key]
            assert row[f"agreement_{key}"] == ("" if share is None else str(share))
        assert json.loads(row["label_changes_json"]) == dict.fromkeys(expected, 0)


def test_a_project_without_live_questions_still_exports_whole_rows(labelled):
    project, _, _ = labelled
    project.dimensions.update(archived=True)
    text = "".join(DatasetExporter(project=project, options=ExportOptions()).csv())
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2 and all(len(row) == len(header) for row in rows)
    assert rows[0][header.index("agreement_mean")] == ""
    assert rows[0][header.index("labels_json")] == "{}"

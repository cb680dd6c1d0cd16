"""The labelled dataset as a stream: one record per quote, in JSONL or CSV, with flat memory.

Rows are read in id-ordered chunks as plain tuples (`values_list()`, never model instances),
so memory stays flat however large the project is. Each record carries the article, the quote
and its spans, the speaker and cue, every annotator's labels (pseudonymised by default), the
gold labels and the quote's agreement per dimension.

Speed (bench/export.py): records are assembled from pre-encoded JSON pieces rather than by
encoding a nested dict per quote. Many quotes share an article, an annotator's combination of
answers, a gold decision and an agreement pattern, so each of those is encoded once and cached;
only the quote's own spans and text are encoded per record. The output is byte-for-byte what
`json.dumps(record, ensure_ascii=False, separators=(",", ":"))` gives for `record()`'s dict.
"""

import csv
import hashlib
import hmac
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Aggregate, Exists, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat

from annotations.agreement import majority_share
from annotations.models import Choice, Dimension, Gold, Label, Project
from claims.models import Article, Quote
from claims.selectors import same_story_ids

CHUNK_SIZE = 2000
# Records joined into one piece of a streamed response (about 64 KB of JSONL).
RECORDS_PER_PIECE = 100
# Caches of encoded parts are cleared past this many entries, so memory stays bounded even
# when every quote has a combination of answers of its own.
CACHE_LIMIT = 20_000

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_dumps_csv_labels = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json(value) -> str:
    """One small JSON value: a string, a number or null, as json.dumps writes it."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    return _dumps(value)


def _blank(value) -> object:
    return "" if value is None else value


_CSV_SPECIAL = re.compile('[",\r\n]')


def _csv_field(value: str) -> str:
    """One CSV field as csv.writer writes it (excel dialect, minimal quoting)."""
    if _CSV_SPECIAL.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


def _csv_cells(values) -> str:
    """Several CSV fields, written by csv.writer once and then reused as text."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()[:-2]  # without the line's "\r\n"


def _cell(value) -> str:
    if value is None:
        return ""
    return "|".join(value) if isinstance(value, list) else value


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list() query of ids, numbers and strings, as plain tuples.

    Runs the ORM's SQL on a bare cursor with one fetchall(): the rows need no conversion, and
    Django's fetching in batches of 100 through its cursor wrapper costs about a third of the
    export's database time. On PostgreSQL the planner's cost estimate for a chunk of quotes
    with their labels passes jit_above_cost, and compiling the query would take longer (about
    90 ms) than running it, so JIT is off for this one statement.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    connection = connections[queryset.db]
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class ExportOptions:
    gold_only: bool = False
    dimension: str | None = None
    min_agreement: float | None = None
    pseudonymise: bool = True


def annotator_pseudonym(*, project_id: int, user_id: int) -> str:
    """A stable, non-reversible name for an annotator within one project."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{project_id}:{user_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"annotator-{digest[:10]}"


def item_agreement(values: list) -> float | None:
    """Share of annotators who gave the most common answer (None with fewer than two)."""
    share = majority_share(value if isinstance(value, str) else tuple(value) for value in values)
    return None if share is None else round(share, 4)


@dataclass(frozen=True)
class _Article:
    text: str
    json: str  # '"article":{…}'
    csv: str  # id, title, url, outlet, published_at as CSV fields
    version_csv: str  # article_version, same_story (the last CSV columns)


@dataclass(frozen=True)
class _Answers:
    """Every annotator's labels on a quote and their agreement, encoded for both formats."""

    labels_json: str  # '"labels":{…},"agreement":{…}' is split in two for the gold between
    agreement_json: str
    # The CSV fields agreement_<dimension>…, agreement_mean, labels_json (json.dumps' default
    # separators and sorted keys).
    csv: str
    mean: float | None


class _Joined(Aggregate):
    """The group's values as one comma-separated text (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def _joined(*fields: str) -> Concat:
    """The columns' values as one text "a:b:c" (ids, and slugs without ":" or ",")."""
    parts = []
    for field in fields:
        parts += [Cast(field, TextField()), Value(":")]
    return Concat(*parts[:-1], output_field=TextField())


class DatasetExporter:
    """Streams a project's labelled quotes; construct once per request."""

    def __init__(self, *, project: Project, options: ExportOptions) -> None:
        self.project = project
        self.options = options
        dimensions = project.dimensions.filter(archived=False).order_by("order", "id")
        if options.dimension:
            dimensions = dimensions.filter(key=options.dimension)
        self.dimensions: list[Dimension] = list(dimensions)
        self.multiple = {d.key: d.multiple for d in self.dimensions}
        self._dimension_ids = [d.id for d in self.dimensions]
        self._keys = {d.id: d.key for d in self.dimensions}
        self._dimension_index = {d.id: index for index, d in enumerate(self.dimensions)}
        self._choice_values: dict[int, str] = dict(
            Choice.objects.filter(dimension_id__in=self._dimension_ids).values_list("id", "value")
        )
        self.user_names: dict[int, str] = {}
        if not options.pseudonymise:
            from django.contrib.auth import get_user_model

            annotators = Label.objects.filter(project=project).values("annotator_id")
            self.user_names = dict(
                get_user_model().objects.filter(id__in=annotators).values_list("id", "username")
            )
        self.exported = 0  # records produced so far
        self._articles: dict[int, _Article] = {}
        self._speakers: dict[int | None, str] = {}
        self._strings: dict[str, str] = {}
        self._answers: dict[str | None, _Answers] = {}
        self._gold_parts: dict[str | None, tuple[str, str]] = {None: self._no_gold()}
        self._speakers_csv: dict[int | None, str] = {}
        self._csv_strings: dict[str, str] = {}

    # -- reading -------------------------------------------------------------------------------
    def _quote_chunks(self) -> Iterator[list[tuple]]:
        """The quotes in id order, CHUNK_SIZE at a time, each row with its labels and gold.

        Labels come as one text per quote, "annotator:dimension:choice,…", gold as
        "dimension:method:choice,…" (ids only: names come from dictionaries read once). Many
        quotes share the same text, so each is decoded and encoded once (see _answers_for).
        """
        project = self.project
        # EXISTS rather than IN: the scan then follows the quote ids (one pass over the
        # table), where IN made SQLite visit every article's quotes again for each chunk.
        in_project = Exists(
            Project.articles.through.objects.filter(
                project=project, article_id=OuterRef("article_id")
            )
        )
        labels = (
            Label.choices.through.objects.filter(
                label__project=project,
                label__quote_id=OuterRef("id"),
                label__dimension_id__in=self._dimension_ids,
            )
            .values("label__quote_id")
            .annotate(
                joined=_Joined(_joined("label__annotator_id", "label__dimension_id", "choice_id"))
            )
            .values("joined")
        )
        gold = (
            Gold.choices.through.objects.filter(
                gold__project=project,
                gold__quote_id=OuterRef("id"),
                gold__dimension_id__in=self._dimension_ids,
            )
            .values("gold__quote_id")
            .annotate(joined=_Joined(_joined("gold__dimension_id", "gold__method", "choice_id")))
            .values("joined")
        )
        quotes = (
            Quote.objects.filter(in_project, is_rejected=False)
            .order_by("id")
            .values_list(
                "id",
                "article_id",
                "kind",
                "origin",
                "content_start",
                "content_end",
                "speaker_id",
                "speaker__name",
                "speaker__kind",
                "speaker_start",
                "speaker_end",
                "cue_start",
                "cue_end",
                Subquery(labels),
                Subquery(gold),
                "changed_in_version",
                "gone_in_version",
            )
        )
        if self.options.gold_only:
            quotes = quotes.filter(id__in=Gold.objects.filter(project=project).values("quote_id"))
        last_id = 0
        while True:
            chunk = _fetch(quotes.filter(id__gt=last_id)[:CHUNK_SIZE])
            if not chunk:
                return
            yield chunk
            last_id = chunk[-1][0]

    def _load_articles(self, article_ids: set[int]) -> None:
        """Keep the chunk's articles (text and encoded parts); memory is one chunk's worth."""
        kept = {id_: self._articles[id_] for id_ in article_ids & self._articles.keys()}
        missing = article_ids - kept.keys()
        if missing:
            rows = Article.objects.filter(id__in=missing).values_list(
                "id", "title", "url", "outlet__name", "published_at", "text", "version"
            )
            # Versions (claims/services/versions.py): which version of the article a record's
            # offsets index, and the project's other articles telling the same story.
            in_project = Project.articles.through.objects.filter(project=self.project).values(
                "article_id"
            )
            same_story = same_story_ids(article_ids=missing, within=in_project)
            for article_id, title, url, outlet, published_at, text, version in rows:
                published = published_at.isoformat() if published_at else None
                story = same_story.get(article_id, [])
                fields = {
                    "id": article_id,
                    "title": title,
                    "url": url,
                    "outlet": outlet,
                    "published_at": published,
                    "version": version,
                    "same_story": story,
                }
                kept[article_id] = _Article(
                    text=text,
                    json='"article":' + _dumps(fields),
                    csv=_csv_cells((article_id, title, url or "", outlet or "", published or "")),
                    version_csv=_csv_cells((version, "|".join(map(str, story)))),
                )
        self._articles = kept

    # -- decoding and encoding, cached ---------------------------------------------------------
    def _value(self, key: str, values: list[str]):
        return sorted(values) if self.multiple.get(key) else values[0]

    def _choice(self, choice_id: int) -> str:
        value = self._choice_values.get(choice_id)
        if value is None:
            # Only a hand-edited label points at a choice of another dimension: read it.
            value = Choice.objects.values_list("value", flat=True).get(id=choice_id)
            self._choice_values[choice_id] = value
        return value

    def _annotator_name(self, user_id: int) -> str:
        name = self.user_names.get(user_id)
        if name is None:
            if self.options.pseudonymise:
                name = annotator_pseudonym(project_id=self.project.id, user_id=user_id)
            else:  # labelled since the export began
                from django.contrib.auth import get_user_model

                name = get_user_model().objects.values_list("username", flat=True).get(id=user_id)
            self.user_names[user_id] = name
        return name

    def _answers_for(self, joined: str | None) -> _Answers:
        """Decode "annotator:dimension:choice,…" into the encoded labels and agreement."""
        answers = self._answers.get(joined)
        if answers is not None:
            return answers
        chosen: dict[int, dict[str, list[str]]] = {}
        items = (
            sorted(tuple(map(int, item.split(":"))) for item in joined.split(",")) if joined else []
        )
        for annotator_id, dimension_id, choice_id in items:
            by_key = chosen.setdefault(annotator_id, {})
            by_key.setdefault(self._keys[dimension_id], []).append(self._choice(choice_id))
        labels = {
            self._annotator_name(annotator_id): {
                key: self._value(key, values) for key, values in sorted(by_key.items())
            }
            for annotator_id, by_key in chosen.items()
        }
        shares = [
            item_agreement([dims[d.key] for dims in labels.values() if d.key in dims])
            for d in self.dimensions
        ]
        scored = [share for share in shares if share is not None]
        mean = round(sum(scored) / len(scored), 4) if scored else None
        agreement = {d.key: share for d, share in zip(self.dimensions, shares, strict=True)}
        agreement["mean"] = mean
        answers = _Answers(
            labels_json='"labels":' + _dumps(labels),
            agreement_json='"agreement":' + _dumps(agreement),
            csv=_csv_cells(
                (*(_blank(share) for share in shares), _blank(mean), _dumps_csv_labels(labels))
            ),
            mean=mean,
        )
        if len(self._answers) >= CACHE_LIMIT:
            self._answers.clear()
        self._answers[joined] = answers
        return answers

    def _gold_for(self, joined: str | None) -> tuple[str, str]:
        """Decode "dimension:method:choice,…" into the encoded gold: JSON, and CSV fields
        gold_<dimension>…, gold_method_<dimension>… each followed by a comma."""
        part = self._gold_parts.get(joined)
        if part is not None:
            return part
        entries: dict[str, dict] = {}
        for item in sorted(item.split(":") for item in joined.split(",")):
            dimension_id, method, choice_id = int(item[0]), item[1], int(item[2])
            entry = entries.setdefault(self._keys[dimension_id], {"values": [], "method": method})
            entry["values"].append(self._choice(choice_id))
        gold = {
            key: {"value": self._value(key, entry["values"]), "method": entry["method"]}
            for key, entry in sorted(entries.items())
        }
        keys = [d.key for d in self.dimensions]
        cells = (
            *(_cell(gold[key]["value"]) if key in gold else "" for key in keys),
            *(gold[key]["method"] if key in gold else "" for key in keys),
        )
        part = ('"gold":' + _dumps(gold), _csv_cells(cells) + "," if cells else "")
        if len(self._gold_parts) >= CACHE_LIMIT:
            self._gold_parts.clear()
            self._gold_parts[None] = self._no_gold()
        self._gold_parts[joined] = part
        return part

    def _no_gold(self) -> tuple[str, str]:
        cells = ("",) * (2 * len(self.dimensions))
        return '"gold":{}', _csv_cells(cells) + "," if cells else ""

    def _speaker_csv(self, speaker_id: int | None, name: str | None, kind: str | None) -> str:
        part = self._speakers_csv.get(speaker_id)
        if part is None:
            part = _csv_cells((name or "", kind or ""))
            if len(self._speakers_csv) >= CACHE_LIMIT:
                self._speakers_csv.clear()
            self._speakers_csv[speaker_id] = part
        return part

    def _csv_string(self, value: str) -> str:
        encoded = self._csv_strings.get(value)
        if encoded is None:
            encoded = self._csv_strings[value] = _csv_field(value)
        return encoded

    def _speaker_json(self, speaker_id: int | None, name: str | None, kind: str | None) -> str:
        part = self._speakers.get(speaker_id)
        if part is None:
            part = f'"speaker":{{"id":{_json(speaker_id)},"name":{_json(name)},"kind":{_json(kind)}'
            if len(self._speakers) >= CACHE_LIMIT:
                self._speakers.clear()
            self._speakers[speaker_id] = part
        return part

    def _string(self, value: str) -> str:
        encoded = self._strings.get(value)
        if encoded is None:
            encoded = self._strings[value] = encode_basestring(value)
        return encoded

    # -- records -------------------------------------------------------------------------------
    def _chunks(self, fmt: str) -> Iterator[list]:
        """Per chunk of quotes, the encoded records: JSON lines or CSV lines."""
        threshold = self.options.min_agreement
        as_json = fmt == "json"
        answers_for, gold_for = self._answers_for, self._gold_for
        for chunk in self._quote_chunks():
            self._load_articles({row[1] for row in chunk})
            articles = self._articles
            out = []
            for (
                quote_id,
                article_id,
                kind,
                origin,
                start,
                end,
                speaker_id,
                speaker_name,
                speaker_kind,
                speaker_start,
                speaker_end,
                cue_start,
                cue_end,
                labels,
                gold,
                changed_in_version,
                gone_in_version,
            ) in chunk:
                answers = answers_for(labels)
                if threshold is not None and (answers.mean is None or answers.mean < threshold):
                    continue
                gold_json, gold_csv = gold_for(gold)
                article = articles[article_id]
                text = article.text
                mention = text[speaker_start:speaker_end] if speaker_start is not None else None
                cue = text[cue_start:cue_end] if cue_start is not None else None
                if as_json:
                    out.append(
                        f'{{"quote_id":{quote_id},{article.json},'
                        f'"text":{encode_basestring(text[start:end])},'
                        f'"kind":{self._string(kind)},"origin":{self._string(origin)},'
                        f'"content_start":{start},"content_end":{end},'
                        f"{self._speaker_json(speaker_id, speaker_name, speaker_kind)},"
                        f'"mention":{_json(mention)},"start":{_json(speaker_start)},'
                        f'"end":{_json(speaker_end)}}},'
                        f'"cue":{{"text":{_json(cue)},"start":{_json(cue_start)},'
                        f'"end":{_json(cue_end)}}},'
                        f'"changed_in_version":{_json(changed_in_version)},'
                        f'"gone_in_version":{_json(gone_in_version)},'
                        f"{answers.labels_json},{gold_json},{answers.agreement_json}}}\n"
                    )
                else:
                    out.append(
                        f"{quote_id},{article.csv},{self._csv_string(kind)},"
                        f"{self._csv_string(origin)},{start},{end},"
                        f"{_csv_field(text[start:end])},"
                        f"{self._speaker_csv(speaker_id, speaker_name, speaker_kind)},"
                        f"{_csv_field(mention or '')},{_blank(speaker_start)},"
                        f"{_blank(speaker_end)},{_csv_field(cue or '')},{_blank(cue_start)},"
                        f"{_blank(cue_end)},{gold_csv}{answers.csv},{article.version_csv},"
                        f"{_blank(changed_in_version)},{_blank(gone_in_version)}\r\n"
                    )
            self.exported += len(out)
            yield out

    # -- formats -------------------------------------------------------------------------------
    def records(self) -> Iterator[dict]:
        """The records as dicts (what each JSONL line holds)."""
        loads = json.loads
        for lines in self._chunks("json"):
            for line in lines:
                yield loads(line)

    def jsonl(self) -> Iterator[str]:
        """One JSON line per record."""
        for lines in self._chunks("json"):
            yield from lines

    def jsonl_stream(self) -> Iterator[str]:
        """JSONL in pieces of about 64 KB, for a streamed response or a file."""
        for lines in self._chunks("json"):
            for start in range(0, len(lines), RECORDS_PER_PIECE):
                yield "".join(lines[start : start + RECORDS_PER_PIECE])

    def csv_header(self) -> list[str]:
        keys = [d.key for d in self.dimensions]
        return [
            "quote_id",
            "article_id",
            "article_title",
            "article_url",
            "outlet",
            "published_at",
            "kind",
            "origin",
            "content_start",
            "content_end",
            "text",
            "speaker",
            "speaker_kind",
            "speaker_mention",
            "speaker_start",
            "speaker_end",
            "cue",
            "cue_start",
            "cue_end",
            *(f"gold_{key}" for key in keys),
            *(f"gold_method_{key}" for key in keys),
            *(f"agreement_{key}" for key in keys),
            "agreement_mean",
            "labels_json",
            "article_version",
            "same_story",
            "changed_in_version",
            "gone_in_version",
        ]

    def csv(self) -> Iterator[str]:
        """Flat CSV: one row per quote; each annotator's labels as one JSON column.

        Yields the header, then pieces of about 100 rows. The fields are what csv.writer
        writes (excel dialect): fixed parts are written by it once and reused.
        """
        yield _csv_cells(self.csv_header()) + "\r\n"
        for lines in self._chunks("csv"):
            for start in range(0, len(lines), RECORDS_PER_PIECE):
                yield "".join(lines[start : start + RECORDS_PER_PIECE])

    def stream(self, fmt: str) -> Iterator[str]:
        """The export as pieces of text for a streamed response: fmt is "jsonl" or "csv"."""
        return self.jsonl_stream() if fmt == "jsonl" else self.csv()

    def docbin(self) -> bytes:
        """A spaCy DocBin: one Doc per article, with "quotes", "speakers" and "cues" span groups.

        Quote spans carry the kind as label and the quote id as span id; speaker and cue spans
        carry the same id, which links them to their quote. Each Doc's user_data["claimlab"]
        holds the full records (labels, gold, agreement). Unlike JSONL and CSV this format is
        built in memory (a DocBin is one serialised object).
        """
        import spacy
        from spacy.tokens import DocBin

        nlp = spacy.blank("en")
        doc_bin = DocBin(store_user_data=True)
        current_id, current_doc, records = None, None, []

        def finish() -> None:
            if current_doc is not None:
                current_doc.user_data["claimlab"] = records
                doc_bin.add(current_doc)

        for record in self.records():
            article_id = record["article"]["id"]
            if article_id != current_id:
                finish()
                # The record's chunk is the one being read, so its article is at hand.
                text = self._articles[article_id].text
                current_id, current_doc, records = article_id, nlp.make_doc(text), []
                for group in ("quotes", "speakers", "cues"):
                    current_doc.spans[group] = []
            records.append(record)
            self._add_spans(current_doc, record)
        finish()
        return doc_bin.to_bytes()

    @staticmethod
    def _add_spans(doc, record: dict) -> None:
        quote_id = record["quote_id"]
        pieces = [
            ("quotes", record["content_start"], record["content_end"], record["kind"]),
            ("speakers", record["speaker"]["start"], record["speaker"]["end"], "SPEAKER"),
            ("cues", record["cue"]["start"], record["cue"]["end"], "CUE"),
        ]
        for group, start, end, label in pieces:
            if start is None:
                continue
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                span.id_ = str(quote_id)
                doc.spans[group] = [*doc.spans[group], span]


def dataset_card(*, project: Project) -> dict:
    """The dataset's schema card: what each field and label means, and how much there is."""
    from django.db.models import Count

    dimensions = project.dimensions.filter(archived=False).prefetch_related("choices")
    article_ids = project.articles.values("id")
    quotes = Quote.objects.filter(article_id__in=article_ids, is_rejected=False)
    label_counts = dict(
        Label.objects.filter(project=project)
        .values_list("dimension__key")
        .annotate(n=Count("id"))
        .values_list("dimension__key", "n")
    )
    gold_counts = dict(
        Gold.objects.filter(project=project)
        .values_list("dimension__key")
        .annotate(n=Count("id"))
        .values_list("dimension__key", "n")
    )
    return {
        "name": project.name,
        "description": project.description,
        "stance_targets": project.stance_targets,
        "annotators_per_quote": project.annotators_per_quote,
        "blind_mode": project.blind_mode,
        "counts": {
            "articles": project.articles.count(),
            "quotes": quotes.count(),
            "labelled_quotes": quotes.filter(labels__project=project).distinct().count(),
            "annotators": Label.objects.filter(project=project)
            .values("annotator_id")
            .distinct()
            .count(),
        },
        "dimensions": [
            {
                "key": dimension.key,
                "name": dimension.name,
                "help": dimension.help_text,
                "target": dimension.target,
                "multiple": dimension.multiple,
                "required": dimension.required,
                "labels": label_counts.get(dimension.key, 0),
                "gold": gold_counts.get(dimension.key, 0),
                "choices": [
                    {
                        "value": choice.value,
                        "label": choice.label,
                        "description": choice.description,
                        "archived": choice.archived,
                    }
                    for choice in dimension.choices.all()
                ],
            }
            for dimension in dimensions
        ],
        "fields": RECORD_FIELDS,
    }


RECORD_FIELDS = {
    "quote_id": "Claimlab's id of the quote.",
    "article": "id, title, url, outlet, published_at (ISO 8601) of the article; version: which "
    "version of an edited article this is (the offsets index its text, shipped in this record); "
    "same_story: ids of the project's articles telling the same story (near-duplicates).",
    "text": "The quoted text: article text[content_start:content_end].",
    "kind": "direct, indirect or mixed.",
    "origin": "extracted (by the extractor) or manual (added by an annotator).",
    "content_start": "Character offset (Unicode code points) of the quote in the article text.",
    "content_end": "End offset, exclusive.",
    "speaker": "Canonical speaker (id, name, kind) and the mention as written with its offsets.",
    "cue": "The reporting verb or phrase with its offsets.",
    "labels": "Each annotator's labels: {annotator: {dimension: value}}; pseudonymised by default.",
    "gold": "Adjudicated labels: {dimension: {value, method: unanimous|majority|reviewer}}.",
    "agreement": "Per dimension, the share of annotators giving the most common answer; mean.",
    "changed_in_version": "Set when the quote's words changed in that version of the article: its "
    "labels were given to the earlier words (text changed since labelled).",
    "gone_in_version": "Set when the quote's words are gone from that version of the article: the "
    "quote stays on the version it indexes, out of the queue, with its labels.",
}

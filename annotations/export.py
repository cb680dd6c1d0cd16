"""The labelled dataset as a stream: one record per quote, in JSONL or CSV, with flat memory.

Rows are read in keyset-paginated chunks with `values()` (no model instances), so memory stays
flat however large the project is. Each record carries the article, the quote and its spans,
the speaker and cue, every annotator's labels (pseudonymised by default), the gold labels and
the quote's agreement per dimension.
"""

import csv
import hashlib
import hmac
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from annotations.agreement import majority_share
from annotations.models import Dimension, Gold, Label, Project
from claims.models import Article, Quote

CHUNK_SIZE = 2000


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
        self.user_names: dict[int, str] = {}

    # -- reading -------------------------------------------------------------------------------
    def _quote_chunks(self) -> Iterator[list[dict]]:
        article_ids = self.project.articles.values("id")
        quotes = (
            Quote.objects.filter(article_id__in=article_ids, is_rejected=False)
            .order_by("id")
            .values(
                "id",
                "article_id",
                "kind",
                "content_start",
                "content_end",
                "speaker_id",
                "speaker_start",
                "speaker_end",
                "cue_start",
                "cue_end",
                "origin",
                speaker_name=F("speaker__name"),
                speaker_kind=F("speaker__kind"),
            )
        )
        if self.options.gold_only:
            quotes = quotes.filter(
                id__in=Gold.objects.filter(project=self.project).values("quote_id")
            )
        last_id = 0
        while True:
            chunk = list(quotes.filter(id__gt=last_id)[:CHUNK_SIZE])
            if not chunk:
                return
            yield chunk
            last_id = chunk[-1]["id"]

    def _articles(self, article_ids: set[int], cache: dict[int, dict]) -> None:
        missing = article_ids - cache.keys()
        if not missing:
            return
        if len(cache) > 5000:  # articles arrive roughly in order; keep memory bounded
            cache.clear()
        for row in Article.objects.filter(id__in=article_ids).values(
            "id", "title", "url", "text", "published_at", outlet_name=F("outlet__name")
        ):
            cache[row["id"]] = row

    def _labels(self, quote_ids: list[int]) -> dict[int, dict[int, dict[str, list[str]]]]:
        """quote id → annotator id → dimension key → chosen values.

        Filtering by the chunk's id range (ids are sorted) is far cheaper than a 2,000-item
        IN list; rows of quotes outside the chunk are simply never looked up.
        """
        through = Label.choices.through
        rows = through.objects.filter(
            label__project=self.project,
            label__quote__id__range=(quote_ids[0], quote_ids[-1]),
            label__dimension__in=self.dimensions,
        ).values_list(
            "label__quote_id", "label__annotator_id", "label__dimension__key", "choice__value"
        )
        labels: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for quote_id, annotator_id, key, value in rows:
            labels[quote_id][annotator_id][key].append(value)
        return labels

    def _gold(self, quote_ids: list[int]) -> dict[int, dict[str, dict]]:
        through = Gold.choices.through
        rows = through.objects.filter(
            gold__project=self.project,
            gold__quote__id__range=(quote_ids[0], quote_ids[-1]),
            gold__dimension__in=self.dimensions,
        ).values_list("gold__quote_id", "gold__dimension__key", "gold__method", "choice__value")
        gold: dict = defaultdict(dict)
        for quote_id, key, method, value in rows:
            entry = gold[quote_id].setdefault(key, {"values": [], "method": method})
            entry["values"].append(value)
        return gold

    def _annotator_name(self, user_id: int) -> str:
        if user_id not in self.user_names:
            if self.options.pseudonymise:
                name = annotator_pseudonym(project_id=self.project.id, user_id=user_id)
            else:
                from django.contrib.auth import get_user_model

                name = get_user_model().objects.values_list("username", flat=True).get(id=user_id)
            self.user_names[user_id] = name
        return self.user_names[user_id]

    def _value(self, key: str, values: list[str]):
        return sorted(values) if self.multiple.get(key) else values[0]

    # -- records -------------------------------------------------------------------------------
    def records(self) -> Iterator[dict]:
        articles: dict[int, dict] = {}
        for chunk in self._quote_chunks():
            quote_ids = [row["id"] for row in chunk]
            self._articles({row["article_id"] for row in chunk}, articles)
            labels = self._labels(quote_ids)
            gold = self._gold(quote_ids)
            for row in chunk:
                record = self._record(row, articles[row["article_id"]], labels, gold)
                threshold = self.options.min_agreement
                if threshold is not None and (
                    record["agreement"]["mean"] is None or record["agreement"]["mean"] < threshold
                ):
                    continue
                yield record

    def _record(self, row: dict, article: dict, labels: dict, gold: dict) -> dict:
        text = article["text"]
        by_annotator = labels.get(row["id"], {})
        annotator_labels = {
            self._annotator_name(annotator_id): {
                key: self._value(key, values) for key, values in sorted(dims.items())
            }
            for annotator_id, dims in sorted(by_annotator.items())
        }
        agreement = {
            d.key: item_agreement(
                [dims[d.key] for dims in annotator_labels.values() if d.key in dims]
            )
            for d in self.dimensions
        }
        scored = [value for value in agreement.values() if value is not None]
        agreement["mean"] = round(sum(scored) / len(scored), 4) if scored else None
        speaker_start, cue_start = row["speaker_start"], row["cue_start"]
        published_at = article["published_at"]
        return {
            "quote_id": row["id"],
            "article": {
                "id": article["id"],
                "title": article["title"],
                "url": article["url"],
                "outlet": article["outlet_name"],
                "published_at": published_at.isoformat() if published_at else None,
            },
            "text": text[row["content_start"] : row["content_end"]],
            "kind": row["kind"],
            "origin": row["origin"],
            "content_start": row["content_start"],
            "content_end": row["content_end"],
            "speaker": {
                "id": row["speaker_id"],
                "name": row["speaker_name"],
                "kind": row["speaker_kind"],
                "mention": text[speaker_start : row["speaker_end"]]
                if speaker_start is not None
                else None,
                "start": speaker_start,
                "end": row["speaker_end"],
            },
            "cue": {
                "text": text[cue_start : row["cue_end"]] if cue_start is not None else None,
                "start": cue_start,
                "end": row["cue_end"],
            },
            "labels": annotator_labels,
            "gold": {
                key: {"value": self._value(key, entry["values"]), "method": entry["method"]}
                for key, entry in sorted(gold.get(row["id"], {}).items())
            },
            "agreement": agreement,
        }

    # -- formats -------------------------------------------------------------------------------
    def jsonl(self) -> Iterator[str]:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        for record in self.records():
            yield dumps(record) + "\n"

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
        ]

    def csv(self) -> Iterator[str]:
        """Flat CSV: one row per quote; each annotator's labels as one JSON column."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        keys = [d.key for d in self.dimensions]

        def flush() -> str:
            value = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return value

        def cell(value) -> str:
            if value is None:
                return ""
            return "|".join(value) if isinstance(value, list) else value

        writer.writerow(self.csv_header())
        yield flush()
        for record in self.records():
            article, speaker, cue = record["article"], record["speaker"], record["cue"]
            gold = record["gold"]
            writer.writerow(
                [
                    record["quote_id"],
                    article["id"],
                    article["title"],
                    article["url"] or "",
                    article["outlet"] or "",
                    article["published_at"] or "",
                    record["kind"],
                    record["origin"],
                    record["content_start"],
                    record["content_end"],
                    record["text"],
                    speaker["name"] or "",
                    speaker["kind"] or "",
                    speaker["mention"] or "",
                    "" if speaker["start"] is None else speaker["start"],
                    "" if speaker["end"] is None else speaker["end"],
                    cue["text"] or "",
                    "" if cue["start"] is None else cue["start"],
                    "" if cue["end"] is None else cue["end"],
                    *(cell(gold[key]["value"]) if key in gold else "" for key in keys),
                    *(gold[key]["method"] if key in gold else "" for key in keys),
                    *(
                        "" if record["agreement"][key] is None else record["agreement"][key]
                        for key in keys
                    ),
                    "" if record["agreement"]["mean"] is None else record["agreement"]["mean"],
                    json.dumps(record["labels"], ensure_ascii=False, sort_keys=True),
                ]
            )
            yield flush()

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
                text = Article.objects.values_list("text", flat=True).get(id=article_id)
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
    "article": "id, title, url, outlet and published_at (ISO 8601) of the article.",
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
}

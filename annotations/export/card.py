"""The dataset card: what each field and label of the export means, how much there is, and
how each annotator did against gold."""

from django.db.models import Count, Exists, OuterRef, Q

from annotations.export.reading import annotator_pseudonym
from annotations.labelling.review import quality_report
from annotations.labelling.scope import quotes_in_project
from annotations.models import Gold, Label, Project


def _quality(*, project: Project, pseudonymise: bool) -> list[dict]:
    """Each annotator against gold (review.quality_report), named as in the records."""
    return [
        {
            "annotator": (
                annotator_pseudonym(project_id=project.id, user_id=person.annotator_id)
                if pseudonymise
                else person.username
            ),
            "submitted": person.submitted,
            "overall": person.overall.as_dict(),
            "dimensions": {key: figures.as_dict() for key, figures in person.per_dimension.items()},
        }
        for person in quality_report(project=project).annotators
    ]


def dataset_size(*, project: Project) -> tuple[int, int]:
    """How many quotes the full export holds, and how many of them have gold (one query)."""
    has_gold = Exists(Gold.objects.filter(project=project, quote_id=OuterRef("id")))
    counts = (
        quotes_in_project(project=project, include_gone=True)
        .annotate(has_gold=has_gold)
        .aggregate(quotes=Count("id"), with_gold=Count("id", filter=Q(has_gold=True)))
    )
    return counts["quotes"], counts["with_gold"]


def dataset_card(*, project: Project, pseudonymise: bool = True) -> dict:
    """The dataset's schema card: what each field and label means, and how much there is."""
    dimensions = project.dimensions.filter(archived=False).prefetch_related("choices")
    # The quotes the export holds: in the project, gone from a later version or not.
    quotes = quotes_in_project(project=project, include_gone=True)
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
        "quality": _quality(project=project, pseudonymise=pseudonymise),
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
    "notes": "The note each annotator left with their labels: {annotator: text}; annotators "
    "who left none are absent.",
    "seconds_spent": "Seconds each annotator spent on the quote, from display to submit, added "
    "up over their submissions: {annotator: seconds}; null when no submission measured it "
    "(labels imported, or given before time was measured).",
    "label_changes": "How many times each annotator changed an answer after first giving it "
    "(on any question): {annotator: count}.",
    "comments": "The quote's discussion in the project, oldest first: [{author, text, "
    "created_at (ISO 8601)}]; authors named as the labels' annotators are.",
}
# In CSV the last four are JSON cells: notes_json, seconds_spent_json, label_changes_json,
# comments_json (like labels_json: json.dumps' default separators, sorted keys).

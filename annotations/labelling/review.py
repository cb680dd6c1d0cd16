"""Agreement and review: alpha and kappa per question, and the quotes a reviewer must settle."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from annotations import agreement
from annotations.labelling.progress import AnnotatorProgress, annotators_progress
from annotations.labelling.schema import dimensions_active
from annotations.labelling.scope import quotes_in_project
from annotations.models import Dimension, Gold, Label, Project
from claims.models import Quote


def _answers(
    *, project: Project, dimensions: list[Dimension]
) -> dict[int, dict[int, dict[int, Hashable]]]:
    """dimension id → quote id → annotator id → answer, for quotes still in the project.

    An answer is the choice value, or a sorted tuple of values for a multiple-choice
    dimension (so only identical sets agree). Labels without choices are no answer.
    """
    multiple = {d.id: d.multiple for d in dimensions}
    rows = (
        Label.choices.through.objects.filter(
            label__project=project,
            label__dimension__in=list(multiple),
            label__quote__in=quotes_in_project(project=project),
        )
        .order_by()
        .values_list(
            "label__dimension_id", "label__quote_id", "label__annotator_id", "choice__value"
        )
    )
    values: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for dimension_id, quote_id, annotator_id, value in rows:
        values[dimension_id][quote_id][annotator_id].append(value)
    return {
        dimension_id: {
            quote_id: {
                annotator_id: tuple(sorted(chosen)) if multiple[dimension_id] else chosen[0]
                for annotator_id, chosen in by_annotator.items()
            }
            for quote_id, by_annotator in by_quote.items()
        }
        for dimension_id, by_quote in values.items()
    }


@dataclass(frozen=True)
class DimensionAgreement:
    key: str
    name: str
    alpha: agreement.Alpha
    kappas: list[agreement.PairKappa]
    quotes_labelled: int
    labels: int
    quotes_with_disagreement: int


@dataclass(frozen=True)
class ProjectAgreement:
    dimensions: list[DimensionAgreement]
    annotators: list[AnnotatorProgress]
    quotes_labelled: int
    labels: int
    quotes_with_disagreement: int


def project_agreement(*, project: Project) -> ProjectAgreement:
    """Alpha and pairwise kappa per dimension, label counts, and each annotator's progress."""
    dimensions = dimensions_active(project)
    answers = _answers(project=project, dimensions=dimensions)
    results = []
    labelled: set[int] = set()
    disagreeing: set[int] = set()
    for dimension in dimensions:
        units = answers.get(dimension.id, {})
        disagree = {
            quote_id
            for quote_id, by_annotator in units.items()
            if agreement.has_disagreement(by_annotator.values())
        }
        labelled |= units.keys()
        disagreeing |= disagree
        results.append(
            DimensionAgreement(
                key=dimension.key,
                name=dimension.name,
                alpha=agreement.krippendorff_alpha_nominal(units),
                kappas=agreement.cohen_kappa_pairs(units),
                quotes_labelled=len(units),
                labels=sum(len(by_annotator) for by_annotator in units.values()),
                quotes_with_disagreement=len(disagree),
            )
        )
    return ProjectAgreement(
        dimensions=results,
        annotators=annotators_progress(project=project),
        quotes_labelled=len(labelled),
        labels=sum(result.labels for result in results),
        quotes_with_disagreement=len(disagreeing),
    )


def _quote_agreements(
    dimensions: list[Dimension], answers: dict
) -> dict[int, agreement.QuoteAgreement]:
    quote_ids = {quote_id for units in answers.values() for quote_id in units}
    return {
        quote_id: agreement.quote_agreement(
            {d.key: list(answers.get(d.id, {}).get(quote_id, {}).values()) for d in dimensions}
        )
        for quote_id in quote_ids
    }


def quote_agreements(*, project: Project) -> dict[int, agreement.QuoteAgreement]:
    """Per-quote agreement (majority share per dimension and the mean) for labelled quotes."""
    dimensions = dimensions_active(project)
    return _quote_agreements(dimensions, _answers(project=project, dimensions=dimensions))


@dataclass
class AnnotatorAnswers:
    annotator: AbstractBaseUser
    values: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class ReviewItem:
    quote: Quote
    agreement: agreement.QuoteAgreement
    disagreeing_dimensions: list[str]  # keys still without reviewer gold
    annotators: list[AnnotatorAnswers]
    gold: dict[str, Gold]


def review_queue(*, project: Project, limit: int | None = None) -> list[ReviewItem]:
    """Quotes where annotators disagree on a dimension that has no reviewer gold yet, worst
    agreement first, with every annotator's labels side by side (eight queries)."""
    dimensions = dimensions_active(project)
    answers = _answers(project=project, dimensions=dimensions)
    reviewed = set(
        Gold.objects.filter(project=project, method=Gold.Method.REVIEWER).values_list(
            "quote_id", "dimension_id"
        )
    )
    open_disagreements: dict[int, list[str]] = defaultdict(list)
    for dimension in dimensions:
        for quote_id, by_annotator in answers.get(dimension.id, {}).items():
            if (quote_id, dimension.id) not in reviewed and agreement.has_disagreement(
                by_annotator.values()
            ):
                open_disagreements[quote_id].append(dimension.key)
    agreements = _quote_agreements(dimensions, answers)
    order = sorted(open_disagreements, key=lambda quote_id: (agreements[quote_id].mean, quote_id))
    if limit is not None:
        order = order[:limit]
    quotes = Quote.objects.filter(id__in=order).select_related("article", "speaker")
    quotes = quotes.prefetch_related(
        Prefetch(
            "labels",
            queryset=Label.objects.filter(project=project, dimension__in=dimensions)
            .select_related("annotator", "dimension")
            .prefetch_related("choices")
            .order_by("annotator_id", "dimension__order"),
        ),
        Prefetch(
            "gold_labels",
            queryset=Gold.objects.filter(project=project)
            .select_related("dimension")
            .prefetch_related("choices"),
        ),
    )
    by_id = {quote.id: quote for quote in quotes}
    items = []
    for quote_id in order:
        quote = by_id[quote_id]
        annotators: dict[int, AnnotatorAnswers] = {}
        for label in quote.labels.all():
            entry = annotators.setdefault(label.annotator_id, AnnotatorAnswers(label.annotator))
            entry.values[label.dimension.key] = [choice.value for choice in label.choices.all()]
            entry.notes[label.dimension.key] = label.note
        items.append(
            ReviewItem(
                quote=quote,
                agreement=agreements[quote_id],
                disagreeing_dimensions=open_disagreements[quote_id],
                annotators=list(annotators.values()),
                gold={gold.dimension.key: gold for gold in quote.gold_labels.all()},
            )
        )
    return items

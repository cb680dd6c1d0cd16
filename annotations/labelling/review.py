"""Agreement and review: alpha and kappa per question, the quotes a reviewer must settle, and
the quality report (each annotator against gold, confusion per question, agreement by week)."""

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from annotations import agreement
from annotations.labelling.labels import labelling_effort
from annotations.labelling.progress import AnnotatorProgress, annotators_progress
from annotations.labelling.schema import dimensions_active
from annotations.labelling.scope import quotes_in_project
from annotations.models import Assignment, Choice, Dimension, Gold, Label, Project
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


# -- quality: each annotator against gold, confusion per question, agreement by week -----------
@dataclass(frozen=True)
class AnnotatorQuality:
    """One annotator's answers against gold, per question (by key) and over all questions
    (accuracy only: kappa is per question), with what their work cost."""

    annotator_id: int
    username: str
    per_dimension: dict[str, agreement.GoldAgreement]
    overall: agreement.GoldAgreement
    submitted: int
    median_seconds: float | None  # per submitted quote that measured its time
    timed_quotes: int
    label_changes: int  # answers changed after they were first given


@dataclass(frozen=True)
class Confusion:
    """A question's confusion matrix over every annotator: rows are gold answers, columns the
    answers given, cells how often (`counts[row][column]`); answers are display labels."""

    key: str
    name: str
    answers: list[str]
    counts: list[list[int]]
    compared: int


@dataclass(frozen=True)
class WeekAgreement:
    """Agreement in one week (Monday to Sunday, UTC): alpha per question over the quotes whose
    latest answer came that week, and how many of the answers given that week match gold."""

    week: datetime.date
    quotes: int
    alpha: dict[str, agreement.Alpha]
    gold_compared: int
    gold_accuracy: float | None


@dataclass(frozen=True)
class QualityReport:
    annotators: list[AnnotatorQuality]
    confusion: list[Confusion]
    weeks: list[WeekAgreement]


def _timed_answers(*, project: Project, dimensions: list[Dimension]) -> dict:
    """dimension id → quote id → annotator id → (answer, when given), as _answers reads them."""
    multiple = {d.id: d.multiple for d in dimensions}
    rows = (
        Label.choices.through.objects.filter(
            label__project=project,
            label__dimension__in=list(multiple),
            label__quote__in=quotes_in_project(project=project),
        )
        .order_by()
        .values_list(
            "label__dimension_id",
            "label__quote_id",
            "label__annotator_id",
            "choice__value",
            "label__updated_at",
        )
    )
    values: dict = defaultdict(lambda: defaultdict(dict))
    for dimension_id, quote_id, annotator_id, value, updated_at in rows:
        chosen, _ = values[dimension_id][quote_id].get(annotator_id, ([], None))
        values[dimension_id][quote_id][annotator_id] = ([*chosen, value], updated_at)
    return {
        dimension_id: {
            quote_id: {
                annotator_id: (
                    tuple(sorted(chosen)) if multiple[dimension_id] else chosen[0],
                    updated_at,
                )
                for annotator_id, (chosen, updated_at) in by_annotator.items()
            }
            for quote_id, by_annotator in by_quote.items()
        }
        for dimension_id, by_quote in values.items()
    }


def _gold_answers(*, project: Project, dimensions: list[Dimension]) -> dict[int, dict]:
    """dimension id → quote id → the gold answer (any method), shaped as answers are."""
    multiple = {d.id: d.multiple for d in dimensions}
    rows = (
        Gold.choices.through.objects.filter(
            gold__project=project,
            gold__dimension__in=list(multiple),
            gold__quote__in=quotes_in_project(project=project),
        )
        .order_by()
        .values_list("gold__dimension_id", "gold__quote_id", "choice__value")
    )
    values: dict = defaultdict(lambda: defaultdict(list))
    for dimension_id, quote_id, value in rows:
        values[dimension_id][quote_id].append(value)
    return {
        dimension_id: {
            quote_id: tuple(sorted(chosen)) if multiple[dimension_id] else chosen[0]
            for quote_id, chosen in by_quote.items()
        }
        for dimension_id, by_quote in values.items()
    }


def _monday(moment: datetime.datetime) -> datetime.date:
    day = moment.astimezone(datetime.UTC).date()
    return day - datetime.timedelta(days=day.weekday())


def quality_report(*, project: Project) -> QualityReport:
    """Each annotator's agreement with gold (accuracy and Cohen's kappa per question), a
    confusion matrix per question, and agreement by week (eight queries).

    Gold is every gold label, whatever made it (unanimous answers included); a multiple-choice
    answer agrees only when it is the same set. Time spent and changes come from
    labels.labelling_effort.
    """
    dimensions = list(
        project.dimensions.filter(archived=False)
        .order_by("order", "id")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
    )
    answers = _timed_answers(project=project, dimensions=dimensions)
    gold = _gold_answers(project=project, dimensions=dimensions)
    effort = labelling_effort(project=project)
    submitted = Counter(
        Assignment.objects.filter(
            project=project,
            status=Assignment.Status.SUBMITTED,
            quote__in=quotes_in_project(project=project),
        )
        .order_by()
        .values_list("annotator_id", flat=True)
    )
    people = set(submitted) | {
        annotator_id for units in answers.values() for by in units.values() for annotator_id in by
    }
    names = dict(get_user_model().objects.filter(id__in=people).values_list("id", "username"))

    def shown(dimension: Dimension, answer: Hashable) -> str:
        labels = {choice.value: choice.label for choice in dimension.choices.all()}
        values = answer if isinstance(answer, tuple) else (answer,)
        return " + ".join(labels.get(value, value) for value in values) or "none"

    # Turned around once: annotator → dimension id → quote id → answer; and their efforts.
    theirs_by: dict = defaultdict(lambda: defaultdict(dict))
    for dimension_id, units in answers.items():
        for quote_id, by in units.items():
            for annotator_id, (answer, _) in by.items():
                theirs_by[annotator_id][dimension_id][quote_id] = answer
    gold_pooled = {(d, q): a for d, units in gold.items() for q, a in units.items()}
    efforts_by: dict = defaultdict(list)
    for effort_of_one in effort.values():
        efforts_by[effort_of_one.annotator_id].append(effort_of_one)

    annotators = []
    for annotator_id in sorted(people, key=lambda a: names.get(a, "")):
        per_dimension, given_all = {}, {}
        for dimension in dimensions:
            theirs = theirs_by[annotator_id][dimension.id]
            truth = gold.get(dimension.id, {})
            per_dimension[dimension.key] = agreement.gold_agreement(theirs, truth)
            given_all.update({(dimension.id, q): a for q, a in theirs.items()})
        shared = given_all.keys() & gold_pooled.keys()
        matches = sum(given_all[key] == gold_pooled[key] for key in shared)
        overall = agreement.GoldAgreement(
            len(shared),
            matches,
            matches / len(shared) if shared else None,
            None,
            "Kappa is per question." if shared else "None of their answers has gold yet.",
        )
        spent = sorted(e.seconds for e in efforts_by[annotator_id] if e.seconds is not None)
        annotators.append(
            AnnotatorQuality(
                annotator_id=annotator_id,
                username=names.get(annotator_id, str(annotator_id)),
                per_dimension=per_dimension,
                overall=overall,
                submitted=submitted.get(annotator_id, 0),
                median_seconds=statistics.median(spent) if spent else None,
                timed_quotes=len(spent),
                label_changes=sum(e.changes for e in efforts_by[annotator_id]),
            )
        )

    confusion = []
    for dimension in dimensions:
        truth = gold.get(dimension.id, {})
        pairs = Counter(
            (shown(dimension, truth[quote_id]), shown(dimension, answer))
            for quote_id, by in answers.get(dimension.id, {}).items()
            if quote_id in truth
            for answer, _ in by.values()
        )
        order = [choice.label for choice in dimension.choices.all()]
        seen = {label for pair in pairs for label in pair}
        labels = [label for label in order if label in seen] + sorted(seen - set(order))
        confusion.append(
            Confusion(
                key=dimension.key,
                name=dimension.name,
                answers=labels,
                counts=[[pairs[(row, column)] for column in labels] for row in labels],
                compared=sum(pairs.values()),
            )
        )

    by_week: dict = defaultdict(lambda: {"units": defaultdict(dict), "given": 0, "matches": 0})
    for dimension in dimensions:
        truth = gold.get(dimension.id, {})
        for quote_id, by in answers.get(dimension.id, {}).items():
            latest = max(when for _, when in by.values())
            by_week[_monday(latest)]["units"][dimension.key][quote_id] = {
                annotator_id: answer for annotator_id, (answer, _) in by.items()
            }
            if quote_id in truth:
                for answer, when in by.values():
                    week = by_week[_monday(when)]
                    week["given"] += 1
                    week["matches"] += answer == truth[quote_id]
    weeks = [
        WeekAgreement(
            week=monday,
            quotes=len({q for units in found["units"].values() for q in units}),
            alpha={
                d.key: agreement.krippendorff_alpha_nominal(found["units"].get(d.key, {}))
                for d in dimensions
            },
            gold_compared=found["given"],
            gold_accuracy=found["matches"] / found["given"] if found["given"] else None,
        )
        for monday, found in sorted(by_week.items())
    ]
    return QualityReport(annotators=annotators, confusion=confusion, weeks=weeks)

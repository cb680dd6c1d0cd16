"""Labels: saving one person's answers on one quote (with history), reading them back, and what
they cost (time spent and changes, for the dashboard and exports)."""

import dataclasses
import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from annotations import sql
from annotations.access import LABELLING_ROLES, membership_for, require_role, sees_all_labels
from annotations.labelling.gold import gold_unanimous_sync, quote_settled
from annotations.labelling.queue import assignment_expiry_cutoff
from annotations.labelling.schema import answer_parse, schema_read
from annotations.labelling.scope import quote_lock
from annotations.models import Assignment, Choice, Dimension, Label, Project
from claims.models import Quote

NOTE_MAX_CHARS = 5000


def _parse_labels(
    *, project: Project, labels: object
) -> tuple[dict[Dimension, list[Choice]], list[str | ValidationError]]:
    if not isinstance(labels, dict):
        return {}, ["labels must map dimension keys to choice values"]
    schema = {
        dimension.key: (dimension, choices) for dimension, choices in schema_read(project=project)
    }
    parsed, errors, invalid = {}, [], set()
    for key, raw in labels.items():
        if key not in schema:
            errors.append(f"unknown dimension '{key}'")
            continue
        dimension, choices = schema[key]
        if dimension.archived:
            errors.append(f"archived dimension '{key}'")
            continue
        chosen, problems = answer_parse(dimension, choices, raw)
        if problems:
            errors.extend(problems)
            invalid.add(key)
        else:
            parsed[dimension] = chosen
    for key, (dimension, _) in schema.items():
        required = dimension.required and not dimension.archived
        if required and key not in invalid and not parsed.get(dimension):
            # Coded, so a page can name the unanswered question in its own words.
            errors.append(
                ValidationError(
                    "missing required dimension '%(dimension)s'",
                    code="required",
                    params={"dimension": key},
                )
            )
    return parsed, errors


@dataclass(frozen=True)
class LabelState:
    """One label as it stands: what a save returns and the API shows."""

    id: int
    quote_id: int
    annotator: AbstractBaseUser
    dimension: Dimension
    values: list[str]  # choice values, sorted
    note: str
    updated_at: datetime.datetime

    @classmethod
    def of(cls, label: Label) -> "LabelState":
        """From a stored label (its choices prefetched, as labels_visible_to gives them)."""
        return cls(
            id=label.id,
            quote_id=label.quote_id,
            annotator=label.annotator,
            dimension=label.dimension,
            values=sorted(choice.value for choice in label.choices.all()),
            note=label.note,
            updated_at=label.updated_at,
        )


SECONDS_MAX = 24 * 60 * 60


def seconds_clean(seconds: object) -> float | None:
    """Time spent on one quote as stored: None (not measured) or seconds from 0 to a day,
    to a tenth of a second; a ValidationError on `seconds` otherwise."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds != seconds:
        raise ValidationError({"seconds": "Give the seconds spent as a number."})
    if not 0 <= seconds <= SECONDS_MAX:
        raise ValidationError({"seconds": f"Seconds spent go from 0 to {SECONDS_MAX}."})
    return round(float(seconds), 1)


@transaction.atomic
def label_save(
    *,
    project: Project,
    quote: Quote,
    annotator: AbstractBaseUser,
    labels: dict[str, str | list[str]],
    note: str = "",
    seconds: float | None = None,
) -> list[LabelState]:
    """Save one person's answers for one quote and mark their assignment submitted.

    Annotators, reviewers and managers may all label. Each call gives every required
    dimension (optional ones may be left out, or cleared with "" / []). A changed label gets a
    LabelHistory row; unchanged ones are left alone. Someone without a live assignment for the
    quote gets one, unless the quote already has its k annotators. Then unanimous gold is
    refreshed. Nothing is written if any part is invalid. Returns the labels as they stand,
    in question order. `seconds`, when the caller measured it (the annotator page does, from
    display to submit), is added to the time spent on the quote (Assignment.seconds_spent).
    """
    require_role(annotator, project, *LABELLING_ROLES)
    if not isinstance(note, str):
        raise ValidationError({"note": "The note must be text."})
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX_CHARS} characters."})
    seconds = seconds_clean(seconds)
    quote_lock(project=project, quote=quote)
    parsed, errors = _parse_labels(project=project, labels=labels)
    if errors:
        raise ValidationError({"labels": errors})

    now = timezone.now()
    cutoff = assignment_expiry_cutoff(project=project, now=now)
    # Who holds a place on this quote, whether the caller's own is live, and who has
    # submitted (for the unanimous gold below), the quote's gold, and the caller's labels as
    # they stand: one statement.
    mine_live, others, submitters = False, 0, {annotator.pk}
    places, gold, existing = sql.quote_places(
        project_id=project.id, quote_id=quote.pk, annotator_id=annotator.pk, cutoff=cutoff
    )
    for annotator_id, live, status in places:
        if annotator_id == annotator.pk:
            mine_live = live
        else:
            others += live
            if status == Assignment.Status.SUBMITTED:
                submitters.add(annotator_id)
    if not mine_live and others >= project.annotators_per_quote:
        raise ValidationError(
            {
                "quote": "This quote already has its "
                f"{project.annotators_per_quote} annotators; take the next one."
            }
        )

    # A fixed number of statements whatever the number of dimensions: changed labels are
    # rewritten in one statement, then new labels, choices, history and the submission written
    # together (sql.label_save_writes: one statement on PostgreSQL, one each elsewhere).
    states: dict[int, LabelState] = {}
    created, changed, new_choices = [], [], {}
    for dimension, chosen in parsed.items():
        row = existing.get(dimension.id)
        if row is None and not chosen:
            continue  # an optional dimension left empty that was never answered
        values = sorted(choice.value for choice in chosen)
        state = LabelState(
            id=0,
            quote_id=quote.pk,
            annotator=annotator,
            dimension=dimension,
            values=values,
            note=note,
            updated_at=now,
        )
        if row is None:
            created.append(dimension.id)
            new_choices[dimension.id] = chosen
        elif row[3] == {c.id for c in chosen} and row[1] == note:
            state = dataclasses.replace(state, id=row[0], updated_at=row[2])  # unchanged
        else:
            changed.append(row[0])
            new_choices[dimension.id] = chosen
            state = dataclasses.replace(state, id=row[0])
        states[dimension.id] = state
    # Asked only when answers change (a first save never does), so the usual save costs nothing.
    if changed and quote_settled(project=project, quote_id=quote.pk):
        raise ValidationError(
            {"quote": "A reviewer has settled this quote's gold; its labels no longer change."}
        )
    if changed:
        sql.labels_rewrite(label_ids=changed, note=note, now=now)
    new_ids, submitted = sql.label_save_writes(
        project_id=project.id,
        quote_id=quote.pk,
        annotator_id=annotator.pk,
        created=created,
        known={
            dimension_id: states[dimension_id].id
            for dimension_id in new_choices
            if dimension_id not in created
        },
        choices={
            dimension_id: [choice.pk for choice in chosen]
            for dimension_id, chosen in new_choices.items()
        },
        values={
            dimension_id: [choice.value for choice in chosen]
            for dimension_id, chosen in new_choices.items()
        },
        note=note,
        now=now,
        seconds=seconds,
    )
    for dimension_id in created:
        states[dimension_id] = dataclasses.replace(states[dimension_id], id=new_ids[dimension_id])

    # The assignment may have just been deleted as expired by the annotator's own
    # assign_next_quote (which needs no quote lock to give up a place); the room check above
    # already treated it as not live, so creating it afresh is within k.
    if not submitted:
        sql.assignment_insert(
            project_id=project.id,
            quote_id=quote.pk,
            annotator_id=annotator.pk,
            status=Assignment.Status.SUBMITTED,
            now=now,
            seconds=seconds,
        )
    gold_unanimous_sync(
        project=project,
        quote_ids=[quote.pk],
        submitters={quote.pk: submitters},
        gold=gold,
    )
    return sorted(states.values(), key=lambda state: (state.dimension.order, state.dimension.id))


def labels_visible_to(
    *, project: Project, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Label]:
    """Labels the user may see: in blind mode annotators see only their own; reviewers,
    managers and superusers see all; non-members see none."""
    labels = (
        Label.objects.filter(project=project)
        .select_related("annotator", "dimension")
        .prefetch_related("choices")
    )
    if not user.is_authenticated:
        return labels.none()
    if user.is_superuser:
        return labels
    membership = membership_for(user, project)
    if membership is None:
        return labels.none()
    if sees_all_labels(membership, project):
        return labels
    return labels.filter(annotator=user)


def answers_from_rows(rows: list[tuple[str, str | None]]) -> dict[str, list]:
    """The annotator's own answers on one quote from its (dimension key, choice value or None)
    rows (sql.answers_and_counts): dimension key → sorted choice values; a label whose choices
    were cleared gives []."""
    answers: dict[str, list] = {}
    for key, value in rows:
        answers.setdefault(key, [])
        if value is not None:
            answers[key].append(value)
    return {key: sorted(values) for key, values in answers.items()}


class QuoteEffort(NamedTuple):
    """What one annotator's work on one quote cost: the seconds they spent on it (display to
    submit, over every submission that measured it; None when none did) and how many times
    they changed an answer after giving it (Label.changes: the history rows beyond the first).
    A named tuple: an export makes one per quote and annotator, and a tuple is made several
    times faster than a frozen dataclass."""

    quote_id: int
    annotator_id: int
    seconds: float | None
    changes: int


def seconds_spent(
    *, project: Project, quote_ids: tuple[int, int] | None = None
) -> dict[tuple[int, int], float | None]:
    """(quote id, annotator id) → seconds spent (None: not measured) for everyone who has had
    a quote of the project (with `quote_ids` (first, last): of those quotes only). One query."""
    first, last = quote_ids if quote_ids is not None else (None, None)
    return {
        (quote_id, annotator_id): spent
        for quote_id, annotator_id, spent in sql.seconds_spent(
            project_id=project.id, first_id=first, last_id=last
        )
    }


def effort_parts(
    *, project: Project, quote_ids: tuple[int, int] | None = None
) -> tuple[dict[tuple[int, int], float | None], dict[tuple[int, int], int]]:
    """Seconds spent and label changes, each (quote id, annotator id) → value, of the project
    (with `quote_ids` (first, last): of those quotes only). Two queries.

    Changes are each label's count of rewrites (Label.changes, kept by sql.labels_rewrite as
    it writes the history row), summed over the quote's questions: no history row is read.
    Someone with no changes on a quote is not in the second dict.
    """
    first, last = quote_ids if quote_ids is not None else (None, None)
    seconds = seconds_spent(project=project, quote_ids=quote_ids)
    changes = {
        (quote_id, annotator_id): changed
        for quote_id, annotator_id, changed in sql.label_changes(
            project_id=project.id, first_id=first, last_id=last
        )
    }
    return seconds, changes


def labelling_effort(
    *, project: Project, quote_ids: tuple[int, int] | None = None
) -> dict[tuple[int, int], QuoteEffort]:
    """(quote id, annotator id) → QuoteEffort, for everyone who has had a quote of the project
    (with `quote_ids` (first, last): of those quotes only). The dashboard reads time spent and
    changes from here; the export reads the same two figures a chunk at a time
    (sql.seconds_spent, and sql.export_notes_and_changes with the notes), and
    tests/annotations/test_export_annotator_work.py holds the two readings equal."""
    seconds, changes = effort_parts(project=project, quote_ids=quote_ids)
    return {
        key: QuoteEffort(key[0], key[1], seconds.get(key), changes.get(key, 0))
        for key in seconds.keys() | changes.keys()
    }

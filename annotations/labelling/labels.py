"""Labels: saving one person's answers on one quote (with history), and reading them back."""

import json

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from annotations import sql
from annotations.access import LABELLING_ROLES, membership_for, require_role, sees_all_labels
from annotations.labelling.gold import gold_unanimous_sync
from annotations.labelling.queue import assignment_expiry_cutoff
from annotations.labelling.schema import answer_parse, schema_read
from annotations.labelling.scope import quote_lock
from annotations.models import Assignment, Choice, Dimension, Label, LabelHistory, Project
from claims.models import Quote

NOTE_MAX_CHARS = 5000


def _parse_labels(
    *, project: Project, labels: object
) -> tuple[dict[Dimension, list[Choice]], list[str]]:
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
            errors.append(f"missing required dimension '{key}'")
    return parsed, errors


@transaction.atomic
def label_save(
    *,
    project: Project,
    quote: Quote,
    annotator: AbstractBaseUser,
    labels: dict[str, str | list[str]],
    note: str = "",
) -> list[Label]:
    """Save one person's answers for one quote and mark their assignment submitted.

    Annotators, reviewers and managers may all label. Each call gives every required
    dimension (optional ones may be left out, or cleared with "" / []). A changed label gets a
    LabelHistory row; unchanged ones are left alone. Someone without a live assignment for the
    quote gets one, unless the quote already has its k annotators. Then unanimous gold is
    refreshed. Nothing is written if any part is invalid.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    if not isinstance(note, str):
        raise ValidationError({"note": "The note must be text."})
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX_CHARS} characters."})
    quote_lock(project=project, quote=quote)
    parsed, errors = _parse_labels(project=project, labels=labels)
    if errors:
        raise ValidationError({"labels": errors})

    now = timezone.now()
    assignment_table = Assignment._meta.db_table
    params = {
        "project": project.id,
        "quote": quote.pk,
        "annotator": annotator.pk,
        "now": sql.db_datetime(now),
        "cutoff": sql.db_datetime(assignment_expiry_cutoff(project=project, now=now)),
    }
    # One query: who holds a place on this quote, whether the caller's own is live, and who
    # has submitted (for the unanimous gold below).
    places = sql.fetch_all(
        f"SELECT a.annotator_id, {sql.ASSIGNMENT_LIVE_SQL}, a.status FROM {assignment_table} a "  # noqa: S608
        "WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s",
        params,
    )
    mine_live, others, submitters = False, 0, {annotator.pk}
    for annotator_id, live, status in places:
        if annotator_id == annotator.pk:
            mine_live = bool(live)
        else:
            others += bool(live)
            if status == Assignment.Status.SUBMITTED:
                submitters.add(annotator_id)
    if not mine_live and others >= project.annotators_per_quote:
        raise ValidationError(
            {
                "quote": "This quote already has its "
                f"{project.annotators_per_quote} annotators; take the next one."
            }
        )

    # The caller's labels on this quote as they stand: id, dimension, note, updated_at, choices.
    label_table, choice_table = Label._meta.db_table, Label.choices.through._meta.db_table
    existing: dict[int, tuple[int, str, object, set[int]]] = {}
    for label_id, dimension_id, old_note, updated_at, choice_id in sql.fetch_all(
        f"SELECT l.id, l.dimension_id, l.note, l.updated_at, c.choice_id FROM {label_table} l "  # noqa: S608
        f"LEFT JOIN {choice_table} c ON c.label_id = l.id WHERE l.project_id = %(project)s "
        "AND l.quote_id = %(quote)s AND l.annotator_id = %(annotator)s",
        params,
    ):
        row = existing.setdefault(dimension_id, (label_id, old_note, updated_at, set()))
        if choice_id is not None:
            row[3].add(choice_id)

    # A fixed number of statements whatever the number of dimensions: new labels, changed
    # labels, their choices and their history are each written in one statement.
    saved, created, changed, new_choices = [], [], [], {}
    for dimension, chosen in parsed.items():
        row = existing.get(dimension.id)
        if row is None and not chosen:
            continue  # an optional dimension left empty that was never answered
        label = Label(
            project=project, quote=quote, annotator=annotator, dimension=dimension, note=note
        )
        label.created_at = label.updated_at = now
        if row is not None:
            label.pk, label.note, old_choices = row[0], row[1], row[3]
            if old_choices == {c.id for c in chosen} and row[1] == note:
                label.updated_at = sql.field_from_db(Label, "updated_at", row[2])
                _choices_known(label, sorted(chosen, key=lambda c: c.value))
                saved.append(label)
                continue
            label.note = note
            changed.append(label)
        else:
            created.append(label)
        new_choices[dimension.id] = chosen
        saved.append(label)
    new_ids = sql.insert_rows(
        label_table,
        (
            "project_id",
            "quote_id",
            "annotator_id",
            "dimension_id",
            "note",
            "created_at",
            "updated_at",
        ),
        [
            (
                project.id,
                quote.pk,
                annotator.pk,
                label.dimension_id,
                note,
                params["now"],
                params["now"],
            )
            for label in created
        ],
        returning=("dimension_id", "id")
        if connection.features.can_return_columns_from_insert
        else (),
    )
    if created and not new_ids:  # SQLite before 3.35 has no RETURNING
        new_ids = sql.fetch_all(
            f"SELECT dimension_id, id FROM {label_table} WHERE project_id = %(project)s "  # noqa: S608
            "AND quote_id = %(quote)s AND annotator_id = %(annotator)s",
            params,
        )
    new_ids = dict(new_ids)
    for label in created:
        label.pk = new_ids[label.dimension_id]
    if changed:
        ids = sql.placeholders([label.pk for label in changed], params, "label")
        sql.execute(
            f"UPDATE {label_table} SET note = %(note)s, updated_at = %(now)s "  # noqa: S608
            f"WHERE id IN ({ids})",
            {**params, "note": note},
        )
        sql.execute(f"DELETE FROM {choice_table} WHERE label_id IN ({ids})", params)  # noqa: S608
    rewritten = [*created, *changed]
    sql.insert_rows(
        choice_table,
        ("label_id", "choice_id"),
        [
            (label.pk, choice.pk)
            for label in rewritten
            for choice in new_choices[label.dimension_id]
        ],
    )
    sql.insert_rows(
        LabelHistory._meta.db_table,
        ("label_id", "values", "note", "changed_by_id", "changed_at"),
        [
            (
                label.pk,
                json.dumps([choice.value for choice in new_choices[label.dimension_id]]),
                note,
                annotator.pk,
                params["now"],
            )
            for label in rewritten
        ],
    )

    # The row may have just been deleted as expired by the annotator's own assign_next_quote
    # (which needs no quote lock to give up a place); the room check above already treated
    # it as not live, so creating it afresh is within k.
    submitted = sql.execute(
        f"UPDATE {assignment_table} SET status = 'submitted', completed_at = %(now)s "  # noqa: S608
        "WHERE project_id = %(project)s AND quote_id = %(quote)s AND annotator_id = %(annotator)s",
        params,
    )
    if not submitted:
        sql.insert_rows(
            assignment_table,
            ("project_id", "quote_id", "annotator_id", "status", "assigned_at", "completed_at"),
            [(project.id, quote.pk, annotator.pk, "submitted", params["now"], params["now"])],
        )
    gold_unanimous_sync(project=project, quote_ids=[quote.pk], submitters={quote.pk: submitters})
    # What was written, as it now stands, without reading it back: dimension, annotator and
    # choices are already in hand.
    for label in rewritten:
        _choices_known(label, new_choices[label.dimension_id])
    return sorted(saved, key=lambda label: (label.dimension.order, label.dimension_id))


def _choices_known(label: Label, choices: list[Choice]) -> None:
    """Give `label.choices.all()` these choices without a query, as prefetch_related would
    (Django keeps prefetched rows in the same per-instance cache)."""
    cache = label.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop("choices", None)
    rows = label.choices.get_queryset()  # builds the queryset; runs nothing
    rows._result_cache, rows._prefetch_done = list(choices), True
    cache["choices"] = rows


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


def my_answers(*, project: Project, quote: Quote, annotator: AbstractBaseUser) -> dict[str, list]:
    """The annotator's own answers on one quote: dimension key → sorted choice values (one
    query; a label whose choices were cleared gives [])."""
    answers: dict[str, list] = {}
    rows = sql.fetch_all(  # SQL for speed: every queue-next runs it (see annotations/sql.py)
        f"SELECT d.key, c.value FROM {Label._meta.db_table} l "  # noqa: S608
        f"JOIN {Dimension._meta.db_table} d ON d.id = l.dimension_id "
        f"LEFT JOIN {Label.choices.through._meta.db_table} lc ON lc.label_id = l.id "
        f"LEFT JOIN {Choice._meta.db_table} c ON c.id = lc.choice_id "
        "WHERE l.project_id = %(project)s AND l.quote_id = %(quote)s "
        "AND l.annotator_id = %(annotator)s",
        {"project": project.id, "quote": quote.pk, "annotator": annotator.pk},
    )
    for key, value in rows:
        answers.setdefault(key, [])
        if value is not None:
            answers[key].append(value)
    return {key: sorted(values) for key, values in answers.items()}

"""Writes for the labelling side: projects and members, labels, the queue, gold, comments."""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from annotations import sql
from annotations.models import (
    Assignment,
    Choice,
    Comment,
    Dimension,
    Gold,
    Label,
    LabelHistory,
    Membership,
    Project,
)
from annotations.permissions import (
    ADJUDICATING_ROLES,
    LABELLING_ROLES,
    forget_memberships,
    require_role,
)
from annotations.schema import DEFAULT_SCHEMA
from annotations.selectors import (
    ASSIGNMENT_EXPIRED_SQL,
    ASSIGNMENT_LIVE_SQL,
    QUOTE_ARTICLE_IN_PROJECT_SQL,
    assignment_expiry_cutoff,
    queue_candidate_id,
    quotes_in_project,
)
from claims.models import Article, Outlet, Quote, Speaker


def project_schema_create_default(*, project: Project) -> None:
    """Give a project the default stance / attribution / sourcing schema.

    With several stance targets, stance is asked once per target (keys stance, stance-2, …).
    """
    targets = project.stance_targets or [""]
    order = 0
    for spec in DEFAULT_SCHEMA:
        per_target = targets if spec["key"] == "stance" else [""]
        for index, target in enumerate(per_target):
            key = spec["key"] if index == 0 else f"{spec['key']}-{index + 1}"
            name = f"{spec['name']}: {target}" if target and len(per_target) > 1 else spec["name"]
            _dimension_from_spec(
                project=project, spec=spec, key=key, name=name, target=target, order=order
            )
            order += 1


@transaction.atomic
def project_create(
    *,
    name: str,
    created_by: AbstractBaseUser,
    description: str = "",
    guidelines: str = "",
    stance_targets: list[str] | None = None,
    annotators_per_quote: int = 2,
    blind_mode: bool = True,
    articles: Iterable[Article] | None = None,
) -> Project:
    """Create a project with the default schema; its creator becomes its manager."""
    targets = _clean_targets(stance_targets or [])
    if not name.strip():
        raise ValidationError({"name": "A project needs a name."})
    if not 1 <= annotators_per_quote <= 50:
        raise ValidationError({"annotators_per_quote": "Choose between 1 and 50 annotators."})
    project = Project.objects.create(
        name=name.strip(),
        description=description,
        guidelines=guidelines,
        stance_targets=targets,
        annotators_per_quote=annotators_per_quote,
        blind_mode=blind_mode,
        created_by=created_by,
    )
    project_schema_create_default(project=project)
    Membership.objects.create(project=project, user=created_by, role=Membership.Role.MANAGER)
    if articles is not None:
        project.articles.set(articles)
    return project


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add a member or change their role; the last manager cannot stop being one."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; use one of {Membership.Role.values}."}
        )
    if role != Membership.Role.MANAGER:
        managers = list(
            Membership.objects.select_for_update()
            .filter(project=project, role=Membership.Role.MANAGER)
            .values_list("user_id", flat=True)
        )
        if managers == [user.pk]:
            raise ValidationError({"role": "A project needs at least one manager."})
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    forget_memberships(project)
    return membership


# -- labelling ------------------------------------------------------------------------------------
#
# Concurrency: every write that gives a quote a live assignment (or makes one live again), and
# every write of a quote's gold, runs while holding that quote's row lock (SELECT … FOR NO KEY
# UPDATE); giving a place up (deleting an expired assignment) needs no lock, as it only shrinks
# the count. The "no key" strength still lets others insert labels and comments that reference
# the quote. On SQLite select_for_update is a no-op, but SQLite has one writer at a time.

NOTE_MAX_CHARS = 5000
COMMENT_MAX_CHARS = 5000


def _lock_quote(*, project: Project, quote: Quote, allow_rejected: bool = False) -> None:
    """Lock the quote's row, checking it belongs to one of the project's articles."""
    rows = sql.fetch_all(
        f"SELECT q.is_rejected FROM {Quote._meta.db_table} q WHERE q.id = %(quote)s "  # noqa: S608
        f"AND {QUOTE_ARTICLE_IN_PROJECT_SQL}" + sql.row_lock("q"),
        {"quote": quote.pk, "project": project.id},
    )
    if not rows:
        raise ValidationError({"quote": "This quote is not in the project."})
    if rows[0][0] and not allow_rejected:
        raise ValidationError({"quote": "This quote was marked “not a quote”."})


def _lock_annotator(annotator: AbstractBaseUser) -> None:
    """Serialise one person's queue calls (double clicks, two tabs) so they never race."""
    if connection.features.has_select_for_update:
        sql.fetch_all(
            f"SELECT u.id FROM {get_user_model()._meta.db_table} u "  # noqa: S608
            "WHERE u.id = %(user)s" + sql.row_lock("u"),
            {"user": annotator.pk},
        )


def _parse_answer(
    dimension: Dimension, choices: list[Choice], raw: object
) -> tuple[list[Choice], list[str]]:
    """The choices a raw answer names, or error messages; an empty answer is no choices."""
    key = dimension.key
    if isinstance(raw, str):
        values = [raw] if raw else []
    elif isinstance(raw, list | tuple) and all(isinstance(value, str) for value in raw):
        values = list(dict.fromkeys(raw))
    else:
        expected = "a list of choice values" if dimension.multiple else "a choice value"
        return [], [f"'{key}' needs {expected}, not {raw!r}"]
    if not dimension.multiple and len(values) > 1:
        return [], [f"'{key}' takes one choice, not {len(values)}"]
    by_value = {choice.value: choice for choice in choices}
    chosen, errors = [], []
    for value in values:
        choice = by_value.get(value)
        if choice is None:
            errors.append(f"unknown choice '{value}' for '{key}'")
        elif choice.archived:
            errors.append(f"archived choice '{value}' for '{key}'")
        else:
            chosen.append(choice)
    chosen.sort(key=lambda choice: (choice.order, choice.id))
    return chosen, errors


_DIMENSION_COLUMNS = [field.attname for field in Dimension._meta.concrete_fields]
_CHOICE_COLUMNS = [field.attname for field in Choice._meta.concrete_fields]


def _schema_read(*, project: Project) -> list[tuple[Dimension, list[Choice]]]:
    """The project's questions in order, each with its choices in order (one SQL query, as
    every label save reads it; see annotations/sql.py)."""
    quote_name = connection.ops.quote_name
    columns = [f"d.{quote_name(c)}" for c in _DIMENSION_COLUMNS]
    columns += [f"c.{quote_name(c)}" for c in _CHOICE_COLUMNS]
    rows = sql.fetch_all(
        f"SELECT {', '.join(columns)} FROM {Dimension._meta.db_table} d "  # noqa: S608
        f"LEFT JOIN {Choice._meta.db_table} c ON c.dimension_id = d.id "
        f"WHERE d.project_id = %s ORDER BY d.{quote_name('order')}, d.id, "
        f"c.{quote_name('order')}, c.id",
        [project.id],
    )
    schema: dict[int, tuple[Dimension, list[Choice]]] = {}
    split = len(_DIMENSION_COLUMNS)
    for row in rows:
        if row[0] not in schema:
            values = [
                Dimension._meta.get_field(name).to_python(value)
                for name, value in zip(_DIMENSION_COLUMNS, row[:split], strict=True)
            ]
            schema[row[0]] = (Dimension.from_db(None, _DIMENSION_COLUMNS, values), [])
        if row[split] is not None:
            values = [
                Choice._meta.get_field(name).to_python(value)
                for name, value in zip(_CHOICE_COLUMNS, row[split:], strict=True)
            ]
            schema[row[0]][1].append(Choice.from_db(None, _CHOICE_COLUMNS, values))
    return list(schema.values())


def _parse_labels(
    *, project: Project, labels: object
) -> tuple[dict[Dimension, list[Choice]], list[str]]:
    if not isinstance(labels, dict):
        return {}, ["labels must map dimension keys to choice values"]
    schema = {
        dimension.key: (dimension, choices) for dimension, choices in _schema_read(project=project)
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
        chosen, problems = _parse_answer(dimension, choices, raw)
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
    _lock_quote(project=project, quote=quote)
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
        f"SELECT a.annotator_id, {ASSIGNMENT_LIVE_SQL}, a.status FROM {assignment_table} a "  # noqa: S608
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
    _unanimous_gold_sync(project=project, quote_ids=[quote.pk], submitters={quote.pk: submitters})
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


# -- the queue ------------------------------------------------------------------------------------
@transaction.atomic
def assign_next_quote(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """The annotator's open quote, or the next one from the pool; None when nothing is left.

    An open assignment past the project's timeout is given up first (it may come straight
    back if the quote is still the best free one).

    Why this is safe under concurrency (PostgreSQL, READ COMMITTED):
    1. The annotator's own calls are serialised by a lock on their user row, so one person
       never races themselves into two new assignments (double clicks, two tabs).
    2. Every transaction that adds a live assignment to a quote — or makes one live again —
       first locks that quote's row and holds the lock until it commits (assign_next_quote,
       label_save, label_undo_last). Once we hold the lock, a *new* statement (READ COMMITTED
       takes a fresh snapshot per statement) sees every assignment committed by earlier
       holders, and no one can add another until we commit. So the count re-read under the
       lock is exact, and "fewer than k" is still true when our insert commits. The
       candidate query's own count may be stale: it only chooses, it never decides.
    3. Candidates are locked with SKIP LOCKED, so concurrent callers spread over different
       quotes instead of queueing on the best one. Only when every candidate is locked do we
       wait for the best one — otherwise the queue would look empty while places are left.
    4. Each attempt runs in a savepoint; a quote found full is unlocked again (rolling back
       to a savepoint releases its row locks) before the next attempt. So this function never
       waits for a quote while holding another, and cannot deadlock with its own kind.
    5. The unique constraint on (project, quote, annotator) backs up "never twice".
    Expired assignments are deleted, which only ever shrinks a quote's count.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    _lock_annotator(annotator)
    now = timezone.now()
    cutoff = assignment_expiry_cutoff(project=project, now=now)

    # One query for the open assignments, those still in the project and those expired alike.
    params = {
        "project": project.id,
        "annotator": annotator.pk,
        "cutoff": sql.db_datetime(cutoff),
    }
    open_assignments = sql.fetch_all(
        f"SELECT a.id, a.quote_id, {ASSIGNMENT_EXPIRED_SQL}, "  # noqa: S608
        f"(NOT q.is_rejected AND {QUOTE_ARTICLE_IN_PROJECT_SQL}) "
        f"FROM {Assignment._meta.db_table} a JOIN {Quote._meta.db_table} q ON q.id = a.quote_id "
        "WHERE a.project_id = %(project)s AND a.annotator_id = %(annotator)s "
        "AND a.status = 'assigned' ORDER BY a.assigned_at DESC, a.id DESC",
        params,
    )
    expired = []
    for assignment_id, quote_id, is_expired, in_project in open_assignments:
        if is_expired:
            expired.append(assignment_id)
        elif in_project:
            return _quote_for_labelling(quote_id)
    if expired:
        ids = sql.placeholders(expired, params, "expired")
        sql.execute(f"DELETE FROM {Assignment._meta.db_table} WHERE id IN ({ids})", params)  # noqa: S608

    passed_over: list[int] = []
    while True:
        with transaction.atomic():
            candidate_id = queue_candidate_id(
                project=project,
                annotator=annotator,
                now=now,
                passed_over=passed_over,
                skip_locked=True,
            ) or queue_candidate_id(
                project=project,
                annotator=annotator,
                now=now,
                passed_over=passed_over,
                skip_locked=False,
            )
            if candidate_id is None:
                return None
            if _place_take(project=project, quote_id=candidate_id, annotator=annotator, now=now):
                return _quote_for_labelling(candidate_id)
            transaction.set_rollback(True)  # unlock the full quote before trying the next
        passed_over.append(candidate_id)


def _place_take(
    *, project: Project, quote_id: int, annotator: AbstractBaseUser, now: datetime.datetime
) -> bool:
    """With the quote locked: free its expired places, then take one if any is left."""
    table = Assignment._meta.db_table
    params = {
        "project": project.id,
        "quote": quote_id,
        "annotator": annotator.pk,
        "now": sql.db_datetime(now),
        "cutoff": sql.db_datetime(assignment_expiry_cutoff(project=project, now=now)),
    }
    expired = ASSIGNMENT_EXPIRED_SQL
    [(live, mine, expired_count)] = sql.fetch_all(
        f"SELECT COUNT(CASE WHEN {ASSIGNMENT_LIVE_SQL} THEN 1 END), "  # noqa: S608
        f"COUNT(CASE WHEN a.annotator_id = %(annotator)s AND NOT {expired} THEN 1 END), "
        f"COUNT(CASE WHEN {expired} THEN 1 END) "
        f"FROM {table} a WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s",
        params,
    )
    if expired_count:
        sql.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT a.id FROM {table} a "  # noqa: S608
            f"WHERE a.project_id = %(project)s AND a.quote_id = %(quote)s AND {expired})",
            params,
        )
    if live >= project.annotators_per_quote or mine:
        return False
    sql.insert_rows(
        table,
        ("project_id", "quote_id", "annotator_id", "status", "assigned_at", "completed_at"),
        [(project.id, quote_id, annotator.pk, "assigned", params["now"], None)],
    )
    return True


def _quote_for_labelling(quote_id: int) -> Quote:
    """The quote with its article (text included), outlet and speaker, in one SQL query (see
    annotations/sql.py)."""
    tables = [Quote, Article, Outlet, Speaker]
    row = sql.fetch_all(
        f"SELECT {', '.join(sql.columns(Quote, 'q') + sql.columns(Article, 'a'))}, "  # noqa: S608
        f"{', '.join(sql.columns(Outlet, 'o') + sql.columns(Speaker, 's'))} "
        f"FROM {Quote._meta.db_table} q JOIN {Article._meta.db_table} a ON a.id = q.article_id "
        f"LEFT JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id "
        f"LEFT JOIN {Speaker._meta.db_table} s ON s.id = q.speaker_id WHERE q.id = %s",
        [quote_id],
    )[0]
    instances, start = [], 0
    for model in tables:
        width = len(model._meta.concrete_fields)
        part = row[start : start + width]
        instances.append(None if part[0] is None else sql.instance_from_row(model, part))
        start += width
    quote, article, outlet, speaker = instances
    article.outlet, quote.article, quote.speaker = outlet, article, speaker
    return quote


@transaction.atomic
def assignment_skip(*, project: Project, annotator: AbstractBaseUser, quote: Quote) -> Assignment:
    """Skip the annotator's open quote; it is never offered to them again."""
    require_role(annotator, project, *LABELLING_ROLES)
    _lock_quote(project=project, quote=quote, allow_rejected=True)
    assignment = Assignment.objects.filter(
        project=project, quote=quote, annotator=annotator
    ).first()
    if assignment is None:
        raise ValidationError({"quote": "You have no open assignment for this quote."})
    if assignment.status == Assignment.Status.SKIPPED:
        return assignment
    if assignment.status == Assignment.Status.SUBMITTED or assignment.completed_at is not None:
        raise ValidationError(
            {"quote": "You have labelled this quote already; change your labels instead."}
        )
    assignment.status = Assignment.Status.SKIPPED
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["status", "completed_at"])
    return assignment


@transaction.atomic
def label_undo_last(*, project: Project, annotator: AbstractBaseUser) -> Quote | None:
    """Reopen the annotator's most recent submission and return its quote (None if none).

    The labels stay (the form prefills from them) and so does their history; saving again
    appends to it. The reopened assignment keeps its place: it does not expire.
    """
    require_role(annotator, project, *LABELLING_ROLES)
    _lock_annotator(annotator)
    last = (
        Assignment.objects.filter(
            project=project,
            annotator=annotator,
            status=Assignment.Status.SUBMITTED,
            quote__in=quotes_in_project(project=project),
        )
        .select_related("quote")
        .order_by("-completed_at", "-id")
        .first()
    )
    if last is None:
        return None
    _lock_quote(project=project, quote=last.quote)
    Assignment.objects.filter(pk=last.pk).update(
        status=Assignment.Status.ASSIGNED, assigned_at=timezone.now()
    )
    _unanimous_gold_sync(project=project, quote_ids=[last.quote_id])
    return last.quote


# -- gold -----------------------------------------------------------------------------------------
def _unanimous_gold_sync(
    *,
    project: Project,
    quote_ids: list[int] | None = None,
    submitters: dict[int, set[int]] | None = None,
) -> int:
    """Make unanimous gold match the labels: where a quote's submitted annotators (k or more)
    give one identical answer on a dimension, that is its gold; stale unanimous gold goes.
    Reviewer and majority gold are never touched. Returns how many gold rows were written.
    A caller that has just read who submitted each of `quote_ids` passes it as `submitters`.
    """
    k = project.annotators_per_quote
    params: dict = {"project": project.id}
    quotes_sql = ""
    if quote_ids is not None:
        if not quote_ids:
            return 0
        quotes_sql = f" AND {{alias}}.quote_id IN ({sql.placeholders(quote_ids, params, 'quote')})"
    if submitters is None:
        submitters = defaultdict(set)
        for quote_id, annotator_id in sql.fetch_all(
            f"SELECT a.quote_id, a.annotator_id FROM {Assignment._meta.db_table} a "  # noqa: S608
            "WHERE a.project_id = %(project)s AND a.status = 'submitted'"
            + quotes_sql.format(alias="a"),
            params,
        ):
            submitters[quote_id].add(annotator_id)
    complete = [quote_id for quote_id, people in submitters.items() if len(people) >= k]

    answers: dict = defaultdict(lambda: defaultdict(set))
    if complete:
        complete_sql = sql.placeholders(complete, params, "complete")
        for quote_id, dimension_id, annotator_id, choice_id in sql.fetch_all(
            f"SELECT l.quote_id, l.dimension_id, l.annotator_id, c.choice_id "  # noqa: S608
            f"FROM {Label.choices.through._meta.db_table} c "
            f"JOIN {Label._meta.db_table} l ON l.id = c.label_id "
            f"JOIN {Dimension._meta.db_table} d ON d.id = l.dimension_id "
            f"WHERE l.project_id = %(project)s AND l.quote_id IN ({complete_sql}) "
            "AND NOT d.archived",
            params,
        ):
            answers[(quote_id, dimension_id)][annotator_id].add(choice_id)
    unanimous: dict[tuple[int, int], frozenset[int]] = {}
    for (quote_id, dimension_id), by_annotator in answers.items():
        people = submitters[quote_id]
        given = {frozenset(by_annotator[a]) for a in people if by_annotator.get(a)}
        if len(given) == 1 and people <= by_annotator.keys():
            unanimous[(quote_id, dimension_id)] = next(iter(given))

    # (quote, dimension) → the gold there: its id, method and choices.
    existing: dict[tuple[int, int], tuple[int, str, set[int]]] = {}
    for gold_id, quote_id, dimension_id, method, choice_id in sql.fetch_all(
        f"SELECT g.id, g.quote_id, g.dimension_id, g.method, c.choice_id "  # noqa: S608
        f"FROM {Gold._meta.db_table} g LEFT JOIN {Gold.choices.through._meta.db_table} c "
        "ON c.gold_id = g.id WHERE g.project_id = %(project)s" + quotes_sql.format(alias="g"),
        params,
    ):
        gold = existing.setdefault((quote_id, dimension_id), (gold_id, method, set()))
        if choice_id is not None:
            gold[2].add(choice_id)
    stale = [
        gold_id
        for key, (gold_id, method, _) in existing.items()
        if method == Gold.Method.UNANIMOUS and key not in unanimous
    ]
    if stale:
        Gold.objects.filter(pk__in=stale).delete()
    to_create, to_update = [], []
    for (quote_id, dimension_id), choice_ids in unanimous.items():
        gold = existing.get((quote_id, dimension_id))
        if gold is None:
            to_create.append(
                Gold(
                    project=project,
                    quote_id=quote_id,
                    dimension_id=dimension_id,
                    method=Gold.Method.UNANIMOUS,
                )
            )
        elif gold[1] == Gold.Method.UNANIMOUS and choice_ids != gold[2]:
            to_update.append(Gold(pk=gold[0], quote_id=quote_id, dimension_id=dimension_id))
    if not to_create and not to_update:
        return 0
    created = Gold.objects.bulk_create(to_create)
    through = Gold.choices.through
    if to_update:
        through.objects.filter(gold__in=to_update).delete()
        Gold.objects.filter(pk__in=[gold.pk for gold in to_update]).update(
            decided_at=timezone.now()
        )
    through.objects.bulk_create(
        through(gold_id=gold.pk, choice_id=choice_id)
        for gold in [*created, *to_update]
        for choice_id in sorted(unanimous[(gold.quote_id, gold.dimension_id)])
    )
    return len(created) + len(to_update)


@transaction.atomic
def gold_set(
    *,
    project: Project,
    quote: Quote,
    dimension_key: str,
    values: str | list[str],
    reviewer: AbstractBaseUser,
) -> Gold:
    """A reviewer's (or manager's) adjudicated answer for one quote on one dimension."""
    require_role(reviewer, project, *ADJUDICATING_ROLES)
    _lock_quote(project=project, quote=quote)
    dimension = (
        project.dimensions.filter(key=dimension_key, archived=False)
        .prefetch_related("choices")
        .first()
    )
    if dimension is None:
        raise ValidationError({"dimension_key": f"unknown dimension '{dimension_key}'"})
    chosen, errors = _parse_answer(dimension, list(dimension.choices.all()), values)
    if not errors and not chosen:
        errors = ["choose at least one value"]
    if errors:
        raise ValidationError({"values": errors})
    gold, _ = Gold.objects.update_or_create(
        project=project,
        quote=quote,
        dimension=dimension,
        defaults={"method": Gold.Method.REVIEWER, "decided_by": reviewer},
    )
    gold.choices.set(chosen)
    return gold


@transaction.atomic
def gold_auto_resolve(*, project: Project) -> int:
    """Set unanimous gold wherever all of a quote's k (or more) annotators agree, and drop
    unanimous gold that no longer holds. Majority is left to a reviewer. Returns rows written.
    """
    # Lock, in id order (so two runs cannot deadlock), the quotes whose gold may change.
    candidates = Assignment.objects.filter(
        project=project, status=Assignment.Status.SUBMITTED
    ).values("quote_id")
    with_gold = Gold.objects.filter(project=project).values("quote_id")
    list(
        quotes_in_project(project=project)
        .filter(Q(id__in=candidates) | Q(id__in=with_gold))
        .order_by("id")
        .select_for_update(no_key=True, of=("self",))
        .values_list("id", flat=True)
    )
    return _unanimous_gold_sync(project=project)


# -- comments -------------------------------------------------------------------------------------
@transaction.atomic
def comment_add(*, project: Project, quote: Quote, author: AbstractBaseUser, text: str) -> Comment:
    """Add a comment to a quote's discussion; any member may comment, also on rejected quotes."""
    require_role(author, project)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": "Write a comment."})
    text = text.strip()
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"text": f"Keep comments under {COMMENT_MAX_CHARS} characters ({len(text)} now)."}
        )
    article_ids = project.articles.values("id")
    if not Quote.objects.filter(pk=quote.pk, article_id__in=article_ids).exists():
        raise ValidationError({"quote": "This quote is not in the project."})
    return Comment.objects.create(project=project, quote=quote, author=author, text=text)


# -- project settings and scope -------------------------------------------------------------------
_PROJECT_UPDATABLE = {
    "name",
    "description",
    "guidelines",
    "stance_targets",
    "annotators_per_quote",
    "blind_mode",
    "assignment_timeout_minutes",
}


@transaction.atomic
def project_update(*, project: Project, **changes) -> Project:
    """Change a project's settings (not its members).

    Changing the stance targets changes the schema: each target has its own stance question
    (see _stance_targets_sync).
    """
    unknown = set(changes) - _PROJECT_UPDATABLE
    if unknown:
        raise ValidationError({field: "This field cannot be changed here." for field in unknown})
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": "A project needs a name."})
    k = changes.get("annotators_per_quote", project.annotators_per_quote)
    if not 1 <= k <= 50:
        raise ValidationError({"annotators_per_quote": "Choose between 1 and 50 annotators."})
    if "stance_targets" in changes:
        changes["stance_targets"] = _clean_targets(changes["stance_targets"])
        if changes["stance_targets"] != project.stance_targets:
            _stance_targets_sync(project=project, targets=changes["stance_targets"])
    for field, value in changes.items():
        setattr(project, field, value.strip() if field == "name" else value)
    project.save(update_fields=[*changes] or None)
    return project


@transaction.atomic
def project_articles_change(
    *, project: Project, add: Iterable[int] = (), remove: Iterable[int] = ()
) -> None:
    """Add and remove articles (by id) from a project's scope; labels already given stay."""
    add, remove = set(add), set(remove)
    if add - remove:
        project.articles.add(*(add - remove))
    if remove:
        project.articles.remove(*remove)


@transaction.atomic
def project_articles_set(*, project: Project, article_ids: Iterable[int]) -> None:
    """Make the project's scope exactly these articles; labels already given stay."""
    wanted = set(article_ids)
    current = set(project.articles.values_list("id", flat=True))
    project_articles_change(project=project, add=wanted - current, remove=current - wanted)


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take someone out of a project; their labels stay. A project keeps at least one manager."""
    if membership.role == Membership.Role.MANAGER:
        managers = Membership.objects.select_for_update().filter(
            project_id=membership.project_id, role=Membership.Role.MANAGER
        )
        if len(managers) <= 1:
            raise ValidationError({"user": "A project needs at least one manager."})
    membership.delete()
    if Membership._meta.get_field("project").is_cached(membership):
        forget_memberships(membership.project)  # the caller's project instance, if it has it


# -- the label schema -----------------------------------------------------------------------------
#
# Managers edit the schema while people label. Machine names (dimension keys, choice values)
# never change once made, since labels, gold and exports refer to them; what people read
# (names, labels, definitions, keys, order) may. A choice that labels or gold use is archived,
# never deleted, so no answer loses its meaning.

DIMENSION_NAME_MAX = 100
DEFINITION_MAX = 300
CHOICE_LABEL_MAX = 100
MAX_DIMENSIONS = 50
MAX_CHOICES = 50
# Keys the annotator and review pages keep for themselves (static/js/annotate.js): help,
# guidelines, undo, skip, note, next/previous question, and the quote fixes (speaker,
# text from selection, add, not a quote, whole article, restore).
RESERVED_SHORTCUTS = frozenset("?gGuUsSnNjJkKpPtTaAxXwWrR")


def _text(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """One line of text, stripped; a ValidationError on `field` when empty or too long."""
    if not isinstance(value, str):
        raise ValidationError({field: "This must be text."})
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({field: "This cannot be empty."})
    if len(value) > max_length:
        raise ValidationError({field: f"Keep this under {max_length} characters."})
    return value


def _machine_name(
    value: object, *, field: str, fallback: str, taken: set[str], max_length: int = 50
) -> str:
    """A slug for a key or value: the one given (must be free) or one made from `fallback`."""
    if not isinstance(value, str):
        raise ValidationError({field: "This must be text."})
    if value.strip():
        slug = value.strip()
        if slug != slugify(slug) or len(slug) > max_length:
            raise ValidationError(
                {field: "Use lower-case letters, digits and hyphens (at most 50 characters)."}
            )
        if slug in taken:
            raise ValidationError({field: f"“{slug}” is already used here."})
        return slug
    base = slugify(fallback)[: max_length - 4] or "item"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _shortcut(value: object, *, dimension: Dimension, exclude: Choice | None = None) -> str:
    """A free one-character key among the dimension's active choices, or "" for none."""
    if not isinstance(value, str):
        raise ValidationError({"shortcut": "The key must be text."})
    value = value.strip()
    if not value:
        return ""
    if len(value) != 1:
        raise ValidationError({"shortcut": "A key is one character."})
    if value in RESERVED_SHORTCUTS:
        raise ValidationError(
            {"shortcut": f"“{value}” is kept for the page itself (help, skip, undo …)."}
        )
    holder = (
        dimension.choices.filter(shortcut=value, archived=False)
        .exclude(pk=exclude.pk if exclude else None)
        .first()
    )
    if holder is not None:
        raise ValidationError({"shortcut": f"“{value}” is already the key of “{holder.label}”."})
    return value


def _save_choice(choice: Choice, **kwargs) -> None:
    """Save, reporting a key taken by a concurrent edit as a ValidationError, not a 500."""
    try:
        with transaction.atomic():
            choice.save(**kwargs)
    except IntegrityError:
        raise ValidationError(
            {"shortcut": "That key was just taken by another choice; pick another."}
        ) from None


def _lock_dimensions(project: Project) -> list[Dimension]:
    """Every dimension of the project in order, locked so concurrent edits queue."""
    return list(
        Dimension.objects.select_for_update().filter(project=project).order_by("order", "id")
    )


def _move(items: list, item, direction: str) -> list:
    """The list with `item` one place up or down (unchanged at either end)."""
    if direction not in {"up", "down"}:
        raise ValidationError({"direction": "Move up or down."})
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items


def _renumber(model, items: list) -> None:
    for position, item in enumerate(items):
        item.order = position
    model.objects.bulk_update(items, ["order"])


def choice_in_use(choice: Choice) -> bool:
    """Whether any label or gold label gives this choice."""
    return (
        Label.choices.through.objects.filter(choice=choice).exists()
        or Gold.choices.through.objects.filter(choice=choice).exists()
    )


def _choices_from_lines(text: str) -> list[dict[str, str]]:
    """Choices written one per line as "Label" or "Label: definition"."""
    choices = []
    for line in text.splitlines():
        label, _, description = line.partition(":")
        if label.strip():
            choices.append({"label": label, "description": description})
    return choices


@transaction.atomic
def dimension_create(
    *,
    project: Project,
    name: str,
    key: str = "",
    help_text: str = "",
    multiple: bool = False,
    required: bool = True,
    choices: str | list[dict[str, str]] = "",
) -> Dimension:
    """Add a question at the end of the schema with its first choices (keys 1, 2, 3 …).

    `choices` is a list of {"label", "description", "value", "shortcut"} or text with one
    "Label: definition" per line; a question needs at least one choice to be answerable.
    """
    dimensions = _lock_dimensions(project)
    if len(dimensions) >= MAX_DIMENSIONS:
        raise ValidationError({"name": f"A project has at most {MAX_DIMENSIONS} questions."})
    name = _text(name, field="name", max_length=DIMENSION_NAME_MAX)
    help_text = _text(help_text, field="help_text", max_length=DEFINITION_MAX, required=False)
    key = _machine_name(key, field="key", fallback=name, taken={d.key for d in dimensions})
    specs = _choices_from_lines(choices) if isinstance(choices, str) else choices
    if not specs:
        raise ValidationError({"choices": "Give at least one choice, one per line."})
    if len(specs) > MAX_CHOICES:
        raise ValidationError({"choices": f"A question has at most {MAX_CHOICES} choices."})
    dimension = Dimension.objects.create(
        project=project,
        key=key,
        name=name,
        help_text=help_text,
        multiple=bool(multiple),
        required=bool(required),
        order=max((d.order for d in dimensions), default=-1) + 1,
    )
    for position, spec in enumerate(specs, 1):
        try:
            choice_create(
                dimension=dimension,
                label=spec.get("label", ""),
                value=spec.get("value", ""),
                description=spec.get("description", ""),
                shortcut=spec.get("shortcut", str(position) if position < 10 else ""),
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
            raise ValidationError({"choices": f"Choice {position}: {problems}"}) from None
    return dimension


@transaction.atomic
def dimension_update(
    *,
    dimension: Dimension,
    name: str | None = None,
    help_text: str | None = None,
    required: bool | None = None,
    multiple: bool | None = None,
) -> Dimension:
    """Rename a question, change its definition, or whether it is required or multiple-choice.

    Once labels use it, a multiple-choice question stays multiple-choice (earlier answers may
    hold several choices).
    """
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    if name is not None:
        dimension.name = _text(name, field="name", max_length=DIMENSION_NAME_MAX)
    if help_text is not None:
        dimension.help_text = _text(
            help_text, field="help_text", max_length=DEFINITION_MAX, required=False
        )
    if required is not None:
        dimension.required = bool(required)
    if multiple is not None and bool(multiple) != dimension.multiple:
        if dimension.multiple and dimension.labels.exists():
            raise ValidationError(
                {"multiple": "Labels already use this question; it stays multiple-choice."}
            )
        dimension.multiple = bool(multiple)
    dimension.save()
    return dimension


@transaction.atomic
def dimension_move(*, dimension: Dimension, direction: str) -> None:
    """Move a question one place up or down in the schema."""
    project = Project.objects.get(pk=dimension.project_id)
    _renumber(Dimension, _move(_lock_dimensions(project), dimension, direction))


@transaction.atomic
def dimension_archive(*, dimension: Dimension, archived: bool = True) -> Dimension:
    """Archive a question (no longer asked, exported or measured; its labels are kept), or
    restore it."""
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    if archived is False and not dimension.choices.filter(archived=False).exists():
        raise ValidationError({"archived": "Restore or add a choice first; it has none active."})
    dimension.archived = bool(archived)
    dimension.save(update_fields=["archived"])
    return dimension


def _lock_choices(dimension: Dimension) -> list[Choice]:
    list(Dimension.objects.select_for_update().filter(pk=dimension.pk).values_list("pk"))
    return list(dimension.choices.select_for_update().order_by("order", "id"))


@transaction.atomic
def choice_create(
    *, dimension: Dimension, label: str, value: str = "", description: str = "", shortcut: str = ""
) -> Choice:
    """Add a choice at the end of a question; the value is made from the label if not given."""
    choices = _lock_choices(dimension)
    if len(choices) >= MAX_CHOICES:
        raise ValidationError({"label": f"A question has at most {MAX_CHOICES} choices."})
    label = _text(label, field="label", max_length=CHOICE_LABEL_MAX)
    choice = Choice(
        dimension=dimension,
        value=_machine_name(value, field="value", fallback=label, taken={c.value for c in choices}),
        label=label,
        description=_text(
            description, field="description", max_length=DEFINITION_MAX, required=False
        ),
        shortcut=_shortcut(shortcut, dimension=dimension),
        order=max((c.order for c in choices), default=0) + 1,
    )
    _save_choice(choice)
    return choice


@transaction.atomic
def choice_update(
    *,
    choice: Choice,
    label: str | None = None,
    description: str | None = None,
    shortcut: str | None = None,
) -> Choice:
    """Rename a choice, change its one-line definition or its key."""
    _lock_choices(choice.dimension)
    choice = Choice.objects.select_related("dimension").get(pk=choice.pk)
    if label is not None:
        choice.label = _text(label, field="label", max_length=CHOICE_LABEL_MAX)
    if description is not None:
        choice.description = _text(
            description, field="description", max_length=DEFINITION_MAX, required=False
        )
    if shortcut is not None:
        if choice.archived and shortcut.strip():
            raise ValidationError({"shortcut": "Restore the choice before giving it a key."})
        choice.shortcut = _shortcut(shortcut, dimension=choice.dimension, exclude=choice)
    _save_choice(choice)
    return choice


@transaction.atomic
def choice_move(*, choice: Choice, direction: str) -> None:
    """Move a choice one place up or down within its question."""
    _renumber(Choice, _move(_lock_choices(choice.dimension), choice, direction))


@transaction.atomic
def choice_archive_or_delete(*, choice: Choice) -> str:
    """Take a choice out of use: archived if labels or gold use it, else deleted.

    Returns "archived" or "deleted". An active question keeps at least one active choice.
    """
    choices = _lock_choices(choice.dimension)
    choice = next((c for c in choices if c.pk == choice.pk), None)
    if choice is None:
        raise ValidationError({"choice": "This choice no longer exists."})
    active = [c for c in choices if not c.archived]
    if not choice.archived and active == [choice] and not choice.dimension.archived:
        raise ValidationError(
            {"choice": "A question needs at least one choice; archive the question instead."}
        )
    if choice_in_use(choice):
        choice.archived = True
        choice.save(update_fields=["archived"])
        return "archived"
    choice.delete()
    return "deleted"


@transaction.atomic
def choice_restore(*, choice: Choice) -> Choice:
    """Offer an archived choice again; if another choice took its key meanwhile, it loses it."""
    _lock_choices(choice.dimension)
    choice = Choice.objects.get(pk=choice.pk)
    if choice.shortcut and (
        choice.dimension.choices.filter(shortcut=choice.shortcut, archived=False)
        .exclude(pk=choice.pk)
        .exists()
    ):
        choice.shortcut = ""
    choice.archived = False
    _save_choice(choice)
    return choice


STANCE_TARGETS_MAX = 20
STANCE_TARGET_MAX_CHARS = 200


def _clean_targets(targets: object) -> list[str]:
    """Stance targets as a list of distinct non-empty lines, within the limits."""
    if not isinstance(targets, list | tuple) or not all(isinstance(t, str) for t in targets):
        raise ValidationError({"stance_targets": "Give the stance targets as a list of text."})
    cleaned = list(dict.fromkeys(" ".join(t.split()) for t in targets if t.strip()))
    if len(cleaned) > STANCE_TARGETS_MAX:
        raise ValidationError(
            {"stance_targets": f"A project has at most {STANCE_TARGETS_MAX} stance targets."}
        )
    if any(len(t) > STANCE_TARGET_MAX_CHARS for t in cleaned):
        raise ValidationError(
            {"stance_targets": f"Keep each target under {STANCE_TARGET_MAX_CHARS} characters."}
        )
    return cleaned


def _stance_targets_sync(*, project: Project, targets: list[str]) -> None:
    """Ask stance once per target: a target's question is restored or made (with the default
    stance choices), a dropped target's question is archived with its labels kept. The first
    target takes over the untargeted default stance question."""
    dimensions = _lock_dimensions(project)
    by_target = {d.target: d for d in dimensions if d.target}
    untargeted = next((d for d in dimensions if d.key == "stance" and not d.target), None)
    stance = next(spec for spec in DEFAULT_SCHEMA if spec["key"] == "stance")
    keys = {d.key for d in dimensions}
    order = max((d.order for d in dimensions), default=-1) + 1
    for target in targets:
        dimension = by_target.get(target)
        if dimension is None and untargeted is not None:
            dimension, untargeted = untargeted, None
            dimension.target = target
        if dimension is not None:
            dimension.archived = False
            dimension.save(update_fields=["target", "archived"])
            continue
        key = _machine_name("", field="stance_targets", fallback="stance", taken=keys)
        keys.add(key)
        _dimension_from_spec(
            project=project,
            spec=stance,
            key=key,
            name=f"{stance['name']}: {target}"[:DIMENSION_NAME_MAX],
            target=target,
            order=order,
        )
        order += 1
    dropped = [d.pk for target, d in by_target.items() if target not in targets]
    Dimension.objects.filter(pk__in=dropped).update(archived=True)
    if not targets:  # back to one stance question toward whatever the guidelines say
        Dimension.objects.filter(project=project, key="stance").update(target="", archived=False)


# -- importing labels back ------------------------------------------------------------------------
@transaction.atomic
def labels_import(
    *, project: Project, records: Iterable[dict], reviewer: AbstractBaseUser | None = None
) -> dict[str, int]:
    """Load labels from export records (JSONL exported with real annotator names).

    Each record's quote must be in the project at the same offsets; each annotator must be a
    labelling member. Reviewer gold is restored as set by `reviewer` when one is given. All or
    nothing: every problem is collected and, if there is any, nothing is written.
    """
    users = {user.username: user for user in get_user_model().objects.all()}
    quotes = {quote.id: quote for quote in quotes_in_project(project=project)}
    errors: list[str] = []
    counts = {"quotes": 0, "labels": 0, "gold": 0}
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict):
            errors.append(f"record {number}: not a JSON object")
            continue
        quote = quotes.get(record.get("quote_id"))
        if quote is None:
            errors.append(f"record {number}: no quote {record.get('quote_id')!r} in this project")
            continue
        if (record.get("content_start"), record.get("content_end")) != (
            quote.content_start,
            quote.content_end,
        ):
            errors.append(f"record {number}: quote {quote.id} has other offsets here")
            continue
        counts["quotes"] += 1
        for name, labels in (record.get("labels") or {}).items():
            user = users.get(name)
            if user is None:
                hint = (
                    " (export with pseudonymise=false to re-import)"
                    if name.startswith("annotator-")
                    else ""
                )
                errors.append(f"record {number}: no user {name!r}{hint}")
                continue
            try:
                with transaction.atomic():
                    counts["labels"] += len(
                        label_save(project=project, quote=quote, annotator=user, labels=labels)
                    )
            except ValidationError as error:
                errors.append(f"record {number}, {name}: {' '.join(error.messages)}")
        for key, entry in (record.get("gold") or {}).items():
            if reviewer is None or not isinstance(entry, dict) or entry.get("method") != "reviewer":
                continue
            try:
                with transaction.atomic():
                    gold_set(
                        project=project,
                        quote=quote,
                        dimension_key=key,
                        values=entry.get("value"),
                        reviewer=reviewer,
                    )
                counts["gold"] += 1
            except ValidationError as error:
                errors.append(f"record {number}, gold {key}: {' '.join(error.messages)}")
    if errors:
        transaction.set_rollback(True)
        raise ValidationError({"records": errors[:100]})
    return counts


def _dimension_from_spec(
    *, project: Project, spec: dict, key: str, name: str, target: str, order: int
) -> Dimension:
    """A question of a DEFAULT_SCHEMA entry with its choices, keys 1–9 in order."""
    dimension = Dimension.objects.create(
        project=project,
        key=key,
        name=name,
        help_text=spec["help_text"],
        target=target,
        order=order,
    )
    Choice.objects.bulk_create(
        Choice(
            dimension=dimension,
            value=value,
            label=label,
            description=description,
            shortcut=str(position) if position < 10 else "",
            order=position,
        )
        for position, (value, label, description) in enumerate(spec["choices"], 1)
    )
    return dimension

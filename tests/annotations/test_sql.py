"""Every raw statement in annotations/sql.py, run on this database and held to what the ORM
says (the suite runs on SQLite and on PostgreSQL)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations import sql
from annotations.labelling.comments import comment_add
from annotations.labelling.labels import label_save
from annotations.labelling.queue import (
    assign_next_quote,
    assignment_expired_q,
    assignment_expiry_cutoff,
    assignment_live_q,
)
from annotations.labelling.scope import quotes_in_project
from annotations.models import (
    Assignment,
    Choice,
    Comment,
    Dimension,
    Gold,
    Label,
    LabelHistory,
    Membership,
    SchemaVersion,
)
from claims.models import Article, Quote, SameStory
from tests.annotations.queue_reference import queue_candidate_tiers
from tests.factories import ArticleFactory, UserFactory, labelling_project

pytestmark = pytest.mark.django_db

FULL = {"stance": "favor", "attribution": "accurate", "sourcing": "named-official"}
Status = Assignment.Status


def backdate(project, annotator, minutes):
    Assignment.objects.filter(project=project, annotator=annotator).update(
        assigned_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def cutoff(project):
    return assignment_expiry_cutoff(project=project, now=timezone.now())


def test_project_with_membership_reads_both_as_the_orm_does():
    project, _, (ann, _) = labelling_project()
    found_project, membership = sql.project_with_membership(project_id=project.id, user_id=ann.pk)
    assert found_project == project
    assert (found_project.name, found_project.blind_mode, found_project.created_at) == (
        project.name,
        project.blind_mode,
        project.created_at,
    )
    assert membership == Membership.objects.get(project=project, user=ann)
    assert membership.role == Membership.Role.ANNOTATOR
    assert sql.project_with_membership(project_id=project.id, user_id=UserFactory().pk) is None


def test_user_lock_runs():
    sql.user_lock(user_id=UserFactory().pk)


def test_quote_lock_tells_in_project_rejected_and_elsewhere():
    project, (first, second, third), _ = labelling_project()
    _, (elsewhere, *_), _ = labelling_project()
    Quote.objects.filter(pk=second.pk).update(is_rejected=True)
    Quote.objects.filter(pk=third.pk).update(gone_in_version=2)  # words gone in a new version
    assert sql.quote_lock(project_id=project.id, quote_id=first.pk) is False
    assert sql.quote_lock(project_id=project.id, quote_id=second.pk) is True
    assert sql.quote_lock(project_id=project.id, quote_id=third.pk) is None
    assert sql.quote_lock(project_id=project.id, quote_id=elsewhere.pk) is None
    assert not quotes_in_project(project=project, include_rejected=True).filter(pk=third.pk)


def test_quote_for_labelling_converts_every_field_as_the_orm():
    _, (quote, *_), _ = labelling_project()
    raw = sql.quote_for_labelling(quote_id=quote.pk)
    orm = Quote.objects.select_related("article__outlet", "speaker").get(pk=quote.pk)
    for model_field in Quote._meta.concrete_fields:
        assert getattr(raw, model_field.attname) == getattr(orm, model_field.attname)
    assert raw.article.text == orm.article.text
    assert raw.article.created_at == orm.article.created_at
    assert (raw.article.outlet, raw.speaker) == (orm.article.outlet, orm.speaker)


def test_schema_rows_are_the_questions_and_choices_in_order():
    project, _, _ = labelling_project()
    Dimension.objects.filter(project=project, key="sourcing").update(order=0, archived=True)
    version, rows = sql.schema_rows(project_id=project.id)
    assert version == SchemaVersion.objects.get(project=project).version
    expected = list(Dimension.objects.filter(project=project).order_by("order", "id"))
    assert [d for d, _ in rows] == expected
    assert {d.key: d.archived for d, _ in rows}["sourcing"] is True
    for dimension, choices in rows:
        assert choices == list(Choice.objects.filter(dimension=dimension).order_by("order", "id"))


def test_the_candidate_pick_agrees_with_the_readable_orm_tiers_at_every_step():
    """queue_candidate_id picks what queue_candidate_tiers (tests/annotations/queue_reference.py)
    ranks first, as assignments pile up, expire (and are given up, as assign_next_quote does
    before it picks) and quotes get rejected, moved, or gone from a new version of their
    article."""
    project, quotes, people = labelling_project(quotes=12, annotators=4, k=3)
    Quote.objects.filter(pk=quotes[5].pk).update(is_rejected=True)
    Quote.objects.filter(pk=quotes[0].pk).update(gone_in_version=2)
    Quote.objects.filter(pk=quotes[8].pk).update(content_start=0, content_end=1)  # now first

    def agree(annotator):
        now = timezone.now()
        sql.expired_assignments_release(
            project_id=project.id, cutoff=assignment_expiry_cutoff(project=project, now=now)
        )
        started, untouched = queue_candidate_tiers(project=project, annotator=annotator, now=now)
        first = started.first() or untouched.first()
        picked = sql.queue_candidate_id(
            project=project, annotator_id=annotator.pk, passed_over=[], skip_locked=False
        )
        assert picked == (first.id if first else None)
        _, with_open = sql.open_and_candidate(
            project=project,
            annotator_id=annotator.pk,
            cutoff=assignment_expiry_cutoff(project=project, now=now),
            passed_over=[],
        )
        assert with_open == picked
        return picked

    for step in range(30):
        annotator = people[step % len(people)]
        if agree(annotator) is None:
            continue
        quote = assign_next_quote(project=project, annotator=annotator)
        if step % 3 == 0:
            label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
        if step == 10:
            backdate(project, people[1], minutes=10_000)  # their open assignments expire
    for annotator in people:
        agree(annotator)


def test_queue_candidate_id_leaves_out_the_passed_over():
    project, (first, second, _), (ann, _) = labelling_project()
    picked = sql.queue_candidate_id(
        project=project, annotator_id=ann.pk, passed_over=[first.pk], skip_locked=True
    )
    assert picked == second.pk


def test_expired_assignments_release_gives_up_only_abandoned_ones():
    project, (first, second, third), (ann, other) = labelling_project()
    Assignment.objects.create(project=project, quote=first, annotator=ann)
    Assignment.objects.create(project=project, quote=second, annotator=ann, status="submitted")
    backdate(project, ann, minutes=10_000)
    Assignment.objects.create(project=project, quote=third, annotator=other)
    assert sql.expired_assignments_release(project_id=project.id, cutoff=cutoff(project)) == 1
    assert set(Assignment.objects.values_list("quote_id", flat=True)) == {second.pk, third.pk}


def test_open_and_candidate_tell_expired_and_in_project():
    project, (first, second, third), (ann, _) = labelling_project()
    for quote in (first, second):
        Assignment.objects.create(project=project, quote=quote, annotator=ann)
    backdate(project, ann, minutes=10_000)
    Assignment.objects.create(project=project, quote=third, annotator=ann)
    Quote.objects.filter(pk=third.pk).update(is_rejected=True)
    rows, candidate = sql.open_and_candidate(
        project=project, annotator_id=ann.pk, cutoff=cutoff(project), passed_over=[]
    )
    by_quote = {quote_id: (expired, there) for _, quote_id, expired, there in rows}
    assert by_quote == {first.pk: (True, True), second.pk: (True, True), third.pk: (False, False)}
    assert rows[0][1] == third.pk  # newest first
    assert candidate is None  # every quote is the annotator's


def test_place_counts_match_the_orm_and_expired_places_go():
    project, (quote, *_), (ann1, ann2) = labelling_project()
    ann3 = UserFactory()
    Assignment.objects.create(project=project, quote=quote, annotator=ann1)
    Assignment.objects.create(project=project, quote=quote, annotator=ann2)
    backdate(project, ann2, minutes=10_000)
    Assignment.objects.create(project=project, quote=quote, annotator=ann3, status=Status.SUBMITTED)
    on_quote = Assignment.objects.filter(project=project, quote=quote)
    live = on_quote.filter(assignment_live_q(project=project)).count()
    expired = on_quote.filter(assignment_expired_q(project=project)).count()
    assert (
        sql.place_counts(
            project_id=project.id, quote_id=quote.pk, annotator_id=ann1.pk, cutoff=cutoff(project)
        )
        == (live, 1, expired)
        == (2, 1, 1)
    )
    places, gold, labels = sql.quote_places(
        project_id=project.id, quote_id=quote.pk, annotator_id=ann1.pk, cutoff=cutoff(project)
    )
    assert gold == {}
    assert labels == {}
    assert sorted(places) == sorted(
        [(ann1.pk, True, "assigned"), (ann2.pk, False, "assigned"), (ann3.pk, True, "submitted")]
    )
    sql.expired_places_delete(project_id=project.id, quote_id=quote.pk, cutoff=cutoff(project))
    assert set(on_quote.values_list("annotator_id", flat=True)) == {ann1.pk, ann3.pk}


def test_assignment_take_only_takes_a_plain_free_place():
    project, (free, full, stale, mine), (ann1, ann2) = labelling_project(quotes=4, k=2)
    ann3 = UserFactory()
    now = timezone.now()

    def take(quote, annotator):
        return sql.assignment_take(
            project_id=project.id,
            quote_id=quote.pk,
            annotator_id=annotator.pk,
            k=project.annotators_per_quote,
            cutoff=cutoff(project),
            now=now,
        )

    Assignment.objects.create(project=project, quote=free, annotator=ann2, status=Status.SUBMITTED)
    for person in (ann2, ann3):
        Assignment.objects.create(project=project, quote=full, annotator=person)
    Assignment.objects.create(project=project, quote=stale, annotator=ann2)
    backdate(project, ann2, minutes=10_000)
    Assignment.objects.create(project=project, quote=mine, annotator=ann1, status=Status.SKIPPED)

    handed = take(free, ann1)
    assert handed == free
    assert (handed.article.text, handed.article.outlet_id) == (
        free.article.text,
        free.article.outlet_id,
    )
    taken = Assignment.objects.get(quote=free, annotator=ann1)
    assert (taken.status, taken.assigned_at, taken.completed_at) == (Status.ASSIGNED, now, None)
    # Full, an expired place to free first, or the annotator's own skip: place_counts decides.
    assert [take(quote, ann1) for quote in (full, stale, mine)] == [None, None, None]
    assert Assignment.objects.filter(annotator=ann1).count() == 2


def test_gold_statements_write_what_the_orm_reads_and_the_places_read_it_back():
    project, (quote, other, _), (ann, _) = labelling_project()
    stance, attribution = Dimension.objects.filter(project=project).order_by("order")[:2]
    favor, against = stance.choices.order_by("order")[:2]
    now = timezone.now()
    ids = sql.gold_insert(
        project_id=project.id,
        keys=[(quote.pk, stance.id), (quote.pk, attribution.id), (other.pk, stance.id)],
        method=Gold.Method.UNANIMOUS,
        now=now,
    )
    assert ids == {
        (gold.quote_id, gold.dimension_id): gold.id for gold in Gold.objects.filter(project=project)
    }
    sql.gold_choices_insert(
        rows=[(ids[(quote.pk, stance.id)], favor.pk), (ids[(quote.pk, stance.id)], against.pk)]
    )
    stored = Gold.objects.get(pk=ids[(quote.pk, stance.id)])
    assert (stored.method, stored.decided_by, stored.decided_at) == ("unanimous", None, now)
    assert set(stored.choices.all()) == {favor, against}
    _, gold, _ = sql.quote_places(
        project_id=project.id, quote_id=quote.pk, annotator_id=ann.pk, cutoff=cutoff(project)
    )
    assert gold == sql.gold_of(project_id=project.id, quote_ids=[quote.pk])
    assert gold == {
        (quote.pk, stance.id): (ids[(quote.pk, stance.id)], "unanimous", {favor.pk, against.pk}),
        (quote.pk, attribution.id): (ids[(quote.pk, attribution.id)], "unanimous", set()),
    }


def test_label_save_writes_write_labels_choices_history_and_the_submission():
    """One statement on PostgreSQL, four elsewhere: the same rows either way."""
    project, (quote, other, _), (ann, _) = labelling_project()
    stance, attribution, sourcing = Dimension.objects.filter(project=project).order_by("order")
    favor, against = stance.choices.order_by("order")[:2]
    accurate = attribution.choices.order_by("order").first()
    old = Label.objects.create(project=project, quote=quote, annotator=ann, dimension=sourcing)
    assignment = Assignment.objects.create(project=project, quote=quote, annotator=ann)
    now = timezone.now()

    new_ids, submitted = sql.label_save_writes(
        project_id=project.id,
        quote_id=quote.pk,
        annotator_id=ann.pk,
        created=[stance.id, attribution.id],
        known={sourcing.id: old.id},
        choices={stance.id: [favor.pk, against.pk], attribution.id: [accurate.pk], sourcing.id: []},
        values={
            stance.id: [favor.value, against.value],
            attribution.id: [accurate.value],
            sourcing.id: [],
        },
        note="a note",
        now=now,
        seconds=12.5,
    )

    assert submitted is True
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completed_at, assignment.seconds_spent) == (
        Status.SUBMITTED,
        now,
        12.5,
    )
    labels = {label.dimension_id: label for label in Label.objects.filter(quote=quote)}
    assert new_ids == {stance.id: labels[stance.id].id, attribution.id: labels[attribution.id].id}
    assert {
        (label.note, label.created_at) for key, label in labels.items() if key != sourcing.id
    } == {("a note", now)}
    assert set(labels[stance.id].choices.all()) == {favor, against}
    assert list(labels[attribution.id].choices.all()) == [accurate]
    assert list(labels[sourcing.id].choices.all()) == []
    history = {
        row.label_id: (row.values, row.note, row.changed_by_id, row.changed_at)
        for row in LabelHistory.objects.filter(label__quote=quote)
    }
    assert history == {
        labels[stance.id].id: ([favor.value, against.value], "a note", ann.pk, now),
        labels[attribution.id].id: ([accurate.value], "a note", ann.pk, now),
        old.id: ([], "a note", ann.pk, now),
    }
    # Only known labels (a change): nothing new comes back; the seconds add up.
    assert sql.label_save_writes(
        project_id=project.id,
        quote_id=quote.pk,
        annotator_id=ann.pk,
        created=[],
        known={sourcing.id: old.id},
        choices={sourcing.id: []},
        values={sourcing.id: []},
        note="",
        now=now,
        seconds=2.5,
    ) == ({}, True)
    assert LabelHistory.objects.filter(label=old).count() == 2
    assignment.refresh_from_db()
    assert assignment.seconds_spent == 15.0
    # Nothing new and nothing changed (a save of the same answers): only the submission; with
    # no assignment to submit (a quote never handed out), it says so.
    with CaptureQueriesContext(connection) as queries:
        assert sql.label_save_writes(
            project_id=project.id,
            quote_id=quote.pk,
            annotator_id=ann.pk,
            created=[],
            known={},
            choices={},
            values={},
            note="",
            now=now,
            seconds=None,
        ) == ({}, True)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    assert (
        sql.label_save_writes(
            project_id=project.id,
            quote_id=other.pk,
            annotator_id=ann.pk,
            created=[stance.id],
            known={},
            choices={stance.id: [favor.pk]},
            values={stance.id: [favor.value]},
            note="",
            now=now,
            seconds=None,
        )[1]
        is False
    )


def test_assignment_insert_and_submit():
    project, (quote, other, _), (ann, _) = labelling_project()
    now = timezone.now()
    sql.assignment_insert(
        project_id=project.id,
        quote_id=quote.pk,
        annotator_id=ann.pk,
        status=Status.ASSIGNED,
        now=now,
    )
    assignment = Assignment.objects.get(quote=quote)
    assert (assignment.status, assignment.assigned_at, assignment.completed_at) == (
        Status.ASSIGNED,
        now,
        None,
    )
    assert (
        sql.assignment_submit(
            project_id=project.id, quote_id=quote.pk, annotator_id=ann.pk, now=now
        )
        == 1
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completed_at) == (Status.SUBMITTED, now)
    assert (
        sql.assignment_submit(
            project_id=project.id, quote_id=other.pk, annotator_id=ann.pk, now=now
        )
        == 0
    )


@pytest.mark.parametrize("k", [1, 2])
def test_annotator_counts_match_the_orm(k):
    project, quotes, (ann1, ann2) = labelling_project(quotes=8, k=k)
    assign_next_quote(project=project, annotator=ann2)  # quote 0: started (k = 2) or full
    Assignment.objects.create(project=project, quote=quotes[1], annotator=ann1, status="skipped")
    Assignment.objects.create(project=project, quote=quotes[2], annotator=ann1, status="submitted")
    Assignment.objects.create(project=project, quote=quotes[3], annotator=ann1)
    Assignment.objects.create(project=project, quote=quotes[4], annotator=ann1, status="submitted")
    Assignment.objects.create(project=project, quote=quotes[4], annotator=ann2, status="submitted")
    Assignment.objects.create(project=project, quote=quotes[5], annotator=ann2, status="skipped")
    Assignment.objects.create(project=project, quote=quotes[6], annotator=ann1, status="submitted")
    Quote.objects.filter(pk=quotes[6].pk).update(is_rejected=True)  # mine, but rejected
    counts = sql.annotator_counts(project=project, annotator_id=ann1.pk)
    in_project = quotes_in_project(project=project)
    mine = Assignment.objects.filter(project=project, annotator=ann1, quote__in=in_project)
    live = Assignment.objects.filter(project=project).filter(assignment_live_q(project=project))
    full = [
        quote.pk
        for quote in quotes
        if live.filter(quote=quote).count() >= project.annotators_per_quote
    ]
    pool = in_project.exclude(id__in=mine.values("quote_id")).exclude(id__in=full).count()
    assert counts == (
        mine.filter(status="submitted").count(),
        mine.filter(status="assigned").count(),
        mine.filter(status="skipped").count(),
        pool,
    )
    assert counts[:3] == (2, 1, 1)


def test_label_statements_write_what_the_orm_reads():
    project, (quote, *_), (ann, _) = labelling_project()
    dimensions = list(Dimension.objects.filter(project=project).order_by("order"))
    now = timezone.now()
    new_ids = sql.labels_insert(
        project_id=project.id,
        quote_id=quote.pk,
        annotator_id=ann.pk,
        dimension_ids=[d.id for d in dimensions],
        note="first",
        now=now,
    )
    assert new_ids == dict(Label.objects.values_list("dimension_id", "id"))
    choice = dimensions[0].choices.order_by("order").first()
    sql.label_choices_insert(rows=[(new_ids[dimensions[0].id], choice.pk)])
    sql.label_history_insert(
        entries=[(new_ids[dimensions[0].id], [choice.value])],
        note="first",
        changed_by=ann.pk,
        now=now,
    )
    assert list(LabelHistory.objects.values_list("values", "note", "changed_at")) == [
        ([choice.value], "first", now)
    ]
    _, _, labels = sql.quote_places(
        project_id=project.id, quote_id=quote.pk, annotator_id=ann.pk, cutoff=cutoff(project)
    )
    assert labels[dimensions[0].id] == (new_ids[dimensions[0].id], "first", now, {choice.pk})
    assert labels[dimensions[1].id][3] == set()
    answers, counts = sql.answers_and_counts(
        project=project, annotator_id=ann.pk, quote_id=quote.pk
    )
    assert counts == sql.annotator_counts(project=project, annotator_id=ann.pk)
    assert sorted(answers) == (
        sorted(
            [
                (dimensions[0].key, choice.value),
                (dimensions[1].key, None),
                (dimensions[2].key, None),
            ]
        )
    )
    later = now + datetime.timedelta(seconds=5)
    sql.labels_rewrite(label_ids=[new_ids[dimensions[0].id]], note="second", now=later)
    label = Label.objects.get(pk=new_ids[dimensions[0].id])
    assert (label.note, label.updated_at, list(label.choices.all())) == ("second", later, [])


def test_gold_statements_read_submitters_answers_and_gold():
    project, (quote, other, _), (ann1, ann2) = labelling_project()
    for annotator in (ann1, ann2):
        label_save(project=project, quote=quote, annotator=annotator, labels=FULL)
    label_save(project=project, quote=other, annotator=ann1, labels=FULL)
    assert sorted(sql.submitters(project_id=project.id, quote_ids=None)) == sorted(
        Assignment.objects.filter(status="submitted").values_list("quote_id", "annotator_id")
    )
    assert sql.submitters(project_id=project.id, quote_ids=[other.pk]) == [(other.pk, ann1.pk)]
    answers = sql.label_answers(project_id=project.id, quote_ids=[quote.pk])
    assert sorted(answers) == sorted(
        Label.choices.through.objects.filter(label__quote=quote).values_list(
            "label__quote_id", "label__dimension_id", "label__annotator_id", "choice_id"
        )
    )
    gold = sql.gold_of(project_id=project.id, quote_ids=None)
    assert gold == {
        (g.quote_id, g.dimension_id): (g.id, g.method, {c.id for c in g.choices.all()})
        for g in Gold.objects.all()
    }
    assert len(gold) == 3  # unanimous on the quote both labelled


def test_export_quote_rows_hold_the_quotes_in_project_with_labels():
    project, (first, second, third, fourth), (ann1, ann2) = labelling_project(quotes=4)
    _, (elsewhere, *_), _ = labelling_project()
    Quote.objects.filter(pk=second.pk).update(is_rejected=True)
    Quote.objects.filter(pk=third.pk).update(gone_in_version=2)  # kept, with its labels
    for annotator in (ann1, ann2):
        label_save(project=project, quote=first, annotator=annotator, labels=FULL)
    dimensions = list(project.dimensions.order_by("order", "id"))
    ids = [d.id for d in dimensions]

    def rows(**options):
        options = {"dimension_ids": ids, "after_id": 0, "limit": 10, "gold_only": False} | options
        return sql.export_quote_rows(project_id=project.id, **options)

    expected = quotes_in_project(project=project, include_gone=True).order_by("id")
    assert [row[0] for row in rows()] == list(expected.values_list("id", flat=True))
    assert [row[0] for row in rows()] == [first.pk, third.pk, fourth.pk]
    assert [row[0] for row in rows(after_id=first.pk, limit=1)] == [third.pk]
    assert [row[0] for row in rows(gold_only=True)] == [first.pk]  # unanimous gold
    row = rows()[0]
    assert row[1:11] == (
        first.article_id,
        first.kind,
        first.origin,
        first.content_start,
        first.content_end,
        first.speaker_id,
        first.speaker_start,
        first.speaker_end,
        first.cue_start,
        first.cue_end,
    )
    labels = sorted(row[11].split(","))
    assert labels == sorted(
        f"{label.annotator_id}:{label.dimension_id}:"
        + " ".join(str(choice.id) for choice in label.choices.order_by("id"))
        for label in Label.objects.filter(quote=first)
    )
    assert rows()[1][12:] == (None, 2)
    one = rows(dimension_ids=[dimensions[0].id])[0]
    assert {item.split(":")[1] for item in one[11].split(",")} == {str(dimensions[0].id)}
    assert rows(dimension_ids=[])[0][11] is None
    assert elsewhere.pk not in [row[0] for row in rows(limit=100)]


def test_export_gold_is_each_quotes_gold_on_a_range_of_quotes():
    project, (first, second, third), (ann1, ann2) = labelling_project()
    other_project, (elsewhere, *_), (other1, other2) = labelling_project()
    for annotator in (ann1, ann2):
        label_save(project=project, quote=first, annotator=annotator, labels=FULL)
        label_save(project=project, quote=third, annotator=annotator, labels=FULL)
    for annotator in (other1, other2):
        label_save(project=other_project, quote=elsewhere, annotator=annotator, labels=FULL)
    dimensions = list(project.dimensions.order_by("order", "id"))
    ids = [d.id for d in dimensions]

    def gold(**options):
        options = {"dimension_ids": ids, "first_id": first.pk, "last_id": third.pk} | options
        return {
            quote_id: sorted(joined.split(","))
            for quote_id, joined in sql.export_gold(project_id=project.id, **options)
        }

    expected: dict[int, list[str]] = {}
    for row in Gold.objects.filter(project=project):
        chosen = " ".join(str(choice.id) for choice in row.choices.order_by("id"))
        expected.setdefault(row.quote_id, []).append(f"{row.dimension_id}:{row.method}:{chosen}")
    assert gold() == {quote_id: sorted(items) for quote_id, items in expected.items()}
    assert set(gold()) == {first.pk, third.pk}  # unanimous on both; none on the other quote
    assert set(gold(last_id=second.pk)) == {first.pk}
    assert set(gold(last_id=elsewhere.pk)) == {first.pk, third.pk}  # not the other project's
    one = gold(dimension_ids=[dimensions[0].id])
    assert {item.split(":")[0] for item in one[first.pk]} == {str(dimensions[0].id)}
    assert gold(dimension_ids=[]) == {}


def test_export_speakers_are_the_speakers_names_and_kinds():
    _, quotes, _ = labelling_project()
    speakers = {quote.speaker for quote in quotes}
    found = sql.export_speakers(speaker_ids=[speaker.id for speaker in speakers])
    assert sorted(found) == sorted((s.id, s.name, s.kind) for s in speakers)
    assert sql.export_speakers(speaker_ids=[]) == []


def test_export_notes_and_changes_are_each_annotators_on_a_range_of_quotes():
    project, (first, second, third), (ann1, ann2) = labelling_project()
    label_save(project=project, quote=first, annotator=ann1, labels=FULL, note="Hedged.")
    label_save(project=project, quote=first, annotator=ann2, labels=FULL)
    label_save(project=project, quote=third, annotator=ann1, labels=FULL, note="Sarcasm?")
    label_save(project=project, quote=third, annotator=ann2, labels=FULL)
    changed = FULL | {"stance": "against"}
    label_save(project=project, quote=third, annotator=ann2, labels=changed)

    def rows(last):
        return sql.export_notes_and_changes(project_id=project.id, first_id=first.pk, last_id=last)

    assert rows(second.pk) == [(first.pk, ann1.pk, "Hedged.", 0)] * 3  # one per label; they agree
    assert rows(third.pk)[3:6] == [(third.pk, ann1.pk, "Sarcasm?", 0)] * 3
    # ann2's changed answer: one label changed, no note (the unchanged labels are not read)
    assert rows(third.pk)[6:] == [(third.pk, ann2.pk, "", 1)]


def test_export_comments_are_the_discussions_on_a_range_of_quotes():
    project, (first, second, third), (ann1, ann2) = labelling_project()
    other_project, (elsewhere, *_), (other, _) = labelling_project()
    comment_add(project=project, quote=first, author=ann1, text="Is this a quote?")
    comment_add(project=project, quote=first, author=ann2, text="Yes.")
    comment_add(project=project, quote=third, author=ann2, text="Sarcasm?")
    comment_add(project=other_project, quote=elsewhere, author=other, text="Elsewhere.")
    found = sql.export_comments(project_id=project.id, first_id=first.pk, last_id=elsewhere.pk)
    assert found == list(
        Comment.objects.filter(project=project)
        .order_by("quote_id", "created_at", "id")
        .values_list("quote_id", "author_id", "text", "created_at")
    )
    assert [row[2] for row in found] == ["Is this a quote?", "Yes.", "Sarcasm?"]
    assert sql.export_comments(project_id=project.id, first_id=second.pk, last_id=second.pk) == []


def test_export_articles_are_the_articles_with_their_outlets():
    _, (quote, *_), _ = labelling_project()
    undated = ArticleFactory(outlet=None, published_at=None, url=None)
    rows = sql.export_articles(article_ids=[quote.article_id, undated.pk])
    assert sorted(rows) == sorted(
        Article.objects.filter(id__in=[quote.article_id, undated.pk]).values_list(
            "id", "title", "url", "outlet__name", "published_at", "text", "version"
        )
    )
    assert sql.export_articles(article_ids=[]) == []


def test_export_same_story_links_current_articles_of_the_project():
    project, (quote, *_), _ = labelling_project()
    article = quote.article
    in_project, replaced, outside = ArticleFactory(), ArticleFactory(), ArticleFactory()
    project.articles.add(in_project, replaced)
    replaced.replaced_by = ArticleFactory()
    replaced.save()
    for other in (in_project, replaced, outside):
        SameStory.objects.create(article=article, other=other, similarity=0.9)
    links = sql.export_same_story(project_id=project.id, article_ids=[article.pk])
    assert links == list(
        SameStory.objects.filter(
            article=article,
            other_id__in=project.articles.values("id"),
            other__replaced_by__isnull=True,
        )
        .order_by("article_id", "other_id")
        .values_list("article_id", "other_id")
    )
    assert links == [(article.pk, in_project.pk)]

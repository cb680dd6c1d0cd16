"""Long imports run as a background batch: the request stages the records and returns; the
batch is stored in chunks by a worker (or after the response), every item accounted for, and
an interrupted batch resumes where it stopped (issue #13, item 7)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.urls import reverse

from annotations.models import Membership
from claims import sql
from claims.access import corpus_access
from claims.importing import ArticleInput, ImportProblem
from claims.models import Article, ImportBatch, ImportItem
from claims.services.import_batches import (
    import_batch_process,
    import_batch_resume,
    import_batch_stage,
)
from claims.tasks import process_import_batch
from config.celery import app
from tests.celery_broker import broker_at
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Redis database and queue of this file's own.
BROKER = "redis://127.0.0.1:6379/6"
Status = ImportItem.Status


@pytest.fixture
def broker(settings):
    with broker_at(settings, BROKER) as connection:
        yield connection


@pytest.fixture
def manager(client):
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(membership.user)
    return membership


def records(count: int, *, start: int = 0) -> list[ArticleInput]:
    return [
        ArticleInput(
            title=f"Item {n}",
            text=f"The mayor said that bridge {n} would reopen in May.",
            source_name=f"feed.jsonl:{n + 1}",
        )
        for n in range(start, start + count)
    ]


def test_a_6000_record_jsonl_is_staged_by_the_request_and_stored_whole_by_the_worker(
    client, manager, broker, django_capture_on_commit_callbacks
):
    rows = [
        json.dumps(
            {
                "title": f"Bridge {n}",
                "text": f"The mayor said that bridge {n} would reopen in May, officials said.",
                "outlet": "Daily",
            }
        )
        for n in range(6000)
    ]
    rows[10], rows[4000] = "{not json", json.dumps({"title": "No text"})
    upload = SimpleUploadedFile("big.jsonl", "\n".join(rows).encode())
    assert upload.size > 400_000

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("claims:article-import"), {"files": [upload], "project": manager.project_id}
        )

    # The request staged every line and queued one task: nothing is stored yet.
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:batch-detail", args=[batch.id])
    assert batch.items.count() == 6000
    assert batch.items.filter(status=Status.STAGED).count() == 5998
    failed = dict(batch.items.filter(status=Status.FAILED).values_list("position", "reason"))
    assert set(failed) == {10, 4000}
    assert "malformed JSON" in failed[10] and "missing the 'text' field" in failed[4000]
    assert not Article.objects.exists()
    queued = [json.loads(m) for m in broker.lrange(app.conf.task_default_queue, 0, -1)]
    assert [m["headers"]["task"] for m in queued] == ["claims.process_import_batch"]
    page = client.get(response.url).content.decode()
    assert "2 of 6000 item(s) stored or refused · 5998 waiting" in page
    assert 'hx-trigger="every 1500ms"' in page

    # What workers do with the message: a task stores for about TASK_SECONDS, then queues
    # the rest as a new task (on a busy machine 6,000 records can take more than one).
    with django_capture_on_commit_callbacks(execute=True):
        tasks = 1
        while process_import_batch.apply(args=[batch.id]).get() is not True:
            tasks += 1
            assert tasks <= 5, "the batch was not stored by five tasks"

    assert Article.objects.count() == 5998
    counts = dict(
        batch.items.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert counts == {Status.CREATED: 5998, Status.FAILED: 2}
    assert not batch.items.filter(status=Status.CREATED, article__isnull=True).exists()
    assert manager.project.articles.count() == 5998
    page = client.get(response.url).content.decode()
    assert "6000 of 6000 item(s) stored or refused" in page and "2 not imported" in page
    problems = client.get(response.url + "?show=problems").content.decode()
    assert problems.count('class="item-failed') == 2
    assert "malformed JSON" in problems


def test_a_batch_interrupted_between_chunks_resumes_where_it_stopped(settings):
    settings.IMPORT_CHUNK_SIZE = 50
    batch = import_batch_stage(records=records(180), name="Feed", extract=False)
    stored = []

    def crash_after_two_chunks(count: int) -> None:
        stored.append(count)
        if len(stored) == 2:
            raise SystemExit("the worker was killed")

    with pytest.raises(SystemExit):
        import_batch_process(batch_id=batch.id, progress=crash_after_two_chunks)

    # Two whole chunks are in; the rest waits, staged, with nothing half-written.
    assert Article.objects.count() == 100
    assert batch.items.filter(status=Status.STAGED).count() == 80
    assert import_batch_resume(batches=ImportBatch.objects.all(), stale_minutes=0) == [batch.id]

    assert Article.objects.count() == 180
    assert set(batch.items.values_list("status", flat=True)) == {Status.CREATED}
    assert batch.items.values("article").distinct().count() == 180


def test_a_batch_waiting_less_than_the_stale_time_is_left_to_its_worker(settings):
    batch = import_batch_stage(records=records(3), name="Feed", extract=False)
    assert import_batch_resume(batches=ImportBatch.objects.all(), stale_minutes=30) == []
    assert batch.items.filter(status=Status.STAGED).count() == 3


def test_a_record_that_fails_is_an_item_with_its_reason_and_the_rest_is_stored():
    batch = import_batch_stage(
        records=[
            *records(2),
            ArticleInput(title="", text="Some text.", source_name="feed.jsonl:3"),
            ImportProblem("feed.jsonl:4", "malformed JSON"),
        ],
        name="Feed",
        extract=False,
    )
    import_batch_process(batch_id=batch.id)
    outcome = list(batch.items.order_by("position").values_list("status", "reason"))
    assert outcome == [
        (Status.CREATED, ""),
        (Status.CREATED, ""),
        (Status.FAILED, "title: The title is empty."),
        (Status.FAILED, "malformed JSON"),
    ]
    assert not batch.items.exclude(payload={}).exists()  # staged text is not kept twice


def test_an_importer_who_lost_the_manager_role_since_staging_gets_nothing_stored():
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    target = corpus_access().import_target(membership.user, membership.project_id)
    batch = import_batch_stage(
        records=records(2), name="Feed", importer=membership.user, target=target, extract=False
    )
    membership.delete()
    import_batch_process(batch_id=batch.id)
    assert not Article.objects.exists()
    reasons = set(batch.items.values_list("reason", flat=True))
    assert reasons == {f"project: No project {membership.project_id} that you manage."}


def test_a_batch_whose_creator_was_deleted_is_not_stored_with_the_operators_rights():
    user = UserFactory()
    batch = import_batch_stage(records=records(2), name="Feed", importer=user, extract=False)
    user.delete()
    import_batch_process(batch_id=batch.id)
    assert not Article.objects.exists()
    assert set(batch.items.values_list("reason", flat=True)) == {
        "the account that started this import is gone or inactive"
    }


def test_finishing_items_in_sql_writes_what_the_orm_reads():
    batch = import_batch_stage(records=records(3), name="Feed", extract=False)
    article = Article.objects.create(title="T", text="Some text.")
    first, second, third = batch.items.order_by("position")
    first.status, first.article, first.reason = Status.CREATED, article, ""
    second.status, second.reason, second.retryable = Status.FAILED, "timed out", True
    third.status, third.reason = Status.EXISTING, "it's “quoted”; -- not SQL"
    assert sql.import_items_finish([first, second, third]) == 3
    rows = list(
        batch.items.order_by("position").values_list(
            "status", "reason", "retryable", "article_id", "payload"
        )
    )
    assert rows == [
        (Status.CREATED, "", False, article.id, {}),
        (Status.FAILED, "timed out", True, None, {}),
        (Status.EXISTING, "it's “quoted”; -- not SQL", False, None, {}),
    ]


def test_an_overlong_outlet_or_url_fails_its_record_not_the_batch():
    batch = import_batch_stage(
        records=[
            ArticleInput(title="A", text="Text a.", source_name="f:1", outlet="O" * 201),
            ArticleInput(
                title="B", text="Text b.", source_name="f:2", url="https://x.org/" + "a" * 2000
            ),
            *records(1),
        ],
        name="Feed",
        extract=False,
    )
    assert import_batch_process(batch_id=batch.id) is True
    outcome = list(batch.items.order_by("position").values_list("status", "reason"))
    assert outcome == [
        (Status.FAILED, "outlet: The outlet name is longer than 200 characters."),
        (Status.FAILED, "url: The URL is longer than 2,000 characters."),
        (Status.CREATED, ""),
    ]

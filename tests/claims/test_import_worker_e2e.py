"""Real Celery workers store a staged import batch: through the page end to end, and after a
worker is killed mid-batch, by another worker, with nothing lost or stored twice.

Like tests/claims/test_worker_e2e.py (whose Cluster runs the workers): PostgreSQL and Redis,
skipped without them unless CLAIMLAB_REQUIRE_WORKER=1. A Redis database of this file's own.
"""

import os
import time

import pytest
import redis
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from annotations.models import Membership
from claims.importing import ArticleInput
from claims.models import Article, ImportBatch, ImportItem
from claims.services.import_batches import IMPORT_TASK, import_batch_stage
from config.celery import app
from tests.celery_broker import broker_at
from tests.claims.test_worker_e2e import Cluster, _unavailable, wait_for
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROKER = os.environ.get("CLAIMLAB_TEST_IMPORT_BROKER", "redis://127.0.0.1:6379/5")
Status = ImportItem.Status


@pytest.fixture
def cluster(tmp_path, settings):
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs PostgreSQL (a worker cannot see SQLite's test DB)")
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {BROKER}: {error}")
    cluster = Cluster(tmp_path, broker=BROKER, IMPORT_CHUNK_SIZE="100")
    saved_queue = app.conf.task_default_queue
    with broker_at(settings, BROKER):
        app.conf.task_default_queue = cluster.queue  # this process sends to the workers' queue
        try:
            yield cluster
        finally:
            app.conf.task_default_queue = saved_queue
            cluster.stop()


def stored(batch) -> int:
    return batch.items.exclude(status__in=[Status.STAGED, Status.FETCHING]).count()


def test_an_import_through_the_page_is_stored_and_extracted_by_a_worker(cluster, client):
    cluster.start_worker()
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(membership.user)
    text = "\n".join(
        f'{{"title": "Bridge {n}", "text": "“The bridge {n} reopens in May,” the mayor said."}}'
        for n in range(5)
    )
    upload = SimpleUploadedFile("feed.jsonl", text.encode())
    response = client.post(
        reverse("claims:article-import"), {"files": [upload], "project": membership.project_id}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()

    wait_for(lambda: stored(batch) == 5, cluster, "the worker to store the batch")
    wait_for(
        lambda: set(batch.articles.values_list("extraction_status", flat=True)) == {"done"},
        cluster,
        "the worker to extract every article",
    )
    assert membership.project.articles.count() == 5
    assert all(article.quotes.exists() for article in batch.articles.all())


def test_a_worker_killed_mid_batch_leaves_whole_chunks_and_another_finishes(cluster):
    records = [
        ArticleInput(
            title=f"Item {n}",
            text=f"The mayor said that bridge {n} would reopen in May.",
            source_name=f"big.jsonl:{n + 1}",
        )
        for n in range(3000)
    ]
    batch = import_batch_stage(records=records, name="Big", extract=False)
    current_app.send_task(IMPORT_TASK, args=[batch.id])
    first = cluster.start_worker()

    wait_for(lambda: stored(batch) >= 300, cluster, "the first worker to store some chunks")
    cluster.kill(first)
    time.sleep(0.5)

    done = stored(batch)
    assert 0 < done < 3000, "the batch finished before the kill"
    assert done % 100 == 0  # whole chunks only: each commits its articles and items together
    assert Article.objects.count() == done

    cluster.start_worker()  # the killed task comes back after the visibility timeout
    wait_for(lambda: stored(batch) == 3000, cluster, "a second worker to finish the batch")
    assert set(batch.items.values_list("status", flat=True)) == {Status.CREATED}
    assert Article.objects.count() == 3000
    assert batch.items.values("article").distinct().count() == 3000

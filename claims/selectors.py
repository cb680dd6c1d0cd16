"""Reads of the corpus, shaped for the pages and the API that show them."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from claims.access import ImportTarget, corpus_access, sees_everything
from claims.models import Article, ImportBatch, ImportItem, Quote, SameStory, Speaker
from claims.textdiff import DiffPiece, TextAlignment


def articles_visible(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """Articles the user may see (claims/access.py), and nothing else (no join, no count)."""
    return Article.objects.filter(id__in=corpus_access().articles_visible(user).values("id"))


def article_list_visible(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """Articles the user may see (claims/access.py), every version, with outlet and quote
    count, newest first (`.current()` keeps the latest version of each)."""
    visible = corpus_access().articles_visible(user).values("id")
    return (
        Article.objects.filter(id__in=visible)
        .select_related("outlet")
        .annotate(quote_count=Count("quotes", filter=Q(quotes__is_rejected=False)))
        .order_by("-published_at", "-id")
    )


def article_get_visible(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    return article_list_visible(user=user).filter(id=article_id).first()


def article_page_get(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    """One visible article for its page, knowing whether it has other versions or "same
    story" links (so a page with neither asks nothing more)."""
    same_story = SameStory.objects.filter(article_id=OuterRef("pk"))
    return (
        article_list_visible(user=user)
        .annotate(has_same_story=Exists(same_story))
        .filter(id=article_id)
        .first()
    )


def quote_list_for_article(*, article: Article) -> QuerySet[Quote]:
    """The article's quotes (on an earlier version: those whose words are gone since, too)."""
    return (
        article.quotes.filter(is_rejected=False)
        .select_related("speaker")
        .order_by("content_start", "id")
    )


def article_versions(*, user: AbstractBaseUser, article: Article) -> list[Article]:
    """Every version of the article the user may see, oldest first, without their text (the
    article alone, without a query, when it never had another version)."""
    if article.lineage_id is None and article.replaced_by_id is None:
        return [article]
    return list(
        article_list_visible(user=user)
        .filter(
            Q(id=article.lineage_id or article.id) | Q(lineage_id=article.lineage_id or article.id)
        )
        .defer("text")
        .order_by("version")
    )


@dataclass(frozen=True)
class ArticleDiff:
    """The changes between two versions, and what became of the quotes in the newer one."""

    pieces: list[DiffPiece]
    deleted: int
    inserted: int
    changed_quotes: int
    gone_quotes: int


def article_diff(*, previous: Article, article: Article) -> ArticleDiff:
    """The text's changes from `previous` to `article` (its next version), word by word, as
    the alignment that carried the quotes saw them; raw text, escaped by the template.
    (`previous` may come without its text, from article_versions: it is read here.)"""
    alignment = TextAlignment(previous.text, article.text)
    deleted, inserted = alignment.changed_characters()
    root = article.lineage_id or article.id
    lineage = Quote.objects.filter(Q(article_id=root) | Q(article__lineage_id=root))
    counts = lineage.aggregate(
        changed=Count("id", filter=Q(changed_in_version=article.version)),
        gone=Count("id", filter=Q(gone_in_version=article.version)),
    )
    return ArticleDiff(alignment.pieces(), deleted, inserted, counts["changed"], counts["gone"])


def quotes_gone_before(*, versions: list[Article]) -> QuerySet[Quote]:
    """Quotes of the earlier versions whose words are no longer in the text (with their
    speaker), for the current version's page."""
    return (
        Quote.objects.filter(
            article_id__in=[version.id for version in versions], gone_in_version__isnull=False
        )
        .select_related("speaker", "article")
        .defer("article__text")
        .order_by("gone_in_version", "article_id", "content_start")
    )


def same_story_visible(*, user: AbstractBaseUser, article: Article) -> QuerySet[SameStory]:
    """Articles (current versions) linked to this one as the same story, that the user may
    see, most similar first, with their outlet."""
    visible = corpus_access().articles_visible(user).values("id")
    return (
        SameStory.objects.filter(article=article, other__replaced_by__isnull=True)
        .filter(other_id__in=visible)
        .select_related("other__outlet")
        .defer("other__text")
        .order_by("-similarity", "other_id")
    )


@dataclass
class TextSegment:
    """A run of article text that carries the same set of marks."""

    text: str
    classes: list[str] = field(default_factory=list)
    quote_ids: list[int] = field(default_factory=list)

    @property
    def css_class(self) -> str:
        return " ".join(self.classes)

    @property
    def quote_ids_attr(self) -> str:
        return " ".join(str(quote_id) for quote_id in self.quote_ids)


def article_text_segments(*, text: str, quotes: list[Quote]) -> list[TextSegment]:
    """Split the text at every quote, speaker and cue boundary, so each piece can be marked.

    Overlapping and nested spans are fine: each segment lists every mark that covers it. The
    text itself is returned raw; templates escape it.
    """
    marks = []  # (start, end, css class, quote id)
    for quote in quotes:
        marks.append((quote.content_start, quote.content_end, f"q q-{quote.kind}", quote.id))
        if quote.speaker_start is not None:
            marks.append((quote.speaker_start, quote.speaker_end, "speaker", quote.id))
        if quote.cue_start is not None:
            marks.append((quote.cue_start, quote.cue_end, "cue", quote.id))
    boundaries = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    segments = []
    for start, end in pairwise(boundaries):
        if start >= end:
            continue
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        classes = sorted({cls for m in covering for cls in m[2].split()})
        quote_ids = sorted({m[3] for m in covering})
        segments.append(TextSegment(text[start:end], classes, quote_ids))
    return segments


def article_detail_visible(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    """One visible article with its non-rejected quotes and their speakers prefetched."""
    quotes = Quote.objects.filter(is_rejected=False).select_related("speaker", "article")
    return (
        article_list_visible(user=user)
        .prefetch_related(Prefetch("quotes", queryset=quotes, to_attr="visible_quotes"))
        .filter(id=article_id)
        .first()
    )


def quote_referred_elsewhere() -> Q:
    """A condition: other apps hold data on the quote (labels, assignments, comments …).
    Found through Django's model metadata — every model outside the corpus with a foreign key
    to Quote — so the corpus needs to know nothing of what refers to it."""
    condition = Q(pk__in=[])
    for relation in Quote._meta.related_objects:
        if relation.related_model._meta.app_label != Quote._meta.app_label:
            rows = relation.related_model._base_manager.filter(
                **{relation.field.name: OuterRef("pk")}
            )
            condition |= Q(Exists(rows))
    return condition


def quote_list_visible(*, user: AbstractBaseUser) -> QuerySet[Quote]:
    """Quotes in the articles the user may see, with article text and speaker joined."""
    visible = corpus_access().articles_visible(user).values("id")
    return Quote.objects.filter(article_id__in=visible).select_related("article", "speaker")


def speaker_list_visible(*, user: AbstractBaseUser) -> QuerySet[Speaker]:
    """Speakers quoted in articles the user may see, with aliases and their quote counts."""
    visible = corpus_access().articles_visible(user).values("id")
    quoted = Quote.objects.filter(article_id__in=visible, is_rejected=False)
    return (
        Speaker.objects.filter(id__in=quoted.values("speaker_id"))
        .annotate(
            quote_count=Count(
                "quotes", filter=Q(quotes__is_rejected=False, quotes__article_id__in=visible)
            )
        )
        .prefetch_related("aliases")
    )


def import_targets_for(*, user: AbstractBaseUser) -> list[ImportTarget]:
    """Where the user may import articles (their managed projects)."""
    return corpus_access().import_targets(user)


def import_permitted(*, user: AbstractBaseUser) -> bool:
    """The rule for importing, every door: someone who sees everything, or who has somewhere
    to import to."""
    return sees_everything(user) or bool(import_targets_for(user=user))


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch has got: its staged items stored, and its new articles extracted."""

    total: int
    pending: int
    running: int
    done: int
    failed: int
    items: int = 0
    items_waiting: int = 0
    items_failed: int = 0

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def items_finished(self) -> int:
        return self.items - self.items_waiting

    @property
    def is_storing(self) -> bool:
        """Whether staged records or URLs are still waiting to be stored."""
        return self.items_waiting > 0

    @property
    def is_active(self) -> bool:
        """Whether anything is still waiting or running (the page keeps polling)."""
        return self.pending + self.running + self.items_waiting > 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.finished * 100 // self.total

    @property
    def items_percent(self) -> int:
        return 100 if not self.items else self.items_finished * 100 // self.items


def _status_count(status: str) -> Count:
    return Count("id", filter=Q(extraction_status=status))


def _count_of(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("batch_id").annotate(n=Count("id")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def batch_list_visible(*, user: AbstractBaseUser) -> QuerySet[ImportBatch]:
    """Import batches the user may watch (their own; staff: all), with counts of their items
    by outcome and of their new articles by extraction status (subqueries: no row fan-out)."""
    articles = Article.objects.filter(batch_id=OuterRef("pk")).order_by().values("batch_id")
    items = ImportItem.objects.filter(batch_id=OuterRef("pk"))
    waiting = [ImportItem.Status.STAGED, ImportItem.Status.FETCHING]
    batches = ImportBatch.objects.select_related("created_by").annotate(
        article_total=_count_of(Article.objects.filter(batch_id=OuterRef("pk"))),
        **{
            f"{status}_count": Coalesce(
                Subquery(
                    articles.annotate(n=_status_count(status)).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
            for status in Article.ExtractionStatus.values
        },
        item_total=_count_of(items),
        item_waiting=_count_of(items.filter(status__in=waiting)),
        item_failed=_count_of(items.filter(status=ImportItem.Status.FAILED)),
    )
    if not sees_everything(user):
        batches = batches.filter(created_by=user)
    return batches.order_by("-created_at", "-id")


def batch_get_visible(*, user: AbstractBaseUser, batch_id: int) -> ImportBatch | None:
    return batch_list_visible(user=user).filter(id=batch_id).first()


def batch_progress(*, batch: ImportBatch) -> BatchProgress:
    """The progress of a batch from `batch_list_visible` (its counts are already there)."""
    return BatchProgress(
        total=batch.article_total,
        pending=batch.pending_count,
        running=batch.running_count,
        done=batch.done_count,
        failed=batch.failed_count,
        items=batch.item_total,
        items_waiting=batch.item_waiting,
        items_failed=batch.item_failed,
    )


def batch_items(*, batch: ImportBatch, problems_only: bool = False) -> QuerySet[ImportItem]:
    """A batch's items for its page, in order: outcome and reason, with the article each
    became (title, version, extraction status) and its quote count — never a text."""
    items = (
        ImportItem.objects.filter(batch=batch)
        .select_related("article")
        .only(
            "id",
            "position",
            "kind",
            "source_name",
            "status",
            "reason",
            "retryable",
            "article__id",
            "article__title",
            "article__version",
            "article__extraction_status",
            "article__extraction_error",
        )
        .annotate(
            quote_count=Count("article__quotes", filter=Q(article__quotes__is_rejected=False))
        )
        .order_by("position")
    )
    if problems_only:
        items = items.filter(status=ImportItem.Status.FAILED)
    return items

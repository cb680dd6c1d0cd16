"""Reads of the corpus, shaped for the pages and the API that show them."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import Article, ImportBatch, Quote, Speaker


def sees_whole_corpus(user: AbstractBaseUser) -> bool:
    """Staff see every article; everyone else the articles of the projects they belong to."""
    return user.is_staff


def articles_visible(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """Articles the user may see (`sees_whole_corpus`), and nothing else (no join, no count)."""
    if sees_whole_corpus(user):
        return Article.objects.all()
    return Article.objects.filter(
        id__in=Article.objects.filter(projects__memberships__user=user).values("id")
    )


def article_list_visible(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """Articles the user may see (`articles_visible`), with outlet and quote count, newest
    first."""
    articles = (
        articles_visible(user=user)
        .select_related("outlet")
        .annotate(quote_count=Count("quotes", filter=Q(quotes__is_rejected=False)))
    )
    return articles.order_by("-published_at", "-id")


def article_get_visible(*, user: AbstractBaseUser, article_id: int) -> Article | None:
    return article_list_visible(user=user).filter(id=article_id).first()


def quote_list_for_article(*, article: Article) -> QuerySet[Quote]:
    return (
        article.quotes.filter(is_rejected=False)
        .select_related("speaker")
        .order_by("content_start", "id")
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


def quote_list_visible(*, user: AbstractBaseUser) -> QuerySet[Quote]:
    """Quotes in the articles the user may see, with article text and speaker joined."""
    quotes = Quote.objects.select_related("article", "speaker")
    if not user.is_staff:
        quotes = quotes.filter(
            article_id__in=Article.objects.filter(projects__memberships__user=user).values("id")
        )
    return quotes


def speaker_list_visible(*, user: AbstractBaseUser) -> QuerySet[Speaker]:
    """Speakers quoted in articles the user may see, with aliases and their quote counts."""
    visible_quotes = Q(quotes__is_rejected=False)
    speakers = Speaker.objects.all()
    if not user.is_staff:
        article_ids = Article.objects.filter(projects__memberships__user=user).values("id")
        visible_quotes &= Q(quotes__article_id__in=article_ids)
        quoted = Quote.objects.filter(article_id__in=article_ids, is_rejected=False)
        speakers = speakers.filter(id__in=quoted.values("speaker_id"))
    return speakers.annotate(quote_count=Count("quotes", filter=visible_quotes)).prefetch_related(
        "aliases"
    )


def article_is_editable_by(*, user: AbstractBaseUser, article: Article) -> bool:
    """Members of any project holding the article may fix its quotes; staff may always."""
    return user.is_staff or article.projects.filter(memberships__user=user).exists()


def import_projects_for(*, user: AbstractBaseUser):
    """Projects the user may import articles into: the ones they manage (staff: every one)."""
    from annotations.models import Membership, Project

    if user.is_staff:
        return Project.objects.order_by("name")
    return Project.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).order_by("name")


def import_permitted(*, user: AbstractBaseUser) -> bool:
    """The API's rule for importing: staff, or the manager of a project to import into."""
    return user.is_staff or import_projects_for(user=user).exists()


@dataclass(frozen=True)
class BatchProgress:
    """How far extraction has got in one import batch."""

    total: int
    pending: int
    running: int
    done: int
    failed: int

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def is_active(self) -> bool:
        """Whether anything is still waiting or running (the page keeps polling)."""
        return self.pending + self.running > 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.finished * 100 // self.total


def _status_count(status: str) -> Count:
    return Count("articles", filter=Q(articles__extraction_status=status))


def batch_list_visible(*, user: AbstractBaseUser) -> QuerySet[ImportBatch]:
    """Import batches the user may watch (their own; staff: all), with counts per status."""
    batches = ImportBatch.objects.select_related("created_by").annotate(
        article_total=Count("articles"),
        **{f"{status}_count": _status_count(status) for status in Article.ExtractionStatus.values},
    )
    if not user.is_staff:
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
    )


def batch_articles(*, batch: ImportBatch) -> QuerySet[Article]:
    """A batch's articles for its page: status, error and quote count, without their text."""
    return (
        Article.objects.filter(batch=batch)
        .only(
            "id",
            "title",
            "source_name",
            "extraction_status",
            "extraction_error",
            "extraction_status_at",
        )
        .annotate(quote_count=Count("quotes", filter=Q(quotes__is_rejected=False)))
        .order_by("id")
    )

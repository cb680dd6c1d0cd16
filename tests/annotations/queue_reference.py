"""The readable ORM version of the queue's candidate pick: the reference that the SQL in
annotations/sql.py (what the service runs) is checked against, step by step, in test_queue.py.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotations.labelling.queue import assignment_live_q
from annotations.labelling.scope import quotes_in_project
from annotations.models import Assignment, Project
from claims.models import Quote


def quote_live_count(*, project: Project, now: datetime.datetime | None = None) -> Coalesce:
    """An expression: how many live assignments the outer quote has in the project."""
    live = (
        Assignment.objects.filter(assignment_live_q(project=project, now=now))
        .filter(project=project, quote=OuterRef("pk"))
        .order_by()
        .values("quote")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(live, output_field=IntegerField()), 0)


def queue_candidates(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime | None = None
) -> QuerySet[Quote]:
    """Quotes the annotator may be handed next, best first.

    Never assigned to this annotator (in any status, so a skipped quote stays away), and with
    fewer than k live assignments. Quotes others have started come first, the closest to k
    first, so items get finished; then article and position in the text.
    """
    mine = Assignment.objects.filter(project=project, annotator=annotator).values("quote_id")
    return (
        quotes_in_project(project=project)
        .exclude(id__in=mine)
        .annotate(live_count=quote_live_count(project=project, now=now))
        .filter(live_count__lt=project.annotators_per_quote)
        .order_by("-live_count", "article_id", "content_start", "id")
    )


def _quotes_by_live_count(
    *, project: Project, now: datetime.datetime | None, full: bool
) -> QuerySet[Assignment]:
    """Ids of the quotes with k or more live assignments (full) or with 1 to k - 1 (not full).

    One aggregate over the project's live assignments, instead of a count per quote.
    """
    k = project.annotators_per_quote
    counted = (
        Assignment.objects.filter(project=project)
        .filter(assignment_live_q(project=project, now=now))
        .order_by()
        .values("quote_id")
        .annotate(live=Count("id"))
    )
    return (counted.filter(live__gte=k) if full else counted.filter(live__lt=k)).values("quote_id")


def queue_candidate_tiers(
    *, project: Project, annotator: AbstractBaseUser, now: datetime.datetime | None = None
) -> tuple[QuerySet[Quote], QuerySet[Quote]]:
    """queue_candidates in two parts, the same quotes in the same order: quotes others have
    started (fullest first), then untouched quotes in text order.

    The split lets the database stop at the first row: the started part comes from one
    aggregate over live assignments, and the untouched part walks the quotes' (article,
    offset) index, skipping the few started ones, instead of counting every quote's
    assignments and sorting them all. Quote, article, outlet and speaker come in one row.
    """
    now = now or timezone.now()
    mine = Assignment.objects.filter(project=project, annotator=annotator).values("quote_id")
    live_on_quote = Assignment.objects.filter(
        assignment_live_q(project=project, now=now), project=project, quote=OuterRef("pk")
    )
    quotes = (
        quotes_in_project(project=project)
        .exclude(id__in=mine)
        .select_related("article__outlet", "speaker")
    )
    started = (
        quotes.filter(id__in=_quotes_by_live_count(project=project, now=now, full=False))
        .annotate(live_count=quote_live_count(project=project, now=now))
        .order_by("-live_count", "article_id", "content_start", "id")
    )
    untouched = quotes.filter(~Exists(live_on_quote)).order_by("article_id", "content_start", "id")
    return started, untouched

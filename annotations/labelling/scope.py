"""Which quotes are in a project: the one rule every door and service uses.

A quote is in a project when its article is in the project's scope and nobody marked it
"not a quote". Services lock a quote through `quote_lock`, which checks the same rule.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from annotations import sql
from annotations.models import Project
from claims.models import Quote


def quotes_in_project(*, project: Project) -> QuerySet[Quote]:
    """Quotes of the project's articles that nobody marked "not a quote"."""
    article_ids = Project.articles.through.objects.filter(project_id=project.id).values(
        "article_id"
    )
    return Quote.objects.filter(article_id__in=article_ids, is_rejected=False)


def quote_lock(*, project: Project, quote: Quote, allow_rejected: bool = False) -> None:
    """Lock the quote's row, checking it belongs to one of the project's articles."""
    rows = sql.fetch_all(
        f"SELECT q.is_rejected FROM {Quote._meta.db_table} q WHERE q.id = %(quote)s "  # noqa: S608
        f"AND {sql.QUOTE_ARTICLE_IN_PROJECT_SQL}" + sql.row_lock("q"),
        {"quote": quote.pk, "project": project.id},
    )
    if not rows:
        raise ValidationError({"quote": "This quote is not in the project."})
    if rows[0][0] and not allow_rejected:
        raise ValidationError({"quote": "This quote was marked “not a quote”."})

"""Which quotes are in a project: the one rule every door and service uses.

A quote is in a project when its article is in the project's scope, its words are still in
the article's current version (not gone in a later one: claims/services/versions.py) and
nobody marked it "not a quote". Services lock a quote through `quote_lock`, which checks the
same rule (its SQL form is annotations/sql.py's QUOTE_IN_PROJECT); pages and the API look a
quote up through `quote_in_project`, so a quote of another project is, for them, one that does
not exist.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from annotations import sql
from annotations.models import Project
from claims.models import Quote


def quotes_in_project(
    *, project: Project, include_rejected: bool = False, include_gone: bool = False
) -> QuerySet[Quote]:
    """Quotes of the project's articles, present in their current version, that nobody marked
    "not a quote" (those too, with `include_rejected`: the fixes on the annotator's card may
    restore one). A quote gone in a later version keeps its labels but leaves every queue; the
    dataset export keeps it (`include_gone`, its SQL form sql.QUOTE_IN_PROJECT_ANY_VERSION),
    flagged with the version its words went in."""
    article_ids = Project.articles.through.objects.filter(project_id=project.id).values(
        "article_id"
    )
    quotes = Quote.objects.filter(article_id__in=article_ids)
    if not include_gone:
        quotes = quotes.present()
    return quotes if include_rejected else quotes.filter(is_rejected=False)


def quote_in_project(
    *, project: Project, quote_id: object, include_rejected: bool = False
) -> Quote | None:
    """One quote of the project, with its article, outlet, speaker and last editor; None for
    anything else (another project's quote, a rejected one unless asked for, not an id)."""
    if not isinstance(quote_id, int) or isinstance(quote_id, bool) or quote_id < 1:
        return None
    return (
        quotes_in_project(project=project, include_rejected=include_rejected)
        .select_related("article__outlet", "speaker", "edited_by")
        .filter(id=quote_id)
        .first()
    )


def quote_lock(*, project: Project, quote: Quote, allow_rejected: bool = False) -> None:
    """Lock the quote's row, checking it belongs to one of the project's articles."""
    rejected = sql.quote_lock(project_id=project.id, quote_id=quote.pk)
    if rejected is None:
        raise ValidationError({"quote": "This quote is not in the project."})
    if rejected and not allow_rejected:
        raise ValidationError({"quote": "This quote was marked “not a quote”."})

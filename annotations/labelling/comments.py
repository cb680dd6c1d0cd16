"""Comments: each quote's discussion within a project."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from annotations.access import require_role
from annotations.labelling.scope import quotes_in_project
from annotations.models import Comment, Project
from claims.models import Quote

COMMENT_MAX_CHARS = 5000


@transaction.atomic
def comment_add(*, project: Project, quote: Quote, author: AbstractBaseUser, text: str) -> Comment:
    """Add a comment to a quote's discussion; any member may comment, also on rejected quotes."""
    require_role(author, project)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"text": "Write a comment."})
    text = text.strip()
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"text": f"Keep comments under {COMMENT_MAX_CHARS} characters ({len(text)} now)."}
        )
    if not quotes_in_project(project=project, include_rejected=True).filter(pk=quote.pk).exists():
        raise ValidationError({"quote": "This quote is not in the project."})
    return Comment.objects.create(project=project, quote=quote, author=author, text=text)


def comment_list(*, project: Project, quote: Quote) -> QuerySet[Comment]:
    """A quote's discussion in the project, oldest first, with authors."""
    return (
        Comment.objects.filter(project=project, quote=quote)
        .select_related("author")
        .order_by("created_at", "id")
    )

"""Who may see and change what in the corpus: the questions the corpus asks of its host.

The corpus (articles, quotes, speakers) knows nothing of projects, yet who sees an article and
who may fix its quotes depend on them. So `claims` states the questions here, with a closed
answer (only superusers see or change anything), and the labelling app, which owns projects,
registers the real answers when Django starts (annotations/apps.py, annotations/access.py).
The dependency points one way — annotations imports claims — and every corpus door (pages,
API, commands, services) asks through `corpus_access()`, so each rule is written once.

Shared objects (docs/architecture.md, "What projects share"): one article, its quotes and
their speakers may serve several projects, so a change to them is a change to every project
that uses them. Hence the refusal questions: a change goes through only when the host says
the person may change every project concerned.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from claims.models import Article, Speaker

User = AbstractBaseUser | AnonymousUser


def sees_everything(user: User) -> bool:
    """The one "sees and may change everything" rule: an active superuser."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@dataclass(frozen=True)
class ImportTarget:
    """Where imported articles go (in Claimlab, a project the importer manages)."""

    id: int
    name: str


class CorpusAccess:
    """The closed default: superusers see and change everything, nobody else anything."""

    def articles_visible(self, user: User) -> QuerySet[Article]:
        """Articles the user may read, with their quotes and speakers."""
        return Article.objects.all() if sees_everything(user) else Article.objects.none()

    def article_change_refusal(self, user: User, article: Article) -> str | None:
        """Why the user may not change this article's quotes (None: they may)."""
        return None if sees_everything(user) else "Only an administrator may change this."

    def speakers_change_refusal(self, user: User, speakers: list[Speaker]) -> str | None:
        """Why the user may not merge, or undo a merge of, these speakers (None: they may)."""
        return None if sees_everything(user) else "Only an administrator may merge speakers."

    def import_targets(self, user: User) -> list[ImportTarget]:
        """Where the user may import articles to."""
        return []

    def import_target(self, user: User, target_id: int | None) -> ImportTarget | None:
        """The target named by id, checked for this user; None means "no target", which only
        those who see everything may choose. Raises ValidationError or PermissionDenied."""
        if target_id is None and sees_everything(user):
            return None
        raise PermissionDenied("You may not import articles.")

    def import_link(self, target: ImportTarget, article_ids: list[int]) -> None:
        """Put imported articles in the target."""

    def version_link(self, previous_id: int, new_id: int) -> None:
        """A new version of an article: wherever the previous version is used, add it too
        (the previous one stays, with the quotes whose words are gone)."""


_access = CorpusAccess()


def register(access: CorpusAccess) -> None:
    """Install the host's answers (called once, from the host app's AppConfig.ready)."""
    global _access
    _access = access


def corpus_access() -> CorpusAccess:
    return _access

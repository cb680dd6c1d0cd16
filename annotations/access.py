"""Who may see and do what: the one access module.

Roles in a project (shared by services, pages and the API), and the corpus's questions about
shared articles, quotes and speakers answered in terms of projects (`ProjectCorpusAccess`,
registered with claims.access when the app starts). "Sees everything" is claims.access's
`sees_everything` (an active superuser) everywhere.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from annotations import sql
from annotations.models import Membership, Project
from claims.access import CorpusAccess, ImportTarget, sees_everything
from claims.models import Article, Quote

Role = Membership.Role

# Everyone in a project may label: annotators do it for a living, reviewers and managers to try
# the schema out or to help finish a batch. Their labels count like anyone else's.
LABELLING_ROLES = (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER)
# Adjudication (gold labels) and seeing everyone's labels in blind mode.
ADJUDICATING_ROLES = (Role.REVIEWER, Role.MANAGER)


# project_for_member keeps the membership it read on the project instance it returns, so the
# view, the service and the response of one request look it up once (membership_set and
# membership_remove forget it). A project loaded any other way has none and is asked afresh.
_REMEMBERED = "_memberships_read"


def _remember_membership(project: Project, user_id: int, membership: Membership | None) -> None:
    project.__dict__.setdefault(_REMEMBERED, {})[user_id] = membership


def forget_memberships(project: Project) -> None:
    """Drop the memberships remembered on this project instance (after a membership change)."""
    project.__dict__.pop(_REMEMBERED, None)


def membership_for(user: AbstractBaseUser | AnonymousUser, project: Project) -> Membership | None:
    """The user's membership in the project, or None (anonymous users are never members)."""
    if not user.is_authenticated:
        return None
    remembered = project.__dict__.get(_REMEMBERED, {})
    if user.pk in remembered:
        return remembered[user.pk]
    return Membership.objects.filter(project=project, user=user).first()


def require_role(
    user: AbstractBaseUser | AnonymousUser, project: Project, *roles: str
) -> Membership:
    """The user's membership if it has one of `roles` (any role when none are given).

    Superusers always pass; one without a membership gets an unsaved manager membership, so
    callers can read `.role` without a special case. Raises PermissionDenied otherwise.
    """
    membership = membership_for(user, project)
    if sees_everything(user):
        return membership or Membership(project=project, user=user, role=Role.MANAGER)
    if membership is None:
        raise PermissionDenied("You are not a member of this project.")
    if roles and membership.role not in roles:
        wanted = " or ".join(str(role) for role in roles)
        raise PermissionDenied(f"This needs the {wanted} role in this project.")
    return membership


def projects_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects the user is a member of; superusers see every project."""
    if not user.is_authenticated:
        return Project.objects.none()
    if sees_everything(user):
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def sees_all_labels(membership: Membership, project: Project) -> bool:
    """Whether this member sees other people's labels (blind mode hides them from annotators)."""
    return not project.blind_mode or membership.role in ADJUDICATING_ROLES


def project_for_member(
    user: AbstractBaseUser | AnonymousUser, project_id: int, *roles: str
) -> tuple[Project, Membership]:
    """The project and the user's membership, for pages and API alike.

    A non-member gets Http404 (a project's objects do not exist for outsiders); a member
    without one of `roles` gets PermissionDenied.
    """
    if not user.is_authenticated:
        raise Http404("No such project, or you are not a member of it.")
    # The membership and its project in one query (every page and API call runs it), unless
    # the API's token login read them with the token for this project (used once: a change of
    # membership later in the request is seen); superusers may see projects without one.
    read = user.__dict__.pop("project_membership_read", None)
    if read is not None and read[0] == project_id:
        found = read[1]
    else:
        found = sql.project_with_membership(project_id=project_id, user_id=user.pk)
    if found is not None:
        project, membership = found
    elif sees_everything(user):
        project, membership = Project.objects.filter(id=project_id).first(), None
    else:
        project = membership = None
    if project is None:
        raise Http404("No such project, or you are not a member of it.")
    _remember_membership(project, user.pk, membership)
    return project, require_role(user, project, *roles)


# -- the corpus, shared between projects ----------------------------------------------------
def _projects_holding(article_ids) -> QuerySet[Project]:
    return Project.objects.filter(articles__in=article_ids).distinct()


def _memberships_in(
    user: AbstractBaseUser, projects: QuerySet[Project], *roles: str
) -> tuple[int, int]:
    """(how many `projects` there are, in how many the user is a member — with one of `roles`,
    if given), in one query."""
    mine = Membership.objects.filter(user=user, project=OuterRef("pk"))
    if roles:
        mine = mine.filter(role__in=roles)
    counts = projects.annotate(is_member=Exists(mine)).aggregate(
        total=Count("id"), mine=Count("id", filter=Q(is_member=True))
    )
    return counts["total"], counts["mine"]


class ProjectCorpusAccess(CorpusAccess):
    """The corpus seen through projects: an article is visible to the members of the projects
    that hold it, and a change to what projects share (an article's quotes, a speaker) needs
    a say in every project it would change."""

    def articles_visible(self, user):
        if sees_everything(user):
            return Article.objects.all()
        if not user.is_authenticated:
            return Article.objects.none()
        held = Project.articles.through.objects.filter(project__memberships__user=user).values(
            "article_id"
        )
        return Article.objects.filter(id__in=held)

    def article_change_refusal(self, user, article):
        if sees_everything(user):
            return None
        if not user.is_authenticated:
            return "Log in first."
        total, mine = _memberships_in(user, _projects_holding([article.pk]))
        if not mine:
            return "This article is not in any of your projects."
        if mine < total:
            return (
                f"This article is also used by {total - mine} project(s) you are not a member "
                "of, and a fix to its quotes would change them too. Ask someone who belongs to "
                "every project using it, or an administrator."
            )
        return None

    def speakers_change_refusal(self, user, speakers):
        if sees_everything(user):
            return None
        if not user.is_authenticated:
            return "Log in first."
        quoted_in = Quote.objects.filter(speaker__in=speakers).values("article_id")
        total, managed = _memberships_in(user, _projects_holding(quoted_in), Role.MANAGER)
        if not total:
            return "Only an administrator may merge speakers quoted outside every project."
        if managed < total:
            return (
                "These speakers are quoted in projects you do not manage; a merge would change "
                "who said what there too. Ask a manager of every project quoting them, or an "
                "administrator."
            )
        return None

    def import_targets(self, user):
        projects = Project.objects.order_by("name", "id")
        if not sees_everything(user):
            projects = projects.filter(memberships__user=user, memberships__role=Role.MANAGER)
        return [ImportTarget(id=project.id, name=project.name) for project in projects]

    def import_target(self, user, target_id):
        if target_id is None:
            if sees_everything(user):
                return None
            raise ValidationError(
                {"project": "Name the project to add the articles to (you must manage it)."}
            )
        project = Project.objects.filter(id=target_id).first()
        membership = membership_for(user, project) if project is not None else None
        manages = membership is not None and membership.role == Role.MANAGER
        if project is not None and (manages or sees_everything(user)):
            return ImportTarget(id=project.id, name=project.name)
        if membership is None:  # another's project is, for the caller, one that does not exist
            raise ValidationError({"project": f"No project {target_id} that you manage."})
        raise PermissionDenied("Only the project's managers add articles to it.")

    def import_link(self, target, article_ids):
        Project.articles.through.objects.bulk_create(
            [Project.articles.through(project_id=target.id, article_id=i) for i in article_ids],
            ignore_conflicts=True,
        )

    def version_link(self, previous_id, new_id):
        # The earlier version stays in the project too: its gone quotes keep their labels in
        # the project's data (quotes_in_project leaves them out of the queue).
        holding = Project.articles.through.objects.filter(article_id=previous_id)
        Project.articles.through.objects.bulk_create(
            [
                Project.articles.through(project_id=project_id, article_id=new_id)
                for project_id in holding.values_list("project_id", flat=True)
            ],
            ignore_conflicts=True,
        )

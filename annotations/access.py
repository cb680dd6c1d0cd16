"""Who may do what in a project: role checks shared by services, pages and the API."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from annotations import sql
from annotations.models import Membership, Project

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
    if getattr(user, "is_superuser", False) and user.is_active:
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
    if user.is_superuser:
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
    # The membership and its project in one query (every page and API call runs it); superusers
    # may see projects without one.
    found = sql.project_with_membership(project_id=project_id, user_id=user.pk)
    if found is not None:
        project, membership = found
    elif user.is_superuser:
        project, membership = Project.objects.filter(id=project_id).first(), None
    else:
        project = membership = None
    if project is None:
        raise Http404("No such project, or you are not a member of it.")
    _remember_membership(project, user.pk, membership)
    return project, require_role(user, project, *roles)

"""Projects: creating and changing them, their members, the articles in scope, the list page."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from annotations.access import (
    ADJUDICATING_ROLES,
    LABELLING_ROLES,
    forget_memberships,
    projects_visible_to,
)
from annotations.labelling.gold import gold_auto_resolve
from annotations.labelling.progress import MyProgress, ProjectProgress
from annotations.labelling.queue import assignment_expiry_cutoff
from annotations.labelling.schema import (
    project_schema_create_default,
    stance_targets_clean,
    stance_targets_sync,
)
from annotations.models import Assignment, Membership, Project
from claims.models import Article, ImportBatch, Quote
from claims.selectors import article_list_visible

Status = Assignment.Status


@transaction.atomic
def project_create(
    *,
    name: str,
    created_by: AbstractBaseUser,
    description: str = "",
    guidelines: str = "",
    stance_targets: list[str] | None = None,
    annotators_per_quote: int = 2,
    blind_mode: bool = True,
    articles: Iterable[Article] | None = None,
) -> Project:
    """Create a project with the default schema; its creator becomes its manager."""
    targets = stance_targets_clean(stance_targets or [])
    if not name.strip():
        raise ValidationError({"name": "A project needs a name."})
    if not 1 <= annotators_per_quote <= 50:
        raise ValidationError({"annotators_per_quote": "Choose between 1 and 50 annotators."})
    project = Project.objects.create(
        name=name.strip(),
        description=description,
        guidelines=guidelines,
        stance_targets=targets,
        annotators_per_quote=annotators_per_quote,
        blind_mode=blind_mode,
        created_by=created_by,
    )
    project_schema_create_default(project=project)
    Membership.objects.create(project=project, user=created_by, role=Membership.Role.MANAGER)
    if articles is not None:
        project.articles.set(articles)
    return project


_PROJECT_UPDATABLE = {
    "name",
    "description",
    "guidelines",
    "stance_targets",
    "annotators_per_quote",
    "blind_mode",
    "assignment_timeout_minutes",
}


@transaction.atomic
def project_update(*, project: Project, **changes) -> Project:
    """Change a project's settings (not its members).

    Changing the stance targets changes the schema: each target has its own stance question
    (see stance_targets_sync). Changing k re-runs the unanimous gold rule on every quote.
    """
    unknown = set(changes) - _PROJECT_UPDATABLE
    if unknown:
        raise ValidationError({field: "This field cannot be changed here." for field in unknown})
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": "A project needs a name."})
    k = changes.get("annotators_per_quote", project.annotators_per_quote)
    if not 1 <= k <= 50:
        raise ValidationError({"annotators_per_quote": "Choose between 1 and 50 annotators."})
    if "stance_targets" in changes:
        changes["stance_targets"] = stance_targets_clean(changes["stance_targets"])
        if changes["stance_targets"] != project.stance_targets:
            stance_targets_sync(project=project, targets=changes["stance_targets"])
    k_changed = k != project.annotators_per_quote
    for field, value in changes.items():
        setattr(project, field, value.strip() if field == "name" else value)
    project.save(update_fields=[*changes] or None)
    if k_changed:
        # "Unanimous" means all of a quote's k annotators agree: with another k, gold that
        # rested on the old number is stale, and quotes may have become unanimous.
        gold_auto_resolve(project=project)
    return project


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add a member or change their role; the last manager cannot stop being one."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; use one of {Membership.Role.values}."}
        )
    if role != Membership.Role.MANAGER:
        managers = list(
            Membership.objects.select_for_update()
            .filter(project=project, role=Membership.Role.MANAGER)
            .values_list("user_id", flat=True)
        )
        if managers == [user.pk]:
            raise ValidationError({"role": "A project needs at least one manager."})
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    forget_memberships(project)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take someone out of a project; their labels stay. A project keeps at least one manager."""
    if membership.role == Membership.Role.MANAGER:
        managers = Membership.objects.select_for_update().filter(
            project_id=membership.project_id, role=Membership.Role.MANAGER
        )
        if len(managers) <= 1:
            raise ValidationError({"user": "A project needs at least one manager."})
    membership.delete()
    if Membership._meta.get_field("project").is_cached(membership):
        forget_memberships(membership.project)  # the caller's project instance, if it has it


@transaction.atomic
def project_articles_change(
    *, project: Project, add: Iterable[int] = (), remove: Iterable[int] = ()
) -> None:
    """Add and remove articles (by id) from a project's scope; labels already given stay."""
    add, remove = set(add), set(remove)
    if add - remove:
        project.articles.add(*(add - remove))
    if remove:
        project.articles.remove(*remove)


@transaction.atomic
def project_articles_set(*, project: Project, article_ids: Iterable[int]) -> None:
    """Make the project's scope exactly these articles; labels already given stay."""
    wanted = set(article_ids)
    current = set(project.articles.values_list("id", flat=True))
    project_articles_change(project=project, add=wanted - current, remove=current - wanted)


@dataclass(frozen=True)
class ProjectListRow:
    project: Project
    role: str
    progress: ProjectProgress
    mine: MyProgress | None  # None for roles that do not label

    @property
    def can_annotate(self) -> bool:
        return self.role in LABELLING_ROLES

    @property
    def can_review(self) -> bool:
        return self.role in ADJUDICATING_ROLES

    @property
    def can_see_dashboard(self) -> bool:
        return self.can_review or not self.project.blind_mode

    @property
    def can_manage(self) -> bool:
        return self.role == Membership.Role.MANAGER


def project_list_rows(*, user: AbstractBaseUser) -> list[ProjectListRow]:
    """The user's projects with their role, the project's progress and their own, in five
    queries however many projects and quotes there are (project_progress and
    annotator_progress, computed for every project at once)."""
    my_role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    projects = list(
        projects_visible_to(user).annotate(my_role=Subquery(my_role)).order_by("name", "id")
    )
    if not projects:
        return []
    ids = [project.id for project in projects]
    now = timezone.now()

    # Quotes are reached through the project-article link, so one quote in two projects
    # counts in each. The link is joined once and named (pid, k): a later filter naming
    # "article__projects" again would join it a second time.
    def in_projects(project_ids: list[int]) -> QuerySet[Quote]:
        return (
            Quote.objects.present()
            .filter(is_rejected=False, article__projects__in=project_ids)
            .alias(pid=F("article__projects"), k=F("article__projects__annotators_per_quote"))
        )

    on_quote = Assignment.objects.filter(project_id=OuterRef("pid"), quote=OuterRef("pk"))
    k = F("k")

    submitted = _count_subquery(on_quote.filter(status=Status.SUBMITTED))
    totals = {
        row["project_id"]: row
        for row in in_projects(ids)
        .values(project_id=F("pid"))
        .annotate(
            quotes=Count("id"),
            done=Coalesce(Sum(Least(submitted, k, output_field=IntegerField())), 0),
            quotes_complete=Coalesce(
                Sum(Case(When(GreaterThanOrEqual(submitted, k), then=1), default=0)), 0
            ),
        )
        .order_by()
    }

    labelling_ids = [
        p.id for p in projects if (p.my_role or Membership.Role.MANAGER) in LABELLING_ROLES
    ]
    mine: dict[int, dict[str, int]] = defaultdict(dict)
    pool: dict[int, int] = {}
    if labelling_ids:
        in_scope = Project.articles.through.objects.filter(
            project_id=OuterRef("project_id"), article_id=OuterRef("quote__article_id")
        )
        rows = (
            Assignment.objects.filter(
                Exists(in_scope),
                annotator=user,
                project_id__in=labelling_ids,
                quote__is_rejected=False,
                quote__gone_in_version__isnull=True,
            )
            .order_by()
            .values_list("project_id", "status")
            .annotate(count=Count("id"))
        )
        for project_id, status, count in rows:
            mine[project_id][status] = count
        # assignment_live_q with each project's own timeout.
        expired = Q()
        for project in projects:
            if project.id in labelling_ids:
                expired |= Q(
                    project_id=project.id,
                    assigned_at__lt=assignment_expiry_cutoff(project=project, now=now),
                )
        live = on_quote.filter(status__in=[Status.SUBMITTED, Status.ASSIGNED]).exclude(
            Q(status=Status.ASSIGNED, completed_at__isnull=True) & expired
        )
        pool = dict(
            in_projects(labelling_ids)
            .exclude(Exists(on_quote.filter(annotator=user)))
            .annotate(live_count=_count_subquery(live))
            .filter(live_count__lt=k)
            .values(project_id=F("pid"))
            .annotate(count=Count("id"))
            .order_by()
            .values_list("project_id", "count")
        )

    result = []
    for project in projects:
        role = project.my_role or Membership.Role.MANAGER  # superusers without a membership
        total = totals.get(project.id, {"quotes": 0, "done": 0, "quotes_complete": 0})
        k_value = project.annotators_per_quote
        progress = ProjectProgress(
            quotes=total["quotes"],
            annotators_per_quote=k_value,
            needed=total["quotes"] * k_value,
            done=total["done"],
            quotes_complete=total["quotes_complete"],
        )
        my_progress = None
        if project.id in labelling_ids:
            counts = mine[project.id]
            my_progress = MyProgress(
                submitted=counts.get(Status.SUBMITTED, 0),
                assigned=counts.get(Status.ASSIGNED, 0),
                skipped=counts.get(Status.SKIPPED, 0),
                available=counts.get(Status.SUBMITTED, 0)
                + counts.get(Status.ASSIGNED, 0)
                + pool.get(project.id, 0),
            )
        result.append(
            ProjectListRow(project=project, role=role, progress=progress, mine=my_progress)
        )
    return result


def _count_subquery(assignments: QuerySet[Assignment]) -> Coalesce:
    counted = assignments.order_by().values("quote").annotate(count=Count("id")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def article_ids_visible(*, user: AbstractBaseUser, batch_id: int | None = None) -> set[int]:
    """Ids of the articles the user may put in a project (one batch's, when given)."""
    articles = Article.objects.filter(id__in=article_list_visible(user=user).values("id"))
    if batch_id is not None:
        articles = articles.filter(batch_id=batch_id)
    return set(articles.values_list("id", flat=True))


def articles_for_scope(
    *,
    user: AbstractBaseUser,
    project: Project,
    title: str = "",
    batch_id: int | None = None,
    show: str = "",
) -> QuerySet[Article]:
    """The article checklist: visible articles with `in_project`, newest first, filtered by
    title words, import batch, and whether they are in the project."""
    in_project = Project.articles.through.objects.filter(project=project, article_id=OuterRef("pk"))
    articles = article_list_visible(user=user).annotate(in_project=Exists(in_project))
    for word in title.split():
        articles = articles.filter(title__icontains=word)
    if batch_id is not None:
        articles = articles.filter(batch_id=batch_id)
    if show == "in":
        articles = articles.filter(in_project=True)
    elif show == "out":
        articles = articles.filter(in_project=False)
    return articles


def import_batches_visible(*, user: AbstractBaseUser) -> QuerySet[ImportBatch]:
    """Import batches with at least one article the user may see, with their article count."""
    visible = article_list_visible(user=user).values("id")
    return (
        ImportBatch.objects.filter(articles__in=visible)
        .annotate(article_count=Count("articles", distinct=True))
        .order_by("-created_at", "-id")
    )

"""Writes for the labelling side: projects, members and their label schema."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Choice, Dimension, Membership, Project
from annotations.schema import DEFAULT_SCHEMA
from claims.models import Article


def project_schema_create_default(*, project: Project) -> None:
    """Give a project the default stance / attribution / sourcing schema.

    With several stance targets, stance is asked once per target (keys stance, stance-2, …).
    """
    targets = project.stance_targets or [""]
    order = 0
    for spec in DEFAULT_SCHEMA:
        per_target = targets if spec["key"] == "stance" else [""]
        for index, target in enumerate(per_target):
            key = spec["key"] if index == 0 else f"{spec['key']}-{index + 1}"
            name = f"{spec['name']}: {target}" if target and len(per_target) > 1 else spec["name"]
            dimension = Dimension.objects.create(
                project=project,
                key=key,
                name=name,
                help_text=spec["help_text"],
                target=target,
                order=order,
            )
            order += 1
            Choice.objects.bulk_create(
                Choice(
                    dimension=dimension,
                    value=value,
                    label=label,
                    description=description,
                    shortcut=str(position) if position < 10 else "",
                    order=position,
                )
                for position, (value, label, description) in enumerate(spec["choices"], 1)
            )


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
    targets = [t.strip() for t in (stance_targets or []) if t and t.strip()]
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


def membership_set(*, project: Project, user: AbstractBaseUser, role: str) -> Membership:
    """Add a member or change their role."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; use one of {Membership.Role.values}."}
        )
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    return membership

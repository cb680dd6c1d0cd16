"""People leaving: deactivating a login (never deleting it) and, when someone's labels must
go, erasing them with the gold that rested on them recomputed.

Labels, submissions and comments point at their author with PROTECT: deleting a user who
labelled is refused by the database (the admin says which rows stand in the way), so no label
and no gold that rests on it disappears silently.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from annotations.labelling.gold import gold_auto_resolve
from annotations.models import Assignment, Gold, Label, Project

Status = Assignment.Status


@transaction.atomic
def user_deactivate(*, user: AbstractBaseUser) -> int:
    """Stop someone logging in; what they labelled stays and counts. Their open assignments
    are given up so the quotes return to the pool. Returns how many were given up."""
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    given_up, _ = Assignment.objects.filter(
        annotator=user, status=Status.ASSIGNED, completed_at__isnull=True
    ).delete()
    return given_up


@transaction.atomic
def annotator_labels_erase(*, project: Project, annotator: AbstractBaseUser) -> dict[str, int]:
    """Remove one person's labels (with their history) and queue places in a project, then
    recompute unanimous gold there, which may have rested on them; reviewer gold stays.
    Returns counts: labels and assignments erased, unanimous gold before and after."""
    unanimous = Gold.objects.filter(project=project, method=Gold.Method.UNANIMOUS)
    before = unanimous.count()
    labels = Label.objects.filter(project=project, annotator=annotator).count()
    Label.objects.filter(project=project, annotator=annotator).delete()
    assignments, _ = Assignment.objects.filter(project=project, annotator=annotator).delete()
    gold_auto_resolve(project=project)
    return {
        "labels": labels,
        "assignments": assignments,
        "unanimous_gold_before": before,
        "unanimous_gold_after": unanimous.count(),
    }

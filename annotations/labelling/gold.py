"""Gold labels: unanimous answers become gold by themselves; reviewers set the rest."""

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotations import sql
from annotations.access import ADJUDICATING_ROLES, require_role
from annotations.labelling.schema import answer_parse
from annotations.labelling.scope import quote_lock, quotes_in_project
from annotations.models import Assignment, Gold, Project
from claims.models import Quote


def gold_unanimous_sync(
    *,
    project: Project,
    quote_ids: list[int] | None = None,
    submitters: dict[int, set[int]] | None = None,
    gold: sql.GoldOf | None = None,
) -> int:
    """Make unanimous gold match the labels: where a quote's submitted annotators (k or more)
    give one identical answer on a dimension, that is its gold; stale unanimous gold goes.
    Reviewer and majority gold are never touched. Returns how many gold rows were written.
    A caller that has just read, under the quotes' locks, who submitted each of `quote_ids`
    passes it as `submitters`, and one that has read their gold (as sql.gold_of gives it)
    passes that as `gold`: with no quote at k submitters and no unanimous gold there, nothing
    can change, and nothing more is read.
    """
    k = project.annotators_per_quote
    if quote_ids is not None and not quote_ids:
        return 0
    if submitters is None:
        submitters = defaultdict(set)
        for quote_id, annotator_id in sql.submitters(project_id=project.id, quote_ids=quote_ids):
            submitters[quote_id].add(annotator_id)
    complete = [quote_id for quote_id, people in submitters.items() if len(people) >= k]
    unanimous_there = gold is None or any(
        method == Gold.Method.UNANIMOUS for _, method, _ in gold.values()
    )
    if not complete and not unanimous_there:
        return 0

    answers: dict = defaultdict(lambda: defaultdict(set))
    if complete:
        for quote_id, dimension_id, annotator_id, choice_id in sql.label_answers(
            project_id=project.id, quote_ids=complete
        ):
            answers[(quote_id, dimension_id)][annotator_id].add(choice_id)
    unanimous: dict[tuple[int, int], frozenset[int]] = {}
    for (quote_id, dimension_id), by_annotator in answers.items():
        people = submitters[quote_id]
        given = {frozenset(by_annotator[a]) for a in people if by_annotator.get(a)}
        if len(given) == 1 and people <= by_annotator.keys():
            unanimous[(quote_id, dimension_id)] = next(iter(given))

    existing = gold if gold is not None else sql.gold_of(project_id=project.id, quote_ids=quote_ids)
    stale = [
        gold_id
        for key, (gold_id, method, _) in existing.items()
        if method == Gold.Method.UNANIMOUS and key not in unanimous
    ]
    if stale:
        Gold.objects.filter(pk__in=stale).delete()
    to_create, to_update = [], {}
    for key, choice_ids in unanimous.items():
        there = existing.get(key)
        if there is None:
            to_create.append(key)
        elif there[1] == Gold.Method.UNANIMOUS and choice_ids != there[2]:
            to_update[key] = there[0]
    if not to_create and not to_update:
        return 0
    now = timezone.now()
    if to_update:
        Gold.choices.through.objects.filter(gold_id__in=to_update.values()).delete()
        Gold.objects.filter(pk__in=to_update.values()).update(decided_at=now)
    written = {
        **sql.gold_insert(
            project_id=project.id, keys=to_create, method=Gold.Method.UNANIMOUS, now=now
        ),
        **to_update,
    }
    sql.gold_choices_insert(
        rows=[
            (gold_id, choice_id)
            for key, gold_id in written.items()
            for choice_id in sorted(unanimous[key])
        ]
    )
    return len(written)


# Gold someone decided. Unanimous gold is not among them: it follows the labels it rests on.
SETTLED_METHODS = (Gold.Method.REVIEWER, Gold.Method.MAJORITY)


def quote_settled(*, project: Project, quote_id: int) -> bool:
    """Whether a reviewer has decided gold on the quote (on a question still asked): its
    labels then no longer change, and nobody reopens it."""
    return Gold.objects.filter(
        project=project, quote_id=quote_id, method__in=SETTLED_METHODS, dimension__archived=False
    ).exists()


@transaction.atomic
def gold_set(
    *,
    project: Project,
    quote: Quote,
    dimension_key: str,
    values: str | list[str],
    reviewer: AbstractBaseUser,
) -> Gold:
    """A reviewer's (or manager's) adjudicated answer for one quote on one dimension."""
    require_role(reviewer, project, *ADJUDICATING_ROLES)
    quote_lock(project=project, quote=quote)
    dimension = (
        project.dimensions.filter(key=dimension_key, archived=False)
        .prefetch_related("choices")
        .first()
    )
    if dimension is None:
        raise ValidationError({"dimension_key": f"unknown dimension '{dimension_key}'"})
    chosen, errors = answer_parse(dimension, list(dimension.choices.all()), values)
    if not errors and not chosen:
        errors = ["choose at least one value"]
    if errors:
        raise ValidationError({"values": errors})
    gold, _ = Gold.objects.update_or_create(
        project=project,
        quote=quote,
        dimension=dimension,
        defaults={"method": Gold.Method.REVIEWER, "decided_by": reviewer},
    )
    gold.choices.set(chosen)
    return gold


@transaction.atomic
def gold_auto_resolve(*, project: Project) -> int:
    """Set unanimous gold wherever all of a quote's k (or more) annotators agree, and drop
    unanimous gold that no longer holds. Majority is left to a reviewer. Returns rows written.
    """
    # Lock, in id order (so two runs cannot deadlock), the quotes whose gold may change.
    candidates = Assignment.objects.filter(
        project=project, status=Assignment.Status.SUBMITTED
    ).values("quote_id")
    with_gold = Gold.objects.filter(project=project).values("quote_id")
    list(
        quotes_in_project(project=project)
        .filter(Q(id__in=candidates) | Q(id__in=with_gold))
        .order_by("id")
        .select_for_update(no_key=True, of=("self",))
        .values_list("id", flat=True)
    )
    return gold_unanimous_sync(project=project)

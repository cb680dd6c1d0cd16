"""The label schema: a project's questions (dimensions) and their choices.

Managers edit the schema while people label. Machine names (dimension keys, choice values)
never change once made, since labels, gold and exports refer to them; what people read
(names, labels, definitions, keys, order) may. A choice that labels or gold use is archived,
never deleted, so no answer loses its meaning.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from annotations import sql
from annotations.default_schema import DEFAULT_SCHEMA
from annotations.models import Choice, Dimension, Gold, Label, Project

DIMENSION_NAME_MAX = 100


DEFINITION_MAX = 300


CHOICE_LABEL_MAX = 100


MAX_DIMENSIONS = 50


MAX_CHOICES = 50


# Keys the annotator and review pages keep for themselves (static/js/annotate.js): help,
# guidelines, undo, skip, note, next/previous question, and the quote fixes (speaker,
# text from selection, add, not a quote, whole article, restore).
RESERVED_SHORTCUTS = frozenset("?gGuUsSnNjJkKpPtTaAxXwWrR")


STANCE_TARGETS_MAX = 20


STANCE_TARGET_MAX_CHARS = 200


def project_schema_create_default(*, project: Project) -> None:
    """Give a project the default stance / attribution / sourcing schema.

    With several stance targets, stance is asked once per target: the first keeps the key
    `stance`, the others are named after their target (`stance-a-gas-price-cap`).
    """
    targets = project.stance_targets or [""]
    order = 0
    keys = {spec["key"] for spec in DEFAULT_SCHEMA}
    for spec in DEFAULT_SCHEMA:
        per_target = targets if spec["key"] == "stance" else [""]
        for index, target in enumerate(per_target):
            key = spec["key"] if index == 0 else _stance_key(target, taken=keys)
            keys.add(key)
            name = f"{spec['name']}: {target}" if target and len(per_target) > 1 else spec["name"]
            _dimension_from_spec(
                project=project, spec=spec, key=key, name=name, target=target, order=order
            )
            order += 1


def _dimension_from_spec(
    *, project: Project, spec: dict, key: str, name: str, target: str, order: int
) -> Dimension:
    """A question of a DEFAULT_SCHEMA entry with its choices, keys 1–9 in order."""
    dimension = Dimension.objects.create(
        project=project,
        key=key,
        name=name,
        help_text=spec["help_text"],
        target=target,
        order=order,
    )
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
    return dimension


def stance_targets_clean(targets: object) -> list[str]:
    """Stance targets as a list of distinct non-empty lines, within the limits."""
    if not isinstance(targets, list | tuple) or not all(isinstance(t, str) for t in targets):
        raise ValidationError({"stance_targets": "Give the stance targets as a list of text."})
    cleaned = list(dict.fromkeys(" ".join(t.split()) for t in targets if t.strip()))
    if len(cleaned) > STANCE_TARGETS_MAX:
        raise ValidationError(
            {"stance_targets": f"A project has at most {STANCE_TARGETS_MAX} stance targets."}
        )
    if any(len(t) > STANCE_TARGET_MAX_CHARS for t in cleaned):
        raise ValidationError(
            {"stance_targets": f"Keep each target under {STANCE_TARGET_MAX_CHARS} characters."}
        )
    return cleaned


def stance_targets_sync(*, project: Project, targets: list[str]) -> None:
    """Ask stance once per target: a target's question is restored or made (with the default
    stance choices), a dropped target's question is archived with its labels kept. The first
    target takes over the untargeted default stance question."""
    dimensions = _lock_dimensions(project)
    by_target = {d.target: d for d in dimensions if d.target}
    untargeted = next((d for d in dimensions if d.key == "stance" and not d.target), None)
    stance = next(spec for spec in DEFAULT_SCHEMA if spec["key"] == "stance")
    keys = {d.key for d in dimensions}
    order = max((d.order for d in dimensions), default=-1) + 1
    for target in targets:
        dimension = by_target.get(target)
        if dimension is None and untargeted is not None:
            dimension, untargeted = untargeted, None
            dimension.target = target
        if dimension is not None:
            dimension.archived = False
            dimension.save(update_fields=["target", "archived"])
            continue
        key = _stance_key(target, taken=keys)
        keys.add(key)
        _dimension_from_spec(
            project=project,
            spec=stance,
            key=key,
            name=f"{stance['name']}: {target}"[:DIMENSION_NAME_MAX],
            target=target,
            order=order,
        )
        order += 1
    dropped = [d.pk for target, d in by_target.items() if target not in targets]
    Dimension.objects.filter(pk__in=dropped).update(archived=True)
    if not targets:  # back to one stance question toward whatever the guidelines say
        Dimension.objects.filter(project=project, key="stance").update(target="", archived=False)


def _text(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """One line of text, stripped; a ValidationError on `field` when empty or too long."""
    if not isinstance(value, str):
        raise ValidationError({field: "This must be text."})
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError({field: "This cannot be empty."})
    if len(value) > max_length:
        raise ValidationError({field: f"Keep this under {max_length} characters."})
    return value


def _stance_key(target: str, *, taken: set[str]) -> str:
    """The machine name of a further stance question: `stance-` and its target as a slug."""
    return _machine_name("", field="stance_targets", fallback=f"stance-{target}", taken=taken)


def _machine_name(
    value: object, *, field: str, fallback: str, taken: set[str], max_length: int = 50
) -> str:
    """A slug for a key or value: the one given (must be free) or one made from `fallback`."""
    if not isinstance(value, str):
        raise ValidationError({field: "This must be text."})
    if value.strip():
        slug = value.strip()
        if slug != slugify(slug) or len(slug) > max_length:
            raise ValidationError(
                {field: "Use lower-case letters, digits and hyphens (at most 50 characters)."}
            )
        if slug in taken:
            raise ValidationError({field: f"“{slug}” is already used here."})
        return slug
    base = slugify(fallback)[: max_length - 4] or "item"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _shortcut(value: object, *, dimension: Dimension, exclude: Choice | None = None) -> str:
    """A free one-character key among the dimension's active choices, or "" for none."""
    if not isinstance(value, str):
        raise ValidationError({"shortcut": "The key must be text."})
    value = value.strip()
    if not value:
        return ""
    if len(value) != 1:
        raise ValidationError({"shortcut": "A key is one character."})
    if value in RESERVED_SHORTCUTS:
        raise ValidationError(
            {"shortcut": f"“{value}” is kept for the page itself (help, skip, undo …)."}
        )
    holder = (
        dimension.choices.filter(shortcut=value, archived=False)
        .exclude(pk=exclude.pk if exclude else None)
        .first()
    )
    if holder is not None:
        raise ValidationError({"shortcut": f"“{value}” is already the key of “{holder.label}”."})
    return value


def _save_choice(choice: Choice, **kwargs) -> None:
    """Save, reporting a key taken by a concurrent edit as a ValidationError, not a 500."""
    try:
        with transaction.atomic():
            choice.save(**kwargs)
    except IntegrityError:
        raise ValidationError(
            {"shortcut": "That key was just taken by another choice; pick another."}
        ) from None


def _lock_dimensions(project: Project) -> list[Dimension]:
    """Every dimension of the project in order, locked so concurrent edits queue."""
    return list(
        Dimension.objects.select_for_update().filter(project=project).order_by("order", "id")
    )


def _move(items: list, item, direction: str) -> list:
    """The list with `item` one place up or down (unchanged at either end)."""
    if direction not in {"up", "down"}:
        raise ValidationError({"direction": "Move up or down."})
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items


def _renumber(model, items: list) -> None:
    for position, item in enumerate(items):
        item.order = position
    model.objects.bulk_update(items, ["order"])


def choice_in_use(choice: Choice) -> bool:
    """Whether any label or gold label gives this choice."""
    return (
        Label.choices.through.objects.filter(choice=choice).exists()
        or Gold.choices.through.objects.filter(choice=choice).exists()
    )


def _choices_from_lines(text: str) -> list[dict[str, str]]:
    """Choices written one per line as "Label" or "Label: definition"."""
    choices = []
    for line in text.splitlines():
        label, _, description = line.partition(":")
        if label.strip():
            choices.append({"label": label, "description": description})
    return choices


@transaction.atomic
def dimension_create(
    *,
    project: Project,
    name: str,
    key: str = "",
    help_text: str = "",
    multiple: bool = False,
    required: bool = True,
    choices: str | list[dict[str, str]] = "",
) -> Dimension:
    """Add a question at the end of the schema with its first choices (keys 1, 2, 3 …).

    `choices` is a list of {"label", "description", "value", "shortcut"} or text with one
    "Label: definition" per line; a question needs at least one choice to be answerable.
    """
    dimensions = _lock_dimensions(project)
    if len(dimensions) >= MAX_DIMENSIONS:
        raise ValidationError({"name": f"A project has at most {MAX_DIMENSIONS} questions."})
    name = _text(name, field="name", max_length=DIMENSION_NAME_MAX)
    help_text = _text(help_text, field="help_text", max_length=DEFINITION_MAX, required=False)
    key = _machine_name(key, field="key", fallback=name, taken={d.key for d in dimensions})
    specs = _choices_from_lines(choices) if isinstance(choices, str) else choices
    if not specs:
        raise ValidationError({"choices": "Give at least one choice, one per line."})
    if len(specs) > MAX_CHOICES:
        raise ValidationError({"choices": f"A question has at most {MAX_CHOICES} choices."})
    dimension = Dimension.objects.create(
        project=project,
        key=key,
        name=name,
        help_text=help_text,
        multiple=bool(multiple),
        required=bool(required),
        order=max((d.order for d in dimensions), default=-1) + 1,
    )
    for position, spec in enumerate(specs, 1):
        try:
            choice_create(
                dimension=dimension,
                label=spec.get("label", ""),
                value=spec.get("value", ""),
                description=spec.get("description", ""),
                shortcut=spec.get("shortcut", str(position) if position < 10 else ""),
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
            raise ValidationError({"choices": f"Choice {position}: {problems}"}) from None
    return dimension


@transaction.atomic
def dimension_update(
    *,
    dimension: Dimension,
    name: str | None = None,
    help_text: str | None = None,
    required: bool | None = None,
    multiple: bool | None = None,
) -> Dimension:
    """Rename a question, change its definition, or whether it is required or multiple-choice.

    Once labels use it, a multiple-choice question stays multiple-choice (earlier answers may
    hold several choices).
    """
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    if name is not None:
        dimension.name = _text(name, field="name", max_length=DIMENSION_NAME_MAX)
    if help_text is not None:
        dimension.help_text = _text(
            help_text, field="help_text", max_length=DEFINITION_MAX, required=False
        )
    if required is not None:
        dimension.required = bool(required)
    if multiple is not None and bool(multiple) != dimension.multiple:
        if dimension.multiple and dimension.labels.exists():
            raise ValidationError(
                {"multiple": "Labels already use this question; it stays multiple-choice."}
            )
        dimension.multiple = bool(multiple)
    dimension.save()
    return dimension


@transaction.atomic
def dimension_move(*, dimension: Dimension, direction: str) -> None:
    """Move a question one place up or down in the schema."""
    project = Project.objects.get(pk=dimension.project_id)
    _renumber(Dimension, _move(_lock_dimensions(project), dimension, direction))


@transaction.atomic
def dimension_archive(*, dimension: Dimension, archived: bool = True) -> Dimension:
    """Archive a question (no longer asked, exported or measured; its labels are kept), or
    restore it."""
    dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
    if archived is False and not dimension.choices.filter(archived=False).exists():
        raise ValidationError({"archived": "Restore or add a choice first; it has none active."})
    dimension.archived = bool(archived)
    dimension.save(update_fields=["archived"])
    return dimension


def _lock_choices(dimension: Dimension) -> list[Choice]:
    list(Dimension.objects.select_for_update().filter(pk=dimension.pk).values_list("pk"))
    return list(dimension.choices.select_for_update().order_by("order", "id"))


@transaction.atomic
def choice_create(
    *, dimension: Dimension, label: str, value: str = "", description: str = "", shortcut: str = ""
) -> Choice:
    """Add a choice at the end of a question; the value is made from the label if not given."""
    choices = _lock_choices(dimension)
    if len(choices) >= MAX_CHOICES:
        raise ValidationError({"label": f"A question has at most {MAX_CHOICES} choices."})
    label = _text(label, field="label", max_length=CHOICE_LABEL_MAX)
    choice = Choice(
        dimension=dimension,
        value=_machine_name(value, field="value", fallback=label, taken={c.value for c in choices}),
        label=label,
        description=_text(
            description, field="description", max_length=DEFINITION_MAX, required=False
        ),
        shortcut=_shortcut(shortcut, dimension=dimension),
        order=max((c.order for c in choices), default=0) + 1,
    )
    _save_choice(choice)
    return choice


@transaction.atomic
def choice_update(
    *,
    choice: Choice,
    label: str | None = None,
    description: str | None = None,
    shortcut: str | None = None,
) -> Choice:
    """Rename a choice, change its one-line definition or its key."""
    _lock_choices(choice.dimension)
    choice = Choice.objects.select_related("dimension").get(pk=choice.pk)
    if label is not None:
        choice.label = _text(label, field="label", max_length=CHOICE_LABEL_MAX)
    if description is not None:
        choice.description = _text(
            description, field="description", max_length=DEFINITION_MAX, required=False
        )
    if shortcut is not None:
        if choice.archived and shortcut.strip():
            raise ValidationError({"shortcut": "Restore the choice before giving it a key."})
        choice.shortcut = _shortcut(shortcut, dimension=choice.dimension, exclude=choice)
    _save_choice(choice)
    return choice


@transaction.atomic
def choice_move(*, choice: Choice, direction: str) -> None:
    """Move a choice one place up or down within its question."""
    _renumber(Choice, _move(_lock_choices(choice.dimension), choice, direction))


@transaction.atomic
def choice_archive_or_delete(*, choice: Choice) -> str:
    """Take a choice out of use: archived if labels or gold use it, else deleted.

    Returns "archived" or "deleted". An active question keeps at least one active choice.
    """
    choices = _lock_choices(choice.dimension)
    choice = next((c for c in choices if c.pk == choice.pk), None)
    if choice is None:
        raise ValidationError({"choice": "This choice no longer exists."})
    active = [c for c in choices if not c.archived]
    if not choice.archived and active == [choice] and not choice.dimension.archived:
        raise ValidationError(
            {"choice": "A question needs at least one choice; archive the question instead."}
        )
    if choice_in_use(choice):
        choice.archived = True
        choice.save(update_fields=["archived"])
        return "archived"
    choice.delete()
    return "deleted"


@transaction.atomic
def choice_restore(*, choice: Choice) -> Choice:
    """Offer an archived choice again; if another choice took its key meanwhile, it loses it."""
    _lock_choices(choice.dimension)
    choice = Choice.objects.get(pk=choice.pk)
    if choice.shortcut and (
        choice.dimension.choices.filter(shortcut=choice.shortcut, archived=False)
        .exclude(pk=choice.pk)
        .exists()
    ):
        choice.shortcut = ""
    choice.archived = False
    _save_choice(choice)
    return choice


# project id → (SchemaVersion token, schema): what this process last read of each project.
_SCHEMAS: dict[int, tuple[int, list[tuple[Dimension, list[Choice]]]]] = {}
_SCHEMAS_MAX = 1000


def schema_read(*, project: Project) -> list[tuple[Dimension, list[Choice]]]:
    """The project's questions in order, each with its choices in order, as every label save
    reads it: one query, or none when `project` came with its schema token
    (sql.project_with_membership, as the API and pages load it) and this process has read
    the schema under that token already. Any write to a question or choice changes the token
    (database triggers, migration 0008), so a cached schema is never older than the project
    row the request read. The instances are shared between requests: read them, never change
    them."""
    version = getattr(project, "schema_version", None)
    if version is not None:
        cached = _SCHEMAS.get(project.id)
        if cached is not None and cached[0] == version:
            return cached[1]
    version, schema = sql.schema_rows(project_id=project.id)
    if version is not None:
        if len(_SCHEMAS) >= _SCHEMAS_MAX:
            _SCHEMAS.clear()
        _SCHEMAS[project.id] = (version, schema)
    return schema


def dimensions_active(project: Project) -> list[Dimension]:
    return list(project.dimensions.filter(archived=False).order_by("order", "id"))


def schema_for_editing(*, project: Project) -> list[Dimension]:
    """Every dimension, archived too, in order, with all its choices; each choice carries
    `in_use` (labels or gold give it), which decides between archiving and deleting (three
    queries)."""
    dimensions = list(
        project.dimensions.order_by("order", "id").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
        )
    )
    choice_ids = Choice.objects.filter(dimension__project=project).values("id")
    used = set(
        Label.choices.through.objects.filter(choice_id__in=choice_ids).values_list(
            "choice_id", flat=True
        )
    ) | set(
        Gold.choices.through.objects.filter(choice_id__in=choice_ids).values_list(
            "choice_id", flat=True
        )
    )
    for dimension in dimensions:
        for choice in dimension.choices.all():
            choice.in_use = choice.id in used
    return dimensions


def answer_parse(
    dimension: Dimension, choices: list[Choice], raw: object
) -> tuple[list[Choice], list[str]]:
    """The choices a raw answer names, or error messages; an empty answer is no choices."""
    key = dimension.key
    if isinstance(raw, str):
        values = [raw] if raw else []
    elif isinstance(raw, list | tuple) and all(isinstance(value, str) for value in raw):
        values = list(dict.fromkeys(raw))
    else:
        expected = "a list of choice values" if dimension.multiple else "a choice value"
        return [], [f"'{key}' needs {expected}, not {raw!r}"]
    if not dimension.multiple and len(values) > 1:
        return [], [f"'{key}' takes one choice, not {len(values)}"]
    by_value = {choice.value: choice for choice in choices}
    chosen, errors = [], []
    for value in values:
        choice = by_value.get(value)
        if choice is None:
            errors.append(f"unknown choice '{value}' for '{key}'")
        elif choice.archived:
            errors.append(f"archived choice '{value}' for '{key}'")
        else:
            chosen.append(choice)
    chosen.sort(key=lambda choice: (choice.order, choice.id))
    return chosen, errors

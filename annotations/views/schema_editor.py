"""The schema editor: add, rename, reorder, archive questions and choices.

The editor's forms are sent by htmx, which swaps in the editor partial (a refusal shown in
it, status 200); without JavaScript they redirect back to the page.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations.forms import (
    ChoiceCreateForm,
    ChoiceForm,
    DimensionCreateForm,
    DimensionForm,
    MoveForm,
)
from annotations.labelling.schema import (
    RESERVED_SHORTCUTS,
    choice_archive_or_delete,
    choice_create,
    choice_move,
    choice_restore,
    choice_update,
    dimension_archive,
    dimension_create,
    dimension_move,
    dimension_update,
    schema_for_editing,
)
from annotations.models import Choice, Dimension, Project
from annotations.views.common import form_errors_add
from annotations.views.projects import project_managed


def _schema_response(
    request: HttpRequest,
    project: Project,
    *,
    failed: tuple[str, object] | None = None,
    problem: tuple[str, list[str]] | None = None,
    message: str = "",
) -> HttpResponse:
    """The editor (a partial for htmx). `failed` is a refused form (prefix, bound form), shown
    with what was sent; `problem` an action refused on a question or choice (its prefix and
    the messages)."""
    failed_prefix, failed_form = failed or ("", None)
    problem_prefix, problems = problem or ("", [])

    def form_for(prefix: str, make):
        return failed_form if failed_prefix == prefix else make(prefix)

    dimensions = schema_for_editing(project=project)
    for dimension in dimensions:
        dimension.form = form_for(
            f"d{dimension.id}",
            lambda prefix, d=dimension: DimensionForm(
                prefix=prefix,
                initial={
                    "name": d.name,
                    "help_text": d.help_text,
                    "required": d.required,
                    "multiple": d.multiple,
                },
            ),
        )
        dimension.new_choice_form = form_for(
            f"n{dimension.id}", lambda prefix: ChoiceCreateForm(prefix=prefix)
        )
        dimension.problems = problems if problem_prefix == f"d{dimension.id}" else []
        for choice in dimension.choices.all():
            choice.form = form_for(
                f"c{choice.id}",
                lambda prefix, c=choice: ChoiceForm(
                    prefix=prefix,
                    initial={
                        "label": c.label,
                        "description": c.description,
                        "shortcut": c.shortcut,
                    },
                ),
            )
            choice.problems = problems if problem_prefix == f"c{choice.id}" else []
    context = {
        "project": project,
        "dimensions": dimensions,
        "new_dimension_form": form_for(
            "new", lambda prefix: DimensionCreateForm(prefix=prefix, initial={"required": True})
        ),
        "message": message,
        # Shown on the page, so the list there is always the one the service enforces.
        "reserved_keys": sorted({key.upper() for key in RESERVED_SHORTCUTS}),
    }
    refused = failed is not None or problem is not None
    status = 400 if refused else 200
    if request.htmx:
        # The swapped-in editor shows the refusal (role="alert"); a 400 here would only add
        # a network error to the browser console. Requests without htmx get the 400.
        return render(request, "annotations/_schema_editor.html", context)
    if not refused and request.method == "POST":
        if message:
            messages.success(request, message)
        return redirect("annotations:schema", project_id=project.id)
    return render(request, "annotations/manage_schema.html", context, status=status)


def _dimension(project: Project, dimension_id: int) -> Dimension:
    return get_object_or_404(Dimension, project=project, id=dimension_id)


def _choice(project: Project, choice_id: int) -> Choice:
    return get_object_or_404(
        Choice.objects.select_related("dimension"), dimension__project=project, id=choice_id
    )


@login_required
@require_GET
def schema_editor(request: HttpRequest, project_id: int) -> HttpResponse:
    return _schema_response(request, project_managed(request, project_id))


def _schema_form_save(request, project: Project, form, save, saved) -> HttpResponse:
    """Validate `form` and call `save(**cleaned_data)`: the editor with the message
    `saved(item)` for what was saved, or with the form's errors."""
    if form.is_valid():
        try:
            item = save(**form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return _schema_response(request, project, message=saved(item))
    return _schema_response(request, project, failed=(form.prefix, form))


def _schema_move(request, project: Project, *, prefix: str, name: str, move) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _schema_response(request, project, problem=(prefix, ["Move up or down."]))
    direction = form.cleaned_data["direction"]
    move(direction=direction)
    return _schema_response(request, project, message=f"Moved “{name}” {direction}.")


@login_required
@require_POST
def dimension_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    return _schema_form_save(
        request,
        project,
        DimensionCreateForm(request.POST, prefix="new"),
        partial(dimension_create, project=project),
        lambda item: f"Question “{item.name}” added.",
    )


@login_required
@require_POST
def dimension_edit(request: HttpRequest, project_id: int, dimension_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    dimension = _dimension(project, dimension_id)
    return _schema_form_save(
        request,
        project,
        DimensionForm(request.POST, prefix=f"d{dimension.id}"),
        partial(dimension_update, dimension=dimension),
        lambda item: f"Question “{item.name}” saved.",
    )


@login_required
@require_POST
def dimension_reorder(request: HttpRequest, project_id: int, dimension_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    dimension = _dimension(project, dimension_id)
    return _schema_move(
        request,
        project,
        prefix=f"d{dimension.id}",
        name=dimension.name,
        move=partial(dimension_move, dimension=dimension),
    )


@login_required
@require_POST
def dimension_archive_toggle(
    request: HttpRequest, project_id: int, dimension_id: int
) -> HttpResponse:
    project = project_managed(request, project_id)
    dimension = _dimension(project, dimension_id)
    archive = request.POST.get("archived") != "0"
    try:
        dimension_archive(dimension=dimension, archived=archive)
    except ValidationError as error:
        return _schema_response(request, project, problem=(f"d{dimension.id}", error.messages))
    done = "archived: no longer asked, its labels are kept" if archive else "restored"
    return _schema_response(request, project, message=f"Question “{dimension.name}” {done}.")


@login_required
@require_POST
def choice_new(request: HttpRequest, project_id: int, dimension_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    dimension = _dimension(project, dimension_id)
    return _schema_form_save(
        request,
        project,
        ChoiceCreateForm(request.POST, prefix=f"n{dimension.id}"),
        partial(choice_create, dimension=dimension),
        lambda item: f"Choice “{item.label}” added to “{dimension.name}”.",
    )


@login_required
@require_POST
def choice_edit(request: HttpRequest, project_id: int, choice_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    choice = _choice(project, choice_id)
    return _schema_form_save(
        request,
        project,
        ChoiceForm(request.POST, prefix=f"c{choice.id}"),
        partial(choice_update, choice=choice),
        lambda item: f"Choice “{item.label}” saved.",
    )


@login_required
@require_POST
def choice_reorder(request: HttpRequest, project_id: int, choice_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    choice = _choice(project, choice_id)
    return _schema_move(
        request,
        project,
        prefix=f"c{choice.id}",
        name=choice.label,
        move=partial(choice_move, choice=choice),
    )


@login_required
@require_POST
def choice_remove(request: HttpRequest, project_id: int, choice_id: int) -> HttpResponse:
    """Archive a choice that labels use, delete one that none does."""
    project = project_managed(request, project_id)
    choice = _choice(project, choice_id)
    try:
        outcome = choice_archive_or_delete(choice=choice)
    except ValidationError as error:
        return _schema_response(request, project, problem=(f"c{choice.id}", error.messages))
    message = (
        f"Choice “{choice.label}” archived: no longer offered, existing labels keep it."
        if outcome == "archived"
        else f"Choice “{choice.label}” deleted (no label used it)."
    )
    return _schema_response(request, project, message=message)


@login_required
@require_POST
def choice_unarchive(request: HttpRequest, project_id: int, choice_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
    choice = _choice(project, choice_id)
    restored = choice_restore(choice=choice)
    note = "" if restored.shortcut or not choice.shortcut else " without its key (now taken)"
    return _schema_response(request, project, message=f"Choice “{choice.label}” restored{note}.")

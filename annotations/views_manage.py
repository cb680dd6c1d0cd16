"""Pages for managers: the project list, creating a project, its settings (articles, members)
and the label schema editor.

They call the same services as the API. Every form POSTs with CSRF and works without
JavaScript (redirect after success, the page again with errors and a 400 after a mistake);
the schema editor's forms are also sent by htmx, which swaps in the editor partial (with a
refusal shown in it, status 200).
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.forms import (
    ArticleFilterForm,
    ArticleScopeForm,
    ChoiceCreateForm,
    ChoiceForm,
    DimensionCreateForm,
    DimensionForm,
    MemberAddForm,
    MemberRoleForm,
    MoveForm,
    ProjectForm,
    ProjectSettingsForm,
)
from annotations.models import Choice, Dimension, Membership, Project
from annotations.permissions import project_for_member
from annotations.selectors import (
    article_ids_visible,
    articles_for_scope,
    import_batches_visible,
    project_list_rows,
    schema_for_editing,
)
from annotations.services import (
    choice_archive_or_delete,
    choice_create,
    choice_move,
    choice_restore,
    choice_update,
    dimension_archive,
    dimension_create,
    dimension_move,
    dimension_update,
    membership_remove,
    membership_set,
    project_articles_change,
    project_articles_set,
    project_create,
    project_update,
)
from annotations.views import guidelines_html

MANAGER = Membership.Role.MANAGER
ARTICLES_PER_PAGE = 50


def _managed(request: HttpRequest, project_id: int) -> Project:
    """The project if the user manages it: a 404 for outsiders, a 403 for other members."""
    return project_for_member(request.user, project_id, MANAGER)[0]


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has one."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


# -- project list ---------------------------------------------------------------------------------
@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    rows = project_list_rows(user=request.user)
    return render(request, "annotations/project_list.html", {"rows": rows})


# -- creating a project ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    """Anyone logged in may start a project (as the API allows) and becomes its manager."""
    form = ProjectForm(
        request.POST or None, initial={"annotators_per_quote": 2, "blind_mode": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(created_by=request.user, **form.values())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, f"Project “{project.name}” created. Now choose its articles and members."
            )
            return redirect("annotations:project-settings", project_id=project.id)
    status = 400 if form.is_bound else 200
    return render(request, "annotations/manage_project_new.html", {"form": form}, status=status)


# -- settings: the project's fields, members -----------------------------------------------------
def _settings_page(
    request: HttpRequest,
    project: Project,
    *,
    form: ProjectSettingsForm | None = None,
    member_form: MemberAddForm | None = None,
    member_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    members = project.memberships.select_related("user").order_by("user__username")
    context = {
        "project": project,
        "form": form or ProjectSettingsForm(initial=ProjectSettingsForm.initial_for(project)),
        "guidelines": guidelines_html(project.guidelines),
        "members": [
            {
                "membership": membership,
                "form": MemberRoleForm(
                    initial={"role": membership.role}, prefix=f"m{membership.user_id}"
                ),
                "errors": (member_errors or {}).get(membership.user_id, []),
            }
            for membership in members
        ],
        "member_form": member_form or MemberAddForm(initial={"role": Membership.Role.ANNOTATOR}),
        "article_count": project.articles.count(),
    }
    return render(request, "annotations/manage_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    if request.method == "GET":
        return _settings_page(request, project)
    form = ProjectSettingsForm(request.POST)
    if form.is_valid():
        try:
            project_update(project=project, **form.values())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("annotations:project-settings", project_id=project.id)
    project.refresh_from_db()
    return _settings_page(request, project, form=form, status=400)


@login_required
@require_POST
def member_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", f"No user named “{form.cleaned_data['username']}”.")
        elif project.memberships.filter(user=user).exists():
            form.add_error("username", f"{user.get_username()} is already a member.")
        else:
            try:
                membership_set(project=project, user=user, role=form.cleaned_data["role"])
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, f"{user.get_username()} added as {form.cleaned_data['role']}."
                )
                return redirect(
                    reverse("annotations:project-settings", args=[project.id]) + "#members"
                )
    return _settings_page(request, project, member_form=form, status=400)


def _membership(project: Project, user_id: int) -> Membership:
    return get_object_or_404(project.memberships.select_related("user"), user_id=user_id)


@login_required
@require_POST
def member_role(request: HttpRequest, project_id: int, user_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    membership = _membership(project, user_id)
    form = MemberRoleForm(request.POST, prefix=f"m{user_id}")
    errors: list[str] = []
    if not form.is_valid():
        errors = ["Choose manager, annotator or reviewer."]
    else:
        try:
            membership_set(project=project, user=membership.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            errors = error.messages
    if errors:
        return _settings_page(request, project, member_errors={user_id: errors}, status=400)
    messages.success(
        request, f"{membership.user.get_username()} is now {form.cleaned_data['role']}."
    )
    return redirect(reverse("annotations:project-settings", args=[project.id]) + "#members")


@login_required
@require_POST
def member_remove(request: HttpRequest, project_id: int, user_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    membership = _membership(project, user_id)
    try:
        membership_remove(membership=membership)
    except ValidationError as error:
        return _settings_page(request, project, member_errors={user_id: error.messages}, status=400)
    messages.success(
        request, f"{membership.user.get_username()} removed; their labels stay in the project."
    )
    if membership.user_id == request.user.pk and not request.user.is_superuser:
        return redirect("annotations:project-list")
    return redirect(reverse("annotations:project-settings", args=[project.id]) + "#members")


# -- the project's articles -----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def project_articles(request: HttpRequest, project_id: int) -> HttpResponse:
    """Choose the articles: all, one import batch, or by ticking them on a filtered page."""
    project = _managed(request, project_id)
    filters = ArticleFilterForm(request.GET)
    params = filters.cleaned_data if filters.is_valid() else {}
    status, errors = 200, []
    if request.method == "POST":
        scope = ArticleScopeForm(request.POST)
        if scope.is_valid():
            done = _articles_apply(request, project, scope.cleaned_data)
            if isinstance(done, str):
                messages.success(request, done)
                return redirect(request.get_full_path())
            errors = done
        else:
            errors = [e for problems in scope.errors.values() for e in problems]
        status = 400
    articles = articles_for_scope(
        user=request.user,
        project=project,
        title=params.get("q") or "",
        batch_id=params.get("batch"),
        show=params.get("show") or "",
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(params.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "project": project,
        "filters": filters,
        "page": page,
        "shown": ",".join(str(article.id) for article in page.object_list),
        "batches": list(import_batches_visible(user=request.user)),
        "in_project": project.articles.count(),
        "errors": errors,
        "query": query.urlencode(),
    }
    return render(request, "annotations/manage_articles.html", context, status=status)


def _articles_apply(request: HttpRequest, project: Project, data: dict) -> str | list[str]:
    """Apply a scope change; a message on success, the problems otherwise."""
    action = data["action"]
    if action == "all":
        ids = article_ids_visible(user=request.user)
        project_articles_set(project=project, article_ids=ids)
        return f"The project now has all {len(ids)} articles."
    if action == "none":
        project_articles_set(project=project, article_ids=[])
        return "The project has no articles now; labels already given stay."
    if action == "batch":
        ids = article_ids_visible(user=request.user, batch_id=data["batch"])
        if not ids:
            return ["No such import batch, or none of its articles are yours to use."]
        project_articles_set(project=project, article_ids=ids)
        return f"The project now has the batch's {len(ids)} articles."
    shown, checked = data["shown_ids"], data["checked_ids"]
    if not checked <= shown:
        return ["Only articles listed on the page can be ticked."]
    unknown = shown - article_ids_visible(user=request.user) if shown else set()
    if unknown:
        return [f"No article(s) {sorted(unknown)[:20]} that you can see."]
    project_articles_change(project=project, add=checked, remove=shown - checked)
    return f"Saved: {len(checked)} of the {len(shown)} articles on that page are in the project."


# -- the schema editor ----------------------------------------------------------------------------
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
    return _schema_response(request, _managed(request, project_id))


def _schema_form_save(request, project: Project, form, save, saved) -> HttpResponse:
    """Validate `form` and call `save(**cleaned_data)`: the editor with the message
    `saved(item)` for what was saved, or with the form's errors."""
    if form.is_valid():
        try:
            item = save(**form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
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
    project = _managed(request, project_id)
    choice = _choice(project, choice_id)
    restored = choice_restore(choice=choice)
    note = "" if restored.shortcut or not choice.shortcut else " without its key (now taken)"
    return _schema_response(request, project, message=f"Choice “{choice.label}” restored{note}.")

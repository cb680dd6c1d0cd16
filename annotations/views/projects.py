"""Project pages: the project list, creating a project, its settings, members and articles.

They call the same services as the API. Every form POSTs with CSRF and works without
JavaScript (redirect after success, the page again with errors and a 400 after a mistake).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.access import project_for_member
from annotations.forms import (
    ArticleFilterForm,
    ArticleScopeForm,
    MemberAddForm,
    MemberRoleForm,
    ProjectForm,
    ProjectSettingsForm,
)
from annotations.labelling.projects import (
    article_ids_visible,
    articles_for_scope,
    import_batches_visible,
    membership_remove,
    membership_set,
    project_articles_change,
    project_articles_set,
    project_create,
    project_list_rows,
    project_update,
)
from annotations.models import Membership, Project
from annotations.views.common import form_errors_add, guidelines_html

MANAGER = Membership.Role.MANAGER


ARTICLES_PER_PAGE = 50


def project_managed(request: HttpRequest, project_id: int) -> Project:
    """The project if the user manages it: a 404 for outsiders, a 403 for other members."""
    return project_for_member(request.user, project_id, MANAGER)[0]


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where logging in leads: someone who only annotates to their queue (the project list when
    they annotate in several), someone in no project to the project list (which says how to
    join one), staff, managers and reviewers to the articles."""
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    if request.user.is_staff or set(roles.values()) - {Membership.Role.ANNOTATOR}:
        return redirect("claims:article-list")
    if len(roles) == 1:
        return redirect("annotations:annotate", project_id=next(iter(roles)))
    return redirect("annotations:project-list")


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    rows = project_list_rows(user=request.user)
    return render(request, "annotations/project_list.html", {"rows": rows})


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
            form_errors_add(form, error)
        else:
            messages.success(
                request, f"Project “{project.name}” created. Now choose its articles and members."
            )
            return redirect("annotations:project-settings", project_id=project.id)
    status = 400 if form.is_bound else 200
    return render(request, "annotations/manage_project_new.html", {"form": form}, status=status)


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
    project = project_managed(request, project_id)
    if request.method == "GET":
        return _settings_page(request, project)
    form = ProjectSettingsForm(request.POST)
    if form.is_valid():
        try:
            project_update(project=project, **form.values())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("annotations:project-settings", project_id=project.id)
    project.refresh_from_db()
    return _settings_page(request, project, form=form, status=400)


@login_required
@require_POST
def member_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_managed(request, project_id)
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
                form_errors_add(form, error)
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
    project = project_managed(request, project_id)
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
    project = project_managed(request, project_id)
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


@login_required
@require_http_methods(["GET", "POST"])
def project_articles(request: HttpRequest, project_id: int) -> HttpResponse:
    """Choose the articles: all, one import batch, or by ticking them on a filtered page."""
    project = project_managed(request, project_id)
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

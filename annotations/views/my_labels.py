"""My labels: the quotes an annotator has skipped or submitted in a project, to go back to any
of them (reopen it on the annotator page) while a reviewer has not settled it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations.access import LABELLING_ROLES, project_for_member
from annotations.labelling.queue import assignment_reopen, my_items
from annotations.labelling.scope import quote_in_project
from annotations.models import Assignment, Project
from annotations.views.common import error_messages

STATUS_FILTERS = {
    "": "All",
    Assignment.Status.SKIPPED: "Skipped",
    Assignment.Status.SUBMITTED: "Submitted",
    Assignment.Status.ASSIGNED: "Open",
}


def _page(request: HttpRequest, project: Project, *, errors=(), status: int = 200):
    wanted = request.GET.get("status", "")
    wanted = wanted if wanted in STATUS_FILTERS else ""
    page, items, counts = my_items(
        project=project, annotator=request.user, status=wanted, page=request.GET.get("page")
    )
    filters = [
        {
            "value": value,
            "name": name,
            "count": counts.get(value) if value else sum(counts.values()),
            "current": value == wanted,
        }
        for value, name in STATUS_FILTERS.items()
    ]
    context = {
        "project": project,
        "page": page,
        "items": items,
        "filters": filters,
        "status": wanted,
        "errors": errors,
    }
    return render(request, "annotations/my_labels.html", context, status=status)


@login_required
@require_GET
def my_labels(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    return _page(request, project)


@login_required
@require_POST
def quote_reopen(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    quote = quote_in_project(project=project, quote_id=quote_id)
    if quote is None:
        return _page(request, project, errors=["No such quote in this project."], status=404)
    try:
        assignment_reopen(project=project, annotator=request.user, quote=quote)
    except ValidationError as error:
        return _page(request, project, errors=error_messages(error), status=400)
    messages.success(request, "Reopened: it is on your card now. Submit to save your answers.")
    return redirect("annotations:annotate", project_id=project.id)

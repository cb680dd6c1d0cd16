"""The dataset download from the project's dashboard: the same formats, options and stream as
the API's export (annotations.export), for reviewers and managers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.access import ADJUDICATING_ROLES, project_for_member
from annotations.export import FORMATS, dataset_size, export_request, export_response
from annotations.models import Membership, Project


def export_panel(
    *, project: Project, membership: Membership, questions: list[tuple[str, str]]
) -> dict | None:
    """What the dashboard's export form shows (None for annotators, who may not export):
    `questions` are the project's (key, name) in order, which the dashboard has read."""
    if membership.role not in ADJUDICATING_ROLES:
        return None
    quotes, with_gold = dataset_size(project=project)
    return {
        "formats": list(FORMATS.values()),
        "questions": questions,
        "quotes": quotes,
        "with_gold": with_gold,
        "can_unmask": membership.role == Membership.Role.MANAGER,
    }


@login_required
@require_GET
def export_download(request: HttpRequest, project_id: int) -> HttpResponse:
    """The download the form asks for: a 404 for outsiders, 403 for annotators (and for real
    names asked by a reviewer), 400 naming what is wrong with the options."""
    project, _ = project_for_member(request.user, project_id, *ADJUDICATING_ROLES)
    try:
        chosen, options = export_request(request.GET, project=project, user=request.user)
    except ValidationError as error:
        return render(
            request,
            "annotations/export_refused.html",
            {"project": project, "errors": error.message_dict},
            status=400,
        )
    return export_response(project=project, export_format=chosen, options=options)

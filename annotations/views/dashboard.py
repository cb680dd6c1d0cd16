"""The agreement dashboard: alpha per question, kappa per pair, each annotator's progress and
quality against gold, confusion per question, agreement by week; and, for reviewers and
managers, the dataset export form (views/export.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.access import ADJUDICATING_ROLES, project_for_member
from annotations.labelling.progress import project_progress
from annotations.labelling.review import project_agreement, quality_report
from annotations.views.export import export_panel


@login_required
@require_GET
def dashboard(request: HttpRequest, project_id: int) -> HttpResponse:
    project, membership = project_for_member(request.user, project_id)
    if project.blind_mode and membership.role not in ADJUDICATING_ROLES:
        raise PermissionDenied("In a blind project only reviewers and managers see agreement.")
    result = project_agreement(project=project)
    names = {a.annotator_id: a.username for a in result.annotators}
    dimensions = [
        {
            "agreement": d,
            "kappas": [
                {
                    "a": names.get(k.annotator_a, str(k.annotator_a)),
                    "b": names.get(k.annotator_b, str(k.annotator_b)),
                    "kappa": k,
                }
                for k in d.kappas
            ],
        }
        for d in result.dimensions
    ]
    quality = quality_report(project=project)
    context = {
        "project": project,
        "result": result,
        "dimensions": dimensions,
        "progress": project_progress(project=project),
        "export": export_panel(
            project=project,
            membership=membership,
            questions=[(d.key, d.name) for d in result.dimensions],
        ),
        "quality": quality,
        "quality_rows": [
            {
                "person": person,
                "questions": [
                    (d["agreement"].name, person.per_dimension.get(d["agreement"].key))
                    for d in dimensions
                ],
            }
            for person in quality.annotators
        ],
        "confusion": [
            {
                "matrix": matrix,
                "rows": [
                    (answer, [(count, row == column) for column, count in enumerate(counts)])
                    for row, (answer, counts) in enumerate(
                        zip(matrix.answers, matrix.counts, strict=True)
                    )
                ],
            }
            for matrix in quality.confusion
        ],
        "week_rows": [
            {
                "week": week,
                "alphas": [
                    (d["agreement"].name, week.alpha.get(d["agreement"].key)) for d in dimensions
                ],
            }
            for week in quality.weeks
        ],
    }
    return render(request, "annotations/dashboard.html", context)

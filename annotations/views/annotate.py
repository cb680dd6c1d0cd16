"""The annotator's page: the next quote on a card, answered with the keyboard.

Actions are POSTed by annotate.js with fetch (header X-Requested-With: fetch) and answered
with the card partial to swap in; without JavaScript the same forms work and redirect back.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations.access import LABELLING_ROLES, project_for_member
from annotations.forms import CommentForm, LabelsForm, QuoteRefForm
from annotations.labelling.comments import comment_list
from annotations.labelling.labels import label_save
from annotations.labelling.progress import annotator_progress, project_progress
from annotations.labelling.queue import assign_next_quote, assignment_skip, label_undo_last
from annotations.labelling.scope import quote_in_project
from annotations.models import Label, Project
from annotations.views.common import (
    dimensions_for_card,
    error_messages,
    guidelines_html,
    is_fetch,
    quote_paragraph,
)
from claims.models import Quote


def card_context(
    request: HttpRequest,
    project: Project,
    quote: Quote | None,
    *,
    form: LabelsForm | None = None,
    errors: list[str] | None = None,
    message: str = "",
    restorable: Quote | None = None,
    unanswered: list[str] = (),
) -> dict:
    dimensions = dimensions_for_card(project)
    picked: dict[str, set[str]] = {}
    note = ""
    if quote is not None:
        quote = quote_in_project(project=project, quote_id=quote.id) or quote
        if form is not None and form.is_bound:
            picked = {d.key: set(form.data.getlist(f"label-{d.key}")) for d in dimensions}
            note = form.data.get("note", "")
        else:
            mine = Label.objects.filter(
                project=project, quote=quote, annotator=request.user
            ).prefetch_related("choices")
            for label in mine:
                picked[label.dimension_id] = {choice.value for choice in label.choices.all()}
                note = note or label.note
            picked = {d.key: picked.get(d.id, set()) for d in dimensions}
    return {
        "project": project,
        "quote": quote,
        "paragraph": quote_paragraph(quote) if quote is not None else [],
        "dimensions": [
            {"dimension": d, "picked": picked.get(d.key, set()), "choices": list(d.choices.all())}
            for d in dimensions
        ],
        "note": note,
        "errors": errors or [],
        "unanswered": set(unanswered),
        "unanswered_message": unanswered_message(
            [d.name for d in dimensions if d.key in unanswered]
        ),
        "message": message,
        "restorable": restorable,
        "kinds": Quote.Kind.choices,
        "mine": annotator_progress(project=project, annotator=request.user),
        "progress": project_progress(project=project),
        "comments": list(comment_list(project=project, quote=quote)) if quote else [],
        "comment_form": CommentForm(),
    }


def unanswered_message(names: list[str]) -> str:
    """ "Answer Stance and Sourcing before submitting." (static/js/annotate.js says the same)."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Answer {listed} before submitting."


def card_response(request: HttpRequest, project: Project, context: dict, status: int = 200):
    if is_fetch(request):
        return render(request, "annotations/_annotate_card.html", context, status=status)
    if status == 200:
        return redirect("annotations:annotate", project_id=project.id)
    context["guidelines"] = guidelines_html(project.guidelines)
    return render(request, "annotations/annotate.html", context, status=status)


@login_required
@require_GET
def annotate(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    quote = assign_next_quote(project=project, annotator=request.user)
    context = card_context(request, project, quote)
    context["guidelines"] = guidelines_html(project.guidelines)
    return render(request, "annotations/annotate.html", context)


@login_required
@require_POST
def annotate_submit(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    form = LabelsForm(request.POST, dimensions=dimensions_for_card(project))
    quote = quote_in_project(
        project=project, quote_id=form.data.get("quote", "").isdigit() and int(form.data["quote"])
    )
    if quote is None:
        errors = ["This quote is no longer in the project; here is the next one."]
        next_quote = assign_next_quote(project=project, annotator=request.user)
        return card_response(
            request, project, card_context(request, project, next_quote, errors=errors), 400
        )
    if not form.is_valid():
        errors = [
            f"{field}: {message}" for field, found in form.errors.items() for message in found
        ]
        context = card_context(request, project, quote, form=form, errors=errors)
        return card_response(request, project, context, 400)
    try:
        label_save(
            project=project,
            quote=quote,
            annotator=request.user,
            labels=form.labels(),
            note=form.cleaned_data["note"],
            seconds=form.cleaned_data["seconds"],
        )
    except ValidationError as error:
        # Unanswered questions are marked and named on the card; anything else is listed.
        unanswered = [
            problem.params["dimension"]
            for problem in error.error_dict.get("labels", [])
            if problem.code == "required"
        ]
        messages = [
            message
            for field, problems in error.error_dict.items()
            for problem in problems
            if problem.code != "required"
            for message in problem.messages
        ]
        context = card_context(
            request, project, quote, form=form, errors=messages, unanswered=unanswered
        )
        return card_response(request, project, context, 400)
    next_quote = assign_next_quote(project=project, annotator=request.user)
    context = card_context(request, project, next_quote, message="Saved.")
    return card_response(request, project, context)


@login_required
@require_POST
def annotate_skip(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    form = QuoteRefForm(request.POST)
    quote = (
        quote_in_project(project=project, quote_id=form.cleaned_data["quote"])
        if form.is_valid()
        else None
    )
    errors, message = [], "Skipped. “My labels” lists it if you want to come back to it."
    if quote is None:
        errors = ["No such quote in this project."]
    else:
        try:
            assignment_skip(project=project, annotator=request.user, quote=quote)
        except ValidationError as error:
            errors = [m for ms in error.message_dict.values() for m in ms]
    next_quote = assign_next_quote(project=project, annotator=request.user)
    context = card_context(
        request, project, next_quote, errors=errors, message="" if errors else message
    )
    return card_response(request, project, context, 400 if errors else 200)


@login_required
@require_POST
def annotate_undo(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    try:
        quote = label_undo_last(project=project, annotator=request.user)
    except ValidationError as error:  # settled by a reviewer: stay where we were
        quote = assign_next_quote(project=project, annotator=request.user)
        context = card_context(request, project, quote, errors=error_messages(error))
        return card_response(request, project, context, 400)
    if quote is None:
        quote = assign_next_quote(project=project, annotator=request.user)
        context = card_context(request, project, quote, message="Nothing to undo.")
    else:
        context = card_context(
            request, project, quote, message="Your last submission is open again."
        )
    if not is_fetch(request):
        # The reopened quote is the open assignment, so the page shows it again.
        return redirect("annotations:annotate", project_id=project.id)
    return card_response(request, project, context)

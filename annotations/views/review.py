"""Review: quotes with disagreement, each annotator's answers side by side, gold set by key;
and the discussion thread on each quote.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations.access import ADJUDICATING_ROLES, project_for_member
from annotations.forms import CommentForm, GoldForm
from annotations.labelling.comments import comment_add, comment_list
from annotations.labelling.gold import gold_set
from annotations.labelling.review import review_queue
from annotations.labelling.scope import quote_in_project
from annotations.models import Choice, Comment, Dimension, Project
from annotations.views.common import dimensions_for_card, is_fetch, quote_paragraph

REVIEW_ITEMS_SHOWN = 25


@login_required
@require_POST
def comment_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project, membership = project_for_member(request.user, project_id)
    form = CommentForm(request.POST)
    quote = quote_in_project(
        project=project, quote_id=form.data.get("quote", "").isdigit() and int(form.data["quote"])
    )
    if quote is None:
        raise Http404("No such quote in this project.")
    status = 200
    if form.is_valid():
        try:
            comment_add(
                project=project, quote=quote, author=request.user, text=form.cleaned_data["text"]
            )
            form = CommentForm()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error("text" if field not in form.fields else field, messages)
            status = 400
    else:
        status = 400
    if not is_fetch(request):
        page = "annotations:review" if membership.role in ADJUDICATING_ROLES else None
        if page and request.POST.get("from") == "review":
            return redirect(page, project_id=project.id)
        return redirect("annotations:annotate", project_id=project.id)
    context = {
        "project": project,
        "quote": quote,
        "comments": list(comment_list(project=project, quote=quote)),
        "comment_form": form,
        "comment_from": request.POST.get("from", ""),
    }
    return render(request, "annotations/_comments.html", context, status=status)


def _review_items(project: Project, dimensions: list[Dimension], only: int | None = None):
    # Answers may use archived choices: look their labels up among every choice (one query);
    # gold is picked from the live ones only.
    labels_by_key: dict[str, dict[str, Choice]] = {d.key: {} for d in dimensions}
    key_of = {d.id: d.key for d in dimensions}
    for choice in Choice.objects.filter(dimension_id__in=key_of).order_by("order", "id"):
        labels_by_key[key_of[choice.dimension_id]][choice.value] = choice
    queue = review_queue(project=project, limit=None if only else REVIEW_ITEMS_SHOWN)
    if only is not None:
        queue = [item for item in queue if item.quote.id == only]
    # review_queue joins the article but not its outlet: fetch every outlet in one query.
    prefetch_related_objects([item.quote.article for item in queue], "outlet")
    items = []
    for item in queue:
        rows = []
        for dimension in dimensions:
            choices = labels_by_key[dimension.key]
            gold = item.gold.get(dimension.key)
            rows.append(
                {
                    "dimension": dimension,
                    "choices": list(dimension.choices.all()),
                    "answers": [
                        {
                            "by": entry.annotator.get_username(),
                            "choices": [
                                choices.get(v) or v for v in entry.values.get(dimension.key, [])
                            ],
                        }
                        for entry in item.annotators
                    ],
                    "gold": gold,
                    "gold_values": {c.value for c in gold.choices.all()} if gold else set(),
                    "open": dimension.key in item.disagreeing_dimensions,
                }
            )
        # label_save gives one note to every dimension's label: show each distinct note once.
        notes = [
            (entry.annotator, note)
            for entry in item.annotators
            for note in dict.fromkeys(entry.notes.values())
            if note
        ]
        items.append(
            {
                "item": item,
                "quote": item.quote,
                "rows": rows,
                "notes": notes,
                "paragraph": quote_paragraph(item.quote),
                "resolved": False,
            }
        )
    return items


@login_required
@require_GET
def review(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *ADJUDICATING_ROLES)
    dimensions = dimensions_for_card(project)
    items = _review_items(project, dimensions)
    quote_ids = [entry["item"].quote.id for entry in items]
    comments: dict[int, list] = {quote_id: [] for quote_id in quote_ids}
    # One query for every listed quote's discussion (comment_list takes one quote at a time).
    discussion = Comment.objects.filter(project=project, quote_id__in=quote_ids)
    for comment in discussion.select_related("author").order_by("created_at", "id"):
        comments[comment.quote_id].append(comment)
    for entry in items:
        entry["comments"] = comments[entry["item"].quote.id]
    context = {
        "project": project,
        "items": items,
        "dimensions": dimensions,
        "shown": REVIEW_ITEMS_SHOWN,
        "comment_form": CommentForm(),
    }
    return render(request, "annotations/review.html", context)


@login_required
@require_POST
def review_gold(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = project_for_member(request.user, project_id, *ADJUDICATING_ROLES)
    form = GoldForm(request.POST)
    quote = (
        quote_in_project(project=project, quote_id=form.cleaned_data["quote"])
        if form.is_valid()
        else None
    )
    errors = []
    if quote is None:
        raise Http404("No such quote in this project.")
    try:
        gold_set(
            project=project,
            quote=quote,
            dimension_key=form.cleaned_data["dimension"],
            values=form.cleaned_data["value"],
            reviewer=request.user,
        )
    except ValidationError as error:
        errors = [m for ms in error.message_dict.values() for m in ms]
    if not is_fetch(request):
        return redirect("annotations:review", project_id=project.id)
    dimensions = dimensions_for_card(project)
    entries = _review_items(project, dimensions, only=quote.id)
    # No entry left means every disagreement on the quote now has reviewer gold.
    entry = entries[0] if entries else {"item": None, "quote": quote, "resolved": True}
    entry["errors"] = errors
    entry["comments"] = list(comment_list(project=project, quote=quote))
    context = {"project": project, "entry": entry, "comment_form": CommentForm()}
    return render(request, "annotations/_review_item.html", context, status=400 if errors else 200)

"""Pages for labelling: the project list, the annotator's card, review, agreement dashboard.

They call the same services and selectors as the API. Actions are POSTed by annotate.js with
fetch (header X-Requested-With: fetch) and answered with a partial to swap in; without
JavaScript the same forms work and redirect back to the page. The annotator's quote fixes
(speaker, span, "not a quote", a missed quote) also take a JSON object as the body.
"""

import json
import re
from dataclasses import dataclass

import markdown
import nh3
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from annotations.forms import CommentForm, GoldForm, LabelsForm, QuoteRefForm
from annotations.models import Choice, Comment, Dimension, Label, Membership, Project
from annotations.permissions import (
    ADJUDICATING_ROLES,
    LABELLING_ROLES,
    project_for_member,
)
from annotations.selectors import (
    annotator_progress,
    comment_list,
    project_agreement,
    project_progress,
    quotes_in_project,
    review_queue,
)
from annotations.services import (
    assign_next_quote,
    assignment_skip,
    comment_add,
    gold_set,
    label_save,
    label_undo_last,
)
from claims.models import Quote, Speaker, SpeakerAlias
from claims.selectors import TextSegment, article_text_segments, speaker_list_visible
from claims.services import quote_create_manual, quote_update, speaker_get_or_create

REVIEW_ITEMS_SHOWN = 25
GUIDELINE_TAGS = {
    "a", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


# -- helpers --------------------------------------------------------------------------------------
def _project_for(request: HttpRequest, project_id: int, *roles: str) -> tuple[Project, Membership]:
    return project_for_member(request.user, project_id, *roles)


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or _is_json(request)


def _is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


def _dimensions(project: Project) -> list[Dimension]:
    live_choices = Choice.objects.filter(archived=False).order_by("order", "id")
    return list(
        project.dimensions.filter(archived=False)
        .order_by("order", "id")
        .prefetch_related(Prefetch("choices", queryset=live_choices))
    )


def _quote_in(project: Project, quote_id: int | None) -> Quote | None:
    if quote_id is None:
        return None
    return (
        quotes_in_project(project=project)
        .select_related("article__outlet", "speaker", "edited_by")
        .filter(id=quote_id)
        .first()
    )


def guidelines_html(text: str) -> str:
    """The project's Markdown guidelines as sanitised HTML (no scripts, handlers or styles)."""
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    return nh3.clean(html, tags=GUIDELINE_TAGS, attributes={"a": {"href", "title"}})


@dataclass
class PlacedSegment(TextSegment):
    """A segment and where it starts in the article text (in characters, as offsets count).

    The page marks each one with data-start, so a text selection maps back to exact offsets
    whatever marks the page puts around the text.
    """

    start: int = 0


def placed_segments(*, text: str, quotes: list[Quote]) -> list[PlacedSegment]:
    """The whole text split at every mark, each segment knowing its start offset."""
    placed, offset = [], 0
    for segment in article_text_segments(text=text, quotes=quotes):
        placed.append(PlacedSegment(segment.text, segment.classes, segment.quote_ids, offset))
        offset += len(segment.text)
    return placed


def quote_paragraph(quote: Quote) -> list[PlacedSegment]:
    """The paragraph(s) around the quote, split so the quote, speaker and cue can be marked."""
    text = quote.article.text
    spans = [(quote.content_start, quote.content_end)]
    if quote.speaker_start is not None:
        spans.append((quote.speaker_start, quote.speaker_end))
    if quote.cue_start is not None:
        spans.append((quote.cue_start, quote.cue_end))
    start = text.rfind("\n", 0, min(s for s, _ in spans)) + 1
    end = text.find("\n", max(e for _, e in spans))
    end = len(text) if end == -1 else end
    paragraph = []
    for segment in placed_segments(text=text, quotes=[quote]):
        seg_start, seg_end = segment.start, segment.start + len(segment.text)
        if seg_end <= start or seg_start >= end:
            continue
        clipped = segment.text[
            max(start - seg_start, 0) : len(segment.text) - max(seg_end - end, 0)
        ]
        paragraph.append(
            PlacedSegment(clipped, segment.classes, segment.quote_ids, max(start, seg_start))
        )
    return paragraph


# The project list is in views_manage.py, with the other project-level pages.


# -- annotating -----------------------------------------------------------------------------------
def _card_context(
    request: HttpRequest,
    project: Project,
    quote: Quote | None,
    *,
    form: LabelsForm | None = None,
    errors: list[str] | None = None,
    message: str = "",
    restorable: Quote | None = None,
) -> dict:
    dimensions = _dimensions(project)
    picked: dict[str, set[str]] = {}
    note = ""
    if quote is not None:
        quote = _quote_in(project, quote.id) or quote
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
        "message": message,
        "restorable": restorable,
        "kinds": Quote.Kind.choices,
        "mine": annotator_progress(project=project, annotator=request.user),
        "progress": project_progress(project=project),
        "comments": list(comment_list(project=project, quote=quote)) if quote else [],
        "comment_form": CommentForm(),
    }


def _card_response(request: HttpRequest, project: Project, context: dict, status: int = 200):
    if _is_fetch(request):
        return render(request, "annotations/_annotate_card.html", context, status=status)
    if status == 200:
        return redirect("annotations:annotate", project_id=project.id)
    context["guidelines"] = guidelines_html(project.guidelines)
    return render(request, "annotations/annotate.html", context, status=status)


@login_required
@require_GET
def annotate(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = assign_next_quote(project=project, annotator=request.user)
    context = _card_context(request, project, quote)
    context["guidelines"] = guidelines_html(project.guidelines)
    return render(request, "annotations/annotate.html", context)


@login_required
@require_POST
def annotate_submit(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    form = LabelsForm(request.POST, dimensions=_dimensions(project))
    quote = _quote_in(project, form.data.get("quote", "").isdigit() and int(form.data["quote"]))
    if not form.is_valid() or quote is None:
        errors = ["This quote is no longer in the project; here is the next one."]
        next_quote = assign_next_quote(project=project, annotator=request.user)
        return _card_response(
            request, project, _card_context(request, project, next_quote, errors=errors), 400
        )
    try:
        label_save(
            project=project,
            quote=quote,
            annotator=request.user,
            labels=form.labels(),
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        context = _card_context(request, project, quote, form=form, errors=messages)
        return _card_response(request, project, context, 400)
    next_quote = assign_next_quote(project=project, annotator=request.user)
    context = _card_context(request, project, next_quote, message="Saved.")
    return _card_response(request, project, context)


@login_required
@require_POST
def annotate_skip(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    form = QuoteRefForm(request.POST)
    quote = _quote_in(project, form.cleaned_data["quote"]) if form.is_valid() else None
    errors, message = [], "Skipped."
    if quote is None:
        errors = ["No such quote in this project."]
    else:
        try:
            assignment_skip(project=project, annotator=request.user, quote=quote)
        except ValidationError as error:
            errors = [m for ms in error.message_dict.values() for m in ms]
    next_quote = assign_next_quote(project=project, annotator=request.user)
    context = _card_context(
        request, project, next_quote, errors=errors, message="" if errors else message
    )
    return _card_response(request, project, context, 400 if errors else 200)


@login_required
@require_POST
def annotate_undo(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = label_undo_last(project=project, annotator=request.user)
    if quote is None:
        quote = assign_next_quote(project=project, annotator=request.user)
        context = _card_context(request, project, quote, message="Nothing to undo.")
    else:
        context = _card_context(
            request, project, quote, message="Your last submission is open again."
        )
    if not _is_fetch(request):
        # The reopened quote is the open assignment, so the page shows it again.
        return redirect("annotations:annotate", project_id=project.id)
    return _card_response(request, project, context)


# -- fixing quotes from the annotator's card ------------------------------------------------------
# A selection longer than this is not one quote but a slip of the mouse (or a script's mistake).
QUOTE_MAX_CHARS = 5_000
SPEAKER_NAME_MAX_CHARS = Speaker._meta.get_field("name").max_length
SPEAKER_RESULTS = 10
_WHOLE_NUMBER = re.compile(r"\s*[0-9]{1,12}\s*")


def _fix_input(request: HttpRequest) -> dict:
    """The POSTed fields, from a form or a JSON object; ValidationError on a malformed body."""
    if not _is_json(request):
        return {key: request.POST.get(key) for key in request.POST}
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"body": "The request body is not valid JSON."}) from None
    if not isinstance(data, dict):
        raise ValidationError({"body": 'Send a JSON object, e.g. {"start": 10, "end": 42}.'})
    return data


def _whole_number(data: dict, field: str, what: str) -> int | None:
    """A non-negative integer (or digits) from the input, None when absent or blank."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValidationError({field: f"The {what} must be a whole number, not {value!r}."[:200]})


def _span_input(data: dict, *, text: str) -> tuple[int, int]:
    """The selected [start, end) offsets, checked against the article text."""
    start = _whole_number(data, "start", "start of the selection")
    end = _whole_number(data, "end", "end of the selection")
    if start is None or end is None:
        raise ValidationError({"start": "Select the quote's text first (start and end)."})
    if start >= end:
        raise ValidationError(
            {"end": f"The selection is empty: it must end after it starts ({start}, {end})."}
        )
    if end > len(text):
        raise ValidationError(
            {"end": f"The selection ends at {end}, past the article's {len(text)} characters."}
        )
    if end - start > QUOTE_MAX_CHARS:
        raise ValidationError(
            {"end": f"A quote is at most {QUOTE_MAX_CHARS:,} characters; select less."}
        )
    if not text[start:end].strip():
        raise ValidationError({"start": "The selection holds only spaces; select the words."})
    return start, end


def _speaker_input(request: HttpRequest, data: dict, *, required: bool) -> Speaker | str | None:
    """A picked speaker (by id), else a name to find or create, else None when optional."""
    speaker_id = _whole_number(data, "speaker", "speaker id")
    if speaker_id is not None:
        speaker = speaker_list_visible(user=request.user).filter(id=speaker_id).first()
        if speaker is None:
            raise ValidationError({"speaker": f"There is no speaker {speaker_id} to pick."})
        return speaker
    name = data.get("name")
    if name is None and not required:
        return None
    if not isinstance(name, str):
        raise ValidationError({"name": "Pick a speaker from the list or type a name."})
    name = " ".join(name.split())
    if not name:
        if not required:
            return None
        raise ValidationError({"name": "The speaker's name is empty: pick one or type a name."})
    if len(name) > SPEAKER_NAME_MAX_CHARS:
        raise ValidationError(
            {"name": f"A speaker's name is at most {SPEAKER_NAME_MAX_CHARS} characters."}
        )
    return name


def _quote_for_fix(project: Project, quote_id: int) -> Quote:
    """A quote of the project's articles, rejected or not; 404 for any other."""
    article_ids = project.articles.values("id")
    quote = (
        Quote.objects.filter(id=quote_id, article_id__in=article_ids)
        .select_related("article")
        .first()
    )
    if quote is None:
        raise Http404("No such quote in this project.")
    return quote


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return list(error.messages)


def _fix_response(
    request: HttpRequest,
    project: Project,
    quote: Quote | None,
    *,
    message: str = "",
    error: ValidationError | None = None,
    restorable: Quote | None = None,
) -> HttpResponse:
    """The card again (the fixed quote, or the next one), with what happened or went wrong."""
    if quote is None or (quote.is_rejected and error is None):
        quote = assign_next_quote(project=project, annotator=request.user)
    context = _card_context(
        request,
        project,
        quote,
        errors=_errors(error) if error else None,
        message=message,
        restorable=restorable,
    )
    return _card_response(request, project, context, 400 if error else 200)


@login_required
@require_GET
def annotate_speakers(request: HttpRequest, project_id: int) -> HttpResponse:
    """Speakers whose name or alias contains ?q=, best first: names starting with it, then
    the most quoted. At most SPEAKER_RESULTS, as JSON for the card's speaker search."""
    _project_for(request, project_id, *LABELLING_ROLES)
    query = " ".join(request.GET.get("q", "").split())[:SPEAKER_NAME_MAX_CHARS]
    if not query:
        return JsonResponse({"results": []})
    aliased = SpeakerAlias.objects.filter(alias__icontains=query).values("speaker_id")
    speakers = (
        speaker_list_visible(user=request.user)
        .filter(Q(name__icontains=query) | Q(id__in=aliased))
        .annotate(
            starts=Case(
                When(name__istartswith=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "-quote_count", "name", "id")[:SPEAKER_RESULTS]
    )
    results = [
        {
            "id": speaker.id,
            "name": speaker.name,
            "kind": speaker.kind,
            "aliases": [alias.alias for alias in speaker.aliases.all()],
            "quotes": speaker.quote_count,
        }
        for speaker in speakers
    ]
    return JsonResponse({"results": results})


@login_required
@require_POST
def annotate_quote_speaker(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """Give the quote another speaker: one picked by id, or one found or created by name."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    try:
        choice = _speaker_input(request, _fix_input(request), required=True)
        with transaction.atomic():  # a new speaker only if the quote takes it
            speaker = choice if isinstance(choice, Speaker) else speaker_get_or_create(name=choice)
            quote = quote_update(quote=quote, editor=request.user, speaker=speaker)
    except ValidationError as error:
        return _fix_response(request, project, quote, error=error)
    return _fix_response(request, project, quote, message=f"The speaker is now {speaker.name}.")


@login_required
@require_POST
def annotate_quote_span(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """Make the selected text the quote's content."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    try:
        start, end = _span_input(_fix_input(request), text=quote.article.text)
        quote = quote_update(quote=quote, editor=request.user, content_start=start, content_end=end)
    except ValidationError as error:
        return _fix_response(request, project, quote, error=error)
    return _fix_response(request, project, quote, message="The quote's text is changed.")


@login_required
@require_POST
def annotate_quote_reject(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """Mark "not a quote": it leaves the queue for everyone; labels given stay stored."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    try:
        _fix_input(request)  # a malformed body is an error even where no field is needed
        quote = quote_update(quote=quote, editor=request.user, is_rejected=True)
    except ValidationError as error:
        return _fix_response(request, project, quote, error=error)
    return _fix_response(request, project, None, message="Marked not a quote.", restorable=quote)


@login_required
@require_POST
def annotate_quote_restore(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """Undo "not a quote": the quote is back in the queue, and on the card to label."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    try:
        _fix_input(request)
        quote = quote_update(quote=quote, editor=request.user, is_rejected=False)
    except ValidationError as error:
        return _fix_response(request, project, None, error=error)
    return _fix_response(request, project, quote, message="Restored: it is a quote again.")


@login_required
@require_POST
def annotate_quote_add(request: HttpRequest, project_id: int) -> HttpResponse:
    """Add a quote the extractor missed from a selection in one of the project's articles."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    current = None
    try:
        data = _fix_input(request)
        current_id = _whole_number(data, "quote", "current quote id")
        current = _quote_in(project, current_id)
        article_id = _whole_number(data, "article", "article id")
        article = project.articles.filter(id=article_id).first() if article_id else None
        if article is None:
            raise ValidationError({"article": "There is no such article in this project."})
        start, end = _span_input(data, text=article.text)
        kind = data.get("kind")
        if kind not in Quote.Kind.values:
            raise ValidationError({"kind": "Pick the kind of quote: direct, indirect or mixed."})
        choice = _speaker_input(request, data, required=False)
        with transaction.atomic():  # no new speaker without its quote
            speaker = speaker_get_or_create(name=choice) if isinstance(choice, str) else choice
            quote_create_manual(
                article=article,
                editor=request.user,
                kind=kind,
                content_start=start,
                content_end=end,
                speaker=speaker,
            )
    except ValidationError as error:
        return _fix_response(request, project, current, error=error)
    return _fix_response(
        request, project, current, message="Added the new quote; it joins the queue."
    )


@login_required
@require_GET
def annotate_quote_article(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """The quote's whole article, every quote marked, to select from (loaded on demand)."""
    project, _ = _project_for(request, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    quotes = list(quote.article.quotes.select_related("edited_by").order_by("content_start", "id"))
    segments = placed_segments(
        text=quote.article.text, quotes=[q for q in quotes if not q.is_rejected]
    )
    for segment in segments:
        if quote.id in segment.quote_ids:
            segment.classes = [*segment.classes, "is-current"]
    context = {
        "project": project,
        "quote": quote,
        "segments": segments,
        "rejected": [q for q in quotes if q.is_rejected],
    }
    return render(request, "annotations/_article_text.html", context)


# -- comments -------------------------------------------------------------------------------------
@login_required
@require_POST
def comment_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project, membership = _project_for(request, project_id)
    form = CommentForm(request.POST)
    quote = _quote_in(project, form.data.get("quote", "").isdigit() and int(form.data["quote"]))
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
    if not _is_fetch(request):
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


# -- review ---------------------------------------------------------------------------------------
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
                        [choices.get(v) or v for v in entry.values.get(dimension.key, [])]
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
    project, _ = _project_for(request, project_id, *ADJUDICATING_ROLES)
    dimensions = _dimensions(project)
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
    project, _ = _project_for(request, project_id, *ADJUDICATING_ROLES)
    form = GoldForm(request.POST)
    quote = _quote_in(project, form.cleaned_data["quote"]) if form.is_valid() else None
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
    if not _is_fetch(request):
        return redirect("annotations:review", project_id=project.id)
    dimensions = _dimensions(project)
    entries = _review_items(project, dimensions, only=quote.id)
    # No entry left means every disagreement on the quote now has reviewer gold.
    entry = entries[0] if entries else {"item": None, "quote": quote, "resolved": True}
    entry["errors"] = errors
    entry["comments"] = list(comment_list(project=project, quote=quote))
    context = {"project": project, "entry": entry, "comment_form": CommentForm()}
    return render(request, "annotations/_review_item.html", context, status=400 if errors else 200)


# -- dashboard ------------------------------------------------------------------------------------
@login_required
@require_GET
def dashboard(request: HttpRequest, project_id: int) -> HttpResponse:
    project, membership = _project_for(request, project_id)
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
    context = {
        "project": project,
        "result": result,
        "dimensions": dimensions,
        "progress": project_progress(project=project),
    }
    return render(request, "annotations/dashboard.html", context)

"""Fixing quotes from the annotator's card: speaker, span, "not a quote", a missed quote, and
the whole article to select from. Each takes a form or a JSON object as the body.
"""

import json
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from annotations.access import LABELLING_ROLES, project_for_member
from annotations.labelling.queue import assign_next_quote
from annotations.labelling.scope import quote_in_project
from annotations.models import Project
from annotations.views.annotate import card_context, card_response
from annotations.views.common import error_messages, is_json, placed_segments
from claims.models import Quote, Speaker, SpeakerAlias
from claims.selectors import speaker_list_visible
from claims.services.quotes import quote_create_manual, quote_update
from claims.services.speakers import speaker_get_or_create

SPEAKER_NAME_MAX_CHARS = Speaker._meta.get_field("name").max_length


SPEAKER_RESULTS = 10


_WHOLE_NUMBER = re.compile(r"\s*[0-9]{1,12}\s*")


def _fix_input(request: HttpRequest) -> dict:
    """The POSTed fields, from a form or a JSON object; ValidationError on a malformed body."""
    if not is_json(request):
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


def _span_input(data: dict) -> tuple[int, int]:
    """The selected [start, end) offsets (the quote services check them against the text)."""
    start = _whole_number(data, "start", "start of the selection")
    end = _whole_number(data, "end", "end of the selection")
    if start is None or end is None:
        raise ValidationError({"start": "Select the quote's text first (start and end)."})
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
    """A quote of the project, rejected or not (the card may restore it); 404 for any other."""
    quote = quote_in_project(project=project, quote_id=quote_id, include_rejected=True)
    if quote is None:
        raise Http404("No such quote in this project.")
    return quote


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
    context = card_context(
        request,
        project,
        quote,
        errors=error_messages(error) if error else None,
        message=message,
        restorable=restorable,
    )
    return card_response(request, project, context, 400 if error else 200)


@login_required
@require_GET
def annotate_speakers(request: HttpRequest, project_id: int) -> HttpResponse:
    """Speakers whose name or alias contains ?q=, best first: names starting with it, then
    the most quoted. At most SPEAKER_RESULTS, as JSON for the card's speaker search."""
    project_for_member(request.user, project_id, *LABELLING_ROLES)
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
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
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
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    quote = _quote_for_fix(project, quote_id)
    try:
        start, end = _span_input(_fix_input(request))
        quote = quote_update(quote=quote, editor=request.user, content_start=start, content_end=end)
    except ValidationError as error:
        return _fix_response(request, project, quote, error=error)
    return _fix_response(request, project, quote, message="The quote's text is changed.")


@login_required
@require_POST
def annotate_quote_reject(request: HttpRequest, project_id: int, quote_id: int) -> HttpResponse:
    """Mark "not a quote": it leaves the queue for everyone; labels given stay stored."""
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
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
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
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
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
    current = None
    try:
        data = _fix_input(request)
        current_id = _whole_number(data, "quote", "current quote id")
        current = quote_in_project(project=project, quote_id=current_id)
        article_id = _whole_number(data, "article", "article id")
        article = project.articles.filter(id=article_id).first() if article_id else None
        if article is None:
            raise ValidationError({"article": "There is no such article in this project."})
        start, end = _span_input(data)
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
    project, _ = project_for_member(request.user, project_id, *LABELLING_ROLES)
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

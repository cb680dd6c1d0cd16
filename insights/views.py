"""Pages for insights: search, speakers (with the merge door) and outlets, with their charts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotations.default_schema import DEFAULT_SCHEMA
from claims.models import Speaker, SpeakerMerge
from claims.selectors import speaker_list_visible
from claims.services.speakers import speaker_merge, speaker_merge_permitted, speaker_merge_undo
from insights.charts import RenderedChart, chart_csv, charts_render
from insights.figures import (
    CountTable,
    outlet_insights,
    outlet_quotes,
    outlet_sourcing_table,
    speaker_insights,
    speaker_quotes,
)
from insights.forms import SearchForm, SpeakerMergeForm
from insights.search import full_text_search_available, search
from insights.selectors import (
    insight_scope,
    outlet_get_visible,
    outlets_in_scope,
    outlets_visible,
    speaker_get_visible,
)

QUOTES_PER_PAGE = 50
SPEAKERS_PER_PAGE = 50
OUTLETS_PER_PAGE = 100
LABEL_OPTIONS = [
    (f"{spec['key']}:{value}", f"{spec['name']}: {label}")
    for spec in DEFAULT_SCHEMA
    for value, label, _help in spec["choices"]
]


def _csv_or_none(request: HttpRequest, tables: list[CountTable], stem: str) -> HttpResponse | None:
    """The CSV of the chart named by ?chart= when ?format=csv is asked for, else None."""
    wanted_format = request.GET.get("format", "html")
    if wanted_format == "html":
        return None
    if wanted_format != "csv":
        return HttpResponse(
            "Unknown format; use format=csv with chart=<name>.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    wanted = request.GET.get("chart", "")
    for table in tables:
        if table.key == wanted:
            response = HttpResponse(chart_csv(table), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}-{table.key}.csv"'
            return response
    names = ", ".join(table.key for table in tables) or "none"
    return HttpResponse(
        f"No chart {wanted!r} here; the charts are: {names}.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    scope = insight_scope(user=request.user)
    form = SearchForm(request.GET or None, scope=scope)
    context = {
        "form": form,
        "searched": False,
        "full_text": full_text_search_available(),
        "label_options": LABEL_OPTIONS,
        "kinds": form.fields["kind"].choices,
        "outlets": list(outlets_in_scope(scope=scope).values("id", "name")),
    }
    if not request.GET:
        return render(request, "insights/search.html", context)
    if not form.is_valid():
        return render(request, "insights/search.html", context, status=400)
    filters = form.filters()
    results = search(scope=scope, filters=filters)
    context.update(
        searched=True,
        filters=filters,
        page=results.quote_page(request.GET.get("page")),
        articles=results.first_articles(),
    )
    return render(request, "insights/search.html", context)


@login_required
def speaker_list(request: HttpRequest) -> HttpResponse:
    name = " ".join(request.GET.get("q", "").split())[:200]
    speakers = speaker_list_visible(user=request.user)
    if name:
        speakers = speakers.filter(name__icontains=name) | speakers.filter(
            aliases__alias__icontains=name
        )
        speakers = speakers.distinct()
    page = Paginator(speakers.order_by("-quote_count", "name", "id"), SPEAKERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "insights/speaker_list.html", {"page": page, "q": name})


def _speaker_get_or_404(request: HttpRequest, speaker_id: int) -> Speaker:
    speaker = speaker_get_visible(user=request.user, speaker_id=speaker_id)
    if speaker is None:
        raise Http404("No such speaker, or they are not quoted in any of your projects.")
    return speaker


def _speaker_page(
    request: HttpRequest,
    speaker: Speaker,
    *,
    merge_form: SpeakerMergeForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    insights = speaker_insights(user=request.user, speaker=speaker)
    if status == 200 and (csv := _csv_or_none(request, insights.tables, f"speaker-{speaker.id}")):
        return csv
    can_merge = speaker_merge_permitted(user=request.user)
    merges = []
    if can_merge:
        merge_form = merge_form or SpeakerMergeForm(user=request.user, target=speaker)
        merges = list(
            SpeakerMerge.objects.filter(target=speaker, undone_at__isnull=True).select_related(
                "merged_by"
            )[:20]
        )
    context = {
        "speaker": speaker,
        "insights": insights,
        "stance_charts": charts_render(insights.stance_tables),
        "sourcing_chart": RenderedChart(insights.sourcing_table),
        "page": Paginator(
            speaker_quotes(user=request.user, speaker=speaker), QUOTES_PER_PAGE
        ).get_page(request.GET.get("page")),
        "can_merge": can_merge,
        "merge_form": merge_form,
        "merges": merges,
        "error": error,
    }
    return render(request, "insights/speaker_detail.html", context, status=status)


@login_required
def speaker_detail(request: HttpRequest, speaker_id: int) -> HttpResponse:
    return _speaker_page(request, _speaker_get_or_404(request, speaker_id))


@login_required
@require_POST
def speaker_merge_into(request: HttpRequest, speaker_id: int) -> HttpResponse:
    """Fold the speaker named in the form into this one (POST from the speaker page)."""
    target = _speaker_get_or_404(request, speaker_id)
    if not speaker_merge_permitted(user=request.user):
        raise PermissionDenied("Only staff or a project manager may merge speakers.")
    form = SpeakerMergeForm(request.POST, user=request.user, target=target)
    if not form.is_valid():
        return _speaker_page(request, target, merge_form=form, status=400)
    source = form.cleaned_data["other"]
    try:
        speaker_merge(source=source, target=target, merged_by=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _speaker_page(request, target, merge_form=form, status=400)
    messages.success(request, f"Merged “{source.name}” into “{target.name}”. Undo it below.")
    return redirect("insights:speaker-detail", speaker_id=target.id)


@login_required
@require_POST
def speaker_merge_revert(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Undo a merge: the merged-away speaker comes back with exactly its quotes."""
    merge = SpeakerMerge.objects.filter(id=merge_id).first()
    target = (
        merge
        and merge.target_id
        and speaker_get_visible(user=request.user, speaker_id=merge.target_id)
    )
    if not target:
        raise Http404("No such merge among the speakers you can see.")
    if not speaker_merge_permitted(user=request.user):
        raise PermissionDenied("Only staff or a project manager may undo a merge.")
    try:
        source = speaker_merge_undo(merge=merge, undone_by=request.user)
    except ValidationError as error:
        return _speaker_page(request, target, error=" ".join(error.messages), status=400)
    messages.success(request, f"Undid the merge: “{source.name}” is back with its quotes.")
    return redirect("insights:speaker-detail", speaker_id=target.id)


@login_required
def outlet_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(outlets_visible(user=request.user), OUTLETS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    table = outlet_sourcing_table(user=request.user, outlets=list(page.object_list))
    if csv := _csv_or_none(request, [table], "outlets"):
        return csv
    shares = {
        row: (table.count(row, "anonymous"), table.count(row, "media-report"), total)
        for row, _counts, total in table.matrix
    }
    rows = [(outlet, shares.get(outlet.name)) for outlet in page.object_list]
    context = {"page": page, "rows": rows, "charts": charts_render([table])}
    return render(request, "insights/outlet_list.html", context)


@login_required
def outlet_detail(request: HttpRequest, outlet_id: int) -> HttpResponse:
    outlet = outlet_get_visible(user=request.user, outlet_id=outlet_id)
    if outlet is None:
        raise Http404("No such outlet, or none of its articles is in your projects.")
    insights = outlet_insights(user=request.user, outlet=outlet)
    if csv := _csv_or_none(request, insights.tables, f"outlet-{outlet.id}"):
        return csv
    context = {
        "outlet": outlet,
        "insights": insights,
        "charts": charts_render(insights.tables),
        "page": Paginator(
            outlet_quotes(user=request.user, outlet=outlet), QUOTES_PER_PAGE
        ).get_page(request.GET.get("page")),
    }
    return render(request, "insights/outlet_detail.html", context)

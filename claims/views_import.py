"""Pages for importing articles in the browser and watching their extraction, batch by batch."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import corpus_access
from claims.forms import ArticleImportForm
from claims.importing import ImportProblem, read_file_data, read_pasted_text
from claims.models import ImportBatch
from claims.selectors import (
    batch_get_visible,
    batch_items,
    batch_list_visible,
    batch_progress,
    import_permitted,
)
from claims.services.extraction_queue import extraction_requeue
from claims.services.import_batches import (
    import_batch_dispatch,
    import_batch_resume,
    import_batch_stage,
)
from config.background import run_after_response

BATCHES_PER_PAGE = 50
BATCH_ITEMS_PER_PAGE = 50


def _require_import_permission(request: HttpRequest) -> None:
    if not import_permitted(user=request.user):
        raise PermissionDenied(
            "Importing needs the manager role in a project (or an administrator)."
        )


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _render_form(
    request: HttpRequest,
    form: ArticleImportForm,
    *,
    status: int = 200,
    problems=(),
    error: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "problems": problems,
        "error": error,
        "max_size": _size(settings.IMPORT_MAX_BYTES),
    }
    return render(request, "claims/import.html", context, status=status)


# CSRF is checked in `_article_import_post`, after the size check: Django's CSRF middleware
# would otherwise read (and spool to disk) an oversized body before this view could refuse it.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def article_import(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    if request.method != "POST":
        return _render_form(
            request, ArticleImportForm.for_project(request.GET.get("project"), user=request.user)
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES:
        error = (
            f"The upload is {_size(length)}; one import takes at most "
            f"{_size(settings.IMPORT_MAX_BYTES)} (IMPORT_MAX_BYTES). "
            "Split the files over several imports."
        )
        return _render_form(request, ArticleImportForm(user=request.user), status=413, error=error)
    return _article_import_post(request)


@csrf_protect
def _article_import_post(request: HttpRequest) -> HttpResponse:
    form = ArticleImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    data = form.cleaned_data
    records = []
    for upload in data["files"]:
        records.extend(read_file_data(upload.name, upload.read()))
    if data["text"].strip():
        records.append(read_pasted_text(data["text"], title=data["title"]))
    urls = data["urls"]
    if not urls and all(isinstance(record, ImportProblem) for record in records):
        return _render_form(
            request,
            form,
            status=400,
            problems=records,
            error="Nothing was imported; the reasons are below.",
        )
    names = [upload.name for upload in data["files"]] + (["pasted text"] if data["text"] else [])
    names += urls[:3] + ([f"{len(urls) - 3} more URL(s)"] if len(urls) > 3 else [])
    try:
        target = corpus_access().import_target(request.user, data["project"])
        batch = import_batch_stage(
            records=records,
            urls=urls,
            name=data["name"].strip() or f"Upload: {', '.join(names)}",
            importer=request.user,
            target=target,
            outlet=data["outlet"].strip() or None,
        )
    except ValidationError as error:
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return _render_form(request, form, status=400)
    messages.success(
        request,
        f"Import started: {len(records)} record(s) and {len(urls)} URL(s). Each is listed "
        "below as it is stored, with the reason when it is not.",
    )
    # With a broker a worker stores the batch; without one, this process does, right after
    # the browser has its redirect.
    response = redirect("claims:batch-detail", batch_id=batch.id)
    return run_after_response(response, import_batch_dispatch(batch=batch))


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(batch_list_visible(user=request.user), BATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(batch, batch_progress(batch=batch)) for batch in page.object_list]
    context = {"page": page, "rows": rows, "can_import": import_permitted(user=request.user)}
    return render(request, "claims/batch_list.html", context)


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get_visible(user=request.user, batch_id=batch_id)
    if batch is None:
        raise Http404("No such import batch, or it is not yours.")
    problems_only = request.GET.get("show") == "problems"
    page = Paginator(
        batch_items(batch=batch, problems_only=problems_only), BATCH_ITEMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "progress": batch_progress(batch=batch),
        "page": page,
        "problems_only": problems_only,
        "stale_minutes": settings.EXTRACTION_STALE_MINUTES,
    }
    # htmx polls for the progress part alone while anything is pending or running.
    template = "claims/batch_progress.html" if request.htmx else "claims/batch_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def batch_retry(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = batch_get_visible(user=request.user, batch_id=batch_id)
    if batch is None:
        raise Http404("No such import batch, or it is not yours.")
    _require_import_permission(request)
    resumed = import_batch_resume(
        batches=ImportBatch.objects.filter(id=batch.id),
        stale_minutes=settings.EXTRACTION_STALE_MINUTES,
        retry_failed=True,
    )
    requeued = extraction_requeue(
        articles=batch.articles.all(), stale_minutes=settings.EXTRACTION_STALE_MINUTES
    )
    if resumed:
        messages.success(
            request, "Storing the waiting items again (and retrying passing failures)."
        )
    if requeued:
        messages.success(request, f"Extraction queued again for {len(requeued)} article(s).")
    if not resumed and not requeued:
        messages.info(request, "Nothing to retry: no article failed or is stuck.")
    return redirect("claims:batch-detail", batch_id=batch.id)

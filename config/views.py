"""Error pages: JSON under /api/, HTML elsewhere."""

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = "The database did not answer in time. Try again in a minute."


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found", "fields": {}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": "Server error.", "code": "server_error", "fields": {}}, status=500
        )
    return render(request, "500.html", status=500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        response = JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE, "code": "unavailable", "fields": {}}, status=503
        )
    else:
        response = render(request, "503.html", {"message": UNAVAILABLE_MESSAGE}, status=503)
    response["Retry-After"] = "60"
    return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached or cancelled a statement (DB_CONNECT_TIMEOUT_SECONDS,
    DB_STATEMENT_TIMEOUT_MS) is a 503 the client may retry, not a 500 — from pages and API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        return database_unavailable(request)

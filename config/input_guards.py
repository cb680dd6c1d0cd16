"""Input no view should ever see: NUL characters and JSON nested past any sane depth.

PostgreSQL refuses NUL in text (an error from deep inside a query, a 500) while SQLite stores
it, and Python's JSON parser recurses once per nesting level (a RecursionError near 1,000). Both
are refused here, once, before any view runs, so every door answers the same 400 on both
databases: `InputGuardMiddleware` for query strings, JSON bodies and page forms, the API's form
parsers (config/api.py) for API forms, `json_loads_bounded` for JSON read from files.
"""

import json
import re
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Claimlab's deepest input is three levels (a list of articles, the label answers: an object of
# lists). 32 leaves room for any client's wrapping and stays far below Python's recursion limit.
JSON_MAX_DEPTH = 32
NUL_MESSAGE = "NUL characters (\\u0000) are not allowed."

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# \u0000 preceded by an even number of backslashes: an escape, not an escaped backslash.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
_BRACKET_DEPTH = str.maketrans({"{": "[", "}": "]"})
_DEPTH_STEP = {"[": 1, "]": -1}


class InputRefused(ValueError):
    """Input refused before parsing; the message says why, for the caller to show."""


def json_problem(text: str) -> str | None:
    """Why this JSON text is refused before it is parsed (None if it is not)."""
    if "\x00" in text or ("\\u0000" in text and _NUL_ESCAPE.search(text)):
        return f"the body contains a NUL character; {NUL_MESSAGE}"
    if text.count("[") + text.count("{") <= JSON_MAX_DEPTH:
        return None  # too few brackets to nest that deep: the common case, no scan
    brackets = "".join(
        char for char in _STRING.sub("", text).translate(_BRACKET_DEPTH) if char in "[]"
    )
    if max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > JSON_MAX_DEPTH:
        return f"nested deeper than {JSON_MAX_DEPTH} levels"
    return None


def json_loads_bounded(text: str) -> Any:
    """json.loads for untrusted text: InputRefused for NUL or nesting past JSON_MAX_DEPTH,
    ValueError (json.JSONDecodeError) for malformed JSON."""
    if problem := json_problem(text):
        raise InputRefused(problem)
    try:
        return json.loads(text)
    except RecursionError:  # unbalanced brackets the depth count cannot see, e.g. "[[[[…"
        raise InputRefused(f"nested deeper than {JSON_MAX_DEPTH} levels") from None


def nul_field(fields: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first field (from QueryDict.lists()) whose name or a value holds NUL."""
    for name, values in fields:
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "\\u0000")
    return None


def _refused(request: HttpRequest, detail: str, *, code: str, field: str | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        fields = {field: [NUL_MESSAGE]} if field else {}
        return JsonResponse({"detail": detail, "code": code, "fields": fields}, status=400)
    return render(request, "400.html", {"message": detail}, status=400)


class InputGuardMiddleware:
    """A 400 for NUL characters in the query string, JSON bodies (also nested too deep) and the
    form fields of views under Django's CSRF check — for pages and API alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if field := nul_field(request.GET.lists()):
            detail = f"The query parameter {field!r} contains a NUL character. {NUL_MESSAGE}"
            return _refused(request, detail, code="invalid", field=field)
        if request.content_type == "application/json" and (problem := self._json_problem(request)):
            return _refused(
                request, f"JSON parse error - {problem}", code="parse_error", field=None
            )
        return self.get_response(request)

    @staticmethod
    def _json_problem(request: HttpRequest) -> str | None:
        try:
            text = request.body.decode("utf-8")
        except (RequestDataTooBig, UnicodeDecodeError):
            return None  # the view's parser answers these (413, or 400 not UTF-8)
        return json_problem(text)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Form fields are read only where Django's CSRF check reads them anyway (POSTs to views it
        # protects): the import page is exempt so that it can refuse an oversized upload before
        # anything reads it, and API views are exempt and parse their own bodies (config.api).
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        try:
            field = nul_field(request.POST.lists())
        except RequestDataTooBig:
            return None  # Django answers it when the view reads the form
        if field:
            detail = f"The field {field!r} contains a NUL character. {NUL_MESSAGE}"
            return _refused(request, detail, code="invalid", field=field)
        return None

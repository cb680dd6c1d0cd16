"""Conventions shared by every API endpoint: the error shape and cursor pagination."""

import datetime
import re

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_ID = re.compile(r"[0-9]{1,19}")


class IdCursorPagination(CursorPagination):
    """Stable pages over a growing table: the cursor follows the id, newest first."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):
        """DRF's cursor, whose position must be an id: a cursor edited into anything else
        ("p=abc", an id past 64 bits) points nowhere, a 404 like any other invalid cursor."""
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor else None
        if position is not None and not (_ID.fullmatch(position) and int(position) <= MAX_ID):
            raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor


def _fields_of(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    return {}


def _fields_of_items(details: list) -> dict:
    """Errors of a list input, keyed by item: {"1.text": [...]}."""
    fields = {}
    for index, item in enumerate(details):
        if isinstance(item, dict):
            fields.update({f"{index}.{key}": _messages(value) for key, value in item.items()})
        elif item:
            fields.setdefault("non_field_errors", []).extend(_messages(item))
    return fields


def _messages(value) -> list:
    if isinstance(value, list):
        return [item if isinstance(item, dict | list) else str(item) for item in value]
    if isinstance(value, dict):
        return [_fields_of(value)]
    return [str(value)]


def exception_handler(exc, context):
    """Every error as {"detail": message, "code": code, "fields": {field: [messages]}}.

    Django's ValidationError (raised by services), PermissionDenied and Http404 get the same
    shape as DRF's own errors, and a database integrity error caused by input is a 409, not a
    500. A body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses to read it) is a 413.
    """
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {
                "detail": f"The request body is over the limit of {limit} bytes "
                "(DATA_UPLOAD_MAX_MEMORY_SIZE); send fewer or shorter items per request.",
                "code": "too_large",
                "fields": {},
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            {
                "detail": "The change conflicts with existing data.",
                "code": "conflict",
                "fields": {},
            },
            status=status.HTTP_409_CONFLICT,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields_of(exc.detail)
        if isinstance(exc.detail, list):
            fields = _fields_of_items(exc.detail)
        first = next(iter(fields.values()), ["Invalid input."])[0]
        message = first if isinstance(first, str) else "Invalid input."
        response.data = {"detail": message, "code": "invalid", "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code, "fields": {}}
    return response


# Bounds that keep a huge number in a request from overflowing a database integer (a 500):
# ids are 64-bit (BigAutoField), character offsets 32-bit (PositiveIntegerField).
MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def offset_field(*, min_value: int = 0, **kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=min_value, max_value=MAX_OFFSET, **kwargs)


def query_id(params, name: str) -> int | None:
    """An optional id from the query string; anything but a whole number in range is a 400."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise exceptions.ValidationError({name: [f"{raw!r} is not a valid id."]})
    return int(raw)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time compared in UTC: any offset Python accepts is then valid SQL too
    (PostgreSQL refuses offsets beyond ±15:59)."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return super().filter(qs, value)


class IdFilter(django_filters.NumberFilter):
    """An id in a query string: a whole number in the database's range, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

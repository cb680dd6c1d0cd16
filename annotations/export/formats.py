"""The export formats, listed once: the API, the management command and the project page all
read FORMATS. And how a request asks for an export (format and options), for every door."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse

from annotations.access import require_role
from annotations.export.docbin import docbin
from annotations.export.encoding import DatasetExporter
from annotations.export.reading import ExportOptions
from annotations.models import Membership, Project


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the `format` parameter
    title: str  # what people read
    content_type: str
    extension: str
    # Streams: written as pieces of text while the quotes are read, in flat memory. Otherwise
    # built in memory and returned as bytes.
    streams: bool
    write: Callable[[DatasetExporter], Iterator[str] | bytes]


FORMATS: dict[str, ExportFormat] = {
    export_format.name: export_format
    for export_format in (
        ExportFormat(
            "jsonl",
            "JSON Lines",
            "application/x-ndjson; charset=utf-8",
            "jsonl",
            True,
            DatasetExporter.jsonl_stream,
        ),
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8", "csv", True, DatasetExporter.csv),
        ExportFormat("spacy", "spaCy DocBin", "application/octet-stream", "spacy", False, docbin),
    )
}
DEFAULT_FORMAT = "jsonl"


def export_format(name: str) -> ExportFormat:
    """The format called `name`; a ValidationError naming the formats otherwise."""
    found = FORMATS.get(name)
    if found is None:
        raise ValidationError(
            {"format": f"Unknown format {name!r}: use one of {', '.join(FORMATS)}."}
        )
    return found


def _flag(params: Mapping, name: str, default: bool) -> bool:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValidationError({name: f"{raw!r} is not a boolean (use true or false)."})


def _fraction(params: Mapping, name: str) -> float | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError({name: f"{raw!r} is not a number."}) from None
    if not 0.0 <= value <= 1.0:  # NaN fails too
        raise ValidationError({name: "Use a number from 0 to 1."})
    return value


def export_request(
    params: Mapping, *, project: Project, user: AbstractBaseUser
) -> tuple[ExportFormat, ExportOptions]:
    """The format and options a request's parameters ask for (format, gold_only, dimension,
    min_agreement, pseudonymise), checked: a ValidationError naming the parameter, or
    PermissionDenied for real names asked by anyone but a manager."""
    chosen = export_format(params.get("format") or DEFAULT_FORMAT)
    options = ExportOptions(
        gold_only=_flag(params, "gold_only", False),
        dimension=params.get("dimension") or None,
        min_agreement=_fraction(params, "min_agreement"),
        pseudonymise=_flag(params, "pseudonymise", True),
    )
    if not options.pseudonymise:
        require_role(user, project, Membership.Role.MANAGER)
    if options.dimension and not project.dimensions.filter(key=options.dimension).exists():
        raise ValidationError({"dimension": f"No dimension {options.dimension!r}."})
    return chosen, options


def export_response(
    *, project: Project, export_format: ExportFormat, options: ExportOptions
) -> HttpResponse:
    """The download: streamed for a streaming format, else the bytes in one response."""
    exporter = DatasetExporter(project=project, options=options)
    written = export_format.write(exporter)
    if export_format.streams:
        response = StreamingHttpResponse(written, content_type=export_format.content_type)
    else:
        response = HttpResponse(written, content_type=export_format.content_type)
    filename = f"claimlab-project-{project.id}.{export_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The labelled dataset: one record per quote, in the formats of formats.FORMATS.

reading (rows from the database, a chunk at a time), encoding (JSONL and CSV records),
docbin (spaCy), card (the dataset card and what each field means), formats (the one table
of formats, and how a request asks for an export).
"""

from annotations.export.card import RECORD_FIELDS, dataset_card, dataset_size
from annotations.export.docbin import docbin
from annotations.export.encoding import DatasetExporter, item_agreement
from annotations.export.formats import (
    DEFAULT_FORMAT,
    FORMATS,
    ExportFormat,
    export_format,
    export_request,
    export_response,
)
from annotations.export.reading import ExportOptions, annotator_pseudonym

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "RECORD_FIELDS",
    "DatasetExporter",
    "ExportFormat",
    "ExportOptions",
    "annotator_pseudonym",
    "dataset_card",
    "dataset_size",
    "docbin",
    "export_format",
    "export_request",
    "export_response",
    "item_agreement",
]

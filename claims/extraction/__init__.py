"""Quote extraction: news text in, direct/indirect/mixed quotes with speakers and offsets out.

A pure library (spaCy, no Django): offsets always index the exact text passed in.
"""

from claims.extraction.cues import SCOPE_ALL, SCOPE_CLAIMS, SCOPES
from claims.extraction.extractor import (
    extract_quotes,
    extract_quotes_many,
    quotes_from_doc,
    resolve_speakers,
)
from claims.extraction.names import canonical_speaker_name
from claims.extraction.pipeline import load_pipeline
from claims.extraction.types import ExtractedQuote, ResolvedSpeaker, TextSpan

# Bump whenever the output for the same text may change (stored quotes record it).
EXTRACTOR_VERSION = "2.5.2"

__all__ = [
    "EXTRACTOR_VERSION",
    "SCOPES",
    "SCOPE_ALL",
    "SCOPE_CLAIMS",
    "ExtractedQuote",
    "ResolvedSpeaker",
    "TextSpan",
    "canonical_speaker_name",
    "extract_quotes",
    "extract_quotes_many",
    "load_pipeline",
    "quotes_from_doc",
    "resolve_speakers",
]

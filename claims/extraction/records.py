"""Flat JSON-ready records of extracted quotes (the shape the quote scorer reads)."""

from claims.extraction.types import ExtractedQuote, TextSpan


def _offsets(span: TextSpan | None, name: str) -> dict:
    if span is None:
        return {f"{name}_start": None, f"{name}_end": None}
    return {f"{name}_start": span.start, f"{name}_end": span.end}


def quote_record(quote: ExtractedQuote, *, file: str) -> dict:
    """One quote as a flat dict: offsets and texts of content, speaker mention and cue, the
    canonical speaker and its kind."""
    return {
        "file": file,
        "kind": quote.kind,
        "content_start": quote.content.start,
        "content_end": quote.content.end,
        "content": quote.content.text,
        **_offsets(quote.speaker_mention, "speaker"),
        "speaker_mention": quote.speaker_mention.text if quote.speaker_mention else None,
        "speaker": quote.speaker,
        "speaker_kind": quote.speaker_kind,
        **_offsets(quote.cue, "cue"),
        "cue": quote.cue.text if quote.cue else None,
    }

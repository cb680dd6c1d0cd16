"""Helpers shared by the extraction tests."""

from claims.extraction import ExtractedQuote


def quote_with_cue(quotes: list[ExtractedQuote], cue: str) -> ExtractedQuote:
    """The one quote whose cue is `cue` (fails, listing the quotes, unless there is exactly one)."""
    matches = [quote for quote in quotes if quote.cue is not None and quote.cue.text == cue]
    assert len(matches) == 1, quotes
    return matches[0]

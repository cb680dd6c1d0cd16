"""Cells of CSV files people open in a spreadsheet: one rule for every CSV we write.

A cell that starts like a formula (= + - @, and | % for old Excel) would be run by the
spreadsheet — `=HYPERLINK(…)` sends the reader to a site, DDE formulas run commands. The
maintained rule is defusedcsv's: such a cell is written as text, behind a leading apostrophe
(negative numbers stay numbers). defusedcsv 3.0.0 leaves a leading tab or carriage return alone,
which OWASP's CSV-injection guidance also lists (some spreadsheets drop the whitespace and read
what follows as a formula), so those get the same apostrophe here.

The dataset export writes most of its CSV text itself for speed (annotations/export/encoding.py),
so it calls `spreadsheet_cell` on each text cell rather than defusedcsv's writer.
"""

from defusedcsv.csv import _escape as defusedcsv_escape

_WHITESPACE_STARTS = ("\t", "\r")
# The first characters defusedcsv acts on (its _escape), and ours. Any other text is left as it
# is, without the call: the dataset export passes every quote's text here.
# tests/test_spreadsheets.py holds this to defusedcsv's own answer.
RISKY_STARTS = frozenset("=+-@|%") | frozenset(_WHITESPACE_STARTS)


def spreadsheet_cell(value: str) -> str:
    """The text as a spreadsheet should show it: never the start of a formula."""
    start = value[:1]
    if start not in RISKY_STARTS:
        return value
    if start in _WHITESPACE_STARTS:
        return "'" + value
    return defusedcsv_escape(value)


def spreadsheet_row(values) -> list:
    """A CSV row's cells with every text cell made safe (numbers and None as they are)."""
    return [spreadsheet_cell(value) if isinstance(value, str) else value for value in values]

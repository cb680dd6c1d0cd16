"""Pairing quotation marks into quoted stretches of text, straight or curly, across paragraphs."""

import re
from dataclasses import dataclass

OPENING = "“„«"
CLOSING = "”»"
STRAIGHT = '"'
# Two apostrophes stand for a straight double mark in some archives (the NYT's ''…'').
_MARKS = re.compile(r"[“”„«»\"\n]|'''?")


@dataclass(frozen=True, slots=True)
class Quoted:
    """One quoted stretch: ``outer`` includes the marks, ``inner`` is what was said."""

    outer_start: int
    outer_end: int
    inner_start: int
    inner_end: int
    closed: bool
    # Where an attribution interrupts the quote ("“A,” he said, “B.”"), if one does.
    aside_start: int = -1
    aside_end: int = -1

    def in_aside(self, position: int) -> bool:
        return self.aside_start <= position < self.aside_end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _opens_at(text: str, position: int) -> bool:
    return text[position] in OPENING + STRAIGHT or text.startswith("''", position)


def _next_paragraph_opens_quote(text: str, newline: int) -> int | None:
    """Where the next paragraph's opening mark is, if it starts with one (continued quote)."""
    position = newline
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    if position < length and _opens_at(text, position):
        return position
    return None


def _straight_opens(text: str, position: int, end: int) -> bool:
    """A straight mark opens when it follows a space or bracket and precedes a non-space."""
    before = text[position - 1] if position else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def find_quoted(text: str) -> list[Quoted]:
    """All quoted stretches in order. Linear in the text.

    Newspaper convention: a quote running over several paragraphs repeats the opening mark at
    each new paragraph and closes only at the end; one without a closing mark at all ends with
    its paragraph.
    """
    found: list[Quoted] = []
    open_at: int | None = None
    content_from = 0
    continued_mark: int | None = None  # opening mark of a continuation paragraph, to skip
    for match in _MARKS.finditer(text):
        position = match.start()
        mark = match.group()
        if mark.startswith("'"):
            mark = STRAIGHT
        if mark == "\n":
            if open_at is None:
                continue
            if continued_mark is not None and position < continued_mark:
                continue
            continued_mark = _next_paragraph_opens_quote(text, position)
            if continued_mark is None:
                start, end = _strip(text, content_from, position)
                if end > start:
                    found.append(Quoted(open_at, end, start, end, closed=False))
                open_at = None
            continue
        if position == continued_mark:
            continued_mark = None
            continue
        if open_at is None:
            if mark in OPENING or (
                mark == STRAIGHT and _straight_opens(text, position, match.end())
            ):
                open_at, content_from = position, match.end()
            continue
        if mark in CLOSING or mark == STRAIGHT:
            start, end = _strip(text, content_from, position)
            if end > start:
                found.append(Quoted(open_at, match.end(), start, end, closed=True))
            open_at = None
        elif mark in OPENING:
            # A second opening mark on the same paragraph: the first one was never closed.
            open_at, content_from = position, match.end()
    if open_at is not None:
        start, end = _strip(text, content_from, len(text))
        if end > start:
            found.append(Quoted(open_at, end, start, end, closed=False))
    return found

"""Pairing quotation marks into quoted stretches of text (straight or curly, across paragraphs),
and joining a quote split around its attribution ("“A,” he said, “B.”")."""

import re
from dataclasses import dataclass, replace

from claims.extraction.lexicon import PERSON_TITLES, VERB_FORMS

OPENING = "“„«"
CLOSING = "”»"
STRAIGHT = '"'
# Two apostrophes stand for a straight double mark in some archives (the NYT's ''…'').
_MARKS = re.compile(r"[“”„«»\"\n]|'''?")
# Longest "…,” said X, a voter from Y. “…" aside that still joins the two halves of a quote.
MAX_ASIDE_CHARS = 200
_WORD = re.compile(r"\w+")


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
    its paragraph. A text that quotes with single marks only (British and Australian style,
    'like this' or ‘like this’) is paired as if they were double ones.
    """
    return _pair_marks(_single_marks_as_double(text) or text)


# Single marks: an opening one after a space, a bracket, a dash or a line start and before a
# letter, a digit or a mark; a closing one after a letter, a digit or punctuation and before a
# space, punctuation or the end. An apostrophe inside a word ("don't", "Clinton's") is
# neither; nor one opening an elision or a year ("'em", "'90s").
SINGLE_OPENING = re.compile(r"(?:(?<=^)|(?<=[\s(\[{—–-]))['‘](?=[^\W\d_]|[\d][^0-9s]|[“\"])", re.M)
# Not closing: a plural's possessive before a lower-case word ("the parents' rights"), the
# end of an elision ("rock 'n' roll").
SINGLE_CLOSING = re.compile(
    r"(?<!['‘’][nN])(?<=[\w.,!?;:…%)—–-])['’](?!(?<=s['’]) [a-z])(?=[\s.,;:!?)\]—–-]|$)"
)
_DOUBLE_MARKS = re.compile(r"[“”„«»\"]|''")
_ELISIONS = re.compile(r"['‘](?:em|til|cause|n|tis|twas)\b", re.I)


def _single_marks_as_double(text: str) -> str | None:
    """The text with its single quotation marks written as double ones (same length, so every
    offset holds), when it has no double marks at all and pairs single ones; else None."""
    if _DOUBLE_MARKS.search(text):
        return None
    elisions = {match.start() for match in _ELISIONS.finditer(text)}
    opening = [m.start() for m in SINGLE_OPENING.finditer(text) if m.start() not in elisions]
    if not opening:
        return None
    closing = [match.start() for match in SINGLE_CLOSING.finditer(text)]
    marked = list(text)
    pending: int | None = None
    openings, closings = iter(opening), iter(closing)
    next_open, next_close = next(openings, None), next(closings, None)
    paired = 0
    while next_open is not None or next_close is not None:
        if next_close is None or (next_open is not None and next_open < next_close):
            if pending is None or "\n" in text[pending:next_open]:
                pending = next_open  # a mark left open at a paragraph's end is dropped
            next_open = next(openings, None)
            continue
        if pending is not None and "\n" not in text[pending:next_close]:
            marked[pending], marked[next_close] = "“", "”"
            paired += 1
            pending = None
        next_close = next(closings, None)
    return "".join(marked) if paired else None


def _pair_marks(text: str) -> list[Quoted]:
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


def merge_split_quotes(text: str, quoted: list[Quoted]) -> list[Quoted]:
    """Join "“A,” he said, “B.”" into one quote: the attribution sits inside its span.

    One quote keeps the statement whole (as PolNeAR's discontinuous spans do); the cue and
    speaker still point at "said" and "he". Also joins "“A,” he said. “B.”" in one paragraph.
    """
    merged: list[Quoted] = []
    for item in quoted:
        if merged:
            previous = merged[-1]
            between = text[previous.outer_end : item.outer_start]
            last_said = text[previous.inner_end - 1 : previous.inner_end]
            if (
                previous.closed
                and "\n" not in between
                and last_said in ",?!—-"
                and len(between) < MAX_ASIDE_CHARS
                and any(word.lower() in VERB_FORMS for word in _WORD.findall(between))
                and not _second_report(between)
                and not _runs_into(between)
                and not _handed_on(text, item)
                and not _answered(between, last_said)
            ):
                said = (previous.inner_end - previous.inner_start) + (
                    item.inner_end - item.inner_start
                )
                if len(between) > said:
                    # A long aside would swamp the quote: keep two quotes, the second one
                    # attributed through the aside.
                    merged.append(
                        replace(item, aside_start=previous.outer_end, aside_end=item.outer_start)
                    )
                    continue
                merged[-1] = Quoted(
                    previous.outer_start,
                    item.outer_end,
                    previous.inner_start,
                    item.inner_end,
                    item.closed,
                    previous.outer_end,
                    item.outer_start,
                )
                continue
        merged.append(item)
    return merged


def _answered(between: str, last_said: str) -> bool:
    """ "“Are you going to resign?” He replied: “No.”": a question or exclamation, then an
    aside ending in a colon, which introduces the second quote as an answer of its own."""
    return last_said in ("?", "!") and between.rstrip().endswith(":")


def _handed_on(text: str, item: Quoted) -> bool:
    """ "“A,” said X. “B,” added Y.": a second quote ending with a comma, followed by more
    words on its line, is handed to an attribution of its own, not the rest of A."""
    if not item.closed or text[item.inner_end - 1 : item.inner_end] != ",":
        return False
    line_end = text.find("\n", item.outer_end)
    rest = text[item.outer_end : line_end if line_end != -1 else len(text)]
    return bool(_WORD.search(rest))


def _runs_into(between: str) -> bool:
    """ "“A,” he said on CNN's “State of the Union”", "…,” adding that she is “B”": an aside
    that runs straight into the second quote, with no comma, colon or sentence end before it,
    quotes a title or a fragment of its own sentence, not the rest of A."""
    last = between.rstrip()[-1:]
    return last.isalnum() or last in "’')"


# A sentence end in running text: "?" or "!", or a "." after a word ("said.", "Monday.", not
# "Sen." or "U.S."), then a space.
_SENTENCE_END = re.compile(r"(?:\b(?P<word>[\w'’-]+)\.|[?!])[”\"’']?\s+")


def _second_report(between: str) -> bool:
    """ "“A,” Bob said. Eyebrows raised, he asked, “B”": text after a sentence end in the aside
    means B is introduced on its own, not the second half of A."""
    rest = None
    for match in _SENTENCE_END.finditer(between):
        word = match.group("word")
        if word is None or (len(word) > 1 and word.lower() + "." not in PERSON_TITLES):
            rest = between[match.end() :]
    return rest is not None and bool(_WORD.search(rest))

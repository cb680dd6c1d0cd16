"""One article as the extraction rules see it: its parse, quotation marks and entities indexed
for lookups by character offset, and the draft quotes built from them.

Everything works on character offsets into the text spaCy was given, which is the original
article text: nothing is normalised, so ``text[start:end]`` is always the span's text.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claims.extraction.cues import SCOPE_ALL, CueModel
from claims.extraction.quotemarks import SINGLE_CLOSING, SINGLE_OPENING, Quoted

# A first line up to this long (followed by a line break) is a headline.
HEADLINE_CHARS = 250

_NAMED_ENTITIES = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")
_LEADING_FILLERS = frozenset(
    ["however", "though", "meanwhile", "also", "moreover", "furthermore", "but", "and"]
)
QUOTE_CHARS = "“”„«»\"'‘’"
_WORD = re.compile(r"\w+")
# A paragraph opening "WASHINGTON —", "New York (AFP) –" or "LONDON (Reuters) -".
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][\w.'’-]*(?:,?[ \t]+[A-Z][\w.'’-]*){0,4})"
    # "BRUSSELS, March 3 (Reuters) -": a wire dateline's date.
    r"(?:,[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"
    r"(?P<agency>[ \t]*\([\w .&-]{1,30}\))?[ \t]*(?:—|–|--|-)[ \t]",
    re.MULTILINE,
)
_BYLINE = re.compile(r"^[ \t]*By[ \t]+[A-Z][^\n]{0,80}$", re.MULTILINE)


@dataclass(slots=True)
class Mention:
    """A speaker mention as the resolver sees it."""

    start: int
    text: str
    head: str  # lower-cased head word
    name: str  # canonical name in the mention, "" if none
    entity_label: str  # NER label of the name, "" if unknown
    is_subject: bool = True


@dataclass(slots=True)
class Draft:
    """A quote being built: offsets into the text, and the speaker mention as parsed."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    mention: Mention | None
    confidence: float
    named: bool = True  # False: the source is too uncertain to give it a name
    # True: the text's layout settles the source ("“…,” Name, role, wrote"), or it is no one
    # in the sentence ("Asked whether …, Reeves replied"): the source selector leaves it as
    # the rules found it.
    settled: bool = False


def no_speaker_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of datelines and bylines: nobody there is a speaker."""
    ranges = []
    for match in _DATELINE.finditer(text):
        place = match.group("place")
        first_word = place.split()[0].strip(",.")
        if match.group("agency") or (len(first_word) > 1 and first_word.isupper()):
            ranges.append((match.start("place"), match.end()))
    ranges.extend(match.span() for match in _BYLINE.finditer(text))
    return sorted(ranges)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class ArticleDoc:
    """One document being worked on: its quotes, tokens and entities, indexed for lookups."""

    def __init__(
        self, doc: Doc, quoted: list[Quoted], cue_model: CueModel | None, scope: str = SCOPE_ALL
    ) -> None:
        self.doc = doc
        self.scope = scope
        self.text = doc.text
        self.quoted = quoted
        self.cue_model = cue_model
        self.quote_starts = [item.outer_start for item in quoted]
        self.token_starts = [token.idx for token in doc]
        first_line = self.text.find("\n")
        # A first line this short is the headline: its cues read differently.
        self.headline_end = self.token_at(first_line) if 0 < first_line <= HEADLINE_CHARS else 0
        self.no_speaker = no_speaker_ranges(self.text)
        self._sentences: tuple[list[int], list[int], list[bool]] | None = None
        self.entity_of: dict[int, Span] = {}
        for entity in doc.ents:
            if entity.label_ in _NAMED_ENTITIES:
                for token in entity:
                    self.entity_of[token.i] = entity

    def sentence_of(self, index: int) -> tuple[int, int, bool]:
        """The sentence around token ``index``: its first token, the token after it, and
        whether it holds a quotation mark (one pass over the sentences, on first use)."""
        if self._sentences is None:
            starts, ends, quoted = [], [], []
            for sentence in self.doc.sents:
                starts.append(sentence.start)
                ends.append(sentence.end)
                words = self.text[sentence.start_char : sentence.end_char]
                quoted.append(any(mark in words for mark in '“”"'))
            self._sentences = starts, ends, quoted
        starts, ends, quoted = self._sentences
        position = max(bisect_right(starts, index) - 1, 0)
        return starts[position], ends[position], quoted[position]

    def quote_at(self, position: int) -> Quoted | None:
        """The quoted stretch (marks included) that covers ``position``, if any."""
        index = bisect_right(self.quote_starts, position) - 1
        if index >= 0 and position < self.quoted[index].outer_end:
            return self.quoted[index]
        return None

    def quote_content(self, item: Quoted) -> tuple[int, int]:
        """A direct quote's content: the words inside the marks without a trailing comma;
        scope "all" keeps the marks (and what is inside them), as PolNeAR's contents do."""
        if self.scope == SCOPE_ALL:
            start, end = item.outer_start, item.outer_end
            while end > start and self.text[end - 1].isspace():
                end -= 1
            return start, end
        end = item.inner_end
        # "“We will win,” he said": the comma belongs to the sentence around the quote.
        while end > item.inner_start and self.text[end - 1] in ",;":
            end -= 1
        return item.inner_start, end

    def no_speaker_end(self, position: int) -> int | None:
        """Where the dateline or byline covering ``position`` ends, if one does."""
        for start, end in self.no_speaker:
            if start <= position < end:
                return end
        return None

    def token_at(self, position: int) -> int:
        return max(bisect_right(self.token_starts, position) - 1, 0)

    @staticmethod
    def span_of(first: Token, last: Token) -> tuple[int, int]:
        return first.idx, last.idx + len(last.text)

    def trimmed(self, first: int, last: int, *, keep_that: bool = False) -> tuple[int, int] | None:
        """Token range [first, last] without edge punctuation, quote marks and fillers.

        ``keep_that`` keeps a leading complementizer ("that he …"), as PolNeAR's contents do.
        """
        doc = self.doc
        while first <= last and (
            doc[first].is_punct
            or doc[first].is_space
            or (doc[first].dep_ == "mark" and doc[first].lower_ == "that" and not keep_that)
            or doc[first].dep_ == "cc"
            or (doc[first].lower_ in _LEADING_FILLERS and doc[first].dep_ in ("advmod", "cc"))
        ):
            first += 1
        while last >= first and (
            (doc[last].is_punct and doc[last].text not in "?!")
            or doc[last].is_space
            or doc[last].dep_ == "cc"
        ):
            last -= 1
        if first > last:
            return None
        start, end = self.span_of(doc[first], doc[last])
        # A closing mark stays when its opening mark is inside: "is “complex”", not "“complex".
        keep_closing = any(mark in self.text[start:end] for mark in '“"')
        trailing = ",;:— " if keep_closing else QUOTE_CHARS + ",;:— "
        while end > start and self.text[end - 1] in trailing:
            end -= 1
        while start < end and self.text[start] in QUOTE_CHARS + " ":
            start += 1
        if (
            end > start
            and self.text[end : end + 1] in ('"', "”", "'", "’")
            and _opened(self.text[start:end], self.text[end])
        ):
            # The parse left the closing mark outside ("… “cannot be solved on the
            # battlefield”." or "… “for as long as it takes”, adding …"): it closes the
            # content's own quotation, so it belongs with it.
            end += 1
        return (start, end) if end > start else None


def _opened(text: str, closing: str = '"') -> bool:
    """Whether ``text`` opens a quotation it does not close, of the kind ``closing`` closes:
    double marks, or single ones ("rejects Trump's claims of 'genocide'")."""
    if closing in "'’":
        return len(SINGLE_OPENING.findall(text)) > len(SINGLE_CLOSING.findall(text))
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1

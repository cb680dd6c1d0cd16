"""Aligning two versions of a text, to carry character offsets from one to the other.

Pure Python (difflib), no Django: `TextAlignment(old, new)` finds the runs of text the two
versions share, maps an old span to the new text, and lists the changes for a diff view.

How: the texts are cut into lines and words (runs of non-space characters). Lines are matched
first, patience-diff style (lines found once on each side anchor the alignment; difflib's
SequenceMatcher takes the short stretches between anchors), then difflib aligns the words of
the lines that changed.
Whitespace does not take part in the matching, so re-wrapped lines still align; the runs of
characters both texts share are then the matched words and the identical whitespace between
them. Offsets are code points, as Python indexes strings.
"""

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

_WORD = re.compile(r"\S+")
_LINE = re.compile(r"[^\n]*\n|[^\n]+")

# A quote keeps its identity across versions while at least this share of its characters is
# still there; below it, the quote's words are gone.
KEPT_SHARE_FOR_CHANGED = 0.5


@dataclass(frozen=True)
class Run:
    """Characters old[old_start:old_end] appear unchanged at new[new_start:…]."""

    old_start: int
    old_end: int
    new_start: int

    @property
    def new_end(self) -> int:
        return self.new_start + self.old_end - self.old_start


class Fate(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    GONE = "gone"


@dataclass(frozen=True)
class MappedSpan:
    """Where an old span lies in the new text, and how much of it survived."""

    start: int
    end: int
    kept: int  # old characters of the span found unchanged in the new text
    fate: Fate


@dataclass(frozen=True)
class DiffPiece:
    """One piece of a diff: text both versions share, or text deleted or inserted."""

    kind: str  # "equal", "delete" or "insert"
    text: str


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(text, start, end)]


def _lines(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _LINE.finditer(text)]


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs (sorted by their first item) whose second items increase."""
    tails: list[int] = []  # tails[k]: the smallest second item ending an increasing run of k+1
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_first, second) in enumerate(pairs):
        k = bisect_left(tails, second)
        if k == len(tails):
            tails.append(second)
            tail_index.append(index)
        else:
            tails[k], tail_index[k] = second, index
        previous.append(tail_index[k - 1] if k else -1)
    run, index = [], tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _matched_lines(
    old: list[str], new: list[str], old_lo: int, old_hi: int, new_lo: int, new_hi: int
) -> list[tuple[int, int]]:
    """Pairs (i, j) of equal lines old[i] == new[j], increasing in both, for the ranges given.

    Patience diff: the common head and tail are matched, then the lines that occur exactly once
    on each side anchor the rest (their longest increasing run), and the stretches between
    anchors are matched the same way; a stretch with no unique line is left to difflib's
    SequenceMatcher. Near-linear on long texts, where difflib alone, line by line, is not.
    """
    head = []
    while old_lo < old_hi and new_lo < new_hi and old[old_lo] == new[new_lo]:
        head.append((old_lo, new_lo))
        old_lo, new_lo = old_lo + 1, new_lo + 1
    tail = []
    while old_hi > old_lo and new_hi > new_lo and old[old_hi - 1] == new[new_hi - 1]:
        old_hi, new_hi = old_hi - 1, new_hi - 1
        tail.append((old_hi, new_hi))
    middle: list[tuple[int, int]] = []
    if old_lo < old_hi and new_lo < new_hi:
        old_counts = Counter(old[old_lo:old_hi])
        new_counts = Counter(new[new_lo:new_hi])
        new_unique = {new[j]: j for j in range(new_lo, new_hi) if new_counts[new[j]] == 1}
        candidates = [
            (i, new_unique[old[i]])
            for i in range(old_lo, old_hi)
            if old[i] and old_counts[old[i]] == 1 and old[i] in new_unique
        ]
        anchors = _longest_increasing(candidates)
        if anchors:
            i0, j0 = old_lo, new_lo
            for i, j in anchors:
                middle += _matched_lines(old, new, i0, i, j0, j)
                middle.append((i, j))
                i0, j0 = i + 1, j + 1
            middle += _matched_lines(old, new, i0, old_hi, j0, new_hi)
        else:
            matcher = SequenceMatcher(
                lambda line: not line, old[old_lo:old_hi], new[new_lo:new_hi], autojunk=False
            )
            middle = [
                (old_lo + block.a + k, new_lo + block.b + k)
                for block in matcher.get_matching_blocks()
                for k in range(block.size)
            ]
    return head + middle + tail[::-1]


class TextAlignment:
    """The runs of characters two versions of a text share, in order."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        pairs = self._matched_words()
        self.runs = self._tightened(self._runs(pairs))
        self._run_starts = [run.old_start for run in self.runs]

    # -- building ----------------------------------------------------------------------------
    def _matched_words(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Pairs of (old span, new span) of the same text that the alignment matches, in
        order: words, or whole lines where a line is unchanged."""
        old, new = self.old, self.new
        old_lines, new_lines = _lines(old), _lines(new)
        old_keys = [old[a:b].strip() for a, b in old_lines]
        new_keys = [new[a:b].strip() for a, b in new_lines]
        line_pairs = _matched_lines(old_keys, new_keys, 0, len(old_keys), 0, len(new_keys))
        pairs = []
        previous_i = previous_j = 0
        for i, j in [*line_pairs, (len(old_lines), len(new_lines))]:
            if i > previous_i and j > previous_j:  # changed lines: match their words
                pairs += self._matched_words_between(
                    (old_lines[previous_i][0], old_lines[i - 1][1]),
                    (new_lines[previous_j][0], new_lines[j - 1][1]),
                )
            if i < len(old_lines):  # the same line, maybe indented otherwise
                (a, b), (c, d) = old_lines[i], new_lines[j]
                if old[a:b] == new[c:d]:
                    pairs.append(((a, b), (c, d)))
                else:
                    pairs += zip(_words(old, a, b), _words(new, c, d), strict=True)
            previous_i, previous_j = i + 1, j + 1
        return pairs

    def _matched_words_between(self, old_span, new_span):
        old_words, new_words = _words(self.old, *old_span), _words(self.new, *new_span)
        # autojunk (on by default) keeps very common words out of the match seeds, which
        # bounds the work on long changed stretches; matches still grow over them.
        matcher = SequenceMatcher(
            None,
            [self.old[a:b] for a, b in old_words],
            [self.new[a:b] for a, b in new_words],
        )
        return [
            (old_words[block.a + k], new_words[block.b + k])
            for block in matcher.get_matching_blocks()
            for k in range(block.size)
        ]

    def _runs(self, pairs) -> list[Run]:
        """Merge matched words, and the identical whitespace between neighbours, into runs."""
        old, new = self.old, self.new
        runs: list[Run] = []
        start: tuple[int, int] | None = None  # (old, new) start of the run being built
        end = (0, 0)  # (old, new) end of the run being built
        for (old_start, old_end), (new_start, _new_end) in pairs:
            if start is not None:
                if (
                    old_start - end[0] == new_start - end[1]
                    and old[end[0] : old_start] == new[end[1] : new_start]
                ):
                    end = (old_end, new_start + old_end - old_start)
                    continue
                runs.append(Run(start[0], end[0], start[1]))
            start = (old_start, new_start)
            end = (old_end, new_start + old_end - old_start)
        if start is not None:
            runs.append(Run(start[0], end[0], start[1]))
        return runs

    def _tightened(self, runs: list[Run]) -> list[Run]:
        """Runs grown over what the two sides of each change share at its start and end
        (the space before a replaced word, the full stop after it), merged where they meet."""
        old, new = self.old, self.new
        grown: list[Run] = []
        bounds = [Run(0, 0, 0), *runs, Run(len(old), len(old), len(new))]
        for before, after in itertools.pairwise(bounds):
            old_gap = old[before.old_end : after.old_start]
            new_gap = new[before.new_end : after.new_start]
            limit = min(len(old_gap), len(new_gap))
            prefix = 0
            while prefix < limit and old_gap[prefix] == new_gap[prefix]:
                prefix += 1
            suffix = 0
            while suffix < limit - prefix and old_gap[-1 - suffix] == new_gap[-1 - suffix]:
                suffix += 1
            pieces = [
                before,
                Run(before.old_end, before.old_end + prefix, before.new_end),
                Run(after.old_start - suffix, after.old_start, after.new_start - suffix),
            ]
            for run in pieces:
                if run.old_end <= run.old_start:
                    continue
                last = grown[-1] if grown else None
                if (
                    last is not None
                    and last.old_end == run.old_start
                    and (last.new_end == run.new_start)
                ):
                    grown[-1] = Run(last.old_start, run.old_end, last.new_start)
                else:
                    grown.append(run)
        return grown

    # -- mapping -----------------------------------------------------------------------------
    def _run_at(self, position: int) -> int:
        """Index of the last run starting at or before `position` (-1 if none)."""
        return bisect_right(self._run_starts, position) - 1

    def _gap(self, index: int) -> tuple[int, int, int, int]:
        """The change after run `index` (-1: before the first run): old and new start and end."""
        old_start = self.runs[index].old_end if index >= 0 else 0
        new_start = self.runs[index].new_end if index >= 0 else 0
        following = index + 1
        if following < len(self.runs):
            run = self.runs[following]
            return old_start, run.old_start, new_start, run.new_start
        return old_start, len(self.old), new_start, len(self.new)

    def map_start(self, position: int) -> int:
        """Where a span starting at old `position` starts in the new text.

        Inside a change, words are counted: a span starting after the k-th old word of the
        change starts at the k-th new word of what replaced it ("May" → "June").
        """
        index = self._run_at(position)
        if index >= 0 and position < self.runs[index].old_end:
            run = self.runs[index]
            return run.new_start + position - run.old_start
        old_start, old_end, new_start, new_end = self._gap(index)
        old_words = _words(self.old, old_start, old_end)
        before = sum(1 for _a, b in old_words if b <= position)
        new_words = _words(self.new, new_start, new_end)
        if before >= len(new_words):
            return new_end
        start, end = new_words[before]
        if before < len(old_words) and old_words[before][0] < position:
            # The span starts inside a word ("“We"): past the same opening characters.
            head = self.old[old_words[before][0] : position]
            if self.new.startswith(head, start) and start + len(head) < end:
                return start + len(head)
        return start

    def map_end(self, position: int) -> int:
        """Where a span ending at old `position` ends in the new text; inside a change, after
        as many new words as the span took old words of it."""
        index = self._run_at(position - 1)
        if index >= 0 and position <= self.runs[index].old_end:
            run = self.runs[index]
            return run.new_start + position - run.old_start
        old_start, old_end, new_start, new_end = self._gap(index)
        old_words = _words(self.old, old_start, old_end)
        taken = sum(1 for a, _b in old_words if a < position)
        new_words = _words(self.new, new_start, new_end)
        if taken == 0:
            return new_start
        if taken > len(new_words):
            return new_end
        start, end = new_words[taken - 1]
        _last_start, last_end = old_words[taken - 1]
        if position < last_end:
            # The span ends inside a word ("May" of "May."): before the same closing characters.
            tail = self.old[position:last_end]
            if self.new.endswith(tail, start, end) and end - len(tail) > start:
                return end - len(tail)
        return end

    def kept(self, start: int, end: int) -> int:
        """How many characters of old[start:end] are found unchanged in the new text."""
        total = 0
        index = max(self._run_at(start), 0)
        while index < len(self.runs) and self.runs[index].old_start < end:
            run = self.runs[index]
            total += max(0, min(end, run.old_end) - max(start, run.old_start))
            index += 1
        return total

    def map_span(self, start: int, end: int) -> MappedSpan:
        """The old span [start, end) in the new text, trimmed of spaces, with its fate:
        unchanged (same words), changed (at least half its characters kept) or gone."""
        kept = self.kept(start, end)
        new_start, new_end = self.map_start(start), self.map_end(end)
        while new_start < new_end and self.new[new_start].isspace():
            new_start += 1
        while new_end > new_start and self.new[new_end - 1].isspace():
            new_end -= 1
        length = end - start
        if new_end <= new_start or kept < KEPT_SHARE_FOR_CHANGED * length:
            return MappedSpan(new_start, new_start, kept, Fate.GONE)
        same = _normalised(self.new[new_start:new_end]) == _normalised(self.old[start:end])
        return MappedSpan(new_start, new_end, kept, Fate.UNCHANGED if same else Fate.CHANGED)

    # -- showing -----------------------------------------------------------------------------
    def pieces(self) -> list[DiffPiece]:
        """The diff as pieces in reading order: deleted text before the text inserted in its
        place, then what both share."""
        pieces = []
        old_at = new_at = 0
        for run in [*self.runs, Run(len(self.old), len(self.old), len(self.new))]:
            if run.old_start > old_at:
                pieces.append(DiffPiece("delete", self.old[old_at : run.old_start]))
            if run.new_start > new_at:
                pieces.append(DiffPiece("insert", self.new[new_at : run.new_start]))
            if run.old_end > run.old_start:
                pieces.append(DiffPiece("equal", self.old[run.old_start : run.old_end]))
            old_at, new_at = run.old_end, run.new_end
        return pieces

    def changed_characters(self) -> tuple[int, int]:
        """(characters deleted from the old text, characters inserted into the new one)."""
        shared = sum(run.old_end - run.old_start for run in self.runs)
        return len(self.old) - shared, len(self.new) - shared

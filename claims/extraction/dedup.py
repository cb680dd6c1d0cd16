"""One quote per stretch of text: of near-duplicate drafts keep one, and of an attribution
inside another's content keep the outer one unless the inner one is about as likely."""

from claims.extraction.document import Draft

# Two quotes whose contents overlap this much (character Jaccard, the scorer's measure) report
# the same thing: only one is kept.
DUPLICATE_OVERLAP = 0.5
DUPLICATE_CONFIDENCE_GAP = 0.1
# A quote whose content lies this much inside a longer one's ("X said Y wants Z": Z inside
# "Y wants Z") is nested in it; it goes when its cue is this much less probable (2.5.0).
NESTED_SHARE = 0.8
NESTED_CONFIDENCE_GAP = 0.15


def without_near_duplicates(drafts: list[Draft]) -> list[Draft]:
    """One quote per stretch of text. Of two whose contents mostly coincide (character
    Jaccard >= ``DUPLICATE_OVERLAP``), the longer one stays ("X said Y wants Z" reports Y's
    want once, through "said") unless the shorter one's cue is clearly more likely (by more
    than ``DUPLICATE_CONFIDENCE_GAP``: "While the Kremlin maintains A, X signed …", where the
    parse makes A what "signed" reports)."""
    kept: list[Draft] = []
    for draft in sorted(
        drafts, key=lambda item: (item.content[0] - item.content[1], -item.confidence)
    ):
        clashes = [
            index
            for index, other in enumerate(kept)
            if _overlap_share(draft.content, other.content) >= DUPLICATE_OVERLAP
        ]
        if not clashes:
            kept.append(draft)
        elif (
            len(clashes) == 1
            and draft.confidence > kept[clashes[0]].confidence + DUPLICATE_CONFIDENCE_GAP
        ):
            kept[clashes[0]] = draft
    return _without_unlikely_nested(kept)


def _without_unlikely_nested(drafts: list[Draft]) -> list[Draft]:
    """PolNeAR all but never annotates an attribution inside another's content (7 pairs on
    train), so of a quote nested in a longer one (``NESTED_SHARE`` of it inside) only one is
    likely right: the inner one goes when its cue is less probable by more than
    ``NESTED_CONFIDENCE_GAP``. Of two about as likely neither is dropped: there the inner
    one is right as often as the outer ("…, while about 4 in 10 want one with …")."""
    nested = set()
    for index, inner in enumerate(drafts):
        start, end = inner.content
        for outer in drafts:
            outer_start, outer_end = outer.content
            if (
                outer_end - outer_start > end - start
                and min(end, outer_end) - max(start, outer_start) >= NESTED_SHARE * (end - start)
                and inner.confidence < outer.confidence - NESTED_CONFIDENCE_GAP
            ):
                nested.add(index)
                break
    return [draft for index, draft in enumerate(drafts) if index not in nested]


def _overlap_share(first: tuple[int, int], second: tuple[int, int]) -> float:
    overlap = min(first[1], second[1]) - max(first[0], second[0])
    if overlap <= 0:
        return 0.0
    return overlap / (max(first[1], second[1]) - min(first[0], second[0]))

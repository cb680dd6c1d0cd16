"""One quote per stretch of text: of near-duplicate drafts, keep one."""

from claims.extraction.document import Draft

# Two quotes whose contents overlap this much (character Jaccard, the scorer's measure) report
# the same thing: only one is kept.
DUPLICATE_OVERLAP = 0.5
DUPLICATE_CONFIDENCE_GAP = 0.1


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
    return kept


def _overlap_share(first: tuple[int, int], second: tuple[int, int]) -> float:
    overlap = min(first[1], second[1]) - max(first[0], second[0])
    if overlap <= 0:
        return 0.0
    return overlap / (max(first[1], second[1]) - min(first[0], second[0]))

"""Near-duplicates across outlets: the same wire story republished, lightly edited, is linked
as "same story" (shown on the article page and in the export), while exact de-duplication
stays as it is (claims/services/articles.py).

An article's word 5-shingles are summarised by a MinHash signature (datasketch, 128
permutations). Locality-sensitive hashing finds candidates without comparing every pair: the
signature is cut into 25 bands of 5 values (datasketch's optimal split for a 0.5 threshold),
each band's hash is stored (ArticleBand, indexed), and articles sharing any band are
candidates. A candidate whose signatures agree on at least SAME_STORY_THRESHOLD of the
permutations (the estimated Jaccard similarity of the shingle sets) is linked both ways.
"""

import hashlib
import re

from django.db.models import Q

from claims.models import Article, ArticleBand, ArticleFingerprint, SameStory

NUM_PERM = 128
BANDS, ROWS = 25, 5
SHINGLE_WORDS = 5
SAME_STORY_THRESHOLD = 0.5
# Shorter texts share too many shingles by chance (a one-line statement quoted everywhere).
MIN_WORDS = 40
# A band shared by very many articles (boilerplate) yields at most this many candidates.
MAX_CANDIDATES = 500
_WORD = re.compile(r"\w+")


def _signature(text: str):
    """The MinHash values (uint64 array) of the text's word shingles, or None when too short."""
    # datasketch pulls in scipy (about a second): loaded only by processes that fingerprint.
    import numpy as np
    from datasketch import MinHash

    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return minhash.hashvalues.astype(np.uint64)


def _band_keys(values) -> list[tuple[int, int]]:
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8)
        keys.append((band, int.from_bytes(digest.digest(), "big", signed=True)))
    return keys


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    import numpy as np

    a, b = np.frombuffer(first, dtype=np.uint64), np.frombuffer(second, dtype=np.uint64)
    return float(np.count_nonzero(a == b)) / NUM_PERM


def article_fingerprint(*, article: Article) -> list[SameStory]:
    """Store the article's signature and bands and link it to the articles telling the same
    story (other lineages only: versions of one article are not "same story"). Returns the
    links made from it. In the caller's transaction."""
    values = _signature(article.text)
    if values is None:
        return []
    signature = values.tobytes()
    ArticleFingerprint.objects.update_or_create(article=article, defaults={"minhash": signature})
    keys = _band_keys(values)
    ArticleBand.objects.filter(article=article).delete()
    ArticleBand.objects.bulk_create(
        [ArticleBand(article=article, band=band, key=key) for band, key in keys]
    )
    root = article.lineage_id or article.id
    shared = Q()
    for band, key in keys:
        shared |= Q(band=band, key=key)
    candidates = set(
        ArticleBand.objects.filter(shared)
        .exclude(article__lineage_id=root)
        .exclude(article_id=root)
        .values_list("article_id", flat=True)
        .distinct()[:MAX_CANDIDATES]
    )
    links = []
    for other_id, other_signature in ArticleFingerprint.objects.filter(
        article_id__in=candidates
    ).values_list("article_id", "minhash"):
        score = similarity(signature, bytes(other_signature))
        if score >= SAME_STORY_THRESHOLD:
            links.append(SameStory(article=article, other_id=other_id, similarity=score))
            links.append(SameStory(article_id=other_id, other=article, similarity=score))
    SameStory.objects.bulk_create(links, ignore_conflicts=True)
    return links[::2]

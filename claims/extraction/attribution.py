"""Attributions read from the parse: candidate cues scored by the cue model, the content each
one reports (clause, infinitive, object or prepositional object, with PolNeAR's boundaries in
scope "all"), its source, and "according to X" / "In a poll …" phrases."""

import math
from collections.abc import Iterator

from spacy.tokens import Token

from claims.extraction.cues import (
    CLAUSE,
    HEARSAY,
    OBJECT,
    PREPOSITION,
    SCOPE_ALL,
    content_kind,
    cue_features,
    following_clause,
    in_scope,
)
from claims.extraction.document import ArticleDoc, Draft
from claims.extraction.lexicon import INTENT_FORMS, PRONOUNS_PERSON, VERB_FORMS
from claims.extraction.mentions import mention_for, source_of, subject_of

# "In a poll …, X …": the poll reports the rest of the sentence (scope "all").
POLL_NOUNS = frozenset(["poll", "polls", "survey", "surveys", "polling"])
_ARGUMENT_DEPS = frozenset(["dobj", "prep", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr"])


def is_trailing_participle(token: Token) -> bool:
    """ "…, throwing a wrench into …": an -ing clause after a comma, adverbial to the sentence.

    PolNeAR leaves it out of the content (scope "all"); the seed gold keeps it (scope "claims").
    """
    return (
        token.dep_ == "advcl"
        and token.tag_ == "VBG"
        and token.left_edge.i > 0
        and token.doc[token.left_edge.i - 1].text in ",;—"
    )


def parsed_drafts(article: ArticleDoc) -> list[Draft]:
    """Attributions the parse shows: accepted candidate cues, "according to" and polls."""
    drafts: list[Draft] = []
    model = article.cue_model
    for token in article.doc:
        lower = token.lower_
        if lower == "according":
            draft = according_to(article, token)
            if draft is not None:
                drafts.append(draft)
            continue
        if lower == "in" and article.scope == SCOPE_ALL:
            draft = in_poll(article, token)
            if draft is not None:
                drafts.append(draft)
            continue
        if model is None:
            if (lower in VERB_FORMS or lower in INTENT_FORMS) and token.tag_.startswith("VB"):
                drafts.extend(reported(article, token))
            continue
        found = candidate(article, token)
        if found is None:
            continue
        kind, head, features = found
        score = model.score(features)
        if score >= model.threshold_score or kind == HEARSAY:
            confidence = 1.0 / (1.0 + math.exp(-score))
            if kind == HEARSAY:
                confidence = max(confidence, 0.5)
            drafts.extend(cue_drafts(article, token, kind, head, confidence))
    return drafts


def candidate(article: ArticleDoc, token: Token) -> tuple[str, Token, list[str]] | None:
    """A word that may report an attribution: what it reports and its features, or None.

    A word inside a quote belongs to the quoted speaker and is never a candidate.
    """
    if token.lower_ == "according":
        return None  # "according to X" has its own rule
    kind, head = content_kind(token)
    if head is None or not in_scope(article.scope, kind, token):
        return None
    around = article.quote_at(token.idx)
    if around is not None and not around.in_aside(token.idx):
        return None
    headline = token.i < article.headline_end
    return kind, head, cue_features(token, kind, head, headline=headline)


def cue_drafts(
    article: ArticleDoc, token: Token, kind: str, head: Token, confidence: float
) -> list[Draft]:
    """Attributions reported by an accepted cue: its content spans with the source."""
    noun = head  # what an object or prepositional object is about
    if kind == CLAUSE and token.pos_ != "NOUN":
        ranges = list(complements(article, token, clause_only=True))
    elif kind == PREPOSITION:
        objects = [child for child in head.children if child.dep_ == "pobj"]
        ranges = [(objects[0].left_edge.i, head.right_edge.i)] if objects else []
        noun = objects[0] if objects else head
    else:
        ranges = [(head.left_edge.i, head.right_edge.i)]
    if kind in (OBJECT, PREPOSITION) and token.pos_ != "NOUN" and ranges:
        # "criticized the president for attacking …": the stance takes in what follows.
        ranges = [(ranges[0][0], extend_over_arguments(token, ranges[0][1]))]
    if kind in (OBJECT, PREPOSITION) and article.scope == SCOPE_ALL:
        ranges = [(first, before_aside(article, noun, last)) for first, last in ranges]
    if not ranges:
        return []
    # "reportedly" names no source: the reports are unattributed.
    subject = None if kind == HEARSAY else source_of(token)
    speaker, mention = mention_for(article, subject) if subject is not None else (None, None)
    cue = article.span_of(token, token)
    drafts = []
    for first, last in ranges:
        if kind not in (CLAUSE, HEARSAY):
            first = max(first, token.i + 1)
        # Scope "all" follows PolNeAR, whose contents start with the "that".
        content = article.trimmed(first, last, keep_that=article.scope == SCOPE_ALL)
        if content is not None:
            drafts.append(Draft("indirect", content, cue, speaker, mention, confidence))
    return drafts


def before_aside(article: ArticleDoc, noun: Token, last: int) -> int:
    """ "criticized Trump's remarks, which …": a clause or apposition set off by a comma
    after the object describes it, and PolNeAR leaves it out of the stance's content."""
    for child in noun.rights:
        start = child.left_edge.i
        if (
            child.dep_ in ("relcl", "acl", "appos")
            and 0 < start <= last
            and article.doc[start - 1].text in ",;—-("
        ):
            return min(last, start - 2)
    return last


def extend_over_arguments(verb: Token, last: int) -> int:
    """The verb's further arguments after ``last`` (objects, prepositions), up to a comma."""
    for child in verb.rights:
        if child.i <= last:
            continue
        if child.dep_ in _ARGUMENT_DEPS and verb.doc[child.i - 1].text not in ",;:—":
            last = child.right_edge.i
            continue
        break
    return last


def reported(article: ArticleDoc, verb: Token) -> list[Draft]:
    """Attributions of a lexicon verb, for when no cue model is shipped."""
    around = article.quote_at(verb.idx)
    if around is not None and not around.in_aside(verb.idx):
        return []  # speech reported inside a quote belongs to the quote
    if any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children):
        return []
    subject = subject_of(verb)
    drafts = []
    for first, last in complements(article, verb):
        content = article.trimmed(first, last)
        if content is None:
            continue
        speaker, mention = mention_for(article, subject) if subject is not None else (None, None)
        confidence = 0.8 if subject is not None else 0.5
        if verb.lower_ not in VERB_FORMS:
            confidence -= 0.2  # an intention ("vowed to …") is a weaker kind of claim
        drafts.append(
            Draft("indirect", content, article.span_of(verb, verb), speaker, mention, confidence)
        )
    return drafts


def complements(
    article: ArticleDoc, verb: Token, *, clause_only: bool = False
) -> Iterator[tuple[int, int]]:
    """Token ranges of what the verb reports: its clausal complements."""
    complements = [child for child in verb.children if child.dep_ == "ccomp"]
    if not complements and verb.lower_ in INTENT_FORMS and not clause_only:
        for child in verb.rights:
            if child.dep_ == "xcomp" and child.tag_ == "VB":
                yield child.left_edge.i, child.right_edge.i
                return
    if not complements:
        # The parser often hangs "X maintains it is open …" on the wrong verb: take a
        # clause that starts right after the verb as its complement all the same.
        following = following_clause(verb)
        if following is not None:
            complements = [following]
    if not complements and verb.dep_ == "parataxis" and verb.head.i != verb.i:
        # "In three years, Barden says, far too many lives were lost": the verb is an aside
        # inside what it reports.
        head = verb.head
        yield head.left_edge.i, head.right_edge.i
        return
    for complement in complements:
        first, last = complement.left_edge.i, complement.right_edge.i
        if complement.i < verb.i and is_report(complement):
            continue  # "X added that A, he claimed …": A belongs to "added", not here
        if complement.i < verb.i:
            last = min(last, verb.i - 1)
            yield first, last
            continue
        first = max(first, verb.i + 1)
        for token in complement.subtree:
            if token.i > complement.i and starts_new_report(token, complement, verb):
                last = min(last, token.left_edge.i - 1)
            elif (
                article.scope == SCOPE_ALL
                and token.i > complement.i
                and is_trailing_participle(token)
            ):
                # "he cannot support Trump, throwing a wrench into …": a comment on it.
                last = min(last, token.left_edge.i - 1)
        if last == complement.right_edge.i and complement.head == verb:
            last = extend_over_modifiers(article, verb, last)
        reporter = verb.head
        if (
            verb.dep_ == "ccomp"
            and reporter.i > last
            and is_report(reporter)
            and any(
                child.dep_ == "nsubj" and child.lower_ in PRONOUNS_PERSON
                for child in reporter.children
            )
        ):
            # "X added that while A, he claimed that B": the parser made "added" the
            # complement of "claimed"; what X added runs to the end of the sentence.
            last = reporter.right_edge.i
        yield first, last


def is_report(token: Token) -> bool:
    return token.lower_ in VERB_FORMS and any(child.dep_ == "nsubj" for child in token.children)


def starts_new_report(token: Token, complement: Token, reporter: Token) -> bool:
    """ "…, adding that", "… but recalled": the reporter's next act, not the content."""
    if token.lower_ not in VERB_FORMS or token.dep_ not in ("advcl", "conj"):
        return False
    own_subject = any(child.dep_.startswith("nsubj") for child in token.children)
    if token.tag_ == "VBG" or (
        not own_subject and any(child.dep_ == "ccomp" for child in token.children)
    ):
        return True
    # "He stated that he was not consulted but recalled …": the reporter's verb form, not
    # the complement's ("he says he is proud and expects …" stays whole).
    return (
        token.dep_ == "conj"
        and token.head == complement
        and not own_subject
        and token.tag_ == reporter.tag_
        and complement.tag_ != token.tag_
    )


def extend_over_modifiers(article: ArticleDoc, verb: Token, last: int) -> int:
    """Take in what the parser hung on the verb after the complement ("…, despite …")."""
    for child in verb.rights:
        if child.i <= last:
            continue
        if child.dep_ == "punct":
            continue
        if article.scope == SCOPE_ALL and is_trailing_participle(child):
            break  # "…, throwing a wrench into …": the reporter's next act, not content
        if child.dep_ in ("prep", "advcl", "npadvmod", "advmod") and not (
            child.lower_ in VERB_FORMS or child.lower_ in ("according", "in", "on", "at")
        ):
            last = child.right_edge.i
            continue
        break
    return last


def according_to(article: ArticleDoc, according: Token) -> Draft | None:
    doc = article.doc
    if according.i + 1 >= len(doc) or doc[according.i + 1].lower_ != "to":
        return None
    to = doc[according.i + 1]
    sources = [child for child in to.children if child.dep_ == "pobj"]
    sources += [child for child in according.children if child.dep_ == "pobj"]
    if not sources:
        return None
    return source_phrase(article, according, sources[0], max(sources[0].right_edge.i, to.i), to)


def in_poll(article: ArticleDoc, token: Token) -> Draft | None:
    """ "In a poll released Monday, 31% of voters …": a poll or survey that opens the
    sentence reports the rest of it (scope "all")."""
    if token.dep_ != "prep" or token.i != token.sent.start:
        return None
    for child in token.children:
        if child.dep_ == "pobj" and child.lower_ in POLL_NOUNS:
            return source_phrase(article, token, child, child.right_edge.i, token, 0.6)
    return None


def source_phrase(
    article: ArticleDoc,
    according: Token,
    source: Token,
    phrase_last: int,
    to: Token,
    confidence: float = 0.8,
) -> Draft | None:
    """ "According to X, …" and the like: the rest of the sentence is X's. The cue runs
    from ``according`` to ``to``; the phrase naming the source ends at ``phrase_last``."""
    doc = article.doc
    phrase_first = according.i
    sentence = according.sent
    first, last = sentence.start, sentence.end - 1
    before = doc[first:phrase_first].text.strip(" ,\n")
    after = doc[phrase_last + 1 : last + 1].text.strip(" ,.\n")
    if len(after) >= len(before):
        first = phrase_last + 1
    else:
        last = phrase_first - 1
    content = article.trimmed(first, last)
    if content is None or article.quote_at(according.idx) is not None:
        return None
    speaker, mention = mention_for(article, source)
    cue = article.span_of(according, to)
    return Draft("indirect", content, cue, speaker, mention, confidence)

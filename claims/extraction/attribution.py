"""Attributions read from the parse: candidate cues scored by the cue model, the content and
source of the accepted ones (``contents``, ``mentions``), and "according to X" / "In a poll …"
phrases."""

import math

from spacy.tokens import Token

from claims.extraction.contents import complements, content_ranges
from claims.extraction.cues import (
    HEARSAY,
    SCOPE_ALL,
    content_kind,
    cue_features,
    in_scope,
    is_adjective_cue,
)
from claims.extraction.document import ArticleDoc, Draft
from claims.extraction.lexicon import INTENT_FORMS, VERB_FORMS
from claims.extraction.mentions import (
    mention_for,
    source_of,
    subject_after_quote,
    subject_near,
    subject_of,
)

# "In a poll …, X …": the poll reports the rest of the sentence (scope "all").
POLL_NOUNS = frozenset(["poll", "polls", "survey", "surveys", "polling"])
ONE_POLL = frozenset(["poll", "survey", "average"])
# "The plan appears to be stalled": an impression with no source, which PolNeAR annotates
# (scope "all"). The content is the whole clause, its subject included.
APPEARANCE_VERBS = frozenset(["seem", "seems", "seemed", "appear", "appears", "appeared"])
# What the verb must govern to be an impression ("seems to …", "seemed unperturbed", "it
# seems that …"), not a presence ("appeared at the convention").
_APPEARANCE_COMPLEMENTS = frozenset(["xcomp", "acomp", "attr", "oprd", "ccomp"])
# A seeming verb in these roles is the clause's own verb; under "said" or inside a
# complement (ccomp, xcomp) the impression is what someone reports, not the writer's.
_APPEARANCE_DEPS = frozenset(["ROOT", "conj"])
_SUBJECT_DEPS = frozenset(["nsubj", "nsubjpass", "expl", "csubj"])
_SET_OFF = frozenset([",", ";", ":", "—", "–", "--", "("])


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
        if lower in APPEARANCE_VERBS and article.scope == SCOPE_ALL:
            draft = appearance(article, token)
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
    if article.scope == SCOPE_ALL and appearance_subject(token) is not None:
        return None  # "X seems to …" has its own rule
    kind, head = content_kind(token)
    if head is None or not in_scope(article.scope, kind, token):
        return None
    around = article.quote_at(token.idx)
    if around is not None and not around.in_aside(token.idx):
        return None
    headline = token.i < article.headline_end
    sentence = article.sentence_of(token.i)
    return kind, head, cue_features(token, kind, head, headline=headline, sentence=sentence)


def cue_drafts(
    article: ArticleDoc, token: Token, kind: str, head: Token, confidence: float
) -> list[Draft]:
    """Attributions reported by an accepted cue: its content spans with the source."""
    ranges = content_ranges(article, token, kind, head)
    if not ranges:
        return []
    # "reportedly" names no source: the reports are unattributed.
    # An adjective's source is its copula's subject ("Trump was critical of …").
    reporter = token.head if is_adjective_cue(token) else token
    asked = _asked_of(token) or _asked_in_passive(token)
    subject = (
        None
        if kind == HEARSAY or asked
        else subject_after_quote(article, token) or source_of(reporter)
    )
    if subject is not None:
        around = article.quote_at(subject.idx)
        if around is not None and around is not article.quote_at(token.idx):
            # A word of a quote is not the source of a cue outside it: the parse took the
            # quote's own subject ("“They award only 4 percent,” Mook said").
            subject = subject_near(article, token)
    if subject is not None and not any(character.isalnum() for character in subject.text):
        subject = None  # a misparse made a hyphen or a dash the subject ("Ex-aide says …")
    speaker, mention = mention_for(article, subject) if subject is not None else (None, None)
    cue = article.span_of(token, token)
    drafts = []
    for first, last in ranges:
        # Scope "all" follows PolNeAR, whose contents start with the "that".
        content = article.trimmed(first, last, keep_that=article.scope == SCOPE_ALL)
        if content is not None:
            # An unnamed asker is no one the source selector could find in the sentence.
            drafts.append(
                Draft("indirect", content, cue, speaker, mention, confidence, settled=asked)
            )
    return drafts


# Participles of being asked or told: what the main clause's subject was asked, not said
# ("Worried the nation might miss …, the government proposed": the worry is the subject's).
_ASKED = frozenset(["asked", "pressed", "questioned", "quizzed", "challenged", "told"])


def _asked_of(token: Token) -> bool:
    """ "Asked whether she would resign, Reeves replied …": a participle opening the sentence
    reports what someone unnamed (an interviewer) asked of the main clause's subject, who is
    not its source (PolNeAR gives these no source). Also "Pressed on …", "Told that …"."""
    return (
        token.lower_ in _ASKED
        and token.i == token.sent.start
        and token.dep_ == "advcl"
        and token.tag_ in ("VBN", "VBD")  # the parse takes some participles for past tenses
        and not any(child.dep_ in ("nsubj", "nsubjpass", "agent") for child in token.children)
    )


def _asked_in_passive(token: Token) -> bool:
    """ "Powell was asked whether a cut was still possible", "Sanders had been told that he
    would lose": the passive's subject is the one asked or told, not the source; with no
    "by" agent the asker goes unnamed (PolNeAR gives these no source)."""
    return (
        token.lower_ in _ASKED
        and token.tag_ == "VBN"
        and any(child.dep_ == "auxpass" for child in token.children)
        and not any(child.dep_ == "agent" for child in token.children)
    )


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


def appearance_subject(verb: Token) -> Token | None:
    """The subject of "seems"/"appears" used for an impression ("The plan appears to be
    stalled", "Voters seemed unperturbed", "It seems that …"), else None."""
    if verb.lower_ not in APPEARANCE_VERBS or not verb.tag_.startswith("VB"):
        return None
    if verb.dep_ not in _APPEARANCE_DEPS:
        return None
    children = list(verb.children)
    if not any(child.dep_ in _APPEARANCE_COMPLEMENTS for child in children):
        return None
    subjects = [child for child in children if child.dep_ in _SUBJECT_DEPS]
    return subjects[0] if subjects else None


def appearance(article: ArticleDoc, verb: Token) -> Draft | None:
    """ "The statistics appear to be fabricated": an impression nobody is said to have. Its
    content runs from the subject to the end of the verb's clause, without a further clause
    joined by "and"/"but"; the cue is the verb."""
    subject = appearance_subject(verb)
    if subject is None:
        return None
    around = article.quote_at(verb.idx)
    if around is not None and not around.in_aside(verb.idx):
        return None  # an impression inside a quote is the quoted speaker's
    first = subject.left_edge.i
    last = verb.i
    for child in verb.rights:
        if child.dep_ in ("conj", "cc") or (child.is_punct and child.i == verb.right_edge.i):
            break
        last = max(last, child.right_edge.i)
    # What a comma or dash sets off after the verb ("…, despite …", "…, when …") is the
    # writer's addition, not part of the impression.
    for index in range(verb.i + 1, last + 1):
        if article.doc[index].text in _SET_OFF:
            last = index - 1
            break
    content = article.trimmed(first, last, keep_that=True)
    if content is None:
        return None
    return Draft("indirect", content, article.span_of(verb, verb), None, None, 0.5)


def in_poll(article: ArticleDoc, token: Token) -> Draft | None:
    """ "In a poll released Monday, 31% of voters …": a poll or survey that opens the
    sentence reports the rest of it, and so does one poll, survey or polling average later
    in the sentence ("Trump leads in the latest NBC poll"; scope "all")."""
    if token.dep_ != "prep":
        return None
    # Later in the sentence only one poll reports ("… leads in the latest poll"), not polls
    # in general ("… is ahead in the polls").
    nouns = POLL_NOUNS if token.i == token.sent.start else ONE_POLL
    for child in token.children:
        if child.dep_ == "pobj" and child.lower_ in nouns:
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

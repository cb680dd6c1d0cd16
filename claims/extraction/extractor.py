"""Finding quotes in a parsed article: quotation marks, reporting verbs and "according to".

Everything works on character offsets into the text spaCy was given, which is the original
article text: nothing is normalised, so ``text[start:end]`` is always the span's text.
"""

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from claims.extraction.cues import (
    CLAUSE,
    HEARSAY,
    OBJECT,
    PREPOSITION,
    SCOPE_ALL,
    SCOPE_CLAIMS,
    SCOPES,
    CueModel,
    content_kind,
    cue_features,
    following_clause,
    in_scope,
    load_cue_model,
)
from claims.extraction.lexicon import (
    INTENT_FORMS,
    PERSON_TITLES,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    VERB_FORMS,
)
from claims.extraction.quotemarks import Quoted, find_quoted
from claims.extraction.speakers import (
    Mention,
    SpeakerResolver,
    canonical_speaker_name,
    speaker_description,
)
from claims.extraction.types import ExtractedQuote, TextSpan

# Multi-process pipes copy the pipeline into workers before any text is seen, so the length
# limit there has to be raised up front (spaCy's limit guards memory, ~1 GB per 100k chars
# for parser and NER; articles are far shorter).
MULTIPROCESS_MAX_LENGTH = 10_000_000

# A quoted stretch this short with nobody saying it is a scare quote or a title, not a quote.
MIN_UNATTRIBUTED_WORDS = 8
# Longest "…,” said X, a voter from Y. “…" aside that still joins the two halves of a quote.
MAX_ASIDE_CHARS = 200
# An unattributed quote starting this close after an attributed one continues its speaker.
CONTINUATION_CHARS = 400
# A first line up to this long (followed by a line break) is a headline.
HEADLINE_CHARS = 250
# An attribution whose content is at least this share quoted is a direct quote, else mixed.
DIRECT_SHARE = 0.8
# Two quotes whose contents overlap this much (character Jaccard, the scorer's measure) report
# the same thing: only one is kept.
DUPLICATE_OVERLAP = 0.5
DUPLICATE_CONFIDENCE_GAP = 0.1
# "In a poll …, X …": the poll reports the rest of the sentence (scope "all").
POLL_NOUNS = frozenset(["poll", "polls", "survey", "surveys", "polling"])

_NAMED_ENTITIES = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")
_ARGUMENT_DEPS = frozenset(["dobj", "prep", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr"])
_MENTION_STOP_DEPS = ("relcl", "acl", "advcl", "parataxis", "ccomp", "xcomp")
_LEADING_FILLERS = frozenset(
    ["however", "though", "meanwhile", "also", "moreover", "furthermore", "but", "and"]
)
_QUOTE_CHARS = "“”„«»\"'‘’"
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class _Draft:
    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    mention: Mention | None
    confidence: float


# --------------------------------------------------------------------------- public entry points


def extract_quotes(text: str, *, nlp: Language, scope: str = SCOPE_CLAIMS) -> list[ExtractedQuote]:
    """All quotes in ``text``, sorted by where their content starts.

    ``scope`` is ``"claims"`` (speech and thought reported with a clause, direct and mixed
    quotes) or ``"all"`` (also stances, intentions and hearsay, as PolNeAR annotates).
    """
    _check_scope(scope)
    if not text or not text.strip():
        return []
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    return quotes_from_doc(nlp(text), scope=scope)


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")


def extract_quotes_many(
    texts: Iterable[str],
    *,
    nlp: Language,
    batch_size: int = 32,
    n_process: int = 1,
    scope: str = SCOPE_CLAIMS,
) -> Iterator[list[ExtractedQuote]]:
    """Quotes of each text in turn, parsing them in batches with ``nlp.pipe``."""
    _check_scope(scope)
    if n_process != 1:
        nlp.max_length = max(nlp.max_length, MULTIPROCESS_MAX_LENGTH)

    def within_limit(items: Iterable[str]) -> Iterator[str]:
        for text in items:
            if len(text) >= nlp.max_length:
                nlp.max_length = len(text) + 1
            yield text

    for doc in nlp.pipe(within_limit(texts), batch_size=batch_size, n_process=n_process):
        yield quotes_from_doc(doc, scope=scope)


def quotes_from_doc(
    doc: Doc, *, cue_model: CueModel | None = None, scope: str = SCOPE_CLAIMS
) -> list[ExtractedQuote]:
    """Quotes in an already processed document (parsed, or only tokenized on the fallback).

    ``cue_model`` replaces the shipped cue weights (the training recipe tunes with it);
    ``scope`` is as for ``extract_quotes``.
    """
    _check_scope(scope)
    text = doc.text
    if not text.strip():
        return []
    quoted = _merge_split_quotes(text, find_quoted(text))
    article = _Article(doc, quoted, cue_model or load_cue_model(), scope)
    # A blank pipeline (model missing) has no parse: regular expressions stand in for it.
    drafts = article.parsed_drafts() if doc.has_annotation("DEP") else article.rule_drafts()
    headline = _headline_draft(text)
    if headline is not None:
        drafts.append(headline)
    if scope == SCOPE_ALL:
        # "Matthews: Well, …": a name and a colon open a line of that person's words.
        for match in _LINE_START.finditer(text):
            if match.end() == 0 or (headline is not None and match.end() <= headline.content[0]):
                continue
            draft = _headline_draft(text, match.end())
            if draft is not None:
                drafts.append(draft)
    return article.finish(drafts)


def cue_candidates(doc: Doc) -> Iterator[tuple[Token, list[str], list[tuple[int, int]]]]:
    """Every candidate cue in a parsed doc with its features and the content spans it gives.

    The training recipe labels these against gold attributions: the same features and spans
    that ``quotes_from_doc`` scores and keeps at run time.
    """
    article = _Article(doc, _merge_split_quotes(doc.text, find_quoted(doc.text)), None)
    for token in doc:
        candidate = article.candidate(token)
        if candidate is None:
            continue
        kind, head, features = candidate
        drafts = article.cue_drafts(token, kind, head, 1.0)
        yield token, features, [draft.content for draft in drafts]


# --------------------------------------------------------------------------- helpers


def _merge_split_quotes(text: str, quoted: list[Quoted]) -> list[Quoted]:
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


_LINE_START = re.compile(r"^", re.MULTILINE)
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


_HEADLINE = re.compile(r"\s*(?P<speaker>[A-Z][^:\n]{1,50}?)(?P<cue>:)\s+(?P<content>[^\n]+)")
_NOT_SPEAKERS = frozenset(
    ["the", "a", "an", "breaking", "update", "exclusive", "watch", "video", "live"]
)


def _headline_draft(text: str, position: int = 0) -> _Draft | None:
    """A headline "Gingrich: Trump Must Decide …" attributes its second half to its first;
    so does a line "Matthews: Well, …" starting at ``position`` (scope "all")."""
    match = _HEADLINE.match(text, position)
    if match is None:
        return None
    words = match.group("speaker").split()
    if (
        len(words) > 4
        or words[0].lower() in _NOT_SPEAKERS
        or any(word[:1].islower() for word in words)
        or (match.group("speaker").isupper() and len(match.group("speaker")) > 4)
    ):
        return None
    start, end = match.span("content")
    while end > start and text[end - 1] in " .\t\r":
        end -= 1
    speaker = match.span("speaker")
    mention_text = match.group("speaker")
    name = canonical_speaker_name(mention_text)
    mention = Mention(speaker[0], mention_text, words[-1].lower(), name, "")
    return _Draft("indirect", (start, end), match.span("cue"), speaker, mention, 0.6)


def _is_trailing_participle(token: Token) -> bool:
    """ "…, throwing a wrench into …": an -ing clause after a comma, adverbial to the sentence.

    PolNeAR leaves it out of the content (scope "all"); the seed gold keeps it (scope "claims").
    """
    return (
        token.dep_ == "advcl"
        and token.tag_ == "VBG"
        and token.left_edge.i > 0
        and token.doc[token.left_edge.i - 1].text in ",;—"
    )


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


class _Article:
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
        self.entity_of: dict[int, object] = {}
        for entity in doc.ents:
            if entity.label_ in _NAMED_ENTITIES:
                for token in entity:
                    self.entity_of[token.i] = entity

    # ---- lookups

    def quote_at(self, position: int) -> Quoted | None:
        """The quoted stretch (marks included) that covers ``position``, if any."""
        index = bisect_right(self.quote_starts, position) - 1
        if index >= 0 and position < self.quoted[index].outer_end:
            return self.quoted[index]
        return None

    def quote_content(self, item: Quoted) -> tuple[int, int]:
        """A direct quote's content: the words inside the marks; scope "all" keeps the marks,
        as PolNeAR's contents do."""
        if self.scope == SCOPE_ALL:
            start, end = item.outer_start, item.outer_end
            while end > start and self.text[end - 1].isspace():
                end -= 1
            return start, end
        return item.inner_start, item.inner_end

    def token_at(self, position: int) -> int:
        return max(bisect_right(self.token_starts, position) - 1, 0)

    def span_of(self, first: Token, last: Token) -> tuple[int, int]:
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
        trailing = ",;:— " if keep_closing else _QUOTE_CHARS + ",;:— "
        while end > start and self.text[end - 1] in trailing:
            end -= 1
        while start < end and self.text[start] in _QUOTE_CHARS + " ":
            start += 1
        return (start, end) if end > start else None

    # ---- speakers

    def mention_for(self, subject: Token) -> tuple[tuple[int, int], Mention]:
        """The speaker mention around a subject token: its noun phrase without clauses."""
        doc = self.doc
        if subject.lower_ in ("who", "which", "that") and subject.head.dep_ == "relcl":
            # "Kasich, who says …": the mention is "who", the name its antecedent's.
            _span, mention = self.mention_for(subject.head.head)
            relative = self.span_of(subject, subject)
            mention.start = relative[0]
            return relative, mention
        first = subject.left_edge.i
        last = subject.i
        for child in subject.rights:
            if child.dep_ in _MENTION_STOP_DEPS:
                break
            if child.dep_ in ("punct", "cc") and child.i == child.right_edge.i:
                continue
            last = child.right_edge.i
        while first < subject.i and (doc[first].is_punct or doc[first].is_space):
            first += 1
        while last > subject.i and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        span = self.span_of(doc[first], doc[last])
        mention_text = self.text[span[0] : span[1]]
        entity = self.entity_of.get(subject.i)
        if entity is not None:
            name = canonical_speaker_name(entity.text) or entity.text.strip()
            label = entity.label_
        elif subject.pos_ == "PROPN" or (not subject.pos_ and subject.text[:1].isupper()):
            name = canonical_speaker_name(mention_text)
            label = ""
        else:
            name, label = "", ""
        if subject.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP:
            name = ""
        mention = Mention(span[0], mention_text, subject.lower_, name, label)
        return span, mention

    @staticmethod
    def subject_of(verb: Token) -> Token | None:
        """The verb's subject, borrowed from the governing verb for "adding that" and "and said"."""
        first = True
        for _ in range(4):
            for child in verb.children:
                if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and not first):
                    return child
            first = False
            if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head != verb:
                verb = verb.head
            else:
                break
        return _Article.subject_before(verb)

    @staticmethod
    def subject_before(verb: Token) -> Token | None:
        """When the parse found no subject: the noun right before the verb ("4 in 10 say")."""
        index = verb.i - 1
        while index >= verb.sent.start and verb.doc[index].dep_ in ("aux", "advmod", "neg"):
            index -= 1
        if index < verb.sent.start:
            return None
        token = verb.doc[index]
        if token.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and token.lower_ not in ("it", "that"):
            return token
        return None

    # ---- parsed documents

    def parsed_drafts(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        model = self.cue_model
        for token in self.doc:
            lower = token.lower_
            if lower == "according":
                draft = self.according_to(token)
                if draft is not None:
                    drafts.append(draft)
                continue
            if lower == "in" and self.scope == SCOPE_ALL:
                draft = self.in_poll(token)
                if draft is not None:
                    drafts.append(draft)
                continue
            if model is None:
                if (lower in VERB_FORMS or lower in INTENT_FORMS) and token.tag_.startswith("VB"):
                    drafts.extend(self.reported(token))
                continue
            candidate = self.candidate(token)
            if candidate is None:
                continue
            kind, head, features = candidate
            score = model.score(features)
            if score >= model.threshold_score or kind == HEARSAY:
                confidence = 1.0 / (1.0 + math.exp(-score))
                if kind == HEARSAY:
                    confidence = max(confidence, 0.5)
                drafts.extend(self.cue_drafts(token, kind, head, confidence))
        return self.attach_quotes(drafts)

    def candidate(self, token: Token) -> tuple[str, Token, list[str]] | None:
        """A word that may report an attribution: what it reports and its features, or None.

        A word inside a quote belongs to the quoted speaker and is never a candidate.
        """
        if token.lower_ == "according":
            return None  # "according to X" has its own rule
        kind, head = content_kind(token)
        if head is None or not in_scope(self.scope, kind, token):
            return None
        around = self.quote_at(token.idx)
        if around is not None and not around.in_aside(token.idx):
            return None
        headline = token.i < self.headline_end
        return kind, head, cue_features(token, kind, head, headline=headline)

    def cue_drafts(self, token: Token, kind: str, head: Token, confidence: float) -> list[_Draft]:
        """Attributions reported by an accepted cue: its content spans with the source."""
        noun = head  # what an object or prepositional object is about
        if kind == CLAUSE and token.pos_ != "NOUN":
            ranges = list(self.complements(token, clause_only=True))
        elif kind == PREPOSITION:
            objects = [child for child in head.children if child.dep_ == "pobj"]
            ranges = [(objects[0].left_edge.i, head.right_edge.i)] if objects else []
            noun = objects[0] if objects else head
        else:
            ranges = [(head.left_edge.i, head.right_edge.i)]
        if kind in (OBJECT, PREPOSITION) and token.pos_ != "NOUN" and ranges:
            # "criticized the president for attacking …": the stance takes in what follows.
            ranges = [(ranges[0][0], self.extend_over_arguments(token, ranges[0][1]))]
        if kind in (OBJECT, PREPOSITION) and self.scope == SCOPE_ALL:
            ranges = [(first, self.before_aside(noun, last)) for first, last in ranges]
        if not ranges:
            return []
        # "reportedly" names no source: the reports are unattributed.
        subject = None if kind == HEARSAY else self.source_of(token)
        speaker, mention = self.mention_for(subject) if subject is not None else (None, None)
        cue = self.span_of(token, token)
        drafts = []
        for first, last in ranges:
            if kind not in (CLAUSE, HEARSAY):
                first = max(first, token.i + 1)
            # Scope "all" follows PolNeAR, whose contents start with the "that".
            content = self.trimmed(first, last, keep_that=self.scope == SCOPE_ALL)
            if content is not None:
                drafts.append(_Draft("indirect", content, cue, speaker, mention, confidence))
        return drafts

    def before_aside(self, noun: Token, last: int) -> int:
        """ "criticized Trump's remarks, which …": a clause or apposition set off by a comma
        after the object describes it, and PolNeAR leaves it out of the stance's content."""
        for child in noun.rights:
            start = child.left_edge.i
            if (
                child.dep_ in ("relcl", "acl", "appos")
                and 0 < start <= last
                and self.doc[start - 1].text in ",;—-("
            ):
                return min(last, start - 2)
        return last

    @staticmethod
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

    def source_of(self, token: Token) -> Token | None:
        """Who reports: the subject, an owner ("his claim that"), or a passive's agent."""
        if token.pos_ == "NOUN":
            for child in token.children:
                if child.dep_ == "poss":
                    return child
            head = token.head
            if token.dep_ in ("dobj", "pobj", "attr") and head.i != token.i:
                if token.dep_ == "pobj" and head.head.i != head.i:
                    head = head.head
                for child in head.children:
                    if child.dep_ == "nsubj":
                        return child
            return None
        for child in token.children:
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        return self.subject_of(token)

    def reported(self, verb: Token) -> list[_Draft]:
        """Attributions of a lexicon verb, for when no cue model is shipped."""
        around = self.quote_at(verb.idx)
        if around is not None and not around.in_aside(verb.idx):
            return []  # speech reported inside a quote belongs to the quote
        if any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children):
            return []
        subject = self.subject_of(verb)
        drafts = []
        for first, last in self.complements(verb):
            content = self.trimmed(first, last)
            if content is None:
                continue
            speaker, mention = self.mention_for(subject) if subject is not None else (None, None)
            confidence = 0.8 if subject is not None else 0.5
            if verb.lower_ not in VERB_FORMS:
                confidence -= 0.2  # an intention ("vowed to …") is a weaker kind of claim
            drafts.append(
                _Draft("indirect", content, self.span_of(verb, verb), speaker, mention, confidence)
            )
        return drafts

    def complements(self, verb: Token, *, clause_only: bool = False) -> Iterator[tuple[int, int]]:
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
            if complement.i < verb.i and self.is_report(complement):
                continue  # "X added that A, he claimed …": A belongs to "added", not here
            if complement.i < verb.i:
                last = min(last, verb.i - 1)
                yield first, last
                continue
            first = max(first, verb.i + 1)
            for token in complement.subtree:
                if token.i > complement.i and self.starts_new_report(token, complement, verb):
                    last = min(last, token.left_edge.i - 1)
                elif (
                    self.scope == SCOPE_ALL
                    and token.i > complement.i
                    and _is_trailing_participle(token)
                ):
                    # "he cannot support Trump, throwing a wrench into …": a comment on it.
                    last = min(last, token.left_edge.i - 1)
            if last == complement.right_edge.i and complement.head == verb:
                last = self.extend_over_modifiers(verb, last)
            reporter = verb.head
            if (
                verb.dep_ == "ccomp"
                and reporter.i > last
                and self.is_report(reporter)
                and any(
                    child.dep_ == "nsubj" and child.lower_ in PRONOUNS_PERSON
                    for child in reporter.children
                )
            ):
                # "X added that while A, he claimed that B": the parser made "added" the
                # complement of "claimed"; what X added runs to the end of the sentence.
                last = reporter.right_edge.i
            yield first, last

    @staticmethod
    def is_report(token: Token) -> bool:
        return token.lower_ in VERB_FORMS and any(child.dep_ == "nsubj" for child in token.children)

    @staticmethod
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

    def extend_over_modifiers(self, verb: Token, last: int) -> int:
        """Take in what the parser hung on the verb after the complement ("…, despite …")."""
        for child in verb.rights:
            if child.i <= last:
                continue
            if child.dep_ == "punct":
                continue
            if self.scope == SCOPE_ALL and _is_trailing_participle(child):
                break  # "…, throwing a wrench into …": the reporter's next act, not content
            if child.dep_ in ("prep", "advcl", "npadvmod", "advmod") and not (
                child.lower_ in VERB_FORMS or child.lower_ in ("according", "in", "on", "at")
            ):
                last = child.right_edge.i
                continue
            break
        return last

    def according_to(self, according: Token) -> _Draft | None:
        doc = self.doc
        if according.i + 1 >= len(doc) or doc[according.i + 1].lower_ != "to":
            return None
        to = doc[according.i + 1]
        sources = [child for child in to.children if child.dep_ == "pobj"]
        sources += [child for child in according.children if child.dep_ == "pobj"]
        if not sources:
            return None
        return self.source_phrase(according, sources[0], max(sources[0].right_edge.i, to.i), to)

    def in_poll(self, token: Token) -> _Draft | None:
        """ "In a poll released Monday, 31% of voters …": a poll or survey that opens the
        sentence reports the rest of it (scope "all")."""
        if token.dep_ != "prep" or token.i != token.sent.start:
            return None
        for child in token.children:
            if child.dep_ == "pobj" and child.lower_ in POLL_NOUNS:
                return self.source_phrase(token, child, child.right_edge.i, token, 0.6)
        return None

    def source_phrase(
        self, according: Token, source: Token, phrase_last: int, to: Token, confidence: float = 0.8
    ) -> _Draft | None:
        """ "According to X, …" and the like: the rest of the sentence is X's. The cue runs
        from ``according`` to ``to``; the phrase naming the source ends at ``phrase_last``."""
        doc = self.doc
        phrase_first = according.i
        sentence = according.sent
        first, last = sentence.start, sentence.end - 1
        before = doc[first:phrase_first].text.strip(" ,\n")
        after = doc[phrase_last + 1 : last + 1].text.strip(" ,.\n")
        if len(after) >= len(before):
            first = phrase_last + 1
        else:
            last = phrase_first - 1
        content = self.trimmed(first, last)
        if content is None or self.quote_at(according.idx) is not None:
            return None
        speaker, mention = self.mention_for(source)
        cue = self.span_of(according, to)
        return _Draft("indirect", content, cue, speaker, mention, confidence)

    def attach_quotes(self, drafts: list[_Draft]) -> list[_Draft]:
        """Turn attributions into direct or mixed quotes where quotation marks say so."""
        attributed: dict[int, _Draft] = {}
        absorbed: set[int] = set()
        result: list[_Draft] = []
        for draft in drafts:
            start, end = draft.content
            inside = [
                index
                for index, item in enumerate(self.quoted)
                if item.outer_start < end and item.outer_end > start
            ]
            if inside:
                last = self.quoted[inside[-1]]
                if start <= last.outer_start and end < last.inner_end:
                    # The parse stops at a sentence end, the quotation does not: "said
                    # that “A. B.”" reports all of it.
                    end = last.outer_end if last.closed else last.inner_end
                    draft.content = (start, end)
            direct = None
            for index in inside:
                item = self.quoted[index]
                overlap = min(end, item.outer_end) - max(start, item.outer_start)
                if overlap >= DIRECT_SHARE * (end - start):
                    direct = index
                    break
            if direct is not None:
                if direct not in attributed:
                    item = self.quoted[direct]
                    draft.kind = "direct"
                    draft.content = self.quote_content(item)
                    draft.confidence = max(draft.confidence, 0.9)
                    attributed[direct] = draft
                continue
            if inside:
                draft.kind = "mixed"
                absorbed.update(inside)
            result.append(draft)
        for index, item in enumerate(self.quoted):
            if index in attributed:
                result.append(attributed[index])
            elif index not in absorbed:
                draft = self.attribute_quote(item)
                if draft is not None:
                    result.append(draft)
        self.continue_speakers(result)
        return result

    @staticmethod
    def continue_speakers(drafts: list[_Draft]) -> None:
        """A quote nobody is said to say continues the speaker of the quote just before it."""
        drafts.sort(key=lambda draft: draft.content)
        previous: _Draft | None = None
        for draft in drafts:
            if (
                draft.speaker is None
                and draft.kind == "direct"
                and previous is not None
                and draft.content[0] - previous.content[1] <= CONTINUATION_CHARS
            ):
                draft.speaker, draft.mention = previous.speaker, previous.mention
                draft.confidence = 0.5
            if draft.speaker is not None:
                previous = draft

    def attribute_quote(self, item: Quoted) -> _Draft | None:
        """A quote no parsed attribution covers: look for "…,” he said" or "He said: “…"."""
        doc = self.doc
        words = _word_count(self.text[item.inner_start : item.inner_end])
        after = self.token_at(item.outer_end)
        if after < len(doc) and doc[after].idx < item.outer_end:
            after += 1
        if item.aside_start >= 0:
            for index in range(self.token_at(item.aside_start), self.token_at(item.aside_end)):
                token = doc[index]
                if token.lower_ in VERB_FORMS and token.tag_.startswith("VB"):
                    return self.quote_draft(item, token, 0.85)
        continues = self.text[item.inner_end - 1 : item.inner_end] in ",?!—-"
        for index in range(after, min(after + 5, len(doc))):
            token = doc[index]
            if "\n" in token.text or self.quote_at(token.idx) is not None:
                break
            if token.lower_ in VERB_FORMS and token.tag_.startswith("VB"):
                if continues or index == after:
                    return self.quote_draft(item, token, 0.85)
                break
            if token.pos_ in ("VERB", "AUX") or token.text in ".;":
                break
        before = self.token_at(item.outer_start) - 1
        # "He told the crowd:" may end the paragraph before the quote.
        if before > 0 and "\n" in doc[before].text and doc[before - 1].text == ":":
            before -= 1
        for index in range(before, max(before - 6, -1), -1):
            token = doc[index]
            if "\n" in token.text or self.quote_at(token.idx) is not None:
                break
            if token.lower_ in VERB_FORMS and token.tag_.startswith("VB"):
                return self.quote_draft(item, token, 0.8)
            if token.pos_ in ("VERB", "AUX") or token.text in ".;":
                break
        if words < MIN_UNATTRIBUTED_WORDS:
            return None
        content = self.quote_content(item)
        subject = self.previous_subject(item)
        if subject is not None:
            speaker, mention = self.mention_for(subject)
            return _Draft("direct", content, None, speaker, mention, 0.45)
        return _Draft("direct", content, None, None, None, 0.4)

    def previous_subject(self, item: Quoted) -> Token | None:
        """ "Cruz blasted the moderators. “You look at …”": the previous sentence's subject."""
        index = self.token_at(item.outer_start)
        sentence = self.doc[index].sent
        if sentence.start_char < item.outer_start - 1:
            return None  # the quote does not start its sentence
        index = sentence.start - 1
        while index >= 0 and (self.doc[index].is_space or self.doc[index].is_punct):
            index -= 1
        if index < 0 or self.quote_at(self.doc[index].idx) is not None:
            return None
        root = self.doc[index].sent.root
        for child in root.children:
            if child.dep_ == "nsubj" and (
                child.ent_type_ in ("PERSON", "ORG", "NORP")
                or child.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP
            ):
                return child
        return None

    def quote_draft(self, item: Quoted, verb: Token, confidence: float) -> _Draft:
        subject = self.subject_of(verb)
        speaker, mention = self.mention_for(subject) if subject is not None else (None, None)
        content = self.quote_content(item)
        return _Draft("direct", content, self.span_of(verb, verb), speaker, mention, confidence)

    # ---- fallback: tokenized only

    def rule_drafts(self) -> list[_Draft]:
        return _rule_drafts(self)

    # ---- speakers and output

    def finish(self, drafts: list[_Draft]) -> list[ExtractedQuote]:
        drafts = _without_near_duplicates(drafts)
        resolver = self.resolver(drafts)
        text = self.text
        seen: set[tuple[int, int]] = set()
        quotes = []
        for draft in sorted(drafts, key=lambda item: (item.content, item.cue or (0, 0))):
            if draft.content in seen:
                continue
            seen.add(draft.content)
            if draft.mention is not None:
                resolved = resolver.resolve(draft.mention)
                speaker, kind, description = resolved.name, resolved.kind, resolved.description
            else:
                speaker, kind, description = "", "unnamed", ""
            quotes.append(
                ExtractedQuote(
                    kind=draft.kind,
                    content=_span(text, draft.content),
                    cue=_span(text, draft.cue) if draft.cue else None,
                    speaker_mention=_span(text, draft.speaker) if draft.speaker else None,
                    speaker=speaker,
                    speaker_kind=kind,
                    speaker_description=description,
                    confidence=round(draft.confidence if speaker else draft.confidence * 0.8, 2),
                )
            )
        return quotes

    def resolver(self, drafts: list[_Draft]) -> SpeakerResolver:
        resolver = SpeakerResolver()
        for entity in self.doc.ents:
            if entity.label_ == "PERSON":
                name = canonical_speaker_name(entity.text)
                if not name:
                    continue
                inside_quote = self.quote_at(entity.start_char) is not None
                salient = entity.root.dep_ in ("nsubj", "nsubjpass") and not inside_quote
                phrase_start = entity.root.left_edge.idx
                description = ""
                if phrase_start < entity.start_char:
                    description = speaker_description(
                        self.text[phrase_start : entity.end_char]
                    ).lower()
                resolver.add_person(entity.start_char, name, description, salient)
            elif entity.label_ in ("ORG", "GPE", "NORP"):
                resolver.add_organization(canonical_speaker_name(entity.text) or entity.text)
        for draft in drafts:
            mention = draft.mention
            if mention is None or not mention.name:
                continue
            if mention.entity_label in ("PERSON", "") and mention.head not in PRONOUNS_GROUP:
                description = speaker_description(mention.text).lower()
                resolver.add_person(mention.start, mention.name, description, True)
        resolver.finish()
        return resolver


def _without_near_duplicates(drafts: list[_Draft]) -> list[_Draft]:
    """One quote per stretch of text. Of two whose contents mostly coincide (character
    Jaccard >= ``DUPLICATE_OVERLAP``), the longer one stays ("X said Y wants Z" reports Y's
    want once, through "said") unless the shorter one's cue is clearly more likely (by more
    than ``DUPLICATE_CONFIDENCE_GAP``: "While the Kremlin maintains A, X signed …", where the
    parse makes A what "signed" reports)."""
    kept: list[_Draft] = []
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


def _span(text: str, offsets: tuple[int, int]) -> TextSpan:
    start, end = offsets
    return TextSpan(start, end, text[start:end])


# --------------------------------------------------------------------------- rule-only fallback

_CUES = "|".join(sorted((re.escape(form) for form in VERB_FORMS), key=len, reverse=True))
_NAME = r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*|[Hh]e|[Ss]he|[Tt]hey|[Ii]t"
_AFTER_QUOTE = re.compile(
    rf"[\s,]*(?:(?P<speaker>{_NAME})\s+(?P<cue>{_CUES})\b|(?P<cue2>{_CUES})\s+(?P<speaker2>{_NAME}))"
)
_BEFORE_QUOTE = re.compile(
    rf"(?P<speaker>{_NAME})\s+(?:has\s+|had\s+|also\s+)?(?P<cue>{_CUES})\b[^.!?\n“”\"]{{0,40}}?[:,]?\s*$"
)
_INDIRECT = re.compile(
    rf"(?P<speaker>{_NAME})\s+(?:has\s+|had\s+|also\s+)?(?P<cue>{_CUES})\s+(?:that\s+)?"
    r"(?P<content>[^“”\"\n]+?)[.!?]?\s*$"
)


def _rule_mention(text: str, start: int, end: int) -> tuple[tuple[int, int], Mention]:
    mention_text = text[start:end]
    head = mention_text.split()[-1].lower() if mention_text.split() else ""
    return (start, end), Mention(
        start, mention_text, head, canonical_speaker_name(mention_text), ""
    )


def _rule_drafts(article: _Article) -> list[_Draft]:
    """Quotation marks and "X said (that) …" by regular expressions, for the blank pipeline."""
    text = article.text
    drafts: list[_Draft] = []
    for item in article.quoted:
        content = (item.inner_start, item.inner_end)
        after = _AFTER_QUOTE.match(text, item.outer_end, min(len(text), item.outer_end + 80))
        line_start = max(text.rfind("\n", 0, item.outer_start) + 1, item.outer_start - 120)
        before = _BEFORE_QUOTE.search(text, line_start, item.outer_start)
        match, group = (after, "") if after else (before, "")
        if after and after.group("cue2"):
            group = "2"
        if match is None:
            if _word_count(text[item.inner_start : item.inner_end]) >= MIN_UNATTRIBUTED_WORDS:
                drafts.append(_Draft("direct", content, None, None, None, 0.4))
            continue
        speaker, mention = _rule_mention(
            text, match.start("speaker" + group), match.end("speaker" + group)
        )
        cue = (match.start("cue" + group), match.end("cue" + group))
        drafts.append(_Draft("direct", content, cue, speaker, mention, 0.6))
    for sentence in article.doc.sents:
        start = sentence.start_char
        if article.quote_at(start) is not None:
            continue
        match = _INDIRECT.search(text, start, sentence.end_char)
        if match is None or article.quote_at(match.start("cue")) is not None:
            continue
        content = (match.start("content"), match.end("content"))
        content_text = text[content[0] : content[1]].rstrip(" ,;:")
        content = (content[0], content[0] + len(content_text))
        if _word_count(content_text) < 3:
            continue
        speaker, mention = _rule_mention(text, match.start("speaker"), match.end("speaker"))
        cue = (match.start("cue"), match.end("cue"))
        drafts.append(_Draft("indirect", content, cue, speaker, mention, 0.5))
    return drafts

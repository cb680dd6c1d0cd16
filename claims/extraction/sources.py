"""Who is the source of a cue: a learned choice among the noun phrases of the cue's sentence.

The rules (``mentions``, ``direct``) pick one source word per cue from the parse. This module
lists the other nouns, names and pronouns of the sentence as candidates, describes each one in
words (its relation to the cue in the parse, side and distance, entity type, pronoun, inside
quotation marks or the content, whether the rules picked it …) and scores them with a
conditional logit learned on PolNeAR train by ``bench/train_extractor.py`` (weights in
``source_weights.json``; scoring is a sum of weights and a softmax). A "nobody" option stands
for a source that is none of them. The rules' pick, taken with the words of its noun phrase,
stays unless a candidate outside it is more probable (``decide``), and a phrase the model
finds unlikely keeps its mention but loses its name: an empty name is honest, a wrong one is
not.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from claims.extraction.cues import lemma_of
from claims.extraction.document import ArticleDoc, Draft
from claims.extraction.lexicon import PERSON_NOUNS, PERSON_TITLES
from claims.extraction.mentions import mention_for

SOURCE_WEIGHTS_PATH = Path(__file__).with_name("source_weights.json")
NOBODY = "nobody"
# Candidates further than this many words from the cue are not considered.
MAX_DISTANCE = 40
_CANDIDATE_POS = frozenset(["NOUN", "PROPN", "PRON"])
_RELATIVES = frozenset(["who", "which", "that"])


@dataclass(frozen=True, slots=True)
class SourceModel:
    """Weights of the selector and the probabilities its decisions need."""

    weights: dict[str, float]
    switch: float  # another candidate replaces the rules' pick at this probability or more
    add: float  # a candidate becomes the source of a cue the rules gave none
    named: float  # below this probability the rules' pick keeps its mention but no name

    def probabilities(self, options: list[list[str]]) -> list[float]:
        scores = [sum(self.weights.get(word, 0.0) for word in words) for words in options]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return [value / total for value in exps]

    @classmethod
    def from_json(cls, data: dict) -> "SourceModel":
        return cls(
            weights=data["weights"],
            switch=data["switch"],
            add=data["add"],
            named=data["named"],
        )


@lru_cache(maxsize=1)
def load_source_model(path: Path = SOURCE_WEIGHTS_PATH) -> SourceModel | None:
    """The shipped selector, or None when the weights file is missing (the rules alone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return SourceModel.from_json(data)


@dataclass(slots=True)
class SourceChoice:
    """The candidates of one draft: tokens (None is "nobody"), their features, the rules' pick."""

    draft: Draft
    cue: Token
    tokens: list[Token | None]
    features: list[list[str]]
    rule: int  # index in ``tokens`` of the rules' pick
    phrase: frozenset[int]  # indexes of the candidates inside the rules' noun phrase
    phrase_span: tuple[int, int] | None  # that phrase's first and last token


def cue_token(article: ArticleDoc, draft: Draft) -> Token | None:
    """The word a draft's cue starts with, when it is a word (not a dash or a colon)."""
    if draft.cue is None:
        return None
    token = article.doc[article.token_at(draft.cue[0])]
    if token.pos_ not in ("VERB", "AUX", "NOUN", "ADJ", "ADV") and token.lower_ != "according":
        return None
    return token


def rule_token(article: ArticleDoc, draft: Draft) -> Token | None:
    """The word the rules took for the source: the root of the mention span."""
    if draft.speaker is None:
        return None
    span = article.doc.char_span(*draft.speaker, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def source_choice(article: ArticleDoc, draft: Draft) -> SourceChoice | None:
    """The candidates for a draft's source and their features, or None for a draft the
    selector does not handle (no cue word)."""
    cue = cue_token(article, draft)
    if cue is None:
        return None
    rule = rule_token(article, draft)
    sentence = cue.sent
    first = max(sentence.start, cue.i - MAX_DISTANCE)
    last = min(sentence.end, cue.i + MAX_DISTANCE + 1)
    tokens: list[Token | None] = [None]
    for token in article.doc[first:last]:
        if token == rule or _is_candidate(article, draft, token, cue):
            tokens.append(token)
    if rule is not None and rule not in tokens:
        tokens.append(rule)
    kind = draft.kind
    features = [_nobody_features(kind, rule, cue)]
    nearest = _nearest(tokens, cue)
    for token in tokens[1:]:
        features.append(_features(article, draft, cue, token, rule, nearest))
    index = tokens.index(rule) if rule is not None else 0
    span = rule_phrase(article, draft)
    phrase = frozenset(
        position
        for position, token in enumerate(tokens)
        if token is not None and span is not None and span[0] <= token.i <= span[1]
    )
    return SourceChoice(draft, cue, tokens, features, index, phrase, span)


_PHRASE_POS = frozenset(["PROPN", "NOUN", "NUM", "ADJ"])


def rule_phrase(article: ArticleDoc, draft: Draft) -> tuple[int, int] | None:
    """The tokens of the rules' mention, run on over the names and nouns right next to it:
    "Air Force 1st" before "Lt. Tyler Livingston" is part of one phrase the parse split, and
    another of its words is no better a source than the one the rules took."""
    if draft.speaker is None:
        return None
    span = article.doc.char_span(*draft.speaker, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    doc = article.doc
    first, last = span.start, span.end - 1
    while first > 0 and (doc[first - 1].pos_ in _PHRASE_POS or doc[first - 1].text == "."):
        first -= 1
    while last + 1 < len(doc) and (doc[last + 1].pos_ in _PHRASE_POS or doc[last + 1].text == "."):
        last += 1
    return first, last


def _is_candidate(article: ArticleDoc, draft: Draft, token: Token, cue: Token) -> bool:
    if token == cue or token.dep_ == "compound":
        return False
    if token.pos_ not in _CANDIDATE_POS and token.lower_ not in _RELATIVES:
        return False
    if token.ent_type_ in ("DATE", "TIME"):
        return False  # "9:10 p.m. — Turnout appears …", "Wednesday": never anyone's words
    if token.lower_ in _RELATIVES and token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    quoted = article.quote_at(token.idx)
    if quoted is not None and not quoted.in_aside(token.idx):
        return False  # the quote's own words
    start, end = draft.content
    return not (start <= token.idx < end) or (quoted is not None and quoted.in_aside(token.idx))


def _nearest(tokens: list[Token | None], cue: Token) -> set[int]:
    """Indexes of the nearest candidate before and after the cue."""
    before = [t.i for t in tokens if t is not None and t.i < cue.i]
    after = [t.i for t in tokens if t is not None and t.i > cue.i]
    return ({max(before)} if before else set()) | ({min(after)} if after else set())


def _relation(token: Token, cue: Token) -> str:
    """How the candidate hangs on the cue in the parse."""
    if token.head == cue:
        return "child:" + token.dep_
    if token.head.head == cue and token.head != token:
        return f"grand:{token.head.dep_}>{token.dep_}"
    if cue.head == token and cue != token:
        return "parent:" + cue.dep_
    if token.head == cue.head and cue.head != cue:
        return f"sibling:{cue.dep_}/{token.dep_}"
    if cue.head.head == token.head and token.head != token:
        return f"uncle:{cue.head.dep_}/{token.dep_}"
    if token.is_ancestor(cue):
        return "ancestor"
    if cue.is_ancestor(token):
        return "descendant"
    return "other"


def _distance(value: int) -> str:
    for limit in (1, 2, 4, 8, 16):
        if value <= limit:
            return str(limit)
    return "far"


def _features(
    article: ArticleDoc,
    draft: Draft,
    cue: Token,
    token: Token,
    rule: Token | None,
    nearest: set[int],
) -> list[str]:
    doc = article.doc
    relation = _relation(token, cue)
    side = "before" if token.i < cue.i else "after"
    distance = _distance(abs(token.i - cue.i))
    lower = token.lower_
    word = lower if token.pos_ in ("PRON", "NOUN") or lower in _RELATIVES else "<name>"
    entity = token.ent_type_ or "-"
    quoted = article.quote_at(token.idx)
    in_quote = quoted is not None and not quoted.in_aside(token.idx)
    start, end = draft.content
    in_content = start <= token.idx < end
    phrase = doc[token.left_edge.i : token.i + 1]
    person_named = any(word.ent_type_ == "PERSON" for word in phrase)
    titled = any(word.lower_.rstrip(".") in PERSON_TITLES for word in phrase)
    picked = "rule" if token == rule else "other"
    cue_word = lemma_of(cue)
    features = [
        "bias",
        f"rel={relation}",
        f"rel={relation}|side={side}",
        f"rel={relation}|kind={draft.kind}",
        f"rel={relation}|cuepos={cue.pos_}",
        f"rel={relation}|ent={entity}",
        f"dep={token.dep_}",
        f"dep={token.dep_}|side={side}",
        f"pos={token.pos_}",
        f"tag={token.tag_}",
        f"ent={entity}",
        f"ent={entity}|side={side}",
        f"side={side}|dist={distance}",
        f"side={side}|dist={distance}|kind={draft.kind}",
        f"word={word}",
        f"word={word}|side={side}",
        f"picked={picked}",
        f"picked={picked}|rel={relation}",
        f"picked={picked}|word={word}",
        f"picked={picked}|ent={entity}",
        f"picked={picked}|kind={draft.kind}",
        f"quote={in_quote}",
        f"content={in_content}",
        f"person_named={person_named}",
        f"person_named={person_named}|rel={relation}",
        f"titled={titled}",
        f"person_noun={lower in PERSON_NOUNS}",
        f"capital={token.text[:1].isupper()}|pos={token.pos_}",
        f"nearest={token.i in nearest}|side={side}",
        f"head={token.head.lower_ if token.head.pos_ != 'PROPN' else '<name>'}|dep={token.dep_}",
        f"cue={cue_word}|rel={relation}",
    ]
    if token.left_edge.i > 0:
        features.append(f"before={doc[token.left_edge.i - 1].lower_}|side={side}")
    return features


def _nobody_features(kind: str, rule: Token | None, cue: Token) -> list[str]:
    picked = "none" if rule is None else rule.lower_ if rule.pos_ == "PRON" else rule.pos_
    return [
        NOBODY,
        f"{NOBODY}|kind={kind}",
        f"{NOBODY}|rule={picked}",
        f"{NOBODY}|cuepos={cue.pos_}",
        f"{NOBODY}|cue={lemma_of(cue)}",
    ]


def reselect_sources(article: ArticleDoc, drafts: list[Draft], model: SourceModel) -> None:
    """Give each draft with a cue word the source the selector prefers (in place)."""
    for draft in drafts:
        if draft.settled:
            continue
        choice = source_choice(article, draft)
        if choice is None or len(choice.tokens) < 2:
            continue
        pick, named = decide(choice, model.probabilities(choice.features), model)
        if pick != choice.rule and not _quoting_medium(choice.tokens[pick]):
            speaker, mention = mention_for(article, choice.tokens[pick])
            if pick in choice.phrase or not _overlaps(choice, article, speaker):
                draft.speaker, draft.mention = speaker, mention
        draft.named = named


def decide(
    choice: SourceChoice, probabilities: list[float], model: SourceModel
) -> tuple[int, bool]:
    """The candidate to take (``choice.rule`` to keep the rules' pick) and whether it gets a
    name. The rules' phrase counts with all its words' probability (the model spreads it over
    "Chris Collins … and Duncan Hunter"); a word outside it replaces it only when more
    probable, and a phrase left in place below ``model.named`` is not named. Inside the
    phrase, a person's name the model prefers to the rules' word that is no name ("co" in
    "co-host Mika Brzezinski") becomes the source, unless the phrase lists several members (a
    group is all its members or nobody)."""
    phrase_probability = sum(probabilities[index] for index in choice.phrase)
    outside = [index for index in range(1, len(choice.tokens)) if index not in choice.phrase]
    if outside:
        best = max(outside, key=lambda index: probabilities[index])
        needed = model.switch if choice.phrase else model.add
        if probabilities[best] >= needed and probabilities[best] > phrase_probability:
            return best, True
    named = not choice.phrase or phrase_probability >= model.named
    rule = choice.tokens[choice.rule]
    if rule is not None and rule.ent_type_ != "PERSON" and not _lists(choice):
        inside = max(choice.phrase, key=lambda index: probabilities[index])
        token = choice.tokens[inside]
        if token.ent_type_ == "PERSON" and probabilities[inside] > probabilities[choice.rule]:
            return inside, named
    return choice.rule, named


def _quoting_medium(token: Token | None) -> bool:
    """ "Rubio was quoted by Politico as saying …", "according to court documents seen by
    Reuters": who quotes or saw the source is the medium, not the source (the selector,
    linear over parse features, took Politico and Reuters for the speaker)."""
    return (
        token is not None
        and token.dep_ == "pobj"
        and token.head.dep_ == "agent"
        and token.head.head.lower_ in ("quoted", "cited", "seen", "obtained", "reviewed")
    )


def _lists(choice: SourceChoice) -> bool:
    """Whether the rules' phrase joins several members with "and", "or" or "nor"."""
    if choice.phrase_span is None:
        return False
    first, last = choice.phrase_span
    return any(token.pos_ == "CCONJ" for token in choice.cue.doc[first : last + 1])


def _overlaps(choice: SourceChoice, article: ArticleDoc, speaker: tuple[int, int]) -> bool:
    """Whether a new mention runs into the rules' phrase (an appositive around it)."""
    if choice.phrase_span is None:
        return False
    first, last = choice.phrase_span
    start, end = article.doc[first].idx, article.doc[last].idx + len(article.doc[last])
    return start < speaker[1] and speaker[0] < end

"""Which words report an attribution: a logistic model over parse features of candidate cues.

Every verb or noun that has something it could report (a clause, an infinitive, an object, a
prepositional object) is a candidate. ``cue_features`` describes it in words from the parse,
and ``CueModel`` scores those words with weights learned on PolNeAR train by
``bench/train_extractor.py``. The weights ship in ``cue_weights.json`` next to this module;
scoring is a sum of weights, so neither scikit-learn nor the training data is needed here.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from claims.extraction.lexicon import INTENT_FORMS, PRONOUNS_GROUP, PRONOUNS_PERSON, VERB_FORMS
from claims.extraction.phrases import DOCUMENT_NOUNS

WEIGHTS_PATH = Path(__file__).with_name("cue_weights.json")

# What a candidate reports, in order of preference: a clause ("said that …", "believes …"),
# an infinitive ("vowed to …"), a direct object ("endorsed Cruz"), a prepositional object
# ("called for …", "his remarks about …").
CLAUSE, INFINITIVE, OBJECT, PREPOSITION = "clause", "infinitive", "object", "preposition"
# What counts as an attribution: claims (speech and thought with a clause, the default) or
# all that PolNeAR annotates (also stances, intentions and hearsay).
SCOPE_CLAIMS, SCOPE_ALL = "claims", "all"
SCOPES = (SCOPE_CLAIMS, SCOPE_ALL)
# A hearsay adverb ("Trump reportedly plans …") reports the clause it modifies. In scope
# "all" it is always an attribution (too rare in train for the model to learn), with no source.
HEARSAY = "hearsay"
HEARSAY_ADVERBS = frozenset(["reportedly", "allegedly", "purportedly", "supposedly"])
CONTENT_PREPOSITIONS = frozenset(
    ["for", "about", "to", "on", "of", "against", "over", "at", "with", "as"]
)
_CLAUSE_DEPS = frozenset(["ccomp"])
_NOUN_CLAUSE_DEPS = frozenset(["acl", "ccomp", "relcl"])
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# What a preposition governs when it reports something: a noun phrase ("called for a ban")
# or, since 2.4.0, a clause or gerund ("cautioned against drawing …", "clashed over how …").
PREPOSITION_OBJECT_DEPS = frozenset(["pobj", "pcomp"])
# An adjective after a copula reports a stance or a thought of the subject ("was critical of
# …", "is confident that …", "were eager to …"; 2.4.0, scope "all").
_ADJECTIVE_CUE_DEPS = frozenset(["acomp"])


def lemma_of(token: Token) -> str:
    """A cheap lemma (the lemmatizer is off for speed): lexicon forms, else suffix stripping."""
    lower = token.lower_
    lemma = VERB_FORMS.get(lower) or INTENT_FORMS.get(lower)
    if lemma:
        return lemma
    if token.tag_ in ("NNS", "NNPS") and lower.endswith("s") and len(lower) > 3:
        return lower[:-2] if lower.endswith(("sses", "ches", "shes")) else lower[:-1]
    if token.tag_ in ("VBD", "VBN") and lower.endswith("ed") and len(lower) > 4:
        return lower[:-1] if lower.endswith(("ated", "ized", "ised", "ured")) else lower[:-2]
    if token.tag_ == "VBG" and lower.endswith("ing") and len(lower) > 5:
        return lower[:-3]
    if token.tag_ == "VBZ" and lower.endswith("s") and len(lower) > 3:
        return lower[:-1]
    return lower


def following_clause(verb: Token) -> Token | None:
    """A clause right after the verb that the parser hung elsewhere ("maintains it is open")."""
    doc = verb.doc
    if verb.i + 1 >= len(doc):
        return None
    following = doc[verb.i + 1]
    if following.lower_ == "that" and following.i + 1 < len(doc):
        following = doc[following.i + 1]
    head = following.head
    if (
        following.dep_ in ("nsubj", "nsubjpass", "mark")
        and head.i > following.i
        and head != verb
        and head.pos_ in ("VERB", "AUX")
    ):
        return head
    return None


# What a reporting verb says something in: "said in a statement", "wrote in a note".
# And a court's: "wrote in a 14-page order that …".
_MESSAGES = DOCUMENT_NOUNS | {
    *("note", "notes", "e-mail", "e-mails", "letters", "memos"),
    *("order", "ruling", "filing", "filings", "decision", "opinion", "motion"),
}


def clause_of_message(verb: Token) -> Token | None:
    """ "wrote in a note that margins remained under pressure", "said in a letter that …": the
    parse hung the clause the verb reports on the message it was said in. Only a clause
    opened by "that" with a subject of its own ("in a statement that was released" is a
    relative clause)."""
    if verb.lower_ not in VERB_FORMS:
        return None
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "in" or prep.i < verb.i:
            continue
        for message in prep.children:
            if message.dep_ != "pobj" or message.lower_ not in _MESSAGES:
                continue
            for clause in message.children:
                if (
                    clause.dep_ in _NOUN_CLAUSE_DEPS
                    and clause.i > message.i
                    and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
                    and any(c.dep_ in _SUBJECT_DEPS for c in clause.children)
                ):
                    return clause
    return None


def verbal(complement: Token) -> bool:
    """An infinitive ("vowed to raise", "did not want to be quoted") or, since 2.4.0, a gerund
    ("is considering abandoning …", "suggested raising …") that a verb could report."""
    if complement.tag_ in ("VB", "VBG"):
        return True
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in complement.children)


def lone_name(complement: Token) -> bool:
    """A "clause" that is one proper noun and nothing else: a parse that took a name in the
    verb's object for its complement ("told the local radio station WHCR that …" parsed WHCR
    as the clause). What is reported is the real clause after it, or nothing."""
    return complement.pos_ == "PROPN" and complement.n_lefts + complement.n_rights == 0


def reports_object(prep: Token) -> bool:
    """Whether a preposition governs something it could report (a noun phrase or a clause)."""
    return any(child.dep_ in PREPOSITION_OBJECT_DEPS for child in prep.children)


def content_kind(token: Token) -> tuple[str, Token | None]:
    """What the candidate reports and the word heading it; ("", None) if it reports nothing."""
    pos = token.pos_
    if pos == "VERB" or (pos == "AUX" and token.tag_.startswith("VB") and token.dep_ == "ROOT"):
        infinitive = obj = prep = None
        for child in token.children:
            dep = child.dep_
            if dep in _CLAUSE_DEPS and not lone_name(child):
                return CLAUSE, child
            if dep == "xcomp" and child.i > token.i and infinitive is None and verbal(child):
                infinitive = child
            elif dep == "dobj" and obj is None and child.i > token.i:
                obj = child
            elif (
                dep == "prep"
                and prep is None
                and child.i > token.i
                and child.lower_ in CONTENT_PREPOSITIONS
            ):
                prep = child
        following = following_clause(token) or clause_of_message(token)
        if following is not None:
            return CLAUSE, following
        if token.dep_ == "parataxis" and token.head.i != token.i:
            return CLAUSE, token.head
        if infinitive is not None:
            return INFINITIVE, infinitive
        if obj is not None:
            return OBJECT, obj
        if prep is not None and reports_object(prep):
            return PREPOSITION, prep
        return "", None
    if pos == "ADJ":
        return _adjective_content(token)
    if token.lower_ in HEARSAY_ADVERBS:
        if token.dep_ == "advmod" and token.head.pos_ in ("VERB", "AUX"):
            return HEARSAY, token.head
        return "", None
    if pos == "NOUN":
        prep = None
        for child in token.rights:
            dep = child.dep_
            if dep in _NOUN_CLAUSE_DEPS and child.pos_ in ("VERB", "AUX"):
                if child.tag_ == "VB":
                    return INFINITIVE, child
                if dep != "relcl" or any(
                    grandchild.lower_ == "that" and grandchild.dep_ == "mark"
                    for grandchild in child.children
                ):
                    return CLAUSE, child
            elif dep == "prep" and prep is None and child.lower_ in CONTENT_PREPOSITIONS:
                prep = child
        if prep is not None and reports_object(prep):
            return PREPOSITION, prep
    return "", None


def is_adjective_cue(token: Token) -> bool:
    """An adjective after a copula ("was critical of"), whose subject is the copula's."""
    return token.pos_ == "ADJ" and token.dep_ in _ADJECTIVE_CUE_DEPS and token.head.i != token.i


def _adjective_content(token: Token) -> tuple[str, Token | None]:
    if not is_adjective_cue(token):
        return "", None
    prep = None
    for child in token.rights:
        dep = child.dep_
        if dep == "ccomp":
            return CLAUSE, child
        if dep == "xcomp" and verbal(child):
            return INFINITIVE, child
        if dep == "prep" and prep is None and child.lower_ in CONTENT_PREPOSITIONS:
            prep = child
    if prep is not None and reports_object(prep):
        return PREPOSITION, prep
    return "", None


def _size_bucket(count: int) -> str:
    if count <= 1:
        return "1"
    if count <= 3:
        return "2-3"
    if count <= 7:
        return "4-7"
    if count <= 15:
        return "8-15"
    return "16+"


def _subject_class(token: Token) -> str:
    if token.lower_ in PRONOUNS_PERSON:
        return "he"
    if token.lower_ in PRONOUNS_GROUP:
        return token.lower_
    if token.ent_type_:
        return token.ent_type_
    return token.pos_ or "x"


def source_class(token: Token) -> tuple[str, str]:
    """The kind of source the candidate has in its own phrase (subject, owner or agent), and
    the source's head word."""
    for child in token.children:
        dep = child.dep_
        if dep in _SUBJECT_DEPS:
            prefix = "subj:" if dep == "nsubj" else "passsubj:"
            return prefix + _subject_class(child), child.lower_
        if dep == "poss":
            return "poss:" + _subject_class(child), child.lower_
        if dep == "agent":
            return "agent", ""
    head = token.head
    if token.dep_ in ("conj", "advcl", "xcomp") and head.i != token.i:
        for child in head.children:
            if child.dep_ == "nsubj":
                return "borrowed:" + _subject_class(child), child.lower_
    if token.dep_ == "dobj" and head.i != token.i:
        for child in head.children:
            if child.dep_ == "nsubj":
                return "verbsubj:" + _subject_class(child), child.lower_
    return "none", ""


def cue_features(
    token: Token,
    kind: str,
    head: Token,
    *,
    headline: bool,
    sentence: tuple[int, int, bool] | None = None,
) -> list[str]:
    """The words describing one candidate cue; the model weighs each of them."""
    lemma = lemma_of(token)
    source, source_word = source_class(token.head if is_adjective_cue(token) else token)
    source_kind = source.partition(":")[0]
    span = head.right_edge.i - (head.left_edge.i if kind in (CLAUSE, HEARSAY) else head.i) + 1
    if kind == PREPOSITION:
        target = head.lower_
    elif kind == OBJECT:
        target = head.pos_
    else:
        target = head.tag_
    if token.lower_ in VERB_FORMS:
        lexicon = "speech"
    else:
        lexicon = "intent" if token.lower_ in INTENT_FORMS else "-"
    passive = any(child.dep_ in ("auxpass", "nsubjpass") for child in token.children)
    negated = any(child.dep_ == "neg" for child in token.children)
    previous = token.doc[token.i - 1].lower_ if token.i > 0 else "<s>"
    has_that = head.i > 0 and token.doc[head.left_edge.i].lower_ == "that"
    features = [
        f"w={token.lower_}",
        f"l={lemma}",
        f"t={token.tag_}",
        f"d={token.dep_}",
        f"k={kind}",
        f"lk={lemma}|{kind}",
        f"lkt={lemma}|{kind}|{target}",
        f"kt={kind}|{target}",
        f"s={source}",
        f"sk={source_kind}",
        f"ls={lemma}|{source_kind}",
        f"ks={kind}|{source_kind}",
        f"lex={lexicon}",
        f"lexk={lexicon}|{kind}",
        f"n={_size_bucket(span)}",
        f"kn={kind}|{_size_bucket(span)}",
        f"hd={token.head.pos_}|{token.dep_}",
        f"p1={previous}",
        f"lp1={lemma}|{previous}",
        f"sw={source_word}",
        f"h={lemma_of(token.head)}|{token.dep_}",
    ]
    if kind in (OBJECT, PREPOSITION):
        features.append(f"lo={lemma}|{head.lower_}")
    doc = token.doc
    quoted = doc[head.left_edge.i : head.right_edge.i].text
    if any(mark in quoted for mark in '“”"'):
        features.append("quoted")
        features.append(f"kquoted={kind}")
    if passive:
        features.append("passive")
        features.append(f"lpass={lemma}")
    if negated:
        features.append("neg")
    if has_that:
        features.append("that")
        features.append(f"lthat={lemma}")
    if headline:
        features.append("headline")
    features.extend(context_features(token, kind, head, lemma, sentence))
    return features


def context_features(
    token: Token, kind: str, head: Token, lemma: str, sentence: tuple[int, int, bool] | None
) -> list[str]:
    """What surrounds the candidate (2.4.0): the kind of thing a stance is about, how the
    reported clause opens, a modal, the word's place in its sentence and quotation marks in
    the sentence."""
    doc = token.doc
    features = [f"lt={lemma}|{token.tag_}"]
    if kind in (OBJECT, PREPOSITION):
        noun = head
        if kind == PREPOSITION:
            noun = next((c for c in head.children if c.dep_ in PREPOSITION_OBJECT_DEPS), head)
        features.append(f"ce={noun.ent_type_ or noun.pos_}")
        features.append(f"kce={kind}|{noun.ent_type_ or noun.pos_}")
    else:
        first = doc[head.left_edge.i]
        features.append(f"c1={first.lower_ if first.pos_ in ('SCONJ', 'PRON') else first.pos_}")
    for child in token.children:
        if child.tag_ == "MD":
            features.append(f"md={child.lower_}")
        elif child.dep_ == "dative":
            features.append("dative")
    if sentence is None:
        span = token.sent
        sentence = span.start, span.end, any(mark in span.text for mark in '“”"')
    start, end, quoted = sentence
    if token.i - start <= 2:
        features.append("early")
    elif end - token.i <= 3:
        features.append("late")
    if quoted:
        features.append("sq")
    return features


def in_scope(scope: str, kind: str, token: Token) -> bool:
    """Whether a candidate of this kind counts in the scope asked for.

    ``claims``: what someone said or thought about something, a clause ("said that …",
    "believes …"). ``all``: every attribution PolNeAR annotates, also stances and intentions
    ("endorsed Cruz", "vowed to …", "his refusal to …", "reportedly").
    """
    if scope == SCOPE_ALL:
        return True
    return kind == CLAUSE and token.pos_ not in ("NOUN", "ADJ")


@dataclass(frozen=True, slots=True)
class CueModel:
    """Logistic regression weights: P(cue) = sigmoid(bias + sum of the features' weights)."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, features: Iterable[str]) -> float:
        weights = self.weights
        total = self.bias
        for feature in features:
            total += weights.get(feature, 0.0)
        return total

    def probability(self, features: Iterable[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(features)))

    @property
    def threshold_score(self) -> float:
        """The threshold on the probability, as a score (no exp needed to compare)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    @classmethod
    def from_json(cls, data: dict) -> "CueModel":
        return cls(
            weights={key: float(value) for key, value in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )


@lru_cache(maxsize=1)
def load_cue_model(path: Path = WEIGHTS_PATH) -> CueModel | None:
    """The shipped weights, or None when the file is missing (the lexicon rules apply then)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return CueModel.from_json(data)

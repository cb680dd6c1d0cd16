"""What an accepted cue reports: the token ranges of its content, by rules on the parse (the
clause without the reporter's next act, an object with its further arguments, PolNeAR's
boundaries in scope "all")."""

from collections.abc import Iterator

from spacy.tokens import Token

from claims.extraction.cues import (
    CLAUSE,
    HEARSAY,
    INFINITIVE,
    OBJECT,
    PREPOSITION,
    PREPOSITION_OBJECT_DEPS,
    SCOPE_ALL,
    clause_of_message,
    following_clause,
    lone_name,
)
from claims.extraction.document import ArticleDoc
from claims.extraction.lexicon import INTENT_FORMS, PRONOUNS_PERSON, VERB_FORMS

_ARGUMENT_DEPS = frozenset(["dobj", "prep", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr"])
_OPENING_MARKS = frozenset(["“", '"', "‘", "``"])
_BREAKS = frozenset([",", ";", ":", "—", "–", "--", "(", ")"])


def content_ranges(
    article: ArticleDoc, token: Token, kind: str, head: Token
) -> list[tuple[int, int]]:
    """Token ranges of what the cue reports."""
    noun = head  # what an object or prepositional object is about
    if kind == CLAUSE and token.pos_ != "NOUN":
        ranges = list(complements(article, token, clause_only=True))
    elif kind == PREPOSITION:
        objects = [child for child in head.children if child.dep_ in PREPOSITION_OBJECT_DEPS]
        ranges = [(objects[0].left_edge.i, head.right_edge.i)] if objects else []
        noun = objects[0] if objects else head
    else:
        ranges = [(head.left_edge.i, head.right_edge.i)]
    if kind == INFINITIVE and article.scope == SCOPE_ALL and token.pos_ != "NOUN":
        # "urged the Commission to present a proposal": PolNeAR's content is who is urged
        # and what to do.
        for child in token.rights:
            if child.dep_ in ("dobj", "dative") and child.i < head.i:
                ranges = [(child.left_edge.i, head.right_edge.i)]
                break
    if kind in (OBJECT, PREPOSITION) and token.pos_ != "NOUN" and ranges:
        # "criticized the president for attacking …": the stance takes in what follows.
        ranges = [(ranges[0][0], extend_over_arguments(token, ranges[0][1]))]
    if kind in (OBJECT, PREPOSITION) and article.scope == SCOPE_ALL:
        ranges = [(first, before_aside(article, noun, last)) for first, last in ranges]
    if kind not in (CLAUSE, HEARSAY):
        ranges = [(max(first, token.i + 1), last) for first, last in ranges]
    if kind == INFINITIVE and article.scope == SCOPE_ALL and token.pos_ != "NOUN" and ranges:
        # "Trump is expected to attend": PolNeAR's content is who is expected to do what, as
        # for an impression ("appears to …"); the passive's subject opens it (2.5.0).
        subject = next((child for child in token.lefts if child.dep_ == "nsubjpass"), None)
        if subject is not None:
            ranges = [(subject.left_edge.i, ranges[0][1]), *ranges[1:]]
    return ranges


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
    """The verb's further arguments after ``last`` (objects, prepositions), up to a comma.

    An opening quotation mark hung on the verb does not end them: "calling the governor “a
    disgrace”" reports the governor and the quoted words (2.4.0). A predicate after "as",
    a to-infinitive or a gerund that the parse made a clause is one of them too ("describe her
    as likable", "praised the efforts of Kerry to find a solution", "shows Sanders leading",
    2.5.0), unless it has a subject of its own ("praised the plan as she entered the room")."""
    for child in verb.rights:
        if child.i <= last or (child.dep_ == "punct" and child.text in _OPENING_MARKS):
            continue
        if child.dep_ in _ARGUMENT_DEPS and verb.doc[child.i - 1].text not in ",;:—":
            last = child.right_edge.i
            continue
        if child.dep_ == "advcl" and _continues_stance(child):
            last = child.right_edge.i
            continue
        break
    return last


def _continues_stance(clause: Token) -> bool:
    """ "describe her as likable", "praised the efforts of Kerry to find a solution", "shows
    Sanders leading Clinton": a predicate after "as", a to-infinitive or a gerund that the
    parse hung on the verb as a clause, straight after the object (no comma) and without a
    subject of its own."""
    doc = clause.doc
    first = clause.left_edge.i
    opener = doc[first].lower_
    return (
        (
            opener == "as"
            or (opener == "to" and clause.tag_ == "VB")
            or (clause.tag_ == "VBG" and first == clause.i)
        )
        and doc[first - 1].text not in ",;:—"
        and not any(child.dep_.startswith("nsubj") for child in clause.children)
    )


def complements(
    article: ArticleDoc, verb: Token, *, clause_only: bool = False
) -> Iterator[tuple[int, int]]:
    """Token ranges of what the verb reports: its clausal complements."""
    complements = [
        child for child in verb.children if child.dep_ == "ccomp" and not lone_name(child)
    ]
    if not complements and verb.lower_ in INTENT_FORMS and not clause_only:
        for child in verb.rights:
            if child.dep_ == "xcomp" and child.tag_ == "VB":
                yield child.left_edge.i, child.right_edge.i
                return
    if not complements:
        # The parser often hangs "X maintains it is open …" on the wrong verb: take a
        # clause that starts right after the verb as its complement all the same.
        following = following_clause(verb) or clause_of_message(verb)
        if following is not None:
            complements = [following]
    if not complements and verb.dep_ == "parataxis" and verb.head.i != verb.i:
        # "In three years, Barden says, far too many lives were lost": the verb is an aside
        # inside what it reports.
        head = verb.head
        yield head.left_edge.i, head.right_edge.i
        return
    complements, ends = _continuations_folded(verb, complements)
    for complement in complements:
        first, last = complement.left_edge.i, ends.get(complement.i, complement.right_edge.i)
        if complement.i < verb.i and is_report(complement):
            continue  # "X added that A, he claimed …": A belongs to "added", not here
        if complement.i < verb.i and reported_inside(complement):
            continue  # "While the Kremlin maintains A, Zelensky signed …": a misparse
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
        if last == ends.get(complement.i, complement.right_edge.i) and complement.head == verb:
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


def _continuations_folded(
    verb: Token, complements: list[Token]
) -> tuple[list[Token], dict[int, int]]:
    """The complements without those that only continue the one before, and where each kept
    one ends. "said that they had opened an inquiry into how Zephyr, the messaging app,
    shares user data": the parser made "shares" a second complement of "said" (the
    apposition's commas cut the clause); a finite verb without a subject right after the
    previous complement, punctuation between, is that complement's own verb."""
    doc = verb.doc
    kept: list[Token] = []
    ends: dict[int, int] = {}
    for complement in sorted(complements, key=lambda token: token.i):
        previous = kept[-1] if kept else None
        if previous is not None and previous.i > verb.i and complement.i > previous.i:
            end = ends.get(previous.i, previous.right_edge.i)
            if (
                complement.tag_ in ("VBZ", "VBD", "VBP")
                and not any(child.dep_.startswith("nsubj") for child in complement.children)
                and complement.left_edge.i > end
                and all(token.is_punct for token in doc[end + 1 : complement.left_edge.i])
            ):
                ends[previous.i] = complement.right_edge.i
                continue
        kept.append(complement)
    return kept, ends


def reported_inside(clause: Token) -> bool:
    """ "While the Kremlin maintains it is open …, Zelensky signed …": the parse hung a
    reporting verb (with its subject) under the clause it reports; that clause is its
    report, not the later verb's."""
    return any(
        child.dep_ == "advcl" and child.i < clause.i and is_report(child)
        for child in clause.children
    )


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

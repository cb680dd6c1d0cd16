"""What the tagger called a name, checked: a person's name it cut before its last word, a
titled name it took for an organisation, a party member or a nationality it took for a body,
and a common noun it took for a name because a capital opened it. Pure checks on the parse,
read by the speaker resolver (speakers.py)."""

from spacy.tokens import Doc, Span, Token

from claims.extraction.lexicon import (
    FAMILY_NAME_FIRST,
    PERSON_NOUNS,
    PERSON_TITLES,
    UNNAMED_NOUNS,
)
from claims.extraction.names import NAME_PARTICLES

# Words that make a plural some of a group ("some Democrats", "many Republicans").
QUANTIFIERS = frozenset(["some", "many", "several", "other", "few", "most", "certain", "numerous"])
# A party's member, in the singular ("the Republican", "a Democrat").
_PARTY_MEMBERS = frozenset(
    ["republican", "democrat", "independent", "conservative", "libertarian", "socialist", "tory"]
)


def whole_names(doc: Doc) -> list[Span]:
    """The named entities, a person's name that the tagger cut before its last word mended:
    "Ursula von der" + "Leyen" (tagged a place) is "Ursula von der Leyen"."""
    entities: list[Span] = []
    for entity in doc.ents:
        previous = entities[-1] if entities else None
        if previous is not None and previous.end > entity.start:
            continue  # the last word a mended name took in
        if (
            entity.label_ == "PERSON"
            and entity[-1].lower_ in NAME_PARTICLES
            and entity.end < len(doc)
            and doc[entity.end].is_title
            and doc[entity.end].pos_ == "PROPN"
        ):
            entity = Span(doc, entity.start, entity.end + 1, label="PERSON")
        entities.append(entity)
    return entities


def one_of_many(entity: Span, head: Token, first: int) -> bool:
    """ "A New Hampshire Republican", "the Kentucky Republican", "the Spaniard", "a super
    PAC": a party member's or a nationality's one-word name (or a PAC) that an article makes
    a description of someone, not their name; "some Democrats", "many Republicans": a
    quantifier makes a plural some of them, not the party. "The Tennessean" opening a
    sentence or mid-sentence with its capital ("according to The Federalist") may be a
    paper's name and is left alone. ``first``: the mention's first token."""
    opening = head.doc[first]
    if opening.lower_ in QUANTIFIERS and head.tag_ in ("NNPS", "NNS"):
        return True  # "some Democrats", "many Republicans": not the party
    if len(entity) != 1 or entity.start != head.i or head.text.endswith("s"):
        return False
    if entity.label_ != "NORP" and head.lower_ != "pac":
        return False
    if opening.lower_ in ("a", "an"):
        return True
    if opening.lower_ == "the" and head.lower_ in _PARTY_MEMBERS:
        return True  # "The Republican said": a member's word, never a paper's name
    return opening.lower_ == "the" and (opening.text == "the" or head.i > first + 1)


def common_word(head: Token, people: list, lower_nouns: set[str]) -> bool:
    """Whether a capitalised word is a common noun: one for people ("Aides", "Supporters"),
    or one the article writes in lower case elsewhere (``lower_nouns``), when none of the
    ``people`` it names (speakers.Person) bears it."""
    lower = head.lower_
    if lower in UNNAMED_NOUNS or lower in PERSON_NOUNS:
        return True
    if lower in FAMILY_NAME_FIRST or any(lower in person.name.lower().split() for person in people):
        return False
    return lower in lower_nouns


def titled(entity: Span) -> bool:
    """An "organisation" of two to four capitalised words right after a person's title
    ("Chancellor Olaf Scholz"), or with the title its first word ("Spokeswoman Haley
    Morris"): the tagger's misreading of a titled name."""
    if entity.label_ != "ORG":
        return False
    words = entity
    title = entity.doc[entity.start - 1] if entity.start else None
    if entity[0].lower_.rstrip(".") in PERSON_TITLES:
        title, words = entity[0], entity[1:]
    return (
        title is not None
        and title.lower_.rstrip(".") in PERSON_TITLES
        and title.is_title
        and 2 <= len(words) <= 4
        and all(word.is_title and word.pos_ == "PROPN" for word in words)
    )

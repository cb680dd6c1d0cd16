"""The words and noun-phrase shapes speaker resolution reads: the kinds of speaker, the
nouns that name an organisation, an institution, a document or a leader, and how a mention's
parse says whose a noun is, where its head is and which name in it is the speaker's.

Split from ``speakers`` (2.4.0): these are facts about English phrases, looked up by the
resolver's rules; the rules themselves, which read each other's answers, stay there.
"""

import re

from spacy.tokens import Doc, Span, Token

from claims.extraction.lexicon import MEDIA_WORDS, PERSON_NOUNS, PERSON_TITLES

PERSON, ORGANIZATION, GOVERNMENT, MEDIA, UNNAMED = (
    "person",
    "organization",
    "government",
    "media",
    "unnamed",
)
# "Trump's campaign", "the Obama administration": an organisation named after its owner.
ORGANISATION_HEADS = {
    "campaign": ORGANIZATION,
    "camp": ORGANIZATION,
    "team": ORGANIZATION,
    "staff": ORGANIZATION,
    "foundation": ORGANIZATION,
    "administration": GOVERNMENT,
    "government": GOVERNMENT,
    "office": GOVERNMENT,
}
# "The British government", "the Chinese foreign ministry", "the Justice Department": an
# institution named by the country, party or body in front of its head noun.
INSTITUTION_HEADS = {
    "government": GOVERNMENT,
    "ministry": GOVERNMENT,
    "department": GOVERNMENT,
    "administration": GOVERNMENT,
    "presidency": GOVERNMENT,
    "embassy": GOVERNMENT,
    "cabinet": GOVERNMENT,
    "parliament": GOVERNMENT,
    "military": GOVERNMENT,
    "army": GOVERNMENT,
    "navy": GOVERNMENT,
    "police": GOVERNMENT,
    "agency": ORGANIZATION,
    "commission": ORGANIZATION,
    "committee": ORGANIZATION,
    "council": ORGANIZATION,
    "party": ORGANIZATION,
    "campaign": ORGANIZATION,
    "bank": ORGANIZATION,
}
NAMING_ENTITIES = frozenset(["ORG", "GPE", "NORP"])
NEWS_WORDS = MEDIA_WORDS - {"agency"}
# "Trump's tweet", "a statement from the Kremlin": what a document says, its author says.
DOCUMENT_NOUNS = frozenset(
    """
    statement statements tweet tweets speech speeches remarks comments comment letter brief
    book memo email emails op-ed interview website post posts lawsuit filing rhetoric message
    messages blog column editorial testimony ad ads announcement release account study
    survey poll analysis report research paper gaffe remark
    """.split()  # noqa: SIM905 - a word list reads best as words
)
LEADER_ROLES = frozenset(
    [
        "leader",
        "president",
        "prime",
        "premier",
        "chancellor",
        "king",
        "queen",
        "chairman",
        "chairwoman",
        "head",
    ]
)
# Entity labels that are no speaker's name (and PERSON, handled before).
NOT_NAMES = frozenset(
    ["PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"]
)
# Words that make a role word another office: a prime minister is no "minister" of a story.
OFFICE_MODIFIERS = frozenset(
    ["prime", "vice", "deputy", "assistant", "under", "associate", "lieutenant"]
)
# A company officer's title and its initials name one role: "the CEO" after "chief executive
# Hakan Samuelsson", "the chief executive" after "CEO Mary Barra".
_OFFICER_INITIALS = {"executive": "ceo", "financial": "cfo", "operating": "coo"}
_CHIEF_OFFICERS = re.compile(r"\bchief (executive|financial|operating)(?: officer)?\b", re.I)


def officer_initials(words: str) -> str:
    """ "chief executive officer" -> "ceo", "chief financial officer" -> "cfo" …"""
    return _CHIEF_OFFICERS.sub(lambda match: _OFFICER_INITIALS[match[1].lower()], words)


LOCATIVES = frozenset(["in", "at", "near", "across", "into", "throughout", "outside", "inside"])
# "a man calling himself …", "a woman named …", "later identified as …"
NAMING_VERBS = frozenset(["named", "called", "calling", "identified", "known"])
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}
SPOKES = frozenset(["spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen"])
POSSESSIVE_MARKS = ("'s", "’s", "'", "’")


def role_words_around(mention: Span, name: Span) -> str:
    """The mention's words around the name: "Italy's energy minister" for "Italy's energy
    minister Marco Rossi", "a tax lawyer" for "Steven M. Rosenthal, a tax lawyer"."""
    before = mention.doc[mention.start : name.start].text
    after = mention.doc[name.end : mention.end].text
    parts = [part.strip(" ,;:—–-()") for part in (before, after)]
    words = " ".join(part for part in parts if part).split()
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    return " ".join(words)


def word_stem(word: str) -> str:
    """Enough of a word to match "Ukraine's" with "Ukrainian" and "Commission" with itself."""
    word = word.lower().removesuffix("'s").removesuffix("’s").strip("'’")
    return word[:5] if len(word) >= 4 else ""


def the_person_holds(people: list[Span], head: Token) -> bool:
    return any(person.start <= head.i < person.end for person in people)


def the_person(people: list[Span], head: Token) -> Span | None:
    """Of the names in a mention, the one naming the speaker: the one holding the mention's
    head, else one in apposition to it, else the last ("Clinton spokesman Nick Merrill")."""
    if not people:
        return None
    for person in people:
        if person.start <= head.i < person.end:
            return person
    for person in people:
        if person.root.dep_ == "appos" and person.root.head.i == head.i:
            return person
    return people[-1]


def span_root(doc: Doc, first: int, last: int) -> Token:
    for token in doc[first : last + 1]:
        if not first <= token.head.i <= last or token.head.i == token.i:
            return token
    return doc[last]


def noun_phrase(token: Token) -> tuple[int, int]:
    last = token.i
    for child in token.rights:
        if child.dep_ in ("relcl", "acl", "advcl", "punct", "cc", "conj", "prep", "appos"):
            break
        last = child.right_edge.i
    return token.left_edge.i, last


def modifies_noun(entity: Span, head: Token) -> bool:
    """Whether a name only qualifies a common noun: "a Clinton confidant", "Clinton
    campaign officials" (not "Clinton spokesman Nick Merrill", where the name is another)."""
    root = entity.root
    governor = root.head
    return (
        root.dep_ in ("compound", "nmod", "amod")
        and not entity.start <= governor.i < entity.end
        and governor.pos_ == "NOUN"
        and not entity.start <= head.i < entity.end
    )


def behind_preposition(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs off ``head`` through a preposition or a possessive."""
    while token.i != head.i and token.head.i != token.i:
        if token.dep_ in ("pobj", "poss", "relcl", "acl"):
            return True
        token = token.head
    return False


def owner_of(head: Token) -> Token | None:
    """Whose the noun is: "Trump's campaign", "the Clinton campaign", "a spokesman for X"."""
    for child in head.children:
        if child.dep_ == "poss":
            return child
    for child in head.children:
        if child.dep_ in ("compound", "nmod") and child.ent_type_ in (
            "PERSON",
            "ORG",
            "GPE",
            "NORP",
        ):
            return child
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("for", "of", "from", "by", "at"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
        if child.dep_ == "acl":  # "a survey conducted by X"
            for grandchild in child.children:
                if grandchild.dep_ == "agent":
                    for agent in grandchild.children:
                        if agent.dep_ == "pobj":
                            return agent
    return None


def another_member(head: Token) -> bool:
    """A conjoined role of one person with an owner or "the" of its own ("his future
    secretary of State", "the New York businessman") is someone else. Bare roles joined
    before one name are not ("real estate mogul and reality television star Donald
    Trump"), nor "a co-editor of …" (the same person described again), nor a person's
    entourage ("Sanders and his aides", "Mrs. Clinton and her campaign"), which the
    person leads and speaks for."""
    # "Human Rights Watch and Reporters Without Borders": a capitalised member the
    # tagger and NER missed is a second organisation, not nobody.
    if (
        head.pos_ == "PROPN"
        and head.ent_type_ != "PERSON"
        and not {head.lower_, head.lower_.rstrip(".")} & PERSON_TITLES
        and any(
            child.dep_ == "conj"
            and child.pos_ in ("NOUN", "PROPN")
            and child.is_title
            and child.ent_type_ != "PERSON"
            and child.lower_.rstrip(".") not in PERSON_TITLES
            for child in head.children
        )
    ):
        return True
    return any(
        child.dep_ == "conj"
        and child.tag_ == "NN"
        and child.lower_ in PERSON_NOUNS
        and any(
            word.dep_ == "poss" or (word.dep_ == "det" and word.lower_ == "the")
            for word in child.children
        )
        for child in head.children
    )


def holds_office(description: str, role: str, before: frozenset[str]) -> bool:
    """Whether a description gives the role itself, not only another office made of it."""
    words = re.findall(r"[\w-]+", description)
    for index, word in enumerate(words):
        if word != role:
            continue
        modifier = words[index - 1] if index else ""
        if modifier not in OFFICE_MODIFIERS or modifier in before:
            return True
    return False

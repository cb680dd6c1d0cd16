"""Who a common noun in a speaker mention stands for: "the company" (the organisation that
spoke last), "the United Nations human rights office", "the British government", "the
Commission's spokesperson" (for the Commission), "a woman named Jane Roe", and a role such as
"the chancellor" (the nearest person the article gave that role). Split from speakers.py, whose
resolver these read back (its people, the organisations that spoke, ``resolve_tokens``,
``entity_of`` and ``full_name``).
"""

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from claims.extraction.lexicon import (
    COMPANY_NOUNS,
    MEDIA_WORDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    UNNAMED_NOUNS,
)
from claims.extraction.names import canonical_speaker_name, person_name
from claims.extraction.phrases import (
    DOCUMENT_NOUNS,
    INSTITUTION_HEADS,
    LEADER_ROLES,
    LOCATIVES,
    MEDIA,
    NAMING_ENTITIES,
    NAMING_VERBS,
    NEWS_WORDS,
    ORGANISATION_HEADS,
    ORGANIZATION,
    PERSON,
    SPOKES,
    UNNAMED,
    holds_office,
    noun_phrase,
    officer_initials,
    owner_of,
    word_stem,
)
from claims.extraction.types import ResolvedSpeaker

if TYPE_CHECKING:
    from claims.extraction.speakers import Person, SpeakerResolver

# How far back (characters) a company may have spoken for "the company said" to be it.
COMPANY_REACH = 1500
# Common nouns for a medium: a media word in lower case counts only when it is one of these.
MEDIA_NOUNS = frozenset(
    ["news", "newspaper", "magazine", "channel", "agency", "outlet", "wire", "daily", "weekly"]
)


def common_noun(
    resolver: "SpeakerResolver", head: Token, first: int, last: int, description: str
) -> ResolvedSpeaker:
    """The speaker a mention headed by a common noun (``head``, the mention's words
    ``first``..``last``) stands for, or an unnamed one with the mention's role."""
    lower = head.lower_
    if lower in COMPANY_NOUNS:
        company = _company(resolver, head, first)
        if company:
            return ResolvedSpeaker(company, ORGANIZATION, description)
    owner = owner_of(head)
    if owner is not None and lower in ORGANISATION_HEADS:
        owner_name = _name_of(resolver, owner)
        if owner_name:
            between = resolver.doc[owner.i + 1 : head.i]
            if (
                owner.dep_ in ("compound", "nmod")
                and owner.ent_type_ != "PERSON"
                and all(word.is_lower and word.dep_ in ("compound", "amod") for word in between)
            ):
                # "the United Nations human rights office", not "United Nations office".
                lower = " ".join([*(word.lower_ for word in between), lower])
            return ResolvedSpeaker(
                f"{owner_name} {lower}", ORGANISATION_HEADS[head.lower_], description
            )
    if owner is not None and (lower in DOCUMENT_NOUNS or lower in SPOKES):
        resolved = resolver.resolve_tokens(*noun_phrase(owner))
        if resolved.name and (lower in DOCUMENT_NOUNS or resolved.kind != PERSON):
            # An organisation speaks through its spokespeople; a person's spokesperson
            # is not that person.
            return ResolvedSpeaker(resolved.name, resolved.kind, description)
        return ResolvedSpeaker("", UNNAMED, description)
    if lower in PERSON_NOUNS or lower in ("person", "protester", "caller", "user"):
        named = _named_as(resolver, head)
        if named is not None:
            return ResolvedSpeaker(
                resolver.full_name(person_name(named.text), named.start_char), PERSON, description
            )
    indefinite = resolver.doc[first].lower_ in ("a", "an", "some", "one", "several", "many")
    if not indefinite and (owner is None or owner.dep_ in ("compound", "nmod")):
        institution = _institution(resolver, head, first, description)
        if institution is not None:
            return institution
    if lower in PERSON_NOUNS and lower not in UNNAMED_NOUNS and not indefinite:
        # What the role belongs to: a country, party, institution or owner ("the
        # Commission's spokesperson"), and a proper noun in front of it ("Trump lawyer"
        # is no lawyer of Cohen's).
        qualifiers = [
            word.lower_
            for word in resolver.doc[first : head.i]
            if word.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")
            or word.dep_ == "poss"
            or (word.dep_ == "compound" and (word.pos_ == "PROPN" or word.is_title))
        ]
        if owner is not None and owner.lower_ not in qualifiers:
            qualifiers.append(owner.lower_)
        # "the former top aide to President George W. Bush": whom the role serves is a
        # qualifier too, so an aide to Nixon named earlier is not taken for him.
        qualifiers.extend(_served(resolver, head, last))
        role = lower
        if lower in ("executive", "officer"):
            # "the chief executive" is the CEO the article named.
            role = officer_initials(resolver.doc[max(head.i - 2, 0) : head.i + 1].text)
            role = role.lower().split()[-1]
        name = _by_role(
            resolver,
            role,
            qualifiers,
            resolver.doc[first].idx,
            {w.lower_ for w in resolver.doc[first : head.i]},
        )
        if name:
            return ResolvedSpeaker(name, PERSON, description)
    # "a Post reporter", "the news agency", "the conservative press": a medium's name
    # (capitalised), a word for one or the head; "an independent expert", "an economist",
    # "the press secretary" are people.
    media = {
        word.lower_
        for word in resolver.doc[first : last + 1]
        if word.lower_ in MEDIA_WORDS
        and (
            not word.is_lower
            or word.lower_ in MEDIA_NOUNS
            or (word.i == head.i and word.lower_ not in PERSON_NOUNS)
        )
    }
    if media:
        return ResolvedSpeaker("", MEDIA, description)
    return ResolvedSpeaker("", UNNAMED, description)


def _company(resolver: "SpeakerResolver", head: Token, first: int) -> str:
    """ "the company said" after "Apple said …": the nearest organisation that spoke by
    name before, within a few paragraphs; "" when none did, or when another organisation
    is named between them ("Columbia defends Exxon articles … the company", which may be
    either)."""
    if resolver.doc[first].lower_ != "the" or head.tag_ != "NN" or owner_of(head) is not None:
        return ""
    position = resolver.doc[first].idx
    earlier = [
        (at, name) for at, name in resolver.spoke if position - COMPANY_REACH < at < position
    ]
    if not earlier:
        return ""
    spoke_at, name = earlier[-1]
    for entity in resolver.doc.ents:
        if entity.label_ != "ORG" or not spoke_at < entity.start_char < position:
            continue
        if entity.root.dep_ == "pobj" and entity.root.head.lower_ in LOCATIVES:
            continue  # "its AI features in the European Union": a place, no other company
        other = canonical_speaker_name(entity.text) or entity.text
        if not resolver.is_blocked(entity.start_char) and other not in name and name not in other:
            return ""
    return name


def _served(resolver: "SpeakerResolver", head: Token, last: int) -> list[str]:
    """The people a role's prepositional phrase names ("aide to President George W.
    Bush"): the last word of each name within the mention. Places and institutions are
    left out: "the senator from Texas" is also "Sen. Ted Cruz (R-Texas)"."""
    served = []
    for prep in head.children:
        if prep.dep_ != "prep" or prep.i > last:
            continue
        for word in prep.subtree:
            if word.i <= last and word.ent_type_ == "PERSON":
                entity = resolver.entity_at.get(word.i)
                if entity is not None and word.i == entity.end - 1:
                    served.append(word.lower_)
    return served


def _institution(
    resolver: "SpeakerResolver", head: Token, first: int, description: str
) -> ResolvedSpeaker | None:
    """ "The British government": the words from the first name in front of an
    institution's head noun to the noun, when a name (a country, nationality, party or
    body, or a capitalised word) stands there; "the government" alone is no name."""
    kind = INSTITUTION_HEADS.get(head.lower_)
    if kind is None or head.tag_ == "NNS":
        return None
    words = resolver.doc[first : head.i]
    named = [
        word
        for word in words
        if word.ent_type_ in NAMING_ENTITIES
        or (word.pos_ == "PROPN" and word.dep_ in ("compound", "amod", "nmod"))
    ]
    if not named or any(word.ent_type_ == "PERSON" for word in words):
        return None
    name = resolver.doc[named[0].i : head.i + 1].text
    if {word.lower_ for word in words} & NEWS_WORDS:
        kind = MEDIA  # "the Xinhua news agency"
    return ResolvedSpeaker(name, kind, description)


def _named_as(resolver: "SpeakerResolver", head: Token) -> Span | None:
    """ "a man calling himself Paul Paul", "a woman named Jane Roe", "A woman later
    identified as Eva Resnick-Day": the name the text gives the person."""
    clauses = [child for child in head.children if child.dep_ == "acl"]
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lower_ == "identified":
        clauses.append(head.head)
    for clause in clauses:
        if clause.lower_ not in NAMING_VERBS:
            continue
        for child in clause.children:
            names = [child]
            if child.dep_ == "prep" and child.lower_ == "as":
                names = [word for word in child.children if word.dep_ == "pobj"]
            elif child.dep_ not in ("oprd", "attr", "dobj"):
                continue
            for word in names:
                entity = resolver.entity_of(word)
                if entity is not None and entity.label_ == "PERSON":
                    return entity
    return None


def _name_of(resolver: "SpeakerResolver", token: Token) -> str:
    entity = resolver.entity_of(token)
    if entity is None:
        return ""
    if entity.label_ == "PERSON":
        return resolver.full_name(person_name(entity.text), entity.start_char)
    return canonical_speaker_name(entity.text)


def _by_role(
    resolver: "SpeakerResolver",
    role: str,
    qualifiers: list[str],
    position: int,
    before: frozenset[str] = frozenset(),
) -> str:
    """ "the chancellor": the nearest earlier person described with that role word (a
    leader: a president, prime minister …) and the mention's qualifiers ("the Ukrainian
    leader", "the Commission's spokesperson"), else the first later one. Another office
    made of the word ("prime minister", "vice president", "deputy editor") is not that
    role unless the mention says so (``before``: its words before the role)."""
    index = bisect_left(resolver.positions, position)
    roles = LEADER_ROLES if role == "leader" else frozenset([role])
    stems = [word_stem(word) for word in qualifiers if word_stem(word)]

    def fits(person: "Person") -> bool:
        description = officer_initials(person.description)
        words = set(re.findall(r"[\w-]+", description))
        described = {word_stem(word) for word in words}
        if not all(stem in described for stem in stems):
            return False
        if words & roles:
            return role == "leader" or holds_office(description, role, before)
        # "Ukraine's leader" after "Ukraine's Vladimir Zelensky": a country's named
        # person with no other role given ("a Russian economist" is not the Russian leader).
        # Named later, only when the country is all that is said of them ("Ukraine's leader
        # has claimed … Ukraine's Vladimir Zelensky", not "an influential Russian
        # sociologist").
        return (
            role == "leader"
            and bool(stems)
            and (person.position < position or described <= {*stems, "", "s"})
            and not words & (PERSON_TITLES | PERSON_NOUNS)
        )

    for person in [*reversed(resolver.persons[:index]), *resolver.persons[index:]]:
        if fits(person):
            return resolver.full_name(person.name, person.position)
    return ""

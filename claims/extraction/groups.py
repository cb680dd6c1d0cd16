"""Speakers that are several: "Germany and the Netherlands", "Trump and Clinton", "Reps. Chris
Collins and Duncan Hunter". A coordination is one speaker of its own, named by all its members,
or nobody when one member has no name; never its first member. Split from speakers.py, whose
resolver these read back (``resolve_tokens`` for each member, ``entity_of``, ``people_named``).
"""

from typing import TYPE_CHECKING

from spacy.tokens import Token

from claims.extraction.lexicon import PERSON_TITLES
from claims.extraction.names import kind_of_name
from claims.extraction.phrases import ORGANIZATION, PERSON, UNNAMED
from claims.extraction.types import ResolvedSpeaker

if TYPE_CHECKING:
    from claims.extraction.speakers import SpeakerResolver


def coordination(resolver: "SpeakerResolver", head: Token) -> ResolvedSpeaker | None:
    """ "Germany and the Netherlands", "Trump and Clinton": one speaker of their own."""
    members = [head] + [child for child in head.children if child.dep_ == "conj"]
    for member in members[1:]:
        members.extend(child for child in member.children if child.dep_ == "conj")
    if len(members) < 2:
        return None
    kinds = set()
    for member in members:
        entity = resolver.entity_of(member)
        if entity is None:
            return None
        kinds.add(kind_of_name(entity.text, entity.label_))
    if PERSON in kinds:
        # People by their names, without titles, notes and what follows ("Reps. Chris
        # Collins (R-N.Y.) and Duncan Hunter (R-Calif.) on Wednesday").
        group = group_of(resolver, head)
        return group if group is not None and group.name else None
    first = head.left_edge.i
    last = max(member.right_edge.i for member in members)
    while first < last and (
        resolver.doc[first].lower_ in ("the", "both")
        or resolver.doc[first].is_punct
        or resolver.is_blocked(resolver.doc[first].idx)  # a dateline the parse hung on the group
    ):
        first += 1
    name = resolver.doc[first : last + 1].text
    # A group of people speaking together is an organisation of a sort.
    kind = kinds.pop() if len(kinds) == 1 and PERSON not in kinds else ORGANIZATION
    return ResolvedSpeaker(" ".join(name.split()), kind, "")


def group_of(resolver: "SpeakerResolver", head: Token) -> ResolvedSpeaker | None:
    """A coordination of two or more named speakers: "A and B" when every member has a
    name, empty when one has none. None when at most one member holds a name ("real
    estate mogul and reality television star Donald Trump" is one person)."""
    members = [head]
    for member in members:
        members.extend(child for child in member.children if child.dep_ == "conj")
    spans = []
    for member in members:
        first, last = member.left_edge.i, member.right_edge.i
        ends = [child.left_edge.i for child in member.children if child.dep_ in ("cc", "conj")]
        if ends:
            last = min(ends) - 1
        while last > first and (resolver.doc[last].is_punct or resolver.doc[last].dep_ == "cc"):
            last -= 1
        spans.append((first, last))
    named = [
        resolver.entity_of(member) is not None
        or (
            member.pos_ == "PROPN"
            and member.text[:1].isupper()
            and member.lower_.rstrip(".") not in PERSON_TITLES
        )
        or bool(resolver.people_named(first, last, member))
        for member, (first, last) in zip(members, spans, strict=True)
    ]
    if sum(named) < 2:
        return None
    if len(members) > 4:
        return ResolvedSpeaker("", UNNAMED, "")
    names, kinds = [], set()
    if any(resolver.doc[first].lower_ in ("a", "an") for first, _last in spans):
        return None  # "Steve Bell, …, and a Republican who headed …" describes one person
    for member, (first, last) in zip(members, spans, strict=True):
        if member.i > last:
            return ResolvedSpeaker("", UNNAMED, "")
        resolved = resolver.resolve_tokens(first, last, grouping=False)
        if not resolved.name or resolved.name in names:
            return ResolvedSpeaker("", UNNAMED, "")
        names.append(resolved.name)
        kinds.add(resolved.kind)
    name = " and ".join([", ".join(names[:-1]), names[-1]])
    kind = kinds.pop() if len(kinds) == 1 and PERSON not in kinds else ORGANIZATION
    return ResolvedSpeaker(name, kind, "")

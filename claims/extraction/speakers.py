"""Who a speaker mention in a parsed article is: the canonical name and the kind of speaker.

The rule is "right or empty". A mention that names someone resolves to that name (the name in
an appositive or after a title or a possessive job title: "Italy's energy minister Marco
Rossi", "the F.B.I. director, James B. Comey"), never to a name it only mentions on the way
("Clinton's communications director, Jennifer Palmieri", "a spokeswoman for Hillary
Clinton", "a Clinton confidant"). A coordination or a plural that names its members
("Germany and the Netherlands", "Paradis and Bennett") is one speaker of its own, and one
that leaves a member unnamed is nobody, never its first member. A pronoun or a role ("she",
"the chancellor") resolves only to an earlier person it agrees with (gender for pronouns,
from ``gender``; the role word for roles); "the Commission's spokesperson" speaks for the
Commission. Datelines ("WASHINGTON —", "LONDON (Reuters) -") and bylines are never speakers.
When none of this applies, the name stays empty and the mention keeps what the text says.

The rules read each other's partial answers (a group's members are resolved as single
mentions, a role falls back on the article's people met so far), so the resolver's state (the
article's people, organisations, unnamed speakers and companies met so far) and the methods
that read it stay in one class here. Gender, names, mentions, signatures and the word lists
and phrase shapes they consult live apart (gender.py, names.py, mentions.py, signatures.py,
phrases.py), and so do the rules that read the resolver back: groups and coordinations
(groups.py) and common nouns, institutions and roles ("the company", "the British
government", "the chancellor"; roles.py), and the checks on what the tagger called a name
(tagged.py: a name it cut, a title it took for an organisation, a party member, a common
noun it capitalised).
"""

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claims.extraction.document import no_speaker_ranges
from claims.extraction.gender import (
    GENDER_OF_PRONOUN,
    entity_gender,
    first_name_gender,
    title_gender,
)
from claims.extraction.groups import coordination, group_of
from claims.extraction.lexicon import (
    FAMILY_NAME_FIRST,
    PERSON_NOUNS,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
)
from claims.extraction.names import (
    canonical_speaker_name,
    joined_organisation_name,
    kind_of_name,
    organisation_name,
    owned_office_name,
    owner_inside_name,
    person_name,
    speaker_description,
)
from claims.extraction.phrases import (
    INSTITUTION_HEADS,
    LOCATIVES,
    NOT_NAMES,
    NUMBERS,
    ORGANIZATION,
    PERSON,
    POSSESSIVE_MARKS,
    UNNAMED,
    another_member,
    behind_preposition,
    modifies_noun,
    noun_phrase,
    role_words_around,
    span_root,
    the_person,
    the_person_holds,
)
from claims.extraction.roles import common_noun
from claims.extraction.tagged import common_word, one_of_many, titled, whole_names
from claims.extraction.types import ResolvedSpeaker


@dataclass(frozen=True, slots=True)
class Person:
    position: int
    name: str
    description: str  # lower-cased role words around the name
    gender: str  # "m", "f" or "" when the article does not say
    salient: bool  # a sentence subject outside quotes, or a speaker


class SpeakerResolver:
    """Resolves speaker mentions within one parsed article to canonical speakers.

    ``quote_at`` tells whether a position is inside quotation marks (names there are the
    quoted speaker's words, never salient antecedents).
    """

    def __init__(self, doc: Doc, quote_at=lambda position: None) -> None:
        self.doc = doc
        self.text = doc.text
        self.quote_at = quote_at
        self.blocked = no_speaker_ranges(self.text)
        self._blocked_starts = [start for start, _end in self.blocked]
        self.persons: list[Person] = []
        # Speakers the article leaves unnamed ("one senior official said"): (position, gender).
        self.unnamed: list[tuple[int, str]] = []
        # Companies and other organisations that spoke by name: (position, name).
        self.spoke: list[tuple[int, str]] = []
        self.organisations: list[str] = []
        # Token index -> its named entity, blocked (a dateline, a byline) or not.
        # Nouns the article writes in lower case ("aides", "research"): not names.
        self._lower_nouns = {
            token.lower_ for token in doc if token.is_lower and token.pos_ == "NOUN"
        }
        self.entity_at: dict[int, Span] = {}
        entities = whole_names(doc)
        for entity in entities:
            for index in range(entity.start, entity.end):
                self.entity_at[index] = entity
        for entity in entities:
            if self.is_blocked(entity.start_char):
                continue
            if entity.label_ == "PERSON":
                self._add_entity_person(entity)
            elif entity.label_ in ("ORG", "GPE", "NORP"):
                self.organisations.append(canonical_speaker_name(entity.text) or entity.text)
        self._index()

    # ---- the article's people

    def _index(self) -> None:
        self.persons.sort(key=lambda person: person.position)
        self.positions = [person.position for person in self.persons]

    def is_blocked(self, position: int) -> bool:
        index = bisect_left(self._blocked_starts, position + 1) - 1
        return index >= 0 and position < self.blocked[index][1]

    def _add_entity_person(self, entity: Span) -> None:
        name = person_name(entity.text)
        if not name or len(entity.text) > 60 or " v. " in name or " vs. " in name:
            return  # "Trump v. Trump" is a case, not a person
        root = entity.root
        inside_quote = self.quote_at(entity.start_char) is not None
        salient = root.dep_ in ("nsubj", "nsubjpass") and not inside_quote
        description = self._role_words(root, entity)
        self.persons.append(
            Person(
                entity.start_char, name, description, entity_gender(entity, description), salient
            )
        )

    def _role_words(self, root: Token, entity: Span) -> str:
        """The role around a name: "German economy minister" before it, "the director of the
        FBI" in apposition after it, or the noun it is in apposition to."""
        words: list[str] = []
        start = root.left_edge.i
        if start < entity.start:
            words.append(self.doc[start : entity.start].text.lower())
        for child in root.children:
            if child.dep_ == "appos" and not self._subject_after_name(child):
                words.append(self.doc[child.left_edge.i : child.right_edge.i + 1].text)
        if root.dep_ == "appos" and root.head.i < root.i:
            head = root.head
            words.append(self.doc[head.left_edge.i : head.i + 1].text)
        return " ".join(words).lower()

    def _subject_after_name(self, appositive: Token) -> bool:
        """ "In an interview with Joe Scarborough and Mika Brzezinski, the Democratic
        presidential candidate stated …": what the parse hung on the name as an appositive
        runs straight into a verb, so it is the sentence's subject, not the name's role."""
        after = appositive.right_edge.i + 1
        return after < len(self.doc) and self.doc[after].pos_ in ("VERB", "AUX")

    def add_speaker(self, position: int, name: str, description: str, gender: str) -> None:
        """A named speaker of one of the article's quotes: a salient antecedent."""
        self.persons.append(Person(position, name, description.lower(), gender, True))
        self._index()

    def add_unnamed_speaker(self, position: int, gender: str) -> None:
        """A speaker the article does not name ("a senior official", "a spokeswoman"): a
        later "he" or "she" may be them, so no one named before them is taken for it."""
        self.unnamed.append((position, gender))
        self.unnamed.sort()

    def add_organisation_speaker(self, position: int, name: str) -> None:
        """An organisation that spoke by name ("Apple said"): what a later "the company
        said" stands for."""
        self.spoke.append((position, name))
        self.spoke.sort()

    def _unnamed_between(self, start: int, end: int, gender: str) -> bool:
        """Whether an unnamed speaker the pronoun could be (gender agreeing or unknown) spoke
        between the positions."""
        return any(
            start < position < end and (not gender or not known or known == gender)
            for position, known in self.unnamed
        )

    def full_name(self, name: str, position: int, gender: str = "") -> str:
        """The fullest name in the article that ends with ``name``'s last word and contains
        all its words, of the ``gender`` a title gave ("Mrs. Clinton" is not Bill): the
        nearest one before ``position``, else the nearest after it."""
        words = name.split()
        if not words:
            return name
        fuller = [
            person
            for person in self.persons
            if len(person.name.split()) > len(words)
            and person.name.split()[-1] == words[-1]
            and set(words) <= set(person.name.split())
            and not (
                gender and (person.gender or first_name_gender(person.name)) not in ("", gender)
            )
        ]
        if not fuller and len(words) == 1 and words[0].lower() in FAMILY_NAME_FIRST:
            # "Lee" after "Lee Jae-myung": a family name written first.
            fuller = [
                person
                for person in self.persons
                if 2 <= len(person.name.split()) <= 3
                and person.name.split()[0] == words[0]
                and not (
                    gender and (person.gender or first_name_gender(person.name)) not in ("", gender)
                )
            ]
        if not fuller:
            return name
        if gender:
            # "Mr. Trump" where the article names Donald and Ivana Trump: a name known to be
            # of the title's gender wins over one whose gender is not known.
            known = [p for p in fuller if (p.gender or first_name_gender(p.name)) == gender]
            fuller = known or fuller
        before = [person for person in fuller if person.position <= position]
        if before:
            return max(before, key=lambda person: person.position).name
        return min(fuller, key=lambda person: person.position).name

    def full_organisation_name(self, name: str) -> str:
        longer = [other for other in self.organisations if other.startswith(name + " ")]
        return min(longer, key=len) if longer else name

    # ---- mentions

    def resolve_span(self, start: int, end: int) -> ResolvedSpeaker:
        """The speaker a mention at ``text[start:end]`` stands for."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return ResolvedSpeaker("", UNNAMED, "")
        first, last = span.start, span.end - 1
        while first <= last and (self.is_blocked(self.doc[first].idx) or self.doc[first].is_punct):
            first += 1
        if first > last:
            return ResolvedSpeaker("", UNNAMED, "")
        head = span_root(self.doc, first, last)
        if (
            head.dep_ == "pobj"
            and head.head.lower_ in LOCATIVES
            and head.ent_type_ in ("GPE", "LOC", "FAC")
        ):
            # "told a town hall in Salem, New Hampshire": where it was said, not who said it.
            return ResolvedSpeaker("", UNNAMED, "")
        if (
            head.dep_ == "pobj"
            and head.head.lower_ in ("of", "from")
            and head.head.head.lower_ in ("member", "members")
            and head.head.head.i < first
        ):
            # "a member of Congress": the body the speaker belongs to is not the speaker.
            return ResolvedSpeaker("", UNNAMED, "")
        return self.resolve_tokens(first, last)

    def resolve_tokens(self, first: int, last: int, *, grouping: bool = True) -> ResolvedSpeaker:
        doc = self.doc
        head = span_root(doc, first, last)
        position = doc[first].idx
        description = speaker_description(doc[first : last + 1].text)
        lower = head.lower_
        if lower in ("who", "which", "that") and head.head.dep_ == "relcl":
            antecedent = head.head.head
            return self.resolve_tokens(*noun_phrase(antecedent))
        if lower in PRONOUNS_PERSON or (head.tag_ == "PRP$" and lower in GENDER_OF_PRONOUN):
            if grouping and any(child.dep_ == "conj" for child in head.children):
                return ResolvedSpeaker("", UNNAMED, description)  # "She and Jack Goldsmith"
            return self._pronoun(lower, position)
        if lower in PRONOUNS_GROUP:
            return ResolvedSpeaker("", UNNAMED, "")
        people = self.people_named(first, last, head) or self._appositive_name(head, last)
        group = coordination(self, head) if grouping else None
        if group is not None:
            return group
        if grouping and any(child.dep_ == "conj" for child in head.children):
            # "Eisenhower and his secretary of State, John Foster Dulles": all of them or
            # nobody, never the first member alone.
            group = group_of(self, head)
            if group is not None:
                return group
            if people and head.lower_ not in PERSON_NOUNS and not the_person_holds(people, head):
                # "Neither Maples nor Trump": a name among other members is not all of them
                # ("real estate mogul and reality television star Donald Trump" is one).
                return ResolvedSpeaker("", UNNAMED, description)
            if another_member(head):
                # "Eisenhower and his future secretary of State": a second person of their
                # own (a determiner opens their phrase), whom the parse did not name.
                return ResolvedSpeaker("", UNNAMED, description)
        person = the_person(people, head)
        if len(people) == 1 and head.tag_ == "NNS" and not the_person_holds(people, head):
            return ResolvedSpeaker("", UNNAMED, description)  # "the Sanders and Clinton campaigns"
        if len(people) >= 2 and head.tag_ == "NNS" and not the_person_holds(people, head):
            # "Two objectors, Lawrence Joyce and William Graham": a plural is not one of the
            # people it lists; it is all of them, when it names them all.
            words = {token.lower_ for token in doc[first : last + 1]}
            if words & {"other", "others", "including", "like", "among", "such"}:
                return ResolvedSpeaker("", UNNAMED, description)
            names = [
                self.full_name(
                    person_name(person.text),
                    position,
                    title_gender(doc[max(person.start - 1, 0) : person.end].text),
                )
                for person in people
            ]
            counted = [NUMBERS.get(word, 0) for word in words]
            if (
                len(set(names)) < len(names)
                or not all(names)
                or any(count and count != len(names) for count in counted)
                or doc[last].dep_ == "cc"  # the list runs on past the mention
            ):
                return ResolvedSpeaker("", UNNAMED, description)
            return ResolvedSpeaker(
                " and ".join([", ".join(names[:-1]), names[-1]]), ORGANIZATION, ""
            )
        if person is not None:
            name = person_name(person.text)
            role = role_words_around(doc[first : last + 1], person)
            gender = title_gender(doc[max(person.start - 1, first) : person.end].text)
            return ResolvedSpeaker(self.full_name(name, position, gender), PERSON, role)
        if (
            first == last == head.i
            and head.is_sent_start
            and head.ent_type_ not in ("", "PERSON")
            and common_word(head, self.persons, self._lower_nouns)
        ):
            # "Landlords warned …", "Council approves …": NER took the capitalised common
            # noun for a group or a body (without an entity, the name rule below decides).
            return ResolvedSpeaker("", UNNAMED, description)
        entity = self.entity_of(head)
        author = self._author(first, last) if entity is not None else None
        if entity is not None and entity.label_ == "WORK_OF_ART" and author is not None:
            # "“Perfect Enough: …” by George Anders": a book speaks for its author, not its
            # title.
            return author
        if entity is not None and entity.label_ in ("ORG", "GPE", "NORP", "FAC", "LOC"):
            if one_of_many(entity, head, first):
                return ResolvedSpeaker("", UNNAMED, description)
            name = canonical_speaker_name(entity.text) or entity.text.strip()
            if name.lower() in INSTITUTION_HEADS:
                # "The Justice Department": a title word ("Justice") names the institution.
                name = organisation_name(entity.text) or name
            elif entity.label_ == "ORG":
                # "Club for Growth Action", "Center for Economic and Policy Research": a name
                # joined by "for"/"of"/"and" is one name, not its last capitalised words.
                name = joined_organisation_name(entity.text, name)
            # The owner may lie outside the entity ("The U.S. Attorney's" + "Office").
            name = owned_office_name(
                doc[min(head.left_edge.i, entity.start) : entity.end].text, name
            )
            if (
                entity.label_ == "ORG"
                and head.lower_ not in PERSON_NOUNS
                and not title_gender(head.text)  # "Trump's Son" in a headline is no company
            ):
                name = owner_inside_name(entity.text, name)  # "Moody's Analytics"
            if self._is_surname(name) or titled(entity):
                # NER took a person's surname for an organisation ("Trump said"), or a titled
                # person's name ("German Chancellor Olaf Scholz").
                return ResolvedSpeaker(self.full_name(name, position), PERSON, description)
            kind = kind_of_name(name, entity.label_)
            if entity.label_ in ("ORG", "NORP"):
                # "the Center" after "the Center for Responsive Politics"; but a place is no
                # organisation named after it ("Cleveland" is not the Cleveland Browns).
                name = self.full_organisation_name(name)
            return ResolvedSpeaker(name, kind, description)
        if head.pos_ == "PROPN" and (entity is None or entity.label_ not in NOT_NAMES):
            left = head.left_edge.i
            while left < head.i and (self.is_blocked(doc[left].idx) or doc[left].is_punct):
                left += 1  # "CLEVELAND - Donald Trump": the dateline is no part of the name
            name = owned_office_name(
                doc[left : head.i + 1].text, canonical_speaker_name(doc[left : head.i + 1].text)
            )
            if name and " " not in name and common_word(head, self.persons, self._lower_nouns):
                # "Aides said", "Research suggests", "Supporters heard": a common noun
                # capitalised to open a sentence or a headline.
                return ResolvedSpeaker("", UNNAMED, description)
            if name:
                kind = kind_of_name(name, "")
                if kind == PERSON and head.tag_ == "NNPS" and " " in name:
                    # "Volvo Cars", "Delta Air Lines": no one's name ends in a plural (a
                    # surname alone, "Sanders", is often tagged one).
                    kind = ORGANIZATION
                if kind == PERSON:
                    name = self.full_name(name, position)
                return ResolvedSpeaker(name, kind, description)
        return common_noun(self, head, first, last, description)

    def _author(self, first: int, last: int) -> ResolvedSpeaker | None:
        """The person or body after "by" in a work's mention, if one is named there."""
        for token in self.doc[first : last + 1]:
            if token.lower_ != "by" or token.i + 1 > last:
                continue
            author = self.entity_of(self.doc[token.i + 1])
            if author is None and token.i + 2 <= last and self.doc[token.i + 1].lower_ == "the":
                author = self.entity_of(self.doc[token.i + 2])
            if author is not None and author.label_ in ("PERSON", "ORG"):
                return self.resolve_tokens(author.start, min(author.end - 1, last))
        return None

    def people_named(self, first: int, last: int, head: Token) -> list[Span]:
        """PERSON names in the mention that name the speaker: not an owner ("Clinton's
        director") and not inside a prepositional phrase ("a spokeswoman for Clinton")."""
        found = []
        entities = {self.entity_at[i] for i in range(first, last + 1) if i in self.entity_at}
        for entity in sorted(entities, key=lambda entity: entity.start):
            if entity.label_ != "PERSON":
                continue
            if entity.start < first or entity.end - 1 > last:
                if not entity.start <= head.i < entity.end:
                    continue
                # NER ran over the mention's edge ("Dennis Prager Tells" in a headline).
                entity = self.doc[max(entity.start, first) : min(entity.end, last + 1)]
            owns = (
                entity.end < len(self.doc) and self.doc[entity.end].text in POSSESSIVE_MARKS
            ) or entity.text.endswith(POSSESSIVE_MARKS)
            if owns and not entity.start <= head.i < entity.end:
                continue  # "Clinton's director, Jennifer Palmieri"; but "Trump's" alone is his
            if modifies_noun(entity, head):
                continue  # "a Clinton confidant", "senior Clinton campaign officials"
            if behind_preposition(entity.root, head) and not self._named_after_role(entity, head):
                continue
            found.append(entity)
        return found

    def _appositive_name(self, head: Token, last: int) -> list[Span]:
        """ "Its spokeswoman, Ana Reyes": a person's name in apposition to a role that the
        named-entity tagger missed (it took "Reyes" alone for an organisation): two to four
        capitalised words that a common first name opens, or that the tagger cut into parts
        (an organisation or a place it knows whole, "Amnesty International", is no one's
        name)."""
        if head.lower_ not in PERSON_NOUNS or head.tag_ != "NN":
            return []
        for child in head.children:
            if child.dep_ != "appos" or child.i > last:
                continue
            words = self.doc[child.left_edge.i : child.i + 1]
            if not (
                2 <= len(words) <= 4
                and all(word.pos_ == "PROPN" and word.is_title for word in words)
            ):
                continue
            entities = {self.entity_of(word) for word in words} - {None}
            whole = any(e.start <= words.start and words.end <= e.end for e in entities)
            if first_name_gender(words.text) or (entities and not whole):
                return [words]
        return []

    def _named_after_role(self, entity: Span, head: Token) -> bool:
        """ "a former spokesman for Ukraine's Foreign Ministry, Oleg Voloshyn": a name set
        off by a comma after a person's role and the institution it serves is that person's.
        After a person ("a spokesman for the mayor, Frank Jackson") it may be the mayor's."""
        root = entity.root
        if head.lower_ not in PERSON_NOUNS or root.dep_ != "appos" or entity.start == 0:
            return False
        if self.doc[entity.start - 1].text != ",":
            return False
        institution = root.head
        if institution.lower_ in PERSON_NOUNS or institution.ent_type_ == "PERSON":
            return False
        return institution.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or institution.pos_ == "PROPN"

    def _is_surname(self, name: str) -> bool:
        return " " not in name and any(
            person.name.split()[-1] == name and len(person.name.split()) > 1
            for person in self.persons
        )

    def entity_of(self, token: Token) -> Span | None:
        entity = self.entity_at.get(token.i)
        if entity is None or self.is_blocked(entity.start_char):
            return None
        return entity

    def _pronoun(self, pronoun: str, position: int) -> ResolvedSpeaker:
        """he/she: the nearest earlier salient person of that gender (or of unknown gender).
        "I" outside quotation marks is the writer (an op-ed's "I think"), whom a byline
        names at most, and bylines are never speakers; inside them ("Cecile Richards: ‘I’m
        sick …’") it is whoever speaks there."""
        if pronoun in ("i", "me") and self.quote_at(position) is None:
            return ResolvedSpeaker("", UNNAMED, "")
        gender = GENDER_OF_PRONOUN.get(pronoun, "")
        index = bisect_left(self.positions, position)
        earlier = self.persons[:index]
        for wanted_salient in (True, False):
            for person in reversed(earlier):
                if wanted_salient and not person.salient:
                    continue
                name = self.full_name(person.name, person.position)
                person_gender = person.gender or first_name_gender(name)
                if gender and person_gender and person_gender != gender:
                    continue
                if gender == "f" and person_gender != "f":
                    # Most people named in this news are men, so an unknown gender is no
                    # evidence for "she": only a known woman is. But a person of unknown
                    # gender nearer than her may be "she" ("Rachael Maskell … told the
                    # Guardian … 'I cannot vote for this,' she said"): then no one is named.
                    if not person_gender and wanted_salient:
                        return ResolvedSpeaker("", UNNAMED, "")
                    continue
                if self._unnamed_between(person.position, position, gender):
                    # "… said one senior official. He added …": he is the official.
                    return ResolvedSpeaker("", UNNAMED, "")
                return ResolvedSpeaker(name, PERSON, "")
        return ResolvedSpeaker("", UNNAMED, "")

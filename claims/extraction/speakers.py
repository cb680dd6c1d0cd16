"""Speaker resolution within one article: full names, pronouns and descriptions."""

from bisect import bisect_left
from dataclasses import dataclass, field

from claims.extraction.document import ArticleDoc, Draft, Mention
from claims.extraction.lexicon import (
    MEDIA_WORDS,
    PERSON_NOUNS,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    UNNAMED_NOUNS,
)
from claims.extraction.names import canonical_speaker_name, kind_of_name, speaker_description


@dataclass(slots=True)
class Resolved:
    name: str
    kind: str
    description: str


@dataclass
class SpeakerResolver:
    """Resolves mentions within one article: full names, pronouns and descriptions.

    ``persons`` holds (position, canonical name, description) of named people in the article,
    in text order; salient ones (subjects, earlier speakers) are preferred for pronouns.
    """

    persons: list[tuple[int, str, str, bool]] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    org_names: list[str] = field(default_factory=list)
    _positions: list[int] = field(default_factory=list)

    def add_person(self, position: int, name: str, description: str, salient: bool) -> None:
        self.persons.append((position, name, description, salient))

    def add_organization(self, name: str) -> None:
        self.org_names.append(name)

    def finish(self) -> None:
        """Index people and pick for every short name the fullest name in the article."""
        self.persons.sort(key=lambda person: person[0])
        self._positions = [person[0] for person in self.persons]
        names = {person[1] for person in self.persons}
        for name in names:
            self.full_names[name] = self._fullest(name, names)

    @staticmethod
    def _fullest(name: str, names: set[str]) -> str:
        words = name.split()
        best = name
        for other in names:
            other_words = other.split()
            if (
                len(other_words) > len(best.split())
                and other_words[-1] == words[-1]
                and set(words) <= set(other_words)
            ):
                best = other
        return best

    def full_name(self, name: str) -> str:
        if name in self.full_names:
            return self.full_names[name]
        return self._fullest(name, set(self.full_names))

    def full_org_name(self, name: str) -> str:
        longer = [other for other in self.org_names if other.startswith(name + " ")]
        return min(longer, key=len) if longer else name

    def _nearest_person(self, position: int, head: str = "") -> str:
        index = bisect_left(self._positions, position)
        earlier = self.persons[:index]
        if head:
            for _, name, description, _salient in reversed(earlier):
                if head in description.lower().split():
                    return name
        for _, name, _description, salient in reversed(earlier):
            if salient:
                return name
        if earlier:
            return earlier[-1][1]
        later = self.persons[index:]
        if head:
            for _, name, description, _salient in later:
                if head in description.lower().split():
                    return name
        return later[0][1] if later else ""

    def resolve(self, mention: Mention) -> Resolved:
        description = speaker_description(mention.text)
        if mention.name:
            kind = kind_of_name(mention.name, mention.entity_label)
            if kind == "person":
                return Resolved(self.full_name(mention.name), kind, description)
            return Resolved(self.full_org_name(mention.name), kind, description)
        head = mention.head
        words = [word.lower() for word in mention.text.split()]
        if head in PRONOUNS_PERSON:
            name = self._nearest_person(mention.start)
            return Resolved(self.full_name(name), "person" if name else "unnamed", "")
        if head in PRONOUNS_GROUP:
            return Resolved("", "unnamed", "")
        indefinite = not words or words[0] in ("a", "an", "some", "one", "several", "many")
        if head in PERSON_NOUNS and head not in UNNAMED_NOUNS and not indefinite:
            name = self._nearest_person(mention.start, head)
            if name:
                return Resolved(self.full_name(name), "person", description)
        lowered = set(words)
        if lowered & MEDIA_WORDS:
            return Resolved("", "media", description)
        return Resolved("", "unnamed", description)


def article_resolver(article: ArticleDoc, drafts: list[Draft]) -> SpeakerResolver:
    """A resolver knowing the people and organisations the article names and its speakers."""
    resolver = SpeakerResolver()
    for entity in article.doc.ents:
        if entity.label_ == "PERSON":
            name = canonical_speaker_name(entity.text)
            if not name:
                continue
            inside_quote = article.quote_at(entity.start_char) is not None
            salient = entity.root.dep_ in ("nsubj", "nsubjpass") and not inside_quote
            phrase_start = entity.root.left_edge.idx
            description = ""
            if phrase_start < entity.start_char:
                description = speaker_description(
                    article.text[phrase_start : entity.end_char]
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

"""Speaker names: canonical forms of mentions, their kind, and resolution within one article."""

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from claims.extraction.lexicon import (
    DETERMINERS,
    GOVERNMENT_WORDS,
    MEDIA_WORDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    UNNAMED_NOUNS,
)

_POSSESSIVE = re.compile(r"^(.*)['’]s?$")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_NAME_PARTICLES = frozenset(
    ["de", "del", "della", "der", "van", "von", "da", "al", "bin", "ibn", "le", "la", "di", "du"]
)
_TRIM = " \t\r\n,.;:!?\"“”‘’'()[]—–-"


def _is_title(word: str) -> bool:
    return word.lower() in PERSON_TITLES or word.lower().rstrip(".") in PERSON_TITLES


def _name_words(words: list[str]) -> tuple[list[str], list[str]]:
    """Split a mention's words into (description words, trailing name words)."""
    name: list[str] = []
    index = len(words)
    while index > 0:
        word = words[index - 1]
        if _is_title(word):
            break
        if word[:1].isupper() or word[:1].isdigit() or (name and word.lower() in _NAME_PARTICLES):
            name.insert(0, word)
        else:
            break
        index -= 1
    while name and name[0].lower() in _NAME_PARTICLES:
        name.pop(0)
        index += 1
    return words[:index], name


def _clean_words(mention: str) -> tuple[list[str], list[str]]:
    """Words of a mention without brackets, determiners, possessive owners and trailing "'s".

    Returns (owner words, remaining words): "Ukraine’s Foreign Minister X" -> (["Ukraine’s"], ...).
    """
    mention = _PARENTHESIS.sub("", mention)
    words = [word.strip(_TRIM) if word.strip(_TRIM) else "" for word in mention.split()]
    words = [word for word in words if word]
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    owner: list[str] = []
    for index, word in enumerate(words[:-1]):
        if re.search(r"['’]s$", word) or word.endswith(("s'", "s’")):
            owner = words[: index + 1]
    words = words[len(owner) :]
    if words:
        match = _POSSESSIVE.match(words[-1])
        if match and match.group(1) and (words[-1].endswith(("’s", "'s")) or len(words) > 1):
            words[-1] = match.group(1)
    return owner, words


def canonical_speaker_name(mention: str) -> str:
    """The name in a mention, without titles, roles, determiners or possessives.

    "Ukrainian president Vladimir Zelensky" -> "Vladimir Zelensky", "the Kremlin" -> "Kremlin";
    a mention that holds no name ("the Ukrainian president", "he") gives "".
    """
    _owner, words = _clean_words(mention)
    if not words:
        return ""
    if len(words) == 1 and words[0].lower() in PRONOUNS_PERSON | PRONOUNS_GROUP:
        return ""
    _description, name = _name_words(words)
    return " ".join(name)


def speaker_description(mention: str) -> str:
    """The role or title part of a mention: "Ukrainian president Vladimir Zelensky" -> that role."""
    owner, words = _clean_words(mention)
    if len(words) == 1 and words[0].lower() in PRONOUNS_PERSON | PRONOUNS_GROUP:
        return ""
    description, _name = _name_words(words)
    return " ".join(owner + description)


def kind_of_name(name: str, entity_label: str) -> str:
    """Guess a named speaker's kind from its words and the NER label, if any."""
    lowered = {word.strip(".").lower() for word in name.replace("-", " ").split()}
    if entity_label == "PERSON":
        return "person"
    if lowered & MEDIA_WORDS and entity_label in ("ORG", "", "WORK_OF_ART", "PRODUCT"):
        return "media"
    if entity_label in ("GPE", "LOC", "FAC") or lowered & GOVERNMENT_WORDS:
        return "government"
    if entity_label in ("ORG", "NORP"):
        return "organization"
    return "person"


@dataclass(slots=True)
class Mention:
    """A speaker mention as the resolver sees it."""

    start: int
    text: str
    head: str  # lower-cased head word
    name: str  # canonical name in the mention, "" if none
    entity_label: str  # NER label of the name, "" if unknown
    is_subject: bool = True


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

"""Speaker names from mention text: the canonical name, the role around it, and its kind."""

import re

from claims.extraction.lexicon import (
    DETERMINERS,
    GOVERNMENT_WORDS,
    MEDIA_WORDS,
    PERSON_TITLES,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
)

_POSSESSIVE = re.compile(r"^(.*)['’]s?$")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
NAME_PARTICLES = frozenset(
    ["de", "del", "della", "der", "van", "von", "da", "al", "bin", "ibn", "le", "la", "di", "du"]
)
_TRIM = " \t\r\n,.;:!?\"“”‘’'()[]—–-"
# Words that make a name NER left unlabelled an organisation's ("Human Rights Watch").
_ORGANISATION_WORDS = frozenset(
    """
    watch institute association union party foundation center centre group bank agency
    committee league federation coalition alliance fund board authority organization
    organisation society corporation corp inc company university college network club
    movement
    """.split()  # noqa: SIM905 - a word list reads best as words
)


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
        if word[:1].isupper() or word[:1].isdigit() or (name and word.lower() in NAME_PARTICLES):
            name.insert(0, word)
        else:
            break
        index -= 1
    while name and name[0].lower() in NAME_PARTICLES:
        name.pop(0)
        index += 1
    return words[:index], name


# Words whose final period belongs to them: initials and initialisms ("Robert F. Kennedy",
# "the U.S. State Department"), "Jr." and "Sr.".
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+|[JS]r\.")


def _trimmed(word: str) -> str:
    """A word without the punctuation around it, but with an abbreviation's period."""
    core = word.strip(_TRIM)
    if core and _ABBREVIATION.fullmatch(core + ".") and core + "." in word:
        return core + "."
    return core


def _clean_words(mention: str) -> tuple[list[str], list[str]]:
    """Words of a mention without brackets, determiners, possessive owners and trailing "'s".

    Returns (owner words, remaining words): "Ukraine’s Foreign Minister X" -> (["Ukraine’s"], ...).
    """
    mention = _PARENTHESIS.sub("", mention)
    words = [_trimmed(word) for word in mention.split()]
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


def organisation_name(mention: str) -> str:
    """An organisation's name in a mention: all its words but determiners, possessive owners
    and a trailing "'s" ("The Justice Department" -> "Justice Department")."""
    return " ".join(_clean_words(mention)[1])


# "U.S. Attorney's Office", "Manhattan District Attorney's Office", "Alzheimer's Association":
# an owner that is part of a body's name, every word capitalised, before a word that names a
# body, not a person.
_BODY_WORDS = _ORGANISATION_WORDS | frozenset(
    """
    office bureau hospital ministry department school church museum commission council court
    embassy
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_OWNED_OFFICE = re.compile(r"^[A-Z][\w.]*(?: [A-Z][\w.]*)*['’]s ([A-Z]\w*)$")


def owned_office_name(text: str, name: str) -> str:
    """ "The U.S. Attorney's Office" -> "U.S. Attorney's Office", "The Alzheimer's
    Association" -> "Alzheimer's Association", not "Office" or "Association": a body whose
    name says whose it is; else ``name``."""
    whole = text.strip()
    if whole.lower().startswith("the "):
        whole = whole[4:]
    match = _OWNED_OFFICE.match(whole)
    if " " not in name and whole.endswith(name) and match and match[1].lower() in _BODY_WORDS:
        return whole
    return name


# An organisation NER spans with a possessive inside it: "Moody's Analytics", "McDonald's
# Corp." (not "Trump's campaign", which NER leaves outside an organisation).
_OWNER_INSIDE = re.compile(r"^(?:[Tt]he )?([A-Z][\w.&-]*['’]s(?: [A-Z][\w.&-]*)+)$")


def owner_inside_name(entity_text: str, name: str) -> str:
    """ "Moody's Analytics" -> "Moody's Analytics", not "Analytics": the owner of an
    organisation's name that NER took in with it is part of the name; else ``name``."""
    match = _OWNER_INSIDE.match(entity_text.strip())
    if match and " " not in name and match[1].rstrip(".").endswith(name.rstrip(".")):
        return match[1]
    return name


# Lower-case words inside an organisation's name ("Club for Growth", "Doctors Without
# Borders" is capitalised anyway).
_NAME_CONNECTORS = frozenset(["for", "of", "and", "&", "on", "the"])
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")


# An ordinal in a name stands where a capitalised word would: "6th Circuit Court of Appeals".
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or bool(_ORDINAL.fullmatch(word))


def joined_organisation_name(entity_text: str, name: str) -> str:
    """An organisation's whole name when connectors join its capitalised words ("Club for
    Growth Action"), else ``name`` (the trailing capitalised words)."""
    words = _clean_words(entity_text)[1]
    if len(words) <= len(name.split()) or not _capitalised(words[0]):
        return name
    if words[-1].lower() in _NAME_CONNECTORS or any(_is_title(word) for word in words):
        return name
    connector = next((i for i, word in enumerate(words) if word.lower() in _NAME_CONNECTORS), 0)
    if not connector:
        return name
    if (
        words[-1].lower() in _ORGANISATION_WORDS
        and not {word.lower() for word in words[:connector]} & _ORGANISATION_WORDS
    ):
        # "Meenakshi Ganguly of Human Rights Watch": someone of an organisation, which NER
        # ran together; the organisation's own name is the trailing words.
        return name
    if all(_capitalised(word) or word.lower() in _NAME_CONNECTORS for word in words):
        # The trimming took an initialism's last full stop ("U.S" of "U.S. Court").
        return " ".join(word + "." if _INITIALISM.fullmatch(word) else word for word in words)
    return name


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
    if entity_label in ("ORG", "NORP") or lowered & _ORGANISATION_WORDS:
        return "organization"
    return "person"


def person_name(entity_text: str) -> str:
    """The name in a text NER marked as a person's: leading titles dropped, nothing else
    ("Representative Peter T. King" -> "Peter T. King", where "King" is a title elsewhere)."""
    _owner, cleaned = _clean_words(entity_text)
    # Keep the initials' full stops ("James B. Comey"): only the cleaned words' count is used.
    words = [
        word.strip(" ,;:!?\"“”‘’'()[]—–-") for word in _PARENTHESIS.sub("", entity_text).split()
    ]
    words = [word for word in words if word][len(words) - len(cleaned) :] if cleaned else []
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    while len(words) > 1 and _is_title(words[0]):
        words.pop(0)
    # "Fire Chief Ana Morales", "Police Commissioner Dermot Shea": a title that a word of its
    # own leads, with a name of two words or more after it ("Martin Luther King Jr." keeps
    # its "King").
    for index in range(len(words) - 3, 0, -1):
        if _is_title(words[index]) and all(word[:1].isupper() for word in words[:index]):
            words = words[index + 1 :]
            break
    if len(words) == 1 and (_is_title(words[0]) or words[0].lower() in PRONOUNS_PERSON):
        return ""
    return " ".join(words)

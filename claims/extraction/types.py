"""The values extraction returns: spans into the original text and the quotes built from them."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """One attribution found in an article."""

    kind: str  # "direct" | "indirect" | "mixed"
    content: TextSpan
    cue: TextSpan | None
    speaker_mention: TextSpan | None
    speaker: str  # canonical name, "" when unknown
    speaker_kind: str  # "person" | "organization" | "government" | "media" | "unnamed"
    speaker_description: str  # role or title taken from the mention, "" if none
    confidence: float  # 0..1


@dataclass(frozen=True, slots=True)
class ResolvedSpeaker:
    """Who a speaker mention stands for within its article ("" and "unnamed" when unsure)."""

    name: str  # canonical name
    kind: str  # "person" | "organization" | "government" | "media" | "unnamed"
    description: str  # role or title taken from the mention, "" if none

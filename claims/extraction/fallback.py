"""Rule-only extraction for when no parse is available (the model is missing): quotation-mark
quotes with "…,” X said" / "X said: “…" around them and simple "X said (that) …" sentences, by
regular expressions, with names found by capitalisation."""

import re

from claims.extraction.direct import MIN_UNATTRIBUTED_WORDS
from claims.extraction.document import ArticleDoc, Draft, Mention, word_count
from claims.extraction.lexicon import VERB_FORMS
from claims.extraction.names import canonical_speaker_name

_CUES = "|".join(sorted((re.escape(form) for form in VERB_FORMS), key=len, reverse=True))
_NAME = r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*|[Hh]e|[Ss]he|[Tt]hey|[Ii]t"
_AFTER_QUOTE = re.compile(
    rf"[\s,]*(?:(?P<speaker>{_NAME})\s+(?P<cue>{_CUES})\b|(?P<cue2>{_CUES})\s+(?P<speaker2>{_NAME}))"
)
_BEFORE_QUOTE = re.compile(
    rf"(?P<speaker>{_NAME})\s+(?:has\s+|had\s+|also\s+)?(?P<cue>{_CUES})\b[^.!?\n“”\"]{{0,40}}?[:,]?\s*$"
)
_INDIRECT = re.compile(
    rf"(?P<speaker>{_NAME})\s+(?:has\s+|had\s+|also\s+)?(?P<cue>{_CUES})\s+(?:that\s+)?"
    r"(?P<content>[^“”\"\n]+?)[.!?]?\s*$"
)


def _rule_mention(text: str, start: int, end: int) -> tuple[tuple[int, int], Mention]:
    mention_text = text[start:end]
    head = mention_text.split()[-1].lower() if mention_text.split() else ""
    return (start, end), Mention(
        start, mention_text, head, canonical_speaker_name(mention_text), ""
    )


def rule_drafts(article: ArticleDoc) -> list[Draft]:
    """Quotation marks and "X said (that) …" by regular expressions, for the blank pipeline."""
    text = article.text
    drafts: list[Draft] = []
    for item in article.quoted:
        content = article.quote_content(item)
        after = _AFTER_QUOTE.match(text, item.outer_end, min(len(text), item.outer_end + 80))
        line_start = max(text.rfind("\n", 0, item.outer_start) + 1, item.outer_start - 120)
        before = _BEFORE_QUOTE.search(text, line_start, item.outer_start)
        match, group = (after, "") if after else (before, "")
        if after and after.group("cue2"):
            group = "2"
        if match is None:
            if word_count(text[item.inner_start : item.inner_end]) >= MIN_UNATTRIBUTED_WORDS:
                drafts.append(Draft("direct", content, None, None, None, 0.4))
            continue
        speaker, mention = _rule_mention(
            text, match.start("speaker" + group), match.end("speaker" + group)
        )
        cue = (match.start("cue" + group), match.end("cue" + group))
        drafts.append(Draft("direct", content, cue, speaker, mention, 0.6))
    for sentence in article.doc.sents:
        start = sentence.start_char
        if article.quote_at(start) is not None:
            continue
        match = _INDIRECT.search(text, start, sentence.end_char)
        if match is None or article.quote_at(match.start("cue")) is not None:
            continue
        content = (match.start("content"), match.end("content"))
        content_text = text[content[0] : content[1]].rstrip(" ,;:")
        content = (content[0], content[0] + len(content_text))
        if word_count(content_text) < 3:
            continue
        speaker, mention = _rule_mention(text, match.start("speaker"), match.end("speaker"))
        cue = (match.start("cue"), match.end("cue"))
        drafts.append(Draft("indirect", content, cue, speaker, mention, 0.5))
    return drafts

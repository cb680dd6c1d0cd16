"""Signed quotes: a dash and a name after a quote ("“…” ― Sonya Herridge"), or a pull quote
whose last line inside its marks is the signer's name ("…\nDean Baker, Center for …”")."""

import re

from claims.extraction.document import ArticleDoc, Draft, Mention
from claims.extraction.quotemarks import Quoted

# A signature's dash: hyphen, figure dash, en dash, em dash, horizontal bar, two- and
# three-em dashes, minus; one or two of them.
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
_SIGNATURE = re.compile(rf"[ \t\u00a0]*[{_DASH_CHARS}]{{1,2}}[ \t\u00a0]*(?=\w)")
# What may follow a signature's name on its line: the end, or a comma or bracket before a
# place or role ("― Michelle Marks, Philadelphia").
_AFTER_SIGNATURE = frozenset([",", ".", "(", ";"])
# The marks that may close a pull quote after its signature line.
CLOSING_MARKS = '”"»'


def signature(article: ArticleDoc, item: Quoted) -> Draft | None:
    """ "“…” ― Sonya Herridge": a dash and a name after the quote, on its line or opening
    the next one when the quote ends its paragraph ("“…”\n\n- Bernie Sanders."), sign it."""
    signed = signature_inside_marks(article, item)
    if signed is not None:
        return signed
    doc, text = article.doc, article.text
    position = item.outer_end
    line_end = text.find("\n", position)
    if line_end == -1:
        line_end = len(text)
    if not text[position:line_end].strip():
        # The quote ends its paragraph: a signature would open the next non-empty line.
        position = line_end
        while position < len(text) and text[position] in " \t\r\n\u00a0":
            position += 1
        if text.count("\n", line_end, position) > 2:
            return None
        line_end = text.find("\n", position)
        if line_end == -1:
            line_end = len(text)
    match = _SIGNATURE.match(text, position)
    if match is None or match.end() >= line_end:
        return None
    first = article.token_at(match.end())
    # "-Michelle Marks": the tokenizer may leave the dash on the first name.
    if doc[first].idx != match.end() and doc[first].text[:1] not in _DASH_CHARS:
        return None
    if doc[first].ent_type_ != "PERSON" and doc[first].pos_ != "PROPN":
        return None
    last = first
    while (
        last + 1 < len(doc)
        and doc[last + 1].idx < line_end
        and (doc[last + 1].ent_type_ == "PERSON" or doc[last + 1].pos_ == "PROPN")
    ):
        last += 1
    following = doc[last + 1] if last + 1 < len(doc) and doc[last + 1].idx < line_end else None
    if following is not None and following.text not in _AFTER_SIGNATURE:
        return None  # a sentence that starts with a name, not a signature
    speaker = (match.end(), doc[last].idx + len(doc[last].text))
    mention_text = text[speaker[0] : speaker[1]]
    mention = Mention(speaker[0], mention_text, doc[last].lower_, mention_text, "PERSON")
    dash = text[match.start() : match.end()].strip(" \t\u00a0")
    cue_start = text.index(dash, match.start())
    cue = (cue_start, cue_start + len(dash))
    return Draft("direct", article.quote_content(item), cue, speaker, mention, 0.8)


# The longest line that may sign a pull quote inside its marks.
MAX_SIGNATURE_CHARS = 120


def signature_inside_marks(article: ArticleDoc, item: Quoted) -> Draft | None:
    """ "“I worry that …\nDean Baker, Center for Economic and Policy Research.”": a pull
    quote whose last line, still inside the marks, is a person's name (and their affiliation
    after a comma) is signed by that person, not by whoever spoke before it."""
    doc, text = article.doc, article.text
    if item.closed or item.outer_end >= len(text) or text[item.outer_end] != "\n":
        return None
    start = item.outer_end + 1
    line_end = text.find("\n", start)
    if line_end == -1:
        line_end = len(text)
    line = text[start:line_end].rstrip()
    if not line or len(line) > MAX_SIGNATURE_CHARS or line[-1] not in CLOSING_MARKS:
        return None
    first = article.token_at(start)
    if first >= len(doc) or doc[first].idx != start or doc[first].ent_type_ != "PERSON":
        return None
    last = first
    while (
        last + 1 < len(doc)
        and doc[last + 1].ent_type_ == "PERSON"
        and doc[last + 1].ent_iob_ == "I"
    ):
        last += 1
    if last == first:
        return None  # one word is no signature ("Trump, …")
    following = doc[last + 1] if last + 1 < len(doc) else None
    if following is not None and following.idx < start + len(line) - 1 and following.text != ",":
        return None  # a sentence that starts with a name
    speaker = (start, doc[last].idx + len(doc[last].text))
    mention_text = text[speaker[0] : speaker[1]]
    mention = Mention(speaker[0], mention_text, doc[last].lower_, mention_text, "PERSON")
    closing = start + len(line) - 1
    content = article.quote_content(item)
    return Draft("direct", content, (closing, closing + 1), speaker, mention, 0.8)

"""Direct and mixed quotes: attributions over quotation marks, quotes introduced by a cue next
to them ("…,” he said" / "He said: “…"), quotes continuing an earlier speaker, and headlines or
lines opened by a name and a colon ("Gingrich: Trump Must Decide …")."""

import re

from spacy.tokens import Token

from claims.extraction.document import QUOTE_CHARS, ArticleDoc, Draft, Mention, word_count
from claims.extraction.lexicon import PRONOUNS_GROUP, PRONOUNS_PERSON, VERB_FORMS
from claims.extraction.mentions import (
    mention_for,
    name_set_off_before,
    subject_after_quote,
    subject_near,
    subject_of,
)
from claims.extraction.names import canonical_speaker_name
from claims.extraction.phrases import POSSESSIVE_MARKS
from claims.extraction.quotemarks import Quoted
from claims.extraction.signatures import signature

# A quoted stretch this short with nobody saying it is a scare quote or a title, not a quote.
MIN_UNATTRIBUTED_WORDS = 8
# An unattributed quote starting this close after an attributed one continues its speaker.
CONTINUATION_CHARS = 400
# An attribution whose content is at least this share quoted is a direct quote, else mixed.
DIRECT_SHARE = 0.8
_LINE_START = re.compile(r"^", re.MULTILINE)
_WORD = re.compile(r"\w+")


def attach_quotes(article: ArticleDoc, drafts: list[Draft]) -> list[Draft]:
    """Turn attributions into direct or mixed quotes where quotation marks say so."""
    attributed: dict[int, Draft] = {}
    absorbed: set[int] = set()
    result: list[Draft] = []
    for draft in drafts:
        start, end = draft.content
        inside = [
            index
            for index, item in enumerate(article.quoted)
            if item.outer_start < end and item.outer_end > start
        ]
        if inside:
            last = article.quoted[inside[-1]]
            if start <= last.outer_start and end <= last.inner_end:
                # The parse stops at a sentence end, the quotation does not: "said
                # that “A. B.”" reports all of it.
                end = last.outer_end if last.closed else last.inner_end
                draft.content = (start, end)
        direct = None
        for index in inside:
            item = article.quoted[index]
            overlap = min(end, item.outer_end) - max(start, item.outer_start)
            if overlap >= DIRECT_SHARE * (end - start):
                direct = index
                break
        if direct is not None:
            if direct not in attributed:
                item = article.quoted[direct]
                draft.kind = "direct"
                draft.content = article.quote_content(item)
                draft.confidence = max(draft.confidence, 0.9)
                attributed[direct] = draft
            continue
        if inside:
            draft.kind = "mixed"
            absorbed.update(inside)
        result.append(draft)
    for index, item in enumerate(article.quoted):
        if index in attributed:
            result.append(attributed[index])
        elif index not in absorbed:
            draft = attribute_quote(article, item)
            if draft is not None:
                result.append(draft)
    continue_speakers(article.text, result)
    return result


def _introduced_anew(text: str, previous_end: int, start: int) -> bool:
    """ "“A.”\n\nSanders delivered a snappy retort: “B.”": B's paragraph opens with words
    of its own before the quote, so it is not the previous quote's paragraph continued."""
    between = text[previous_end:start]
    if between.rstrip(" \t\u00a0" + QUOTE_CHARS).endswith(":") and len(_WORD.findall(between)) > 1:
        return True  # "It continued: “B”", "From Bush's Facebook post: “B”"
    if "\n" not in between:
        return False
    return bool(_WORD.search(between[between.rindex("\n") :]))


def continue_speakers(text: str, drafts: list[Draft]) -> None:
    """A quote nobody is said to say continues the speaker of the quote just before it,
    unless a new paragraph introduces it with words of its own."""
    drafts.sort(key=lambda draft: draft.content)
    previous: Draft | None = None
    for draft in drafts:
        if (
            draft.speaker is None
            and draft.kind == "direct"
            and previous is not None
            and draft.content[0] - previous.content[1] <= CONTINUATION_CHARS
            and not _introduced_anew(text, previous.content[1], draft.content[0])
        ):
            draft.speaker, draft.mention = previous.speaker, previous.mention
            draft.confidence = 0.5
        if draft.speaker is not None:
            previous = draft


# A short quotation right after a possessive is a title, not speech.
TITLE_WORDS = 8


def attribute_quote(article: ArticleDoc, item: Quoted) -> Draft | None:
    """A quote no parsed attribution covers: look for "…,” he said" or "He said: “…"."""
    doc = article.doc
    words = word_count(article.text[item.inner_start : item.inner_end])
    if words <= TITLE_WORDS and article.text[: item.outer_start].rstrip().endswith(
        POSSESSIVE_MARKS
    ):
        return None  # a work's title: NBC's “Meet the Press”, Trump's “The Art of the Deal”
    after = article.token_at(item.outer_end)
    if after < len(doc) and doc[after].idx < item.outer_end:
        after += 1
    if item.aside_start >= 0:
        for index in range(article.token_at(item.aside_start), article.token_at(item.aside_end)):
            token = doc[index]
            if token.lower_ in VERB_FORMS and token.tag_.startswith("VB"):
                return quote_draft(article, item, token, 0.85)
    signed = signature(article, item)
    if signed is not None:
        return signed
    continues = article.text[item.inner_end - 1 : item.inner_end] in ",?!—-"
    for index in range(after, min(after + 30, len(doc))):
        token = doc[index]
        if "\n" in token.text or article.quote_at(token.idx) is not None:
            break
        if _speech_verb(token):
            if continues or index == after:
                return quote_draft(article, item, token, 0.85)
            break
        if continues and words >= MIN_UNATTRIBUTED_WORDS and _handed_to(token, after):
            return quote_draft(article, item, token, 0.8)
        if _ends_search(token):
            if continues and token.text not in ".;":
                named = named_then_speech_verb(article, item, after) or set_off_then_speech_verb(
                    article, item, after
                )
                if named is not None:
                    return named
            break
    reporting = reporting_verb_after(article, item)
    if reporting is not None:
        return quote_draft(article, item, reporting, 0.8)
    before = article.token_at(item.outer_start) - 1
    named = named_before_colon(article, item, before)
    if named is not None:
        return named
    # "He told the crowd:" may end the paragraph before the quote.
    if before > 0 and "\n" in doc[before].text and doc[before - 1].text == ":":
        before -= 1
    # A few quoted words that are a preposition's object ("said on the podcast “Town
    # Hall”") are a title, not words a cue before them introduces ("calling the governor
    # “a disgrace”", "He said: “…").
    titled = words < MIN_UNATTRIBUTED_WORDS and _object_of_preposition(article, item)
    for index in range(before, -1 if titled else max(before - 6, -1), -1):
        token = doc[index]
        if titled or "\n" in token.text or article.quote_at(token.idx) is not None:
            break
        if _speech_verb(token):
            return quote_draft(article, item, token, 0.8)
        if _ends_search(token):
            break
    introduced = (
        introduced_by_colon(article, item)
        or introduced_by_comma(article, item)
        or introduced_by_as_clause(article, item)
    )
    if introduced is not None:
        return introduced
    if words < MIN_UNATTRIBUTED_WORDS:
        return None
    content = article.quote_content(item)
    subject = previous_subject(article, item)
    if subject is not None:
        speaker, mention = mention_for(article, subject)
        return Draft("direct", content, None, speaker, mention, 0.45)
    return Draft("direct", content, None, None, None, 0.4)


def introduced_by_colon(article: ArticleDoc, item: Quoted) -> Draft | None:
    """ "Sanders delivered a snappy retort: “…”", "Hannity interjected: “…”": a clause
    ending in a colon right before the quote introduces it, whatever its verb; its subject
    is the speaker and its verb the cue."""
    verb = _verb_before(article, item, ":")
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    return _introduced_by(article, item, verb)


def _verb_before(article: ArticleDoc, item: Quoted, mark: str) -> Token | None:
    """The verb (or the root word) of the clause of the quote's sentence that ends in
    ``mark`` right before the quote, if one does."""
    doc = article.doc
    before = article.token_at(item.outer_start) - 1
    while before > 0 and doc[before].is_space:
        before -= 1
    if before < 1 or doc[before].text != mark:
        return None
    verb = doc[before - 1]
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.i >= before or verb.sent != doc[before].sent:
        return None
    return verb


def introduced_by_comma(article: ArticleDoc, item: Quoted) -> Draft | None:
    """ "Bolton told Breitbart News host Matt Boyle, “…”", "As Michael Dell said last week
    in Tel Aviv, “…”": a clause ending in a comma right before the quote introduces it when
    its verb is a reporting verb, or any verb for a quote of 8 words or more ("Clinton
    cracked, “…”"); a condition or a time ("Unless rivals quit, “…”") does not."""
    verb = _verb_before(article, item, ",")
    if verb is None:
        return None
    if any(child.dep_ == "mark" and child.lower_ != "as" for child in verb.children):
        return None  # "Unless rivals quit the race, “…”": a condition, not the speaker's clause
    words = word_count(article.text[item.inner_start : item.inner_end])
    if not _speech_verb(verb) and (
        words < MIN_UNATTRIBUTED_WORDS
        or verb.pos_ != "VERB"
        or verb.tag_ not in ("VBD", "VBZ", "VBP")
    ):
        return None
    return _introduced_by(article, item, verb)


def introduced_by_as_clause(article: ArticleDoc, item: Quoted) -> Draft | None:
    """ "As White House press secretary Josh Earnest explained, three taxes were postponed,
    depriving the government of $35 billion, “which sounds like a lot …”": a reporting verb
    in an "as" clause earlier in the quote's sentence gives the sentence, quote and all, to
    its subject."""
    doc = article.doc
    if word_count(article.text[item.inner_start : item.inner_end]) < MIN_UNATTRIBUTED_WORDS:
        return None  # "as Paul Ryan has pointed out, that's the “textbook definition”"
    first = article.token_at(item.outer_start)
    for token in doc[doc[first].sent.start : first]:
        if (
            _speech_verb(token)
            and article.quote_at(token.idx) is None
            and any(child.dep_ == "mark" and child.lower_ == "as" for child in token.children)
        ):
            return _introduced_by(article, item, token)
    return None


def _introduced_by(article: ArticleDoc, item: Quoted, verb: Token) -> Draft | None:
    """The quote introduced by ``verb``'s clause: its subject before it is the speaker (not
    "it", "that" …: "It continued: “…”" says nothing of who), the verb the cue. A clause
    inside the introducing one ("Bush broke down exactly what was wrong with it to the
    newspaper: “…”") hands the choice to the verb it depends on."""
    for _ in range(3):
        subjects = [child for child in verb.children if child.dep_ == "nsubj" and child.i < verb.i]
        inner = not subjects or subjects[0].lower_ in ("what", "which", "that")
        if not inner or verb.dep_ not in _INNER_CLAUSES:
            break
        governor = verb.head
        while governor.pos_ not in ("VERB", "AUX") and governor.head.i != governor.i:
            governor = governor.head
        if governor.pos_ not in ("VERB", "AUX") or governor.i == verb.i:
            break
        verb = governor
    if not subjects or article.quote_at(subjects[0].idx) is not None:
        return None
    subject = subjects[0]
    if subject.lower_ in ("it", "that", "this", "which", "what", "there"):
        return None
    speaker, mention = mention_for(article, subject)
    cue = article.span_of(verb, verb)
    return Draft("direct", article.quote_content(item), cue, speaker, mention, 0.6)


# A clause inside the one that introduces a quote: "what was wrong", "to explain".
_INNER_CLAUSES = frozenset(["ccomp", "relcl", "xcomp", "advcl", "acl", "pcomp", "csubj"])


def _object_of_preposition(article: ArticleDoc, item: Quoted) -> bool:
    doc = article.doc
    first, last = article.token_at(item.inner_start), article.token_at(item.inner_end - 1)
    return any(
        doc[index].dep_ == "pobj" and not first <= doc[index].head.i <= last
        for index in range(first, last + 1)
    )


def named_then_speech_verb(article: ArticleDoc, item: Quoted, after: int) -> Draft | None:
    """ "“…,” screenwriter Cole Haddon wrote on Twitter": a name and a reporting verb right
    after the quote, when the parse took a word of the noun phrase for a verb of its own."""
    doc = article.doc
    seen_name = False
    for index in range(after, min(after + 8, len(doc))):
        token = doc[index]
        if "\n" in token.text or token.text in ".;,":
            return None
        if seen_name and _speech_verb(token):
            draft = quote_draft(article, item, token, 0.8)
            return draft if draft.speaker is not None else None
        seen_name = seen_name or token.ent_type_ == "PERSON"
    return None


def set_off_then_speech_verb(article: ArticleDoc, item: Quoted, after: int) -> Draft | None:
    """ "“…,” Melanne Verveer, a Ukrainian-American then working for the State Department,
    wrote": a name right after the quote, an appositive set off by commas (whose verbs end
    the search for a cue) and a reporting verb."""
    doc = article.doc
    for index in range(after, min(after + 30, len(doc))):
        token = doc[index]
        if "\n" in token.text or token.text in ".;" or article.quote_at(token.idx) is not None:
            return None
        if _speech_verb(token) and name_set_off_before(article, token) is not None:
            return quote_draft(article, item, token, 0.8)
    return None


def reporting_verb_after(article: ArticleDoc, item: Quoted) -> Token | None:
    """ "“… the right things” about fixing inequality, said Marla Kilfoyle": a reporting
    verb later in the quote's sentence whose reported clause holds the quote's first word
    reports the quote, whatever words stand between them."""
    doc = article.doc
    first = article.token_at(item.inner_start)
    sentence = doc[first].sent
    for token in doc[article.token_at(item.outer_end) : sentence.end]:
        if "\n" in token.text or article.quote_at(token.idx) is not None:
            if token.idx >= item.outer_end:
                return None
            continue
        if _speech_verb(token) and any(
            child.dep_ == "ccomp" and child.left_edge.i <= first <= child.right_edge.i
            for child in token.children
        ):
            return token
    return None


def _handed_to(token: Token, after: int) -> bool:
    """ "“…,” Toomey fumed on Tuesday", "“…?” Trump answered", "“…,” exhorted the host": the
    verb a quote ending in a comma, "?" or "!" is handed to reports it, in the lexicon or not,
    when its subject stands between the quote and it or right after it (inverted)."""
    if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    if token.i == after:
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return following is not None and following.pos_ in ("DET", "PROPN", "NOUN", "ADJ")
    return any(
        child.dep_ == "nsubj" and after <= child.left_edge.i and child.i < token.i
        for child in token.children
    )


def _speech_verb(token: Token) -> bool:
    """A reporting verb next to a quote, or "put it" ("as Tom Ridge put it: “…”")."""
    if not token.tag_.startswith("VB"):
        return False
    if token.lower_ in VERB_FORMS:
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return token.lower_ in ("put", "puts") and following is not None and following.lower_ == "it"


def _ends_search(token: Token) -> bool:
    """A sentence end or a verb of its own ends the search for a quote's cue; a verb inside
    the speaker's noun phrase ("Trump senior adviser Paul Manafort", "X, who was …") does
    not."""
    if token.text in ".;":
        return True
    return token.pos_ in ("VERB", "AUX") and token.dep_ not in _NOMINAL_DEPS


# A verb in these roles belongs to a noun phrase ("Trump senior adviser …", "…, who was …").
_NOMINAL_DEPS = frozenset(
    ["compound", "amod", "nmod", "dobj", "pobj", "nsubj", "appos", "poss", "relcl", "acl", "aux"]
)


def previous_subject(article: ArticleDoc, item: Quoted) -> Token | None:
    """ "Cruz blasted the moderators. “You look at …”": the previous sentence's subject."""
    index = article.token_at(item.outer_start)
    sentence = article.doc[index].sent
    if sentence.start_char < item.outer_start - 1:
        return None  # the quote does not start its sentence
    index = sentence.start - 1
    while index >= 0 and (article.doc[index].is_space or article.doc[index].is_punct):
        index -= 1
    if index < 0 or article.quote_at(article.doc[index].idx) is not None:
        return None
    root = article.doc[index].sent.root
    # "Or maybe Jeb Bush, digital consultant Phil Musser says.": of two subjects the parse
    # gave the verb, the one next to it says it.
    subjects = [child for child in root.children if child.dep_ == "nsubj"]
    if not subjects:
        return None
    child = subjects[-1] if subjects[-1].i < root.i else subjects[0]
    if child.ent_type_ in ("PERSON", "ORG", "NORP") or child.lower_ in PRONOUNS_PERSON | (
        PRONOUNS_GROUP
    ):
        return child
    return None


def quote_draft(article: ArticleDoc, item: Quoted, verb: Token, confidence: float) -> Draft:
    subject = subject_after_quote(article, verb) or subject_of(verb)
    settled = False
    if subject is None or _in_quoted_words(item, subject):
        # The parse took a word of the quote as the subject of its own attribution
        # ("“… but they award only 4 percent,” campaign manager Robby Mook said"), or none.
        named = name_set_off_before(article, verb)
        if named is not None:
            # A name with its role set off by commas between the quote and the verb: no
            # other word of the sentence is likelier.
            subject = named
            settled = any(token.text == "," for token in article.doc[named.i : verb.i])
        elif subject is not None:
            subject = subject_near(article, verb)
    speaker, mention = mention_for(article, subject) if subject is not None else (None, None)
    content = article.quote_content(item)
    cue = article.span_of(verb, verb)
    return Draft("direct", content, cue, speaker, mention, confidence, settled=settled)


def _in_quoted_words(item: Quoted, token: Token) -> bool:
    return item.inner_start <= token.idx < item.inner_end and not item.in_aside(token.idx)


_CLOSERS = (")", "]")


def named_before_colon(article: ArticleDoc, item: Quoted, before: int) -> Draft | None:
    """ "Rep. Trey Gowdy (R-S.C.): “…”", "- Carl Bialik: “…”": a person's name and a colon
    right before the quote."""
    doc = article.doc
    while before > 0 and doc[before].is_space and "\n" not in doc[before].text:
        before -= 1  # "Michael P. McDonald:  “…”"
    if before < 1 or doc[before].text != ":":
        return None
    index = before - 1
    if doc[index].text in _CLOSERS:
        while index > 0 and doc[index].text not in ("(", "["):
            index -= 1
        index -= 1
    entity = article.entity_of.get(index)
    if entity is None or entity.label_ != "PERSON" or entity.end - 1 != index:
        return None
    speaker = (entity.start_char, entity.end_char)
    mention = Mention(entity.start_char, entity.text, doc[index].lower_, entity.text, "PERSON")
    cue = article.span_of(doc[before], doc[before])
    return Draft("direct", article.quote_content(item), cue, speaker, mention, 0.75)


_HEADLINE = re.compile(r"\s*(?P<speaker>[A-Z][^:\n]{1,50}?)(?P<cue>:)\s+(?P<content>[^\n]+)")
_NOT_SPEAKERS = frozenset(
    ["the", "a", "an", "breaking", "update", "exclusive", "watch", "video", "live"]
)


def headline_draft(text: str, position: int = 0) -> Draft | None:
    """A headline "Gingrich: Trump Must Decide …" attributes its second half to its first;
    so does a line "Matthews: Well, …" starting at ``position`` (scope "all")."""
    match = _HEADLINE.match(text, position)
    if match is None:
        return None
    words = match.group("speaker").split()
    shouting = match.group("speaker").isupper() and len(match.group("speaker")) > 4
    if (
        len(words) > 4
        or words[0].lower() in _NOT_SPEAKERS
        or any(word[:1].islower() for word in words)
        or (shouting and position == 0)
    ):
        # An all-capitals name opens a transcript's line ("CLINTON: Honestly, …"), but a
        # headline that starts that way is a label ("BREAKING: …").
        return None
    start, end = match.span("content")
    while end > start and text[end - 1] in " .\t\r":
        end -= 1
    speaker = match.span("speaker")
    mention_text = match.group("speaker")
    name = canonical_speaker_name(mention_text)
    mention = Mention(speaker[0], mention_text, words[-1].lower(), name, "")
    return Draft("indirect", (start, end), match.span("cue"), speaker, mention, 0.6)


def line_drafts(text: str, headline: Draft | None) -> list[Draft]:
    """ "Matthews: Well, …": a name and a colon open a line of that person's words."""
    drafts = []
    for match in _LINE_START.finditer(text):
        if match.end() == 0 or (headline is not None and match.end() <= headline.content[0]):
            continue
        draft = headline_draft(text, match.end())
        if draft is not None:
            drafts.append(draft)
    shouting = {draft.speaker for draft in drafts if _shouting(draft)}
    if len(shouting) == 1 and _opens_first_paragraph(text, min(shouting)[0]):
        # A transcript gives turns ("CLINTON: …", "TRUMP: …"); one all-capitals opener
        # alone, on the story's first paragraph under its headline, is a dateline ("NEW
        # DELHI: Congress leader Rahul Gandhi on Monday …").
        drafts = [draft for draft in drafts if not _shouting(draft)]
    return drafts


def _opens_first_paragraph(text: str, position: int) -> bool:
    """Whether ``position`` is on the first or second non-empty line (under a headline)."""
    lines = [line for line in text[:position].split("\n") if line.strip()]
    return len(lines) <= 1


def _shouting(draft: Draft) -> bool:
    # As a headline's: "UN: …" is an organisation's initials, "NEW DELHI: …" a shout.
    return (
        draft.mention is not None and draft.mention.text.isupper() and len(draft.mention.text) > 4
    )

"""Who reports: the source word of a cue in the parse, and the speaker mention around it."""

from bisect import bisect_right

from spacy.tokens import Token

from claims.extraction.document import QUOTE_CHARS, ArticleDoc, Mention
from claims.extraction.lexicon import (
    PERSON_TITLES,
    PRONOUNS_GROUP,
    PRONOUNS_PERSON,
    VERB_FORMS,
)
from claims.extraction.names import canonical_speaker_name

_MENTION_STOP_DEPS = ("relcl", "acl", "advcl", "parataxis", "ccomp", "xcomp")


def mention_for(article: ArticleDoc, subject: Token) -> tuple[tuple[int, int], Mention]:
    """The speaker mention around a subject token: its noun phrase without clauses."""
    doc = article.doc
    if subject.lower_ in ("who", "which", "that") and subject.head.dep_ == "relcl":
        # "Kasich, who says …": the mention is "who", the name its antecedent's.
        _span, mention = mention_for(article, subject.head.head)
        relative = article.span_of(subject, subject)
        mention.start = relative[0]
        return relative, mention
    dateline_end = article.no_speaker_end(subject.idx)
    if dateline_end is not None and subject.head.i > subject.i:
        # "WASHINGTON — President Barack Obama said": the parse made the dateline the
        # subject; the speaker is what stands between the dateline and the verb.
        first = article.token_at(dateline_end)
        last = subject.head.i - 1
        while last > first and doc[last].dep_ in ("aux", "auxpass", "advmod", "neg", "punct"):
            last -= 1
        if first <= last:
            span = article.span_of(doc[first], doc[last])
            mention_text = article.text[span[0] : span[1]]
            name = canonical_speaker_name(mention_text)
            return span, Mention(span[0], mention_text, doc[last].lower_, name, "")
    first = subject.left_edge.i
    last = subject.i
    stopped = False
    for child in subject.rights:
        if child.dep_ in _MENTION_STOP_DEPS:
            stopped = True  # a clause describing the speaker is not part of the mention …
            continue
        if child.dep_ in ("punct", "cc") and child.i == child.right_edge.i:
            continue
        if stopped and child.dep_ != "appos":
            break
        # … unless the speaker's name comes after it ("The editor I spoke to, Tim Grieve").
        last = child.right_edge.i
    while first < subject.i and (
        doc[first].is_punct
        or doc[first].is_space
        or article.no_speaker_end(doc[first].idx) is not None  # "BRUSSELS, March 3 (Reuters) -"
    ):
        first += 1
    while last > subject.i and (doc[last].is_punct or doc[last].is_space):
        if _closes_a_bracket(doc, first, last):
            break
        last -= 1
    if last + 1 < len(doc) and _closes_a_bracket(doc, first, last + 1):
        last += 1  # "The National Confederation of Agriculture (CNA)": its closing bracket
    last = _name_after_role(article, subject, last)
    last = _titled_name_after(article, subject, last)
    first, last = _name_set_off(article, subject, first, last)
    span = article.span_of(doc[first], doc[last])
    mention_text = article.text[span[0] : span[1]]
    entity = article.entity_of.get(subject.i)
    if entity is not None:
        name = canonical_speaker_name(entity.text) or entity.text.strip()
        label = entity.label_
    elif subject.pos_ == "PROPN" or (not subject.pos_ and subject.text[:1].isupper()):
        name = canonical_speaker_name(mention_text)
        label = ""
    else:
        name, label = "", ""
    if subject.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP:
        name = ""
    mention = Mention(span[0], mention_text, subject.lower_, name, label)
    return span, mention


def _closes_a_bracket(doc, first: int, last: int) -> bool:
    """Whether the token at ``last`` closes a bracket opened in the mention before it."""
    before = doc[first:last].text
    opened = before.count("(") + before.count("[")
    closed = before.count(")") + before.count("]")
    return doc[last].text in (")", "]") and opened > closed


def _name_set_off(article: ArticleDoc, subject: Token, first: int, last: int) -> tuple[int, int]:
    """ "The American ambassador at the time, John Herbst, wrote", "Deborah Tamargo, the
    chairwoman of the county party, recalled": a person's name set off by commas next to a
    role subject, which the parse hung on the verb as an adverbial noun (npadvmod, never a
    name's own role). The mention runs over the name, which the resolver then takes."""
    doc = article.doc
    verb = subject.head
    if subject.pos_ != "NOUN" or subject.dep_ not in ("nsubj", "nsubjpass") or verb.i <= last:
        return first, last
    for child in verb.children:
        entity = article.entity_of.get(child.i)
        if child.dep_ != "npadvmod" or entity is None or entity.label_ != "PERSON":
            continue
        if entity.root.i != child.i or article.quote_at(child.idx) is not None:
            continue
        after_role = last < entity.start < verb.i and doc[entity.start - 1].text == ","
        if after_role and (entity.end == verb.i or doc[entity.end].text == ","):
            return first, entity.end - 1  # the role, then the name
        if entity.end == first - 1 and doc[first - 1].text == ",":
            return entity.start, last  # the name, then the role
    return first, last


def _titled_name_after(article: ArticleDoc, subject: Token, last: int) -> int:
    """ "said Air Force 1st Lt. Tyler Livingston.": after its verb, a subject followed by a
    title and a person's name that end the clause runs on over them (the parse broke the
    sentence at the title's full stop)."""
    doc = article.doc
    if subject.head.i > subject.i or subject.dep_ not in ("nsubj", "nsubjpass"):
        return last
    index = last + 1
    titled = index
    while index < len(doc) and (
        doc[index].lower_ in PERSON_TITLES
        or doc[index].lower_.rstrip(".") in PERSON_TITLES
        or doc[index].lower_ + "." in PERSON_TITLES  # "Lt", "." tokenized apart
        or (doc[index].text == "." and index > titled)
    ):
        index += 1
    if index == titled:
        return last
    entity = article.entity_of.get(index)
    if entity is None or entity.label_ != "PERSON" or entity.start != index:
        return last
    after = doc[entity.end] if entity.end < len(doc) else None
    if after is not None and not (after.is_punct or after.is_space):
        return last
    return entity.end - 1


def _name_after_role(article: ArticleDoc, subject: Token, last: int) -> int:
    """ "Vatican spokesman the Rev. Federico Lombardi told", "Sullivan's lawyer Beth Wilkinson
    said": a role noun whose person's name follows it before the verb, which the parse hung
    elsewhere; the mention runs to the end of the name."""
    doc = article.doc
    verb = subject.head
    if subject.pos_ != "NOUN" or subject.dep_ not in ("nsubj", "nsubjpass") or verb.i <= last:
        return last
    if verb.pos_ not in ("VERB", "AUX") or article.quote_at(subject.idx) is not None:
        return last
    if any(token.pos_ in ("VERB", "AUX") for token in doc[subject.i : last + 1]) or any(
        child.dep_ in _MENTION_STOP_DEPS for child in subject.children
    ):
        return last  # "…, who also ran in the new bloc, Mr. X": the name is someone else's
    index = last + 1
    if index < verb.i and doc[index].text == ",":
        index += 1
    while index < verb.i and (
        doc[index].lower_ == "the"
        or doc[index].lower_ in PERSON_TITLES
        or doc[index].lower_.rstrip(".") in PERSON_TITLES
    ):
        index += 1
    entity = article.entity_of.get(index)
    if entity is None or entity.label_ != "PERSON" or entity.start != index:
        return last
    after = doc[entity.end] if entity.end < len(doc) else None
    if entity.end > verb.i or after is None:
        return last
    if entity.root.head.i not in (subject.i, verb.i) and entity.root.head.i > last:
        return last
    if after.i != verb.i and after.text != "," and after.dep_ not in ("aux", "advmod"):
        return last
    return entity.end - 1


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, borrowed from the governing verb for "adding that" and "and said"."""
    first = True
    for _ in range(4):
        for child in verb.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and not first):
                return _last_of_run(child, verb)
        first = False
        head = verb.head
        if verb.dep_ == "xcomp" and head != verb and head.lower_ not in VERB_FORMS:
            # "it prompted Anderson Cooper to accuse …": the object of the governing verb
            # does what the infinitive says (a reporting verb's object is its audience).
            for child in head.children:
                if child.dep_ == "dobj" and child.i < verb.i and child.ent_type_ == "PERSON":
                    return child
        if verb.dep_ in ("conj", "advcl", "xcomp") and head != verb:
            verb = head
        elif verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
            verb = head.head  # "Romer was sidelined after demonstrating that …"
        elif verb.dep_ == "acl" and head.pos_ in ("PROPN", "NOUN") and head.i < verb.i:
            return head  # "Erin Brockovich, …, saying she …", "a report saying …"
        else:
            break
    return subject_before(verb) or subject_after(verb)


def _last_of_run(subject: Token, verb: Token) -> Token:
    """ "Clinton top aide Huma Abedin emailed": the parse may give the verb two subjects, the
    second running on from the first; the phrase is one, and its last noun is its head."""
    for child in verb.children:
        if (
            child.dep_ == subject.dep_
            and child.i > subject.i
            and child.left_edge.i == subject.right_edge.i + 1
        ):
            return child
    return subject


def subject_after(verb: Token) -> Token | None:
    """ "…, said a former spokesman for the ministry, Oleg Voloshyn": a speech verb's subject
    after it, when the parse gave it none."""
    if verb.lower_ not in VERB_FORMS or verb.i + 1 >= len(verb.doc):
        return None
    following = verb.doc[verb.i + 1]
    if following.pos_ not in ("DET", "PROPN", "NOUN", "ADJ") or following.lower_ == "that":
        return None
    token = following
    while token.head.i != token.i and token.head.i > verb.i and token.dep_ not in ("appos",):
        if token.head.pos_ not in ("PROPN", "NOUN"):
            break
        token = token.head
    return token if token.pos_ in ("PROPN", "NOUN") else None


def subject_before(verb: Token) -> Token | None:
    """When the parse found no subject: the noun right before the verb ("4 in 10 say"), or
    the name an appositive set off by commas belongs to ("Bill Skelly, a longtime RNC data
    operative, vouched …")."""
    index = verb.i - 1
    while index >= verb.sent.start and verb.doc[index].dep_ in ("aux", "advmod", "neg"):
        index -= 1
    if index < verb.sent.start:
        return None
    token = verb.doc[index]
    if token.text == "," and index - 1 >= verb.sent.start:
        return _named_before_appositive(verb.doc[index - 1], verb) or _opening_name(verb)
    if token.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and token.lower_ not in ("it", "that"):
        return token
    return None


_APPOSITIVE_PATH = frozenset(
    ["appos", "conj", "cc", "prep", "pobj", "compound", "amod", "nummod", "poss", "case"]
)


def _opening_name(verb: Token) -> Token | None:
    """ "RoseAnn DeMoro, executive director of …, a union that …, also said": the person
    named first in the sentence, set off by a comma, when the appositive is too long to
    climb."""
    for token in verb.doc[verb.sent.start : verb.i]:
        if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
            last = token.i
            while last + 1 < verb.i and verb.doc[last + 1].ent_iob_ == "I":
                last += 1
            if last + 1 < verb.i and verb.doc[last + 1].text == ",":
                return verb.doc[last]
            return None
    return None


def _named_before_appositive(token: Token, verb: Token) -> Token | None:
    for _ in range(8):
        if token.ent_type_ in ("PERSON", "ORG") and token.pos_ == "PROPN":
            return token
        head = token.head
        if token.dep_ not in _APPOSITIVE_PATH or head.i == token.i or head.i >= verb.i:
            return None
        token = head
    return None


def source_of(token: Token) -> Token | None:
    """Who reports: the subject, an owner ("his claim that"), or a passive's agent."""
    if token.pos_ == "NOUN":
        for child in token.children:
            if child.dep_ == "poss":
                return child
        head = token.head
        if token.dep_ in ("dobj", "pobj", "attr") and head.i != token.i:
            if token.dep_ == "pobj" and head.head.i != head.i:
                head = head.head
            for child in head.children:
                if child.dep_ == "nsubj":
                    return child
        return None
    for child in token.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return subject_of(token)


def subject_after_quote(article: ArticleDoc, verb: Token) -> Token | None:
    """ "“…,” remembered Roy Verley, HP's former …": a verb right after a closing quotation
    mark, followed by a noun phrase, has that noun phrase as its subject (the inverted order
    of reporting), whatever word the parse took."""
    doc = article.doc
    if verb.i + 1 >= len(doc) or not verb.tag_.startswith("VB"):
        return None
    index = bisect_right(article.quote_starts, verb.idx) - 1
    # The quote that closes right before the verb: the last one opened, or the one around
    # it when that was a quote within a quote.
    closing = [
        item
        for item in article.quoted[max(index - 3, 0) : index + 1]
        if item.outer_end <= verb.idx and len(article.text[item.outer_end : verb.idx]) <= 3
    ]
    if not closing:
        return None
    item = closing[-1]
    between = article.text[item.outer_end : verb.idx]
    if between.strip(" ,"):
        return None
    # Only a quote handed to a reporting verb: “…,” / “…?” / “…!” said X.
    ends = article.text[item.inner_start : item.inner_end].rstrip()[-1:] + between.strip()
    if verb.pos_ != "VERB" or verb.ent_type_ or not (set(ends) & set(",?!—")):
        return None
    following = doc[verb.i + 1]
    if following.pos_ not in ("DET", "PROPN", "NOUN", "ADJ") or following.lower_ == "that":
        return None
    token = following
    while token.head.i != token.i and token.head.i > verb.i and token.dep_ != "appos":
        if token.head.pos_ not in ("PROPN", "NOUN"):
            break
        token = token.head
    if token.pos_ not in ("PROPN", "NOUN") or token.dep_ in ("dobj", "dative", "npadvmod"):
        return None
    if token.head.i != verb.i and token.head.pos_ in ("VERB", "AUX"):
        return None  # the subject of the reported clause ("said the candidate could …")
    if verb.lower_ not in VERB_FORMS and token.ent_type_ != "PERSON":
        return None
    if token.ent_type_ != "PERSON":
        # "said Air Force 1st Lt. Tyler Livingston": the parse split the title from the
        # name; the person whose name ends the phrase (before a comma or the sentence end)
        # is the subject, not one named on the way ("said Cruz constituent Dan Golvach").
        for index in range(verb.i + 1, min(verb.i + 9, len(doc))):
            word = doc[index]
            entity = article.entity_of.get(index)
            if entity is not None and entity.label_ == "PERSON" and entity.start == index:
                ends = entity.end >= len(doc) or doc[entity.end].is_punct
                if ends:
                    return entity.root
            if word.is_punct and word.text != ".":
                break
            if word.dep_ == "prep" and word.head.i == token.i:
                break  # "said the former top aide to President George W. Bush": whom it serves
    return token


def name_set_off_before(article: ArticleDoc, verb: Token) -> Token | None:
    """ "“…,” William M. Daley, President Obama's former chief of staff, said": a person's
    name right after a closing quotation mark, then the verb, or an appositive set off by
    commas and the verb, is the verb's subject, whatever the parse hung the name on."""
    doc = article.doc
    around = article.quote_at(verb.idx)
    if around is not None and around.in_aside(verb.idx):
        closed_at = around.aside_start  # "“A,” X, …, said, “B”"
    else:
        index = bisect_right(article.quote_starts, verb.idx) - 1
        closing = [
            item
            for item in article.quoted[max(index - 3, 0) : index + 1]
            if item.outer_end <= verb.idx
        ]
        if not closing:
            return None
        closed_at = closing[-1].outer_end
    first = article.token_at(closed_at)
    while first < verb.i and (
        doc[first].idx < closed_at or doc[first].is_space or not doc[first].text.strip(QUOTE_CHARS)
    ):
        first += 1
    entity = article.entity_of.get(first)
    if entity is None or entity.label_ != "PERSON" or entity.start != first:
        return None
    between = doc[entity.end : verb.i]
    if len(between) > 30 or any(
        token.text in (".", ";") or "\n" in token.text or _quoted(article, token)
        for token in between
    ):
        return None
    words = [token for token in between if token.dep_ not in ("aux", "advmod", "neg")]
    set_off = len(words) >= 2 and words[0].text == "," and words[-1].text == ","
    if words and not set_off:
        return None
    return doc[entity.end - 1]


def _quoted(article: ArticleDoc, token: Token) -> bool:
    """Whether a token is a quote's own words (an aside such as "he said" is not)."""
    item = article.quote_at(token.idx)
    return item is not None and not item.in_aside(token.idx)


def subject_near(article: ArticleDoc, verb: Token) -> Token | None:
    """The noun phrase next to a reporting verb outside quotation marks: before it ("…,” X
    said"), else right after it ("…,” said X")."""
    doc = article.doc
    index = verb.i - 1
    while index >= 0 and doc[index].dep_ in ("aux", "advmod", "neg"):
        index -= 1
    candidates = [index] if index >= 0 else []
    candidates += range(verb.i + 1, min(verb.i + 4, len(doc)))
    for index in candidates:
        token = doc[index]
        if article.quote_at(token.idx) is not None or "\n" in token.text:
            continue
        if token.pos_ in ("PROPN", "NOUN") or token.lower_ in ("he", "she"):
            while (
                token.head.i != token.i
                and token.head.pos_ in ("PROPN", "NOUN")
                and article.quote_at(token.head.idx) is None
                and abs(token.head.i - verb.i) <= 8
            ):
                token = token.head
            return token
    return None

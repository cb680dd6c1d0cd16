"""Finding quotes in an article: the public entry points, and the order the steps run in.

The steps live in their own modules: ``quotemarks`` (quotation marks), ``attribution`` (cues
read from the parse), ``direct`` (quotes over quotation marks and headlines), ``fallback``
(regular expressions when there is no parse), ``dedup`` (one quote per stretch of text) and
``speakers`` (who said it). Offsets always index the exact text spaCy was given.
"""

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Token

from claims.extraction.attribution import candidate, cue_drafts, parsed_drafts
from claims.extraction.cues import SCOPE_ALL, SCOPE_CLAIMS, SCOPES, CueModel, load_cue_model
from claims.extraction.dedup import without_near_duplicates
from claims.extraction.direct import attach_quotes, headline_draft, line_drafts
from claims.extraction.document import ArticleDoc, Draft, Mention
from claims.extraction.fallback import rule_drafts
from claims.extraction.gender import first_name_gender, mention_gender
from claims.extraction.lexicon import PERSON_NOUNS
from claims.extraction.names import canonical_speaker_name, kind_of_name, speaker_description
from claims.extraction.quotemarks import find_quoted, merge_split_quotes
from claims.extraction.sources import (
    SourceChoice,
    SourceModel,
    load_source_model,
    reselect_sources,
    source_choice,
)
from claims.extraction.speakers import (
    ORGANIZATION,
    PERSON,
    UNNAMED,
    SpeakerResolver,
)
from claims.extraction.types import ExtractedQuote, ResolvedSpeaker, TextSpan

# Multi-process pipes copy the pipeline into workers before any text is seen, so the length
# limit there has to be raised up front (spaCy's limit guards memory, ~1 GB per 100k chars
# for parser and NER; articles are far shorter).
MULTIPROCESS_MAX_LENGTH = 10_000_000


def extract_quotes(text: str, *, nlp: Language, scope: str = SCOPE_CLAIMS) -> list[ExtractedQuote]:
    """All quotes in ``text``, sorted by where their content starts.

    ``scope`` is ``"claims"`` (speech and thought reported with a clause, direct and mixed
    quotes) or ``"all"`` (also stances, intentions and hearsay, as PolNeAR annotates).
    """
    _check_scope(scope)
    if not text or not text.strip():
        return []
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    return quotes_from_doc(nlp(text), scope=scope)


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")


def extract_quotes_many(
    texts: Iterable[str],
    *,
    nlp: Language,
    batch_size: int = 32,
    n_process: int = 1,
    scope: str = SCOPE_CLAIMS,
) -> Iterator[list[ExtractedQuote]]:
    """Quotes of each text in turn, parsing them in batches with ``nlp.pipe``."""
    _check_scope(scope)
    if n_process != 1:
        nlp.max_length = max(nlp.max_length, MULTIPROCESS_MAX_LENGTH)

    def within_limit(items: Iterable[str]) -> Iterator[str]:
        for text in items:
            if len(text) >= nlp.max_length:
                nlp.max_length = len(text) + 1
            yield text

    for doc in nlp.pipe(within_limit(texts), batch_size=batch_size, n_process=n_process):
        yield quotes_from_doc(doc, scope=scope)


def quotes_from_doc(
    doc: Doc,
    *,
    cue_model: CueModel | None = None,
    scope: str = SCOPE_CLAIMS,
    source_model: SourceModel | bool | None = True,
) -> list[ExtractedQuote]:
    """Quotes in an already processed document (parsed, or only tokenized on the fallback).

    ``cue_model`` replaces the shipped cue weights and ``source_model`` the shipped source
    selector (False: the rules' sources alone); the training recipe tunes with them.
    ``scope`` is as for ``extract_quotes``.
    """
    _check_scope(scope)
    if not doc.text.strip():
        return []
    article = ArticleDoc(doc, merge_split_quotes(doc.text, find_quoted(doc.text)), None, scope)
    article.cue_model = cue_model or load_cue_model()
    drafts = _drafts(article)
    if source_model is True:
        source_model = load_source_model()
    if source_model and doc.has_annotation("DEP"):
        reselect_sources(article, drafts, source_model)
    return _finish(article, drafts)


def _drafts(article: ArticleDoc) -> list[Draft]:
    """Every attribution found, before duplicates are dropped and speakers resolved."""
    # A blank pipeline (model missing) has no parse: regular expressions stand in for it.
    if article.doc.has_annotation("DEP"):
        drafts = attach_quotes(article, parsed_drafts(article))
    else:
        drafts = rule_drafts(article)
    headline = headline_draft(article.text)
    if headline is not None:
        drafts.append(headline)
    if article.scope == SCOPE_ALL:
        drafts.extend(line_drafts(article.text, headline))
    return drafts


def source_choices(doc: Doc, *, scope: str = SCOPE_ALL) -> list[SourceChoice]:
    """The selector's candidates for every draft of a parsed doc, before any choice: what
    the training recipe labels against gold sources (the same code runs at run time)."""
    quoted = merge_split_quotes(doc.text, find_quoted(doc.text))
    article = ArticleDoc(doc, quoted, load_cue_model(), scope)
    choices = [source_choice(article, draft) for draft in _drafts(article)]
    return [choice for choice in choices if choice is not None and len(choice.tokens) > 1]


def resolve_speakers(
    text: str, mentions: Sequence[tuple[int, int] | None], *, nlp: Language
) -> list[ResolvedSpeaker]:
    """Speaker resolution again over an article's text: for each speaker mention (character
    offsets into ``text``, or None for a quote without one) the canonical speaker, its kind
    and description, as ``extract_quotes`` would give them today.

    The mentions of all the article's quotes should be passed together: named speakers are
    the antecedents of the pronouns and roles of the others.
    """
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = nlp(text)
    article = ArticleDoc(doc, merge_split_quotes(text, find_quoted(text)), None)
    drafts = []
    for span in mentions:
        mention = None
        if span is not None:
            mention_text = text[span[0] : span[1]]
            words = mention_text.split()
            head = words[-1].lower() if words else ""
            name = canonical_speaker_name(mention_text)
            mention = Mention(span[0], mention_text, head, name, "")
        drafts.append(Draft("indirect", (0, 0), None, span, mention, 0.0))
    return resolve_drafts(article, drafts)


def cue_candidates(doc: Doc) -> Iterator[tuple[Token, list[str], list[tuple[int, int]]]]:
    """Every candidate cue in a parsed doc with its features and the content spans it gives.

    The training recipe labels these against gold attributions: the same features and spans
    that ``quotes_from_doc`` scores and keeps at run time.
    """
    article = ArticleDoc(doc, merge_split_quotes(doc.text, find_quoted(doc.text)), None)
    for token in doc:
        found = candidate(article, token)
        if found is None:
            continue
        kind, head, features = found
        drafts = cue_drafts(article, token, kind, head, 1.0)
        yield token, features, [draft.content for draft in drafts]


def _finish(article: ArticleDoc, drafts: list[Draft]) -> list[ExtractedQuote]:
    """One quote per stretch of text, speakers resolved, as the public dataclasses."""
    drafts = without_near_duplicates(drafts)
    unique: list[Draft] = []
    seen: set[tuple[int, int]] = set()
    for draft in sorted(drafts, key=lambda item: (item.content, item.cue or (0, 0))):
        if draft.content not in seen:
            seen.add(draft.content)
            unique.append(draft)
    text = article.text
    quotes = []
    for draft, resolved in zip(unique, resolve_drafts(article, unique), strict=True):
        speaker, kind, description = resolved.name, resolved.kind, resolved.description
        quotes.append(
            ExtractedQuote(
                kind=draft.kind,
                content=_span(text, draft.content),
                cue=_span(text, draft.cue) if draft.cue else None,
                speaker_mention=_span(text, draft.speaker) if draft.speaker else None,
                speaker=speaker,
                speaker_kind=kind,
                speaker_description=description,
                confidence=round(draft.confidence if speaker else draft.confidence * 0.8, 2),
            )
        )
    return quotes


def _span(text: str, offsets: tuple[int, int]) -> TextSpan:
    start, end = offsets
    return TextSpan(start, end, text[start:end])


def resolve_drafts(article: ArticleDoc, drafts: list[Draft]) -> list[ResolvedSpeaker]:
    """The speaker of each draft, resolved within its article (in the order given)."""
    if not article.doc.has_annotation("DEP"):
        return [_from_text(draft.mention) for draft in drafts]
    resolver = SpeakerResolver(article.doc, article.quote_at)
    resolved = [_resolve_draft(resolver, draft) for draft in drafts]
    # Named speakers are antecedents for the pronouns and roles of the other quotes; an
    # unnamed one ("a senior official") stands between a later "he" and the people before.
    added = False
    for draft, speaker in zip(drafts, resolved, strict=True):
        if draft.speaker is None:
            continue
        mention = article.text[draft.speaker[0] : draft.speaker[1]]
        if speaker.kind == PERSON and speaker.name:
            if canonical_speaker_name(mention):
                gender = mention_gender(mention) or first_name_gender(speaker.name)
                resolver.add_speaker(draft.speaker[0], speaker.name, speaker.description, gender)
                added = True
        elif speaker.kind == ORGANIZATION and speaker.name and canonical_speaker_name(mention):
            resolver.add_organisation_speaker(draft.speaker[0], speaker.name)
            added = True
        elif not speaker.name and _one_unnamed_person(article.doc, draft.speaker):
            resolver.add_unnamed_speaker(draft.speaker[0], mention_gender(mention))
            added = True
    if added:
        resolved = [_resolve_draft(resolver, draft) for draft in drafts]
    return resolved


def _one_unnamed_person(doc: Doc, offsets: tuple[int, int]) -> bool:
    """Whether a mention is one person left unnamed: "one senior official", "a spokeswoman
    for the ministry" (not "officials", "the report", a pronoun or a name)."""
    span = doc.char_span(*offsets, alignment_mode="expand")
    if span is None:
        return False
    head = span.root
    return (
        head.tag_ == "NN"
        and head.ent_type_ == ""
        and (head.lower_ in PERSON_NOUNS or head.lower_ in ("source", "person", "someone"))
    )


def _resolve_draft(resolver: SpeakerResolver, draft: Draft) -> ResolvedSpeaker:
    if draft.speaker is None:
        return ResolvedSpeaker("", UNNAMED, "")
    resolved = resolver.resolve_span(*draft.speaker)
    if not draft.named and resolved.name:
        return ResolvedSpeaker("", UNNAMED, resolved.description)
    return resolved


def _from_text(mention: Mention | None) -> ResolvedSpeaker:
    """Without a parse: the name the mention text holds, if any."""
    if mention is None or not mention.name:
        return ResolvedSpeaker("", UNNAMED, speaker_description(mention.text) if mention else "")
    kind = kind_of_name(mention.name, mention.entity_label)
    return ResolvedSpeaker(mention.name, kind, speaker_description(mention.text))

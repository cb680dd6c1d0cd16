"""Loading the spaCy pipeline the extractor runs on, with a rule-only fallback."""

import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

logger = logging.getLogger("claims.extraction")

# Components the extractor never reads; disabling them is most of the speed we can win.
UNUSED_COMPONENTS = ("lemmatizer", "textcat", "textcat_multilabel", "entity_linker", "senter")
PARAGRAPHS = "claimlab_paragraphs"


@Language.component(PARAGRAPHS)
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break so that headlines and paragraphs never merge."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


def load_pipeline(model_name: str) -> Language:
    """Load ``model_name`` ready for extraction, or a rule-only pipeline if it is not installed.

    Never raises for a missing or broken model: the extractor still finds direct quotes and
    simple "X said" patterns on the fallback, at lower quality.
    """
    try:
        nlp = spacy.load(model_name, exclude=[])
    except (OSError, ImportError, ValueError) as error:
        logger.warning(
            "spaCy model %r could not be loaded (%s); quote extraction falls back to rules only. "
            "Install it with: pip install %s (or python -m spacy download %s), or point "
            "SPACY_MODEL at an installed pipeline.",
            model_name,
            error,
            model_name,
            model_name,
        )
        return fallback_pipeline()
    for name in UNUSED_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    if PARAGRAPHS not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser")
        else:
            nlp.add_pipe(PARAGRAPHS, first=True)
    return nlp


def fallback_pipeline() -> Language:
    """A blank English pipeline that only tokenizes and splits sentences."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(PARAGRAPHS)
    return nlp

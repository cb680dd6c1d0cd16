"""The process-wide spaCy pipeline, loaded once from settings.SPACY_MODEL."""

from functools import lru_cache

from django.conf import settings
from spacy.language import Language

from claims.extraction import load_pipeline


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The pipeline for this process (falls back to rules only when the model is missing)."""
    return load_pipeline(settings.SPACY_MODEL)

"""Fixtures for the extraction tests: the spaCy pipeline, loaded once per test session."""

import pytest
from django.conf import settings

from claims.extraction import load_pipeline


@pytest.fixture(scope="session")
def nlp():
    """The configured pipeline (settings.SPACY_MODEL), shared read-only by every test."""
    return load_pipeline(settings.SPACY_MODEL)

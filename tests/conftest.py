"""Suite-wide test set-up: fast password hashing, and the spaCy pipeline loaded once."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login throttling counts live in the cache; no test inherits another's failures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

"""A web process stays lean: with extraction in Celery workers it never loads spaCy, numpy or
scikit-learn, and the web page readers (trafilatura, lxml, feedparser) only when it reads a page
(each checked in a fresh interpreter, as gunicorn starts a worker)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WATCHED = [
    *("spacy", "thinc", "numpy", "scipy", "sklearn", "krippendorff", "config.celery"),
    *("trafilatura", "lxml", "feedparser", "datasketch"),
]


def modules_loaded_by(code: str, **env: str) -> dict[str, bool]:
    """Run `code` in a new interpreter with Django's settings; which of WATCHED (the heavy
    libraries and the Celery app) it left in sys.modules."""
    report = f"print(json.dumps({{m: m in sys.modules for m in {WATCHED!r}}}))"
    probe = f"import json, sys\n{code}\n{report}"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_a_web_worker_with_a_broker_imports_no_spacy_numpy_page_readers_or_celery_app():
    # config.wsgi is what gunicorn loads: Django set up and the whole URLconf imported.
    loaded = modules_loaded_by("import config.wsgi", CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
    assert not any(loaded.values()), loaded


def test_a_web_worker_without_a_broker_loads_spacy_only_when_it_extracts():
    loaded = modules_loaded_by("import config.wsgi", CELERY_BROKER_URL="")
    assert not loaded["spacy"], loaded


def test_agreement_measures_need_no_numpy():
    loaded = modules_loaded_by(
        "from annotations.agreement import cohen_kappa_pairs, krippendorff_alpha_nominal\n"
        "units = {1: {'a': 'x', 'b': 'y'}, 2: {'a': 'x', 'b': 'x'}, 3: {'a': 'y', 'b': 'y'}}\n"
        "assert krippendorff_alpha_nominal(units).value is not None\n"
        "assert cohen_kappa_pairs(units)[0].value is not None"
    )
    assert not any(loaded.values()), loaded

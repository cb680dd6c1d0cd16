# Claimlab: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve demo browser test test-postgres test-browser lint format eval bench bench-export bench-load bench-doccano bench-reanchor bench-import bench-search fuzz train-extractor lock clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_articles demo/articles.jsonl --batch "Demo articles"
	$(BIN)/python manage.py setup_demo

run: demo
	@echo "Claimlab on http://$(HOST):$(PORT)/ (logins: manager, annotator1, annotator2; password claimlab-demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# A Chromium for the browser tests: Debian's when present or installable (as root with apt-get),
# else Playwright's download; prints what it used or installed, and where.
browser: install
	@bin/ensure-chromium $(BIN)/python

# The whole suite; pytest's exit code is the verdict (5, "no tests ran", counts as failure).
# The tests run in two parts. First all but the browser tests and the schemathesis fuzz in
# TEST_WORKERS processes (pytest-xdist; one file's tests stay in one process, as their fixtures
# and Redis databases expect). Then those two in one process: a Chromium each would leave the
# pages' timing to the scheduler, and schemathesis gives its 42 operations one test id, which
# xdist would run once.
TEST_WORKERS ?= auto --maxprocesses 4
SERIAL_TESTS := tests/browser tests/test_api_schemathesis.py
test: browser
	@$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(addprefix --ignore=,$(SERIAL_TESTS)); \
	status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; status=1; fi; \
	$(BIN)/python -m pytest $(SERIAL_TESTS); serial=$$?; \
	if [ $$serial -eq 5 ]; then echo "no browser or fuzz tests ran: failing"; serial=1; fi; \
	if [ $$status -ne 0 ]; then exit $$status; fi; exit $$serial

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/claimlab} $(MAKE) --no-print-directory test

test-browser: browser
	@$(BIN)/python -m pytest tests/browser; status=$$?; \
	if [ $$status -eq 5 ]; then echo "no browser tests ran: failing"; exit 1; fi; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extraction accuracy on the seed gold and PolNeAR dev, both scopes: quote F1, speaker mention,
# cue and canonical speaker (reads ../shared when present and says what it skips when not).
eval: install
	$(BIN)/python bench/eval_extraction.py

bench: install
	$(BIN)/python bench/extraction.py

# Re-anchoring 1,000 labelled quotes across an article version (scratch SQLite).
bench-reanchor: install
	$(BIN)/python bench/reanchor.py

# A 6,000-record .jsonl import: what the request stages, how fast a worker stores it.
bench-import: install
	$(BIN)/python bench/import_batch.py

# Retrain the extractor's cue classifier and source selector on ../shared/data/polnear/train
# and rewrite claims/extraction/cue_weights.json and source_weights.json (deterministic; the
# parsed corpus is cached in /tmp). TRAIN_ARGS=--only=sources retrains the selector alone.
train-extractor: install
	nice -n 10 $(BIN)/python bench/train_extractor.py $(TRAIN_ARGS)

# 50 simulated annotators against gunicorn + PostgreSQL (scratch database claimlab_load).
bench-load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# Side by side with doccano 1.8.4, installed outside the repo in DOCCANO_VENV (see
# docs/benchmarks.md): 2 load pairs at saturation interleaved with bench/load.py, then
# doccano's export of 100k examples.
DOCCANO_VENV ?= ../doccano-venv
bench-doccano: install
	$(BIN)/python bench/doccano_compare.py --doccano-venv $(DOCCANO_VENV) --interleave 2 $(DOCCANO_ARGS)

# schemathesis with a manager's and an annotator's token, permission probes and worker/database
# faults against gunicorn (DEBUG=false) + PostgreSQL + Redis (scratch database claimlab_fuzz).
fuzz: install
	$(BIN)/python bench/fuzz.py $(FUZZ_ARGS)

# Search timings on a million quotes plus the adversarial article (scratch database
# claimlab_search_bench on PostgreSQL, dropped afterwards).
bench-search: install
	$(BIN)/python bench/search.py $(SEARCH_ARGS)

# Export throughput and peak memory, 25k and 100k labelled quotes (scratch SQLite).
bench-export: install
	$(BIN)/python bench/export.py

# Regenerate the hash-pinned lock files after editing requirements*.in (needs pip-tools).
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

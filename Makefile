# Claimlab: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve demo test test-postgres test-browser lint format eval bench bench-export bench-load bench-search train-extractor lock clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_articles demo/articles --batch "Demo articles"
	$(BIN)/python manage.py setup_demo

run: demo
	@echo "Claimlab on http://$(HOST):$(PORT)/ (logins: manager, annotator1, annotator2; password claimlab-demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite; pytest's exit code is the verdict (5, "no tests ran", counts as failure).
test: install
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/claimlab} $(MAKE) --no-print-directory test

test-browser: install
	@$(BIN)/python -m pytest tests/browser; status=$$?; \
	if [ $$status -eq 5 ]; then echo "no browser tests ran: failing"; exit 1; fi; exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extraction accuracy on the seed gold and PolNeAR dev (reads ../shared when present).
eval: install
	$(BIN)/python bench/eval_extraction.py

bench: install
	$(BIN)/python bench/extraction.py

# Retrain the extractor's cue classifier on ../shared/data/polnear/train and rewrite
# claims/extraction/cue_weights.json (deterministic; the parsed corpus is cached in /tmp).
train-extractor: install
	nice -n 10 $(BIN)/python bench/train_extractor.py

# 50 simulated annotators against gunicorn + PostgreSQL (scratch database claimlab_load).
bench-load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

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

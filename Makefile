# broker_registry: `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MO := $(patsubst %.po,%.mo,$(wildcard broker_registry/i18n/translations/*/LC_MESSAGES/messages.po))
PORT ?= 5000
export BROKER_REGISTRY_DATA ?= $(CURDIR)/instance
# pytest-xdist workers for make test and make check (auto: one per core; 0: none)
WORKERS ?= auto
# Compiled modules and pytest's rewritten tests are kept in __pycache__ (ignored by git): with
# PYTHONDONTWRITEBYTECODE set, every test process compiled them all again (seconds each).
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help

help: ## List every target
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml package.json package-lock.json | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	npm ci --silent --no-audit --no-fund
	$(BIN)/python scripts/vendor_assets.py
	$(BIN)/pybabel compile -d broker_registry/i18n/translations
	touch $@

install: $(VENV)/.installed $(MO) ## Make the virtual environment from the lock file and vendor browser assets
	@$(BIN)/python -m broker_registry.certificates.fonts  # says how to install the PDF's CJK font

$(MO): %.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile -d broker_registry/i18n/translations

translations: install ## Extract every message into the .po files; then translate the new ones
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --width 100 \
		-o broker_registry/i18n/translations/messages.pot .
	$(BIN)/pybabel update -i broker_registry/i18n/translations/messages.pot \
		-d broker_registry/i18n/translations --no-fuzzy-matching --width 100
	$(BIN)/pybabel compile -d broker_registry/i18n/translations --statistics

lock: ## Re-resolve requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

migrate: install ## Create or migrate the database (and the authority's keys)
	$(BIN)/broker-registry init

migration: install ## Autogenerate a migration after changing models: make migration MSG="..."
	$(BIN)/python scripts/make_migration.py "$(MSG)"

demo: migrate ## Load demonstration data (once)
	$(BIN)/broker-registry demo

run: demo ## Install, migrate, load demo data, serve on http://127.0.0.1:$(PORT) beside the worker
	$(BIN)/python scripts/run.py --host 127.0.0.1 --port $(PORT)

test: install ## Run the whole suite in parallel, on SQLite and on a fresh PostgreSQL database
	TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$$(scripts/test-database)}" \
		$(BIN)/pytest -q -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

check: install ## Lint, then the tests needing no browser, server or seconds each, on SQLite
	$(BIN)/ruff check broker_registry certs tests scripts bench
	TEST_DATABASE_URL= $(BIN)/pytest -q -n $(WORKERS) --dist worksteal \
		-m "not browser and not server and not slow and not soak" $(PYTEST_ARGS)

test-sqlite: install ## Run the suite on SQLite only (no PostgreSQL needed)
	TEST_DATABASE_URL= $(BIN)/pytest -q $(PYTEST_ARGS)

soak: install ## Load test: 50 clients for 60 s on gunicorn and PostgreSQL (not in make test)
	TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$$(scripts/test-database)}" $(BIN)/pytest -q -m soak tests/soak $(PYTEST_ARGS)

screenshots: install ## Photograph the main pages in both languages into docs/screenshots/
	UPDATE_SCREENSHOTS=1 TEST_DATABASE_URL= $(BIN)/pytest -q tests/browser/test_journeys.py

lint: install ## Check the code with ruff
	$(BIN)/ruff check broker_registry certs tests scripts bench

bench: install ## Run every benchmark (BENCH_SCALE=small for a quick run), write bench/results.json
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null 2>&1; } \
		|| echo "wrk not found (apt-get install -y wrk): using a slower Python load generator"
	BENCH_PG_SERVER="$${BENCH_PG_SERVER:-postgresql://postgres@127.0.0.1:5432}" $(BIN)/python -m bench.run

clean: ## Remove the virtual environment and vendored assets (keeps instance/)
	rm -rf $(VENV) node_modules broker_registry/static/vendor

.PHONY: soak bench help install translations lock migrate migration demo run test check test-sqlite screenshots lint clean

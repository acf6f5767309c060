# broker_registry: `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export BROKER_REGISTRY_DATA ?= $(CURDIR)/instance

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
	touch $@

install: $(VENV)/.installed ## Make the virtual environment from the lock file and vendor browser assets

lock: ## Re-resolve requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

migrate: install ## Create or migrate the database (and the authority's keys)
	$(BIN)/broker-registry init

migration: install ## Autogenerate a migration after changing models: make migration MSG="..."
	$(BIN)/python scripts/make_migration.py "$(MSG)"

demo: migrate ## Load demonstration data (once)
	$(BIN)/broker-registry demo

run: demo ## Install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
	$(BIN)/flask --app broker_registry run --host 127.0.0.1 --port $(PORT)

test: install ## Run the whole suite, on SQLite and on a fresh PostgreSQL database
	TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$$(scripts/test-database)}" $(BIN)/pytest -q $(PYTEST_ARGS)

test-sqlite: install ## Run the suite on SQLite only (no PostgreSQL needed)
	TEST_DATABASE_URL= $(BIN)/pytest -q $(PYTEST_ARGS)

lint: install ## Check the code with ruff
	$(BIN)/ruff check broker_registry certs tests scripts

clean: ## Remove the virtual environment and vendored assets (keeps instance/)
	rm -rf $(VENV) node_modules broker_registry/static/vendor

.PHONY: help install lock migrate migration demo run test test-sqlite lint clean

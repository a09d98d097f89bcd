# Vanguard — `make run` serves the demo; `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT     := $(abspath .)
BACKEND  := $(ROOT)/backend
FRONTEND := $(ROOT)/frontend
VENV     := $(BACKEND)/.venv
BIN      := $(VENV)/bin
UV_VERSION := 0.13.9
PYTHON   ?= python3

HOST ?= 127.0.0.1
PORT ?= 8000
DATABASE_URL ?= sqlite:///$(ROOT)/data/vanguard.db
export DATABASE_URL

.PHONY: help run setup venv frontend-deps spa chromium migrate seed-demo serve test lint typecheck \
        contract backend-test frontend-test e2e bench wrk openapi lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# --- setup -----------------------------------------------------------------------------------------
$(VENV)/.synced: $(BACKEND)/requirements.lock $(BACKEND)/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	cd $(BACKEND) && $(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	cd $(BACKEND) && $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

venv: $(VENV)/.synced ## backend virtualenv with the locked dependencies

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend-deps: $(FRONTEND)/node_modules/.installed

spa: frontend-deps ## build the dashboard into frontend/dist
	cd $(FRONTEND) && npm run build --silent

chromium: ## Debian's Chromium for the browser tests (installed when missing)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium)" >&2; exit 1; fi; }

setup: venv spa ## everything `run` needs, without serving

# --- run -------------------------------------------------------------------------------------------
migrate: venv ## apply the Alembic migrations to DATABASE_URL
	cd $(ROOT) && $(BIN)/vanguard migrate

seed-demo: migrate ## load the demo county into an empty database; prints the demo accounts
	cd $(ROOT) && $(BIN)/vanguard seed-demo --credentials-file data/demo-credentials.txt

run: setup seed-demo ## set up, migrate, load the demo county, serve API + dashboard on :8000
	@echo "Serving http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/docs)"
	cd $(ROOT) && VANGUARD_SPA_DIR=$(FRONTEND)/dist $(BIN)/vanguard serve --host $(HOST) --port $(PORT)

# --- quality gates and tests -----------------------------------------------------------------------
lint: venv frontend-deps ## ruff, eslint
	cd $(BACKEND) && $(BIN)/ruff check . ../examples && $(BIN)/ruff format --check . ../examples
	cd $(FRONTEND) && npm run lint --silent

typecheck: venv frontend-deps ## mypy (strict), tsc
	cd $(BACKEND) && $(BIN)/mypy
	cd $(FRONTEND) && npm run typecheck --silent

contract: venv ## fail when openapi/openapi.json is stale
	cd $(BACKEND) && $(BIN)/vanguard openapi --check

PYTEST_ARGS ?=
backend-test: venv ## pytest on SQLite and the local PostgreSQL (exit 5, "no tests collected", is not a failure)
	cd $(BACKEND) && { $(BIN)/pytest -n 2 -q $(PYTEST_ARGS) || test $$? -eq 5; }

frontend-test: frontend-deps ## vitest unit tests
	cd $(FRONTEND) && npm test --silent

e2e: venv spa chromium ## the dashboard in a real Chromium against a real server
	$(FRONTEND)/e2e/run-against-backend.sh

test: lint typecheck contract backend-test frontend-test e2e ## every check CI runs

wrk: ## the HTTP load generator the API benchmark drives (Debian's wrk; installed when missing)
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "install Debian's wrk (sudo apt-get install wrk)" >&2; exit 1; fi; }

BENCH := cd $(BACKEND) && TIMEFORMAT="took %0R s" && time $(BIN)/python -W ignore::DeprecationWarning -m
bench: venv wrk ## every benchmark on throw-away PostgreSQL (about 30 minutes); prints the tables, writes backend/bench/results.json and bench/plans/
	rm -f $(BACKEND)/bench/results.json
	$(BENCH) bench.bench_orgs
	$(BENCH) bench.bench_members
	$(BENCH) bench.bench_api
	$(BENCH) bench.bench_study
	$(BENCH) bench.bench_complaints
	$(BENCH) bench.bench_alerts
	$(BENCH) bench.bench_imports --rss-formats xlsx
	$(BENCH) bench.bench_exports
	$(BENCH) bench.bench_scoring
	$(BENCH) bench.bench_scoring --members 1000000 --no-study --iterations 1
	$(BENCH) bench.bench_soak
	cd $(BACKEND) && $(BIN)/python -m bench.summary

# --- contract --------------------------------------------------------------------------------------
openapi: venv frontend-deps ## regenerate openapi/openapi.json and the dashboard's typed client
	cd $(BACKEND) && $(BIN)/vanguard openapi
	cd $(FRONTEND) && npm run generate --silent

lock: venv ## re-resolve backend/requirements.lock from pyproject.toml
	cd $(BACKEND) && $(BIN)/uv pip compile --quiet pyproject.toml --extra dev -o requirements.lock

clean: ## remove virtualenv, node_modules, builds and the local database
	rm -rf $(VENV) $(FRONTEND)/node_modules $(FRONTEND)/dist $(ROOT)/data

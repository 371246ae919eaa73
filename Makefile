# Toolsuite developer commands. `make run` and `make test` are the quick start.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default: SQLite under var/, DEV_MODE auth, demo data.
RUN_ENV := DEBUG=true DEV_MODE=true
# Tests: PostgreSQL on this machine unless DATABASE_URL says otherwise.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/toolsuite)

# The web app (frontend/; Node.js 20 and npm). npm ci runs again when the
# lock file changed since the last install (npm writes node_modules/.package-lock.json),
# the build when any of its sources changed since the last build.
FRONTEND_INSTALLED := frontend/node_modules/.package-lock.json
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/package.json frontend/vite.config.* frontend/tsconfig*.json)

.PHONY: help run test test-sqlite lint schema scale-check migrate seed clean
.PHONY: test-python frontend test-frontend test-e2e

help:
	@echo "make run            build the web app, set up and serve the suite at http://$(HOST):$(PORT) (SQLite, DEV_MODE, demo data)"
	@echo "make test           set up and run every test: test-python, test-frontend and test-e2e"
	@echo "make test-python    the suite's tests (pytest) against PostgreSQL"
	@echo "make test-sqlite    run the same tests on SQLite (PostgreSQL-only tests are skipped)"
	@echo "make frontend       build the web app into frontend/dist (npm ci and vite build, when something changed)"
	@echo "make test-frontend  the web app's type check and unit tests (vitest)"
	@echo "make test-e2e       the web app's browser tests (Playwright in Debian's chromium, installed if missing)"
	@echo "make lint           ruff, and the web app's eslint and prettier"
	@echo "make schema         validate the OpenAPI schema (fails on warnings)"
	@echo "make scale-check    measure 141 tools against 2 in throwaway copies (docs/scale.md; ~20 min)"
	@echo "make bench          throughput against the seed's FastAPI stack (docs/performance.md)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/prod.txt requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed $(VENV)/.prod-installed

migrate: $(VENV)/.base-installed
	$(RUN_ENV) $(MANAGE) migrate --no-input

# Demo data is loaded once, when the database is new; `make seed` reloads it.
var/.demo-seeded: | migrate
	$(RUN_ENV) $(MANAGE) seed_demo
	touch $@

seed: migrate
	$(RUN_ENV) $(MANAGE) seed_demo

run: frontend migrate var/.demo-seeded
	mkdir -p var/static
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# Every test: the suite's against PostgreSQL, then the web app's (unit, then in a browser).
test: test-python test-frontend test-e2e

test-python: $(VENV)/.dev-installed
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/wait_for_database.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: $(VENV)/.dev-installed
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed $(FRONTEND_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd frontend && npm run lint

schema: $(VENV)/.dev-installed
	mkdir -p var
	SECRET_KEY=schema-validation-only DATABASE_URL=sqlite:///:memory: \
		$(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml

# 139 generated tools in a throwaway copy, measured against the 2-tool suite on
# PostgreSQL (SCALE_CHECK_DATABASE_URL, default scale_check_* at 127.0.0.1).
scale-check: $(VENV)/.dev-installed
	$(PY) scripts/scale_check.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) var/ frontend/node_modules frontend/dist frontend/src/api/generated

$(FRONTEND_INSTALLED): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: $(FRONTEND_INSTALLED) frontend/package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# The API's types (frontend/src/api/generated/, never edited, not committed) come from
# the schema `make schema` writes, so the type check holds the app to the API as it is.
test-frontend: schema $(FRONTEND_INSTALLED)
	cd frontend && npm run gen:api
	cd frontend && npm run typecheck
	cd frontend && npm test

# Playwright starts its own suite (the venv's Django) and drives Debian's chromium.
test-e2e: frontend $(VENV)/.dev-installed
	scripts/ensure_chromium.sh
	cd frontend && npm run e2e

# Throughput against the seed's FastAPI stack (issue 6, docs/performance.md).
# Needs wrk (apt-get install -y wrk), PostgreSQL and Redis on this machine.
# BENCH_ARGS passes options, e.g. BENCH_ARGS=--self-check; BENCH_* variables
# set the rest (scripts/bench_throughput.py --help).
BENCH_VENV := var/bench/seed-venv

$(VENV)/.prod-installed: requirements/base.txt requirements/prod.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/prod.txt
	touch $@ $(VENV)/.base-installed

$(BENCH_VENV)/.installed: bench/seed_stack/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/seed_stack/requirements.txt
	touch $@

.PHONY: bench
bench: $(VENV)/.prod-installed $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python scripts/bench_throughput.py $(BENCH_ARGS)

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

.PHONY: help run test test-sqlite lint schema scale-check migrate seed clean

help:
	@echo "make run          set up and serve the suite at http://$(HOST):$(PORT) (SQLite, DEV_MODE, demo data)"
	@echo "make test         set up and run every test against PostgreSQL"
	@echo "make test-sqlite  run the same tests on SQLite (PostgreSQL-only tests are skipped)"
	@echo "make lint         ruff"
	@echo "make schema       validate the OpenAPI schema (fails on warnings)"
	@echo "make scale-check  measure 141 tools against 2 in throwaway copies (docs/scale.md; ~20 min)"
	@echo "make bench        throughput against the seed's FastAPI stack (docs/performance.md)"

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

run: migrate var/.demo-seeded
	mkdir -p var/static
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/wait_for_database.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: $(VENV)/.dev-installed
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

schema: $(VENV)/.dev-installed
	mkdir -p var
	SECRET_KEY=schema-validation-only DATABASE_URL=sqlite:///:memory: \
		$(MANAGE) spectacular --validate --fail-on-warn --file var/openapi.yaml

# 139 generated tools in a throwaway copy, measured against the 2-tool suite on
# PostgreSQL (SCALE_CHECK_DATABASE_URL, default scale_check_* at 127.0.0.1).
scale-check: $(VENV)/.dev-installed
	$(PY) scripts/scale_check.py $(SCALE_ARGS)

clean:
	rm -rf $(VENV) var/

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

# The two Quick-start commands are `make demo` and `make test`; everything else is a
# step they use or a developer convenience.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: demo test test-postgres fuzz-postgres setup services browser node lint schema migrations bench clean

## Run the product on its embedded default: SQLite under var/, jobs in-process, demo data.
demo: setup
	$(BIN)/grievance demo --host $(HOST) --port $(PORT)

## Set everything up and run the whole test suite (unit, integration, api, workers, e2e, fuzz slice).
test: setup services browser node
	$(BIN)/ruff check .
	$(BIN)/mypy backend workers
	$(BIN)/pytest -q

## The integration, API, worker and fault suites again, on PostgreSQL and Redis (CI runs this too).
test-postgres: setup services
	TEST_DATABASE_URL=$(PG_TEST_URL) TEST_REDIS_URL=$(REDIS_TEST_URL) \
		$(BIN)/pytest -q tests/integration tests/api tests/workers tests/faults

## The GraphQL fuzz run again with its server on PostgreSQL, which refuses what SQLite
## lets by (a NUL in text, a string longer than its column).
fuzz-postgres: setup services
	FUZZ_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -s tests/fuzz

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Start PostgreSQL and Redis if they are down (this machine kind has both installed).
services:
	bash infra/dev/start-services.sh

## Debian's Chromium for the browser tests (never a downloaded browser build), and a
## Devanagari font so that Hindi screens render (and screenshots can be checked).
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi devanagari || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-lohit-deva)

## Test-only JavaScript (axe-core for the accessibility check), pinned by package-lock.json.
node:
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

## The benchmark (issue 11): 1,000,000 generated grievances on PostgreSQL, the real servers,
## load over loopback; prints the table (the first run generates the data: ~15-45 min).
## Options: make bench BENCH_ARGS="--size 20000 --only empty,pwa"
bench: setup services browser
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy backend workers

## Re-export the GraphQL SDL after changing the schema (a test fails when it drifts).
schema: setup
	$(BIN)/strawberry export-schema backend.api.schema:schema --output schema/schema.graphql

## Write a migration after changing models (a test fails when one is missing).
migrations: setup
	$(BIN)/grievance makemigrations --name $(or $(NAME),auto)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

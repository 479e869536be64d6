# Set-up and everyday commands. `make site` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
TODAY ?=
SIZES ?= 100 1000 10000
TODAY_FLAG := $(if $(TODAY),--today $(TODAY),)
ATLAS_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test serve validate check lint typecheck schemas lock clean browser-deps links bench

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

## site: build the whole site into site/
site: $(STAMP)
	$(BIN)/atlas build $(TODAY_FLAG) $(ATLAS_FLAGS)

## test: run the test suite, browser tests included
test: $(STAMP) browser-deps
	$(BIN)/pytest

## browser-deps: Debian's Chromium for the browser tests, and axe-core from the npm registry
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

## serve: preview on http://127.0.0.1:8000, rebuilding on every edit
serve: $(STAMP)
	$(BIN)/atlas serve $(TODAY_FLAG)

## validate: check the data only
validate: $(STAMP)
	$(BIN)/atlas validate $(TODAY_FLAG) $(ATLAS_FLAGS)

## links: check every link inside the built site (after `make site`)
links: $(STAMP)
	$(BIN)/atlas check-links

## check: everything a reviewer runs: format, lint, types, tests
check: lint typecheck test

lint: $(STAMP)
	$(BIN)/ruff format --check generator tests
	$(BIN)/ruff check generator tests

typecheck: $(STAMP)
	$(BIN)/mypy

## lock: re-pin every dependency after changing pyproject.toml
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude critical-minerals-atlas | sort > requirements.lock
	rm -rf .lock-venv

## bench: time and size the generator at 100, 1,000 and 10,000 records (SIZES="100 1000" for fewer)
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --sizes $(SIZES) --out benchmarks/out

clean:
	rm -rf build site .venv node_modules test-artifacts

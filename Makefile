# Every target bootstraps what it needs from a fresh clone; all are idempotent.
SHELL := /bin/bash
.DEFAULT_GOAL := serve

VENV := .venv
PY := $(VENV)/bin/python
# The interpreter .python-version selects (through pyenv when present).
BOOT_PY := $(shell pyenv which python 2>/dev/null || command -v python3.12 || command -v python3)
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8000
BASE ?= main
DIFF_FORMAT ?= text

.PHONY: setup setup-python setup-node setup-browser serve build validate registry new-policy diff test bench mutate lint clean

setup: setup-python setup-node setup-browser

setup-python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(BOOT_PY) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

setup-node: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's chromium; Playwright's own browser download does not work here.
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
setup-browser:
	@test -x $(CHROMIUM) || { ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null) \
	  || { echo "setup: could not install chromium; browser tests need it" >&2; exit 1; }; }

validate: setup-python
	$(PY) -m macros.validate

build: setup
	$(PY) -m macros.build

# Builds, serves at http://127.0.0.1:$(PORT)/, and rebuilds and reloads the browser on every change.
serve: setup
	$(PY) -m macros.serve --port $(PORT)

lint: setup-python
	$(PY) -m ruff check calculator macros tests bench tools

# A draft of policies/$(ID).yaml from a document's text; never overwrites (CONTRIBUTING.md).
new-policy: setup-python
	@test -n "$(SOURCE)" && test -n "$(ID)" || { echo "usage: make new-policy SOURCE=path/to/text.txt ID=policy-id" >&2; exit 2; }
	$(PY) -m macros.draft "$(SOURCE)" "$(ID)"

# What the changes since $(BASE) do to the published data, in both languages (CI: the pull request's summary).
diff: setup-python
	@$(PY) -m macros.diff "$(BASE)" --format $(DIFF_FORMAT)

# New ids are recorded in the registry of published ids (never removes one).
registry: setup-python
	$(PY) -m macros.registry --update

# Exactly what CI runs (.ci/run, .github/workflows/ci.yml). Browser tests fail, never skip, without Playwright.
test: setup
	$(PY) -m ruff check calculator macros tests bench tools
	$(PY) -m macros.validate
	$(PY) -m macros.bundle
	REQUIRE_BROWSER_TESTS=1 $(PY) -m pytest

# Not part of `test` (minutes): small faults put into calculator/, and how many the fast tests catch.
# MUTATE='--all' runs every mutant; see tools/mutate.py --help.
MUTATE ?=
mutate: setup-python
	$(PY) -m macros.bundle
	$(PY) tools/mutate.py $(MUTATE)

bench: setup
	$(PY) -m macros.bundle
	$(PY) -m bench.run

clean:
	rm -rf site build dist .cache

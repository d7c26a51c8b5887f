# StrideKit: everything a fresh Debian machine needs comes from here.
# `make demo` sets up and runs the main job; `make test` sets up and runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STRIDE := $(VENV)/bin/stride
PYTHON ?= python3

.PHONY: setup demo test lint typecheck bench clean

setup: $(VENV)/.stamp node_modules/.stamp

# Debian packages the project needs (node/npm for the MicroPython WebAssembly interpreter).
.apt.stamp:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	    apt-get update && apt-get install -y --no-install-recommends nodejs npm; fi
	@touch $@

$(VENV)/.stamp: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

node_modules/.stamp: package.json package-lock.json .apt.stamp
	npm ci --no-audit --no-fund
	@touch $@

demo: setup
	$(STRIDE) sim --out demo-run.strd --seed 1 --minutes 2
	$(STRIDE) replay demo-run.strd

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	npx --no-install pyright -p pyrightconfig.json
	npx --no-install pyright -p firmware/pyrightconfig.json
	$(VENV)/bin/pytest -n 2

bench: setup
	$(STRIDE) bench

clean:
	rm -rf $(VENV) node_modules .apt.stamp

# StrideKit: everything a fresh Debian machine needs is installed from here.
#   make demo   set everything up, then run the main job
#   make test   set everything up, then run every test (what CI runs)
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STRIDE := $(VENV)/bin/stride
PYTHON ?= python3

.PHONY: setup demo test lint typecheck bench clean lock hardware

setup: $(VENV)/.stamp node_modules/.stamp .typings/.stamp native

# The firmware kernel's own source compiled for CPython with Cython into build/native
# (stridekit.native_build; ~1 min on 2 cores, a no-op while it matches the sources).
# The host loads it only while every source it was built from is unchanged; otherwise,
# or with STRIDE_PURE_KERNEL=1, it runs the pure modules (stride replay says which).
# The same build compiles the host's SampleBlock reader (host/stridekit/sbreader.pyx),
# used while that file is unchanged, else the numpy one (stridekit.fastblocks).
.PHONY: native
native: $(VENV)/.stamp
	@command -v gcc >/dev/null || { echo "gcc is missing (a checkout set up before the native build): rm .apt.stamp; make setup"; exit 1; }
	$(PY) -m stridekit.native_build

# Debian packages (node + npm run the MicroPython WebAssembly interpreter, chromium the
# web app's browser tests, valgrind counts instructions for the chip-time estimate,
# gcc and the Python headers compile the kernel for CPython: make native).
# Only what is missing is installed: a NodeSource nodejs already carries npm and
# conflicts with Debian's npm package.
.apt.stamp:
	@missing=""; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v valgrind >/dev/null || missing="$$missing valgrind"; \
	command -v gcc >/dev/null || missing="$$missing gcc libc6-dev"; \
	$(PYTHON) -c 'import sysconfig, os, sys; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
		|| missing="$$missing python3-dev"; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then apt-get update && apt-get install -y --no-install-recommends $$missing; fi
	@touch $@

$(VENV)/.stamp: pyproject.toml requirements.lock .apt.stamp
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

node_modules/.stamp: package.json package-lock.json .apt.stamp
	npm ci --no-audit --no-fund
	@touch $@

.typings/.stamp: requirements-typings.txt $(VENV)/.stamp
	rm -rf .typings
	$(PY) -m pip install --quiet --no-deps --target .typings -r requirements-typings.txt
	@touch $@

# Two virtual pods record a 20-min run, the host syncs, stores, merges and reports.
demo: setup
	$(STRIDE) demo --out demo

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	npx --no-install pyright -p pyrightconfig.json
	npx --no-install pyright -p firmware/pyrightconfig.json

test: lint typecheck
	$(VENV)/bin/pytest -n 2

# Pin tables, wiring SVGs, BOMs, insole templates, power table from board.py/layouts.py
hardware: $(VENV)/.stamp
	$(PY) hardware/build.py

# Rewrite the kernel's golden Step/Flag files (tests/golden/files) after an intended
# behaviour change; say so in the commit message. Normal test runs never write them.
.PHONY: golden
golden: $(VENV)/.stamp
	STRIDE_UPDATE_GOLDEN=1 $(VENV)/bin/pytest -n 0 -q tests/golden

# The long fuzz run: 10^5 inputs per target (codec, payload parsers, session reader,
# replay, library, upload validation, console, GATT writes); prints inputs, refusals and uncaught
# exceptions per target and fails on any uncaught one (tests/fuzz/engine.py).
.PHONY: fuzz
fuzz: $(VENV)/.stamp
	$(PY) -m tests.fuzz.engine --n 100000

bench: setup
	$(STRIDE) bench --memory $(if $(wildcard ../shared/data),--real ../shared/data)

# Refresh the pinned transitive dependencies after changing pyproject.toml.
lock: $(VENV)/.stamp
	$(PY) -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) node_modules .typings .apt.stamp build/native

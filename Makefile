# The two commands of the README: `make run` (the demo) and `make test` (everything).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
CORE_VENV := .venv-core
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run test package lint typecheck contracts i18n-check pytest test-core-without-qt bench clean

run: $(VENV)/.runtime
	$(VENV)/bin/kiosk i18n compile >/dev/null   # as an install has them: no compiling at start
	$(VENV)/bin/kiosk demo

test: $(VENV)/.dev $(CORE_VENV)/.installed
	scripts/test.sh

# The Linux one-folder bundles (PyInstaller): dist/kiosk (full: clerk PC) and dist/kiosk-tablet
# (tablets and the board), each with its manifest and a smoke test; KIOSK_BUNDLE=tablet for one.
package: $(VENV)/.dev
	scripts/package.sh

# ---------------------------------------------------------------- environments
$(VENV)/.runtime: pyproject.toml
	PYTHON=$(PYTHON) scripts/sysdeps.sh run
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(VENV)/bin/pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	PYTHON=$(PYTHON) scripts/sysdeps.sh test
	$(VENV)/bin/pip install $(PIP_FLAGS) -e '.[dev]'
	touch $@

# The core's guard: a venv without PySide6 that must still run the core tests.
$(CORE_VENV)/.installed: pyproject.toml $(VENV)/.runtime
	test -x $(CORE_VENV)/bin/python || $(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(CORE_VENV)/bin/pip install $(PIP_FLAGS) -r <($(PYTHON) scripts/requirements_without_qt.py)
	$(CORE_VENV)/bin/pip install $(PIP_FLAGS) --no-deps -e .
	touch $@

# ---------------------------------------------------------------- pieces of `make test`
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy

contracts: $(VENV)/.dev
	$(VENV)/bin/lint-imports

i18n-check: $(VENV)/.dev
	$(VENV)/bin/kiosk i18n check

pytest: $(VENV)/.dev
	$(VENV)/bin/pytest

test-core-without-qt: $(CORE_VENV)/.installed
	$(CORE_VENV)/bin/pytest -p no:cacheprovider -m "not slow" tests/core tests/forms tests/devices

bench: $(VENV)/.dev
	$(VENV)/bin/kiosk i18n compile >/dev/null
	for b in bench/bench_*.py; do echo "== $$b"; $(VENV)/bin/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(CORE_VENV) .mypy_cache .ruff_cache .pytest_cache build dist

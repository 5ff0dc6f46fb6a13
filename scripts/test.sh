#!/usr/bin/env bash
# `make test` after the environments exist: quality gates, then the whole suite with real services.
# Every step runs even when an earlier one failed, and the exit code says whether all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
failed=()

step() {
  local name=$1; shift
  echo
  echo "=== $name: $*"
  local started=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - started)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - started)) s)"
    failed+=("$name")
  fi
}

step ruff            .venv/bin/ruff check .
step mypy            .venv/bin/mypy
step import-contracts .venv/bin/lint-imports
step i18n            .venv/bin/kiosk i18n check
step core-without-qt .venv-core/bin/pytest -p no:cacheprovider -m "not slow" tests/core tests/forms tests/devices
step pytest          .venv/bin/pytest

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "make test: FAILED steps: ${failed[*]}"
  exit 1
fi
echo "make test: all steps passed"

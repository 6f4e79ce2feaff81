#!/usr/bin/env bash
# Install everything, then run every check: migrations up to date, ruff lint and format, the whole pytest suite.
# Extra arguments go to pytest (bash scripts/test.sh -k seed -x). DATABASE_URL selects PostgreSQL and REDIS_URL a
# real Redis; without them the suite runs on SQLite and PostgreSQL-only tests are reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/serve.sh  # setup_venv, install_debian_packages, RUNTIME_PACKAGES

setup_venv
# Tests also need chromium (browser tests, driven by Playwright) and poppler-utils (reading generated PDFs).
install_debian_packages "${RUNTIME_PACKAGES[@]}" chromium poppler-utils

echo "Database: ${DATABASE_URL:-SQLite (DATABASE_URL unset)}; Redis: ${REDIS_URL:-none (Celery eager)}"
# Every check runs even when an earlier one fails, so one run shows everything that needs fixing.
failed=()
run() {
  echo "== $*"
  "$@" || failed+=("$*")
}
run .venv/bin/python manage.py makemigrations --check --dry-run
# The test settings add the throw-away kind's app (tests/throwaway_kind): its migrations must follow the shared base.
run env DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python manage.py makemigrations --check --dry-run
run .venv/bin/ruff check .
run .venv/bin/ruff format --check .
# mypy (config in pyproject.toml): strict on the shared packages, a failing check; advisory on every app package,
# written to var/mypy-advisory.txt (its last line counts the errors) and never failing.
run .venv/bin/mypy dukportal/submissions organizations/access.py
mkdir -p var
.venv/bin/mypy dukportal organizations models_danvan democracy_regs indicators reports > var/mypy-advisory.txt 2>&1 || true
echo "== mypy (advisory): $(tail -n 1 var/mypy-advisory.txt) (var/mypy-advisory.txt)"
# pytest-xdist: PYTEST_WORKERS processes (default 2, the machine's cores; 0 or 1 runs in this process). --dist
# loadfile keeps each test module on one worker, so a module-scoped fixture (the seeded demo, the 1720 year) is
# built once, not once per worker. (--dist loadgroup would not do: xdist 3.8 renames node ids the way pytest 9
# no longer reads, so its xdist_group marks are ignored.)
workers=${PYTEST_WORKERS:-2}
parallel=()
[ "$workers" -gt 1 ] && parallel=(-n "$workers" --dist loadfile)
# The suite runs in two parts, always both: the fast one (-m "not browser"), then the browser tests (marked
# `browser` by tests/conftest.py; Chromium and a live server per worker), so a long browser module never waits
# at the end of the fast part's queue. With -m among the extra arguments, that selection runs as one part.
# Coverage of the application packages is collected over both parts and reported once, at the end (files below
# 100 % listed, [tool.coverage] in pyproject.toml); COVERAGE=0 leaves it out.
coverage=(--cov --cov-report=)
# Line coverage through sys.monitoring (Python 3.12+): on the pinned 3.13 it adds ~6 % to the tests' CPU, where 3.11's
# C tracer added ~50 % and 3.13's would add ~95 % (bench/README.md, issue 14); an older Python warns, uses the tracer.
export COVERAGE_CORE=sysmon
[ "${COVERAGE:-1}" = "0" ] && coverage=(--no-cov)
[ "${COVERAGE:-1}" = "0" ] || .venv/bin/coverage erase
parts=(fast browser)
for arg in "$@"; do
  if [[ "$arg" == -m* ]]; then parts=(selected); fi
done
ran=0
for part in "${parts[@]}"; do
  case $part in
    # The fast part creates each worker's test database afresh and keeps it; the browser part reuses it
    # (migrating a test database costs 20-80 s a worker), so a stale database of an earlier run is never reused.
    fast) marks=(-m "not browser" --reuse-db --create-db) ;;
    browser) marks=(-m browser --reuse-db) ;;
    *) marks=() ;;
  esac
  [ "$part" = browser ] && [ "${COVERAGE:-1}" != "0" ] && marks+=(--cov-append)
  echo "== pytest, $part part: ${parallel[*]} ${marks[*]} $*"
  status=0
  .venv/bin/pytest "${parallel[@]}" "${coverage[@]}" "${marks[@]}" "$@" || status=$?
  case $status in
    0) ran=1 ;;
    5) echo "   (no test of the $part part among those selected)" ;;  # e.g. bash scripts/test.sh tests/e2e
    *) ran=1 && failed+=("pytest ($part part)") ;;
  esac
done
[ "$ran" -eq 1 ] || failed+=("pytest: no test selected")
if [ "${COVERAGE:-1}" != "0" ] && [ "$ran" -eq 1 ]; then
  run .venv/bin/coverage report
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "All checks passed."

#!/usr/bin/env bash
# Run the portal locally with demo data on http://127.0.0.1:8000 (the demo users and password are printed first).
# Runs on Python 3.11+; builds .venv with the pinned one (.python-version) when found. With DATABASE_URL unset it uses the SQLite file db.sqlite3 and runs Celery tasks in-process.
# scripts/test.sh sources this file for setup_venv and install_debian_packages; only running it starts the server.
set -euo pipefail

# Libraries the portal loads at run time: libmagic (upload checks), Pango/HarfBuzz and a Times-like font (PDFs).
RUNTIME_PACKAGES=(libmagic1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2)

# The interpreter .venv is built with: PYTHON if set, else the version in .python-version (what the Dockerfile's
# image runs and scripts/lock.sh compiles for) from pyenv, whose builds every development machine has, or from
# PATH; else python3, with a warning (the suite then runs on an untested Python and coverage costs more).
pinned_python() {
  local version found
  version=$(<.python-version)
  if [ -n "${PYTHON:-}" ]; then
    echo "$PYTHON"
    return
  fi
  found=$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] || found=$(command -v "python$version" || true)
  if [ -z "$found" ]; then
    echo "warning: no Python $version (pyenv or python$version on PATH); using python3: $(python3 -V 2>&1)" >&2
    found=python3
  fi
  echo "$found"
}

# The locked versions (requirements/lock-dev.txt: runtime + dev tools, hash-checked; bash scripts/lock.sh
# recompiles it from pyproject.toml), then the project itself in editable mode without resolving anything again.
# A .venv of another Python version than the chosen interpreter's is rebuilt (--clear), not reused.
setup_venv() {
  local python version
  python=$(pinned_python)
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$version" ]; then
    echo "Rebuilding .venv with Python $version ($python)"
    "$python" -m venv --clear .venv
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements/lock-dev.txt
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
}

# Installs those of the given Debian packages that are missing (apt-get as root, or through sudo).
install_debian_packages() {
  if ! command -v dpkg-query >/dev/null; then
    echo "warning: not Debian/Ubuntu; make sure these are installed: $*" >&2
    return 0
  fi
  local missing=() pkg sudo=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "warning: neither root nor sudo; not installing: ${missing[*]}" >&2
      return 0
    fi
    sudo=(sudo)
  fi
  echo "Installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$(dirname "$0")/.."
  setup_venv
  install_debian_packages "${RUNTIME_PACKAGES[@]}"
  .venv/bin/python manage.py migrate --noinput
  .venv/bin/python manage.py seed_demo
  exec .venv/bin/python manage.py runserver 127.0.0.1:8000
fi

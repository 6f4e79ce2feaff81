#!/usr/bin/env bash
# Recompile the lock files from pyproject.toml's ranges: requirements/lock.txt (runtime, what the Docker image
# installs) and requirements/lock-dev.txt (runtime + the dev extra, what scripts/serve.sh and scripts/test.sh
# install). Run it after changing a dependency in pyproject.toml; tests/test_lock_files.py fails until you do.
# Extra arguments go to both compiles: `bash scripts/lock.sh --upgrade` (everything to the newest allowed),
# `bash scripts/lock.sh --upgrade-package django` (one package).
set -euo pipefail
cd "$(dirname "$0")/.."
uv=.venv/bin/uv
[ -x "$uv" ] || uv=uv  # the venv's uv (a dev dependency), else one on PATH

# For the pinned Python (.python-version), the one the image and setup_venv use.
common=(pyproject.toml --python-version "$(<.python-version)" --python-platform linux --generate-hashes --quiet)
runtime="bash scripts/lock.sh   # or: uv pip compile ${common[*]} -o requirements/lock.txt"
dev="bash scripts/lock.sh   # or, after lock.txt: uv pip compile ${common[*]} --extra dev -c requirements/lock.txt -o requirements/lock-dev.txt"
"$uv" pip compile "${common[@]}" -o requirements/lock.txt --custom-compile-command "$runtime" "$@"
# The dev lock keeps the runtime lock's versions: tests run on exactly what the image ships.
"$uv" pip compile "${common[@]}" --extra dev -c requirements/lock.txt -o requirements/lock-dev.txt \
  --custom-compile-command "$dev" "$@"

"""The suite runs on the Python the project pins in .python-version: the one the Docker image ships and the lock
files are compiled for. Its coverage is measured through sys.monitoring (COVERAGE_CORE=sysmon, scripts/test.sh),
which on that Python costs a fraction of what the C tracer does (issue 14, README "Tests and tooling")."""

import re
import sys
from pathlib import Path

import coverage
import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED = (ROOT / ".python-version").read_text().strip()


def test_the_suite_runs_on_the_pinned_python():
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert running == PINNED, (
        f"the tests run on Python {running} ({sys.executable}), the project pins {PINNED} (.python-version): "
        "bash scripts/test.sh rebuilds .venv with it"
    )


def test_the_image_and_both_lock_files_are_for_the_pinned_python():
    assert re.search(rf"^FROM python:{re.escape(PINNED)}-slim-", (ROOT / "Dockerfile").read_text(), re.M)
    for lock in ("requirements/lock.txt", "requirements/lock-dev.txt"):
        command = (ROOT / lock).read_text().splitlines()[1]
        assert f" --python-version {PINNED} " in command, f"{lock} is compiled for another Python: bash scripts/lock.sh"


def test_coverage_measures_through_sys_monitoring():
    current = coverage.Coverage.current()
    if current is None:
        pytest.skip("coverage is off (--no-cov, COVERAGE=0)")
    core = dict(current.sys_info())["core"]
    assert core == "SysMonitor", f"coverage runs on {core}: scripts/test.sh sets COVERAGE_CORE=sysmon"

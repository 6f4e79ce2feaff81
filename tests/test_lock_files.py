"""The lock files are compiled from pyproject.toml (bash scripts/lock.sh): a dependency added to or changed in
pyproject.toml without recompiling fails here, before the Docker image or a fresh checkout installs the old set."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(line) for line in PYPROJECT["dependencies"]]
DEV = [Requirement(line) for line in PYPROJECT["optional-dependencies"]["dev"]]
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def pins(name: str) -> dict[str, str]:
    return {canonicalize_name(package): version for package, version in PIN.findall((ROOT / name).read_text())}


@pytest.mark.parametrize(
    ("lock", "requirements"), [("requirements/lock.txt", RUNTIME), ("requirements/lock-dev.txt", RUNTIME + DEV)]
)
def test_every_dependency_of_pyproject_is_pinned_in_the_lock_within_its_range(lock, requirements):
    pinned = pins(lock)
    missing = [str(r) for r in requirements if canonicalize_name(r.name) not in pinned]
    outside = [
        f"{r} (locked {pinned[canonicalize_name(r.name)]})"
        for r in requirements
        if canonicalize_name(r.name) in pinned and not r.specifier.contains(pinned[canonicalize_name(r.name)], True)
    ]
    assert not missing and not outside, (
        f"{lock} is stale: run `bash scripts/lock.sh` (missing: {missing}; outside the range: {outside})"
    )


def test_the_runtime_lock_holds_no_dev_tool_and_the_dev_lock_keeps_the_runtime_versions():
    runtime, dev = pins("requirements/lock.txt"), pins("requirements/lock-dev.txt")
    assert not {canonicalize_name(r.name) for r in DEV} & set(runtime) - {canonicalize_name(r.name) for r in RUNTIME}
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", ["requirements/lock.txt", "requirements/lock-dev.txt"])
def test_each_lock_says_how_to_recompile_it_and_pins_every_package_with_hashes(lock):
    text = (ROOT / lock).read_text()
    header = text.splitlines()[:2]
    assert header[1].startswith("#    bash scripts/lock.sh   # or") and f"-o {lock}" in header[1], header
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert entries and all(PIN.match(entry) and "--hash=sha256:" in entry for entry in entries)


def test_the_docker_image_installs_the_runtime_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"pip install --require-hashes --no-deps -r requirements/lock\.txt", dockerfile)
    assert "tomllib" not in dockerfile  # no more resolving pyproject's ranges at build time


def test_the_test_and_serve_commands_install_the_dev_lock_then_the_project_without_dependencies():
    serve = (ROOT / "scripts" / "serve.sh").read_text()
    assert "-r requirements/lock-dev.txt" in serve
    assert re.search(r"--no-deps -e \.", serve)

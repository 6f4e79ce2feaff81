"""The pre-commit hooks run the same tools, at the same versions, as scripts/test.sh and CI."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
REPOS = {repo["repo"].rsplit("/", 1)[-1]: repo for repo in CONFIG["repos"]}
LOCK = (ROOT / "requirements" / "lock-dev.txt").read_text()


def locked(package: str) -> str:
    return re.search(rf"^{package}==(\S+)", LOCK, re.M | re.I).group(1)


def test_ruff_hooks_lint_and_format_with_the_locked_ruff():
    ruff = REPOS["ruff-pre-commit"]
    assert ruff["rev"] == f"v{locked('ruff')}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]


def test_django_upgrade_is_pinned_and_targets_the_locked_django_series():
    upgrade = REPOS["django-upgrade"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", upgrade["rev"])  # a release tag, never a branch
    (hook,) = upgrade["hooks"]
    target = hook["args"][hook["args"].index("--target-version") + 1]
    assert target == ".".join(locked("django").split(".")[:2])


def test_a_local_hook_refuses_models_without_their_migration():
    (hook,) = [hook for hook in REPOS["local"]["hooks"] if hook["id"] == "makemigrations-check"]
    assert "manage.py makemigrations --check --dry-run" in hook["entry"]
    assert hook["pass_filenames"] is False

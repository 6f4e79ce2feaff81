"""Backup, restore and restore check of the database and the uploaded files (manage.py backup/restore/verify_restore).

A backup directory holds:
- `database.dump`: PostgreSQL, `pg_dump --format=custom` (restored with pg_restore); or `database.sqlite3`: SQLite,
  a consistent copy made with SQLite's online backup API;
- `media.tar`: every file of the media storage (local folder or S3 bucket), read through the storage API;
- `manifest.json`: when, which database engine, the row count of every model and the sha256 and size of every
  media file. On PostgreSQL the counts and the dump read the same snapshot (pg_dump --snapshot), so they agree
  even while the portal is in use.

`verify_restore` compares a (restored) installation with the manifest: every model's row count and every file's
checksum. Files uploaded after the backup are reported as extra, not as errors."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from . import figures_cache

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar"


class BackupError(Exception):
    pass


def _models():
    return sorted(
        (m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.label,
    )


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.using(connection.alias).count() for model in _models()}


def _walk(storage, folder=""):
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    if settings["USER"]:
        args += ["-U", settings["USER"]]
    env = dict(os.environ)
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup(target: Path) -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: choose a new directory for each backup")
    target.mkdir(parents=True, exist_ok=True)
    manifest = {"created_at": timezone.now().isoformat(), "vendor": connection.vendor}

    if connection.vendor == "postgresql":
        args, env = _pg_env()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            manifest["row_counts"] = row_counts()
            _run(
                ["pg_dump", *args, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}"]
                + ["--file", str(target / PG_DUMP), connection.settings_dict["NAME"]],
                env,
            )
        manifest["database_file"] = PG_DUMP
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with transaction.atomic():
            manifest["row_counts"] = row_counts()
            destination = sqlite3.connect(target / SQLITE_COPY)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        manifest["database_file"] = SQLITE_COPY
    else:  # pragma: no cover
        raise BackupError(f"no backup procedure for {connection.vendor}")

    storage = storages["default"]
    media = {}
    with tarfile.open(target / MEDIA_TAR, "w") as tar:
        for name in _walk(storage):
            with storage.open(name, "rb") as stored:
                data = stored.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            media[name] = {"sha256": _sha256(data), "size": len(data)}
    manifest["media"] = media
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} not found: not a backup directory")
    return json.loads(path.read_text())


def restore(source: Path, *, replace: bool = False) -> dict:
    """Into the configured (fresh) database and media storage. Refuses a database that already has tables and
    files that already exist, unless `replace`."""
    source = Path(source)
    manifest = read_manifest(source)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"backup is from {manifest['vendor']}, this installation uses {connection.vendor}")
    has_tables = bool(connection.introspection.table_names())
    if has_tables and not replace:
        raise BackupError("the database is not empty: restore into a fresh database (or pass --replace)")

    if connection.vendor == "postgresql":
        args, env = _pg_env()
        command = ["pg_restore", *args, "--no-owner", "--no-acl", "--exit-on-error"]
        if has_tables:
            command += ["--clean", "--if-exists"]
        connection.close()
        _run([*command, "-d", connection.settings_dict["NAME"], str(source / PG_DUMP)], env)
    else:
        connection.close()
        name = connection.settings_dict["NAME"]
        shutil.copyfile(source / SQLITE_COPY, name)
    # The restored rows are not those the cached figures were computed from (dukportal.core.figures_cache).
    figures_cache.changed()

    storage = storages["default"]
    with tarfile.open(source / MEDIA_TAR) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"unexpected entry in {MEDIA_TAR}: {member.name}")
            if storage.exists(member.name):
                if not replace:
                    raise BackupError(f"media file {member.name} already exists (pass --replace)")
                storage.delete(member.name)
            data = tar.extractfile(member).read()
            saved = storage.save(member.name, ContentFile(data))
            if saved != member.name:  # pragma: no cover - the storage renamed it
                raise BackupError(f"storage saved {member.name} as {saved}")
    return manifest


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    extra_files: list[str] = field(default_factory=list)
    models_checked: int = 0
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(source: Path) -> Verification:
    manifest = read_manifest(source)
    result = Verification()
    counts = row_counts()
    for label, expected in sorted(manifest["row_counts"].items()):
        actual = counts.get(label)
        result.models_checked += 1
        if actual is None:
            result.problems.append(f"model {label}: missing in this installation (expected {expected} rows)")
        elif actual != expected:
            result.problems.append(f"model {label}: {actual} rows, backup has {expected}")
    storage = storages["default"]
    present = set(_walk(storage))
    for name, meta in sorted(manifest["media"].items()):
        result.files_checked += 1
        if name not in present:
            result.problems.append(f"file {name}: missing")
            continue
        with storage.open(name, "rb") as stored:
            data = stored.read()
        if _sha256(data) != meta["sha256"]:
            result.problems.append(f"file {name}: checksum differs (size {len(data)}, backup {meta['size']})")
    result.extra_files = sorted(present - set(manifest["media"]))
    return result

"""Production mode: secrets are required and `manage.py check --deploy` is clean."""

import json
import os
import secrets

from tests import forked


def _manage(*args, **env):
    # The test process sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a real deployment does not.
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    environment = {k: v for k, v in environment.items() if v is not None}  # None: unset it
    return forked.run(["manage.py", *args], env=environment, timeout=120)


# What a production start has: a database and a broker. `check` connects to neither.
PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://dukportal:secret@db.example.vn:5432/dukportal",
    "REDIS_URL": "redis://redis.example.vn:6379/0",
}
NO_SERVICES = {"DATABASE_URL": None, "REDIS_URL": None, "CELERY_BROKER_URL": None, "CACHE_URL": None}


def test_deploy_check_is_clean_with_debug_off():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="portal.example.vn",
        **PRODUCTION_SERVICES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_fails_loudly():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY và ALLOWED_HOSTS là bắt buộc" in result.stderr


def _production(**env):
    return {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "portal.example.vn", **env}


def test_debug_off_without_database_and_redis_refuses_to_start():
    for missing in ("DATABASE_URL", "REDIS_URL"):
        result = _manage("check", **_production(**{**PRODUCTION_SERVICES, **NO_SERVICES, missing: None}))
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "DATABASE_URL và REDIS_URL là bắt buộc khi DEBUG tắt" in result.stderr
        assert "SINGLE_PROCESS=true" in result.stderr
    # Only one of the two given: still refused.
    only_db = {**NO_SERVICES, "DATABASE_URL": PRODUCTION_SERVICES["DATABASE_URL"]}
    assert _manage("check", **_production(**only_db)).returncode != 0


def test_single_process_mode_starts_when_it_is_said_to_be_intended():
    result = _manage("check", **_production(**NO_SERVICES, SINGLE_PROCESS="true"))
    assert result.returncode == 0, result.stdout + result.stderr


def _settings_of(*names, **env):
    code = "from django.conf import settings; import json; print(json.dumps({n: getattr(settings, n) for n in %r}))"
    result = _manage("shell", "-c", code % (names,), **{**NO_SERVICES, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_broker_and_cache_use_separate_redis_databases_and_installations_have_their_own_prefixes():
    values = _settings_of(
        "CELERY_BROKER_URL",
        "CACHES",
        "CELERY_TASK_DEFAULT_QUEUE",
        "CELERY_BROKER_TRANSPORT_OPTIONS",
        REDIS_URL="redis://127.0.0.1:6379/4",
        CACHE_KEY_PREFIX="tinh-a",
        CELERY_QUEUE="tinh-a",
    )
    assert values["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/4"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert values["CACHES"]["default"]["KEY_PREFIX"] == "tinh-a"
    assert values["CELERY_TASK_DEFAULT_QUEUE"] == "tinh-a"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["global_keyprefix"] == "tinh-a:"
    # Explicit URLs win; no database number means db 0 for the broker and db 1 for the cache.
    assert _settings_of("CACHES", REDIS_URL="redis://h:6379")["CACHES"]["default"]["LOCATION"] == "redis://h:6379/1"
    explicit = _settings_of("CELERY_BROKER_URL", "CACHES", CELERY_BROKER_URL="redis://b/2", CACHE_URL="redis://c/7")
    assert explicit["CELERY_BROKER_URL"] == "redis://b/2"
    assert explicit["CACHES"]["default"]["LOCATION"] == "redis://c/7"

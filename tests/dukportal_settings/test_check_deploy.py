"""`manage.py check --deploy` is clean with a production-like environment: DEBUG off, a long SECRET_KEY, hosts,
PostgreSQL and Redis URLs, JSON logs, Sentry and S3 configured. Nothing is silenced."""

import os
import secrets

import pytest

from tests import forked

PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.vn",
    "DATABASE_URL": "postgres://dukportal:secret@127.0.0.1:5432/dukportal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "LOG_FORMAT": "json",
}


def _check(**extra):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "SENTRY_DSN"} and not k.startswith("AWS_")
    }
    environment.update(PRODUCTION, SECRET_KEY=secrets.token_urlsafe(60), **extra)
    return forked.run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=environment, timeout=120)


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "SENTRY_DSN": "http://publickey@127.0.0.1:9/1",
            "AWS_STORAGE_BUCKET_NAME": "dukportal-media",
            "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        },
    ],
    ids=["plain", "sentry-and-s3"],
)
def test_deploy_check_has_no_warnings_in_production_like_env(extra):
    result = _check(**extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "(security." not in result.stdout + result.stderr

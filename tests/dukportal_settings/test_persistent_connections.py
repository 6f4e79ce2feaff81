"""On PostgreSQL a worker keeps its database connection between requests (opening one costs 8–10 ms a page)
and checks it before reuse; CONN_MAX_AGE changes how long, 0 goes back to one connection per request."""

import secrets

from tests.dukportal_settings.test_deploy_settings import _manage

PRINT = (
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d.get('CONN_MAX_AGE'), d.get('CONN_HEALTH_CHECKS'))"
)
POSTGRES = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dukportal"}


def _connection_settings(**env) -> str:
    result = _manage("shell", "-c", PRINT, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_postgres_connections_are_kept_a_minute_and_health_checked():
    assert _connection_settings(**POSTGRES) == "60 True"


def test_connection_age_comes_from_the_environment():
    assert _connection_settings(**POSTGRES, CONN_MAX_AGE="0") == "0 True"
    assert _connection_settings(**POSTGRES, CONN_MAX_AGE="300", CONN_HEALTH_CHECKS="false") == "300 False"


def test_an_empty_database_url_means_the_embedded_sqlite():
    """`DATABASE_URL= manage.py makemigrations --check` must not crash: empty is unset, as for REDIS_URL."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL="",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.sqlite3"

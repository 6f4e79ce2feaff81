"""PostgreSQL's JIT compilation is off for the portal's connections (POSTGRES_JIT=1 turns it back on): the
tracking page's counts at 1,000 organisations were estimated above jit_above_cost and spent 1.3–3.6 s compiling
for 40–90 ms of execution (bench/README.md, "Statistics and cache")."""

import secrets

import pytest
from django.db import connection

from tests.dukportal_settings.test_deploy_settings import _manage

PRINT = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
POSTGRES = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dukportal"}


def _options(**env) -> str:
    result = _manage("shell", "-c", PRINT, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_postgres_connections_run_without_jit_unless_asked():
    assert "-c jit=off" in _options(**POSTGRES)
    assert "jit" not in _options(**POSTGRES, POSTGRES_JIT="1")


@pytest.mark.django_db
def test_the_connection_says_jit_is_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

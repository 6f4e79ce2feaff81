"""The figures cache is on (an hour) where a shared cache (Redis) is configured and off without one: a
local-memory cache is per process, so one gunicorn worker's write would not reach another's cached figures.
FIGURES_CACHE_SECONDS overrides both."""

import secrets

from tests.dukportal_settings.test_deploy_settings import _manage

PRINT = "from django.conf import settings; print(settings.FIGURES_CACHE_SECONDS)"


def _seconds(**env) -> str:
    env = {"REDIS_URL": None, "CACHE_URL": None, "FIGURES_CACHE_SECONDS": None, **env}
    result = _manage("shell", "-c", PRINT, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_on_with_redis_off_without_a_shared_cache_and_set_by_the_environment():
    assert _seconds(REDIS_URL="redis://127.0.0.1:6379/24") == "3600"
    assert _seconds() == "0"
    assert _seconds(REDIS_URL="redis://127.0.0.1:6379/24", FIGURES_CACHE_SECONDS="60") == "60"

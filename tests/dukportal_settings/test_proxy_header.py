"""X-Forwarded-Proto is believed only when TRUST_PROXY_HEADERS says a proxy that overwrites it is in front:
otherwise any client could make a plain-http request count as HTTPS."""

import secrets

import pytest

from tests.dukportal_settings.test_deploy_settings import _manage

PRINT_SETTING = "from django.conf import settings; print(repr(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)))"
# With DEBUG off the portal needs a database and a broker named (it never connects to them here).
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dukportal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _proxy_header(**env) -> str:
    result = _manage("shell", "-c", PRINT_SETTING, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("debug", ["false", "true"])
def test_proxy_header_is_not_trusted_by_default(debug):
    assert _proxy_header(**{**PRODUCTION, "DEBUG": debug}) == "None"


def test_proxy_header_is_trusted_when_configured():
    assert _proxy_header(**PRODUCTION, TRUST_PROXY_HEADERS="true") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_deploy_check_stays_clean_behind_a_trusted_proxy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        TRUST_PROXY_HEADERS="true",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_client_claiming_https_is_not_believed_without_the_setting(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/dang-nhap/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301  # still plain http: sent to https
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_behind_a_trusted_proxy_its_https_header_counts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/dang-nhap/", headers={"X-Forwarded-Proto": "https"}).status_code == 200

"""What the image and compose file promise, checked without building: static files collected at build time make
every page work with DEBUG off under gunicorn; migrations run once in a one-shot service; web scales."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.db import connection

from tests import forked

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _environment(**extra):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "SENTRY_DSN"}}
    environment.update(extra)
    return environment


def test_dockerfile_collects_static_files_at_build_and_starts_gunicorn_with_its_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    build_steps = dockerfile.split("\nCMD ")[0]
    assert re.search(r"^RUN .*STATIC_MANIFEST=true python manage.py collectstatic --noinput", build_steps, re.M)
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "dukportal.wsgi"]' in dockerfile
    assert "migrate" not in dockerfile.split("\nCMD ")[1]


def test_migrations_run_once_in_a_one_shot_service_before_web_and_workers():
    migrate = SERVICES["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        service = SERVICES[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert "migrate" not in str(service["command"]) and "collectstatic" not in str(service["command"])


def test_web_can_be_scaled_and_web_and_worker_have_healthchecks():
    web = SERVICES["web"]
    assert not any("container_name" in service for service in SERVICES.values())
    # A host port range (one port per replica), never one fixed port that a second replica would fight for.
    (mapping,) = web["ports"]
    host_part = mapping.rsplit(":", 1)[0]
    assert "-" in host_part, mapping
    assert "/health/" in (ROOT / "scripts" / "healthcheck.py").read_text()
    assert web["healthcheck"]["test"][:3] == ["CMD", "python", "scripts/healthcheck.py"]
    assert "inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])


# `manage.py collectstatic --noinput` as the Dockerfile runs it, but with Brotli at quality 4 instead of its best
# (11): the same files, manifest and compressed copies, in 1.5 s of CPU instead of 25; how small the copies are
# plays no part in the pages served.
COLLECTSTATIC = """
import runpy, sys, brotli
from whitenoise.compress import Compressor
Compressor.compress_brotli = staticmethod(lambda data: brotli.compress(data, quality=4))
sys.argv = ["manage.py", "collectstatic", "--noinput"]
runpy.run_path("manage.py", run_name="__main__")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, host="portal.example.vn", **headers):
    request = urllib.request.Request(url, headers={"Host": host, **headers})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.headers, response.read()


@pytest.mark.django_db(transaction=True)
def test_collected_static_files_let_gunicorn_serve_pages_with_debug_off(tmp_path):
    """The former image's own start command gave 500 on every page (no manifest). Collect as the Dockerfile does,
    then run gunicorn with gunicorn.conf.py, DEBUG off and the manifest storage."""
    static_root = tmp_path / "static"
    if connection.vendor == "postgresql":  # the test database has the schema; use it
        params = connection.settings_dict
        database_url = (
            f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
        )
    else:
        database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = _environment(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="portal.example.vn",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"),
        STATIC_ROOT=str(static_root),
        STATIC_MANIFEST="true",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    collect = forked.run(
        ["-c", COLLECTSTATIC],
        env=_environment(DEBUG="true", STATIC_MANIFEST="true", STATIC_ROOT=str(static_root)),
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    assert (static_root / "staticfiles.json").exists()
    if connection.vendor != "postgresql":
        migrate = forked.run(["manage.py", "migrate", "--noinput"], env=env, timeout=600)
        assert migrate.returncode == 0, migrate.stderr

    port = _free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_THREADS="2")
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "dukportal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"http://127.0.0.1:{port}/health/?checks=database", host="10.0.0.5")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.05)
        status, headers, body = _get(f"http://127.0.0.1:{port}/dang-nhap/")
        assert status == 200
        stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, body[:2000]
        css_status, css_headers, _ = _get(f"http://127.0.0.1:{port}{stylesheet.group(1).decode()}")
        assert css_status == 200
        # The compressed copy made at build time is what a browser that accepts it gets.
        _, br_headers, _ = _get(f"http://127.0.0.1:{port}{stylesheet.group(1).decode()}", **{"Accept-Encoding": "br"})
        assert br_headers["Content-Encoding"] == "br" and "Content-Encoding" not in css_headers
        request_id = headers["X-Request-ID"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = log.read_text().splitlines()
    access = [line for line in lines if "gunicorn.access" in line and "/dang-nhap/" in line]
    assert access and f"request_id={request_id}" in access[0]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00 INFO gunicorn\.access ", access[0]), access[0]

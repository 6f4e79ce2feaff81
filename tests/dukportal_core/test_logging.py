"""Log lines carry time (Asia/Ho_Chi_Minh, offset written), level, logger and the request id, in Django, gunicorn
and Celery alike; LOG_FORMAT=json gives JSON lines; Sentry is on only with SENTRY_DSN."""

import gzip
import json
import logging
import os
import re
import runpy
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from dukportal.core import logging as portal_logging
from tests import forked

ROOT = Path(__file__).resolve().parents[2]
TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00 (?P<level>[A-Z]+) (?P<logger>\S+) \[(?P<rid>[^\]]+)\] (?P<msg>.*)$"
)


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.addFilter(portal_logging.RequestIdFilter())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    handler = Collect()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_log_line_during_a_request_carries_the_request_id_sent_back(client, request_log):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert [record.request_id for record in request_log] == [rid]
    assert len(request_log) == 1  # logged once, not again by Django after the middleware


@pytest.mark.django_db
def test_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client, request_log):
    kept = client.get("/khong-co/", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    hostile = client.get("/khong-co/", HTTP_X_REQUEST_ID="x] FAKE ERROR " + "A" * 300)
    assert re.fullmatch(r"[0-9a-f]{32}", hostile["X-Request-ID"])
    assert [r.request_id for r in request_log] == ["lb-7f3a9c21-0001", hostile["X-Request-ID"]]


def _record(message="Đã gửi nhắc việc", level=logging.WARNING, name="dukportal.test"):
    record = logging.LogRecord(name, level, __file__, 1, message, None, None)
    portal_logging.RequestIdFilter().filter(record)
    return record


def test_text_format_has_time_with_offset_level_logger_and_request_id():
    token = portal_logging.request_id.set("abc12345")
    try:
        line = portal_logging.TextFormatter().format(_record())
    finally:
        portal_logging.request_id.reset(token)
    match = TEXT_LINE.match(line)
    assert match, line
    assert match.group("level", "logger", "rid", "msg") == ("WARNING", "dukportal.test", "abc12345", "Đã gửi nhắc việc")


def test_json_format_parses_with_the_same_fields():
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = _record()
        record.exc_info = sys.exc_info()
    entry = json.loads(portal_logging.JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["logger"] == "dukportal.test" and entry["request_id"] == "-"
    assert entry["message"] == "Đã gửi nhắc việc"
    assert entry["time"].endswith("+07:00")
    assert "ValueError: hỏng" in entry["exception"]


def _run(code, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "LOG_FORMAT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return forked.run(["-c", code], env=environment, timeout=120)


def test_django_and_celery_log_in_the_same_json_format():
    """The worker's logging (Celery's setup_logging signal) goes through settings.LOGGING, not Celery's own."""
    code = (
        "import django, logging; django.setup();"
        "from dukportal.celery import app; app.log.setup();"
        "logging.getLogger('celery.worker').warning('worker ready');"
        "logging.getLogger('django.request').warning('page served')"
    )
    result = _run(code, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("celery.worker", "worker ready"),
        ("django.request", "page served"),
    ]
    assert all(line["time"].endswith("+07:00") for line in lines)


def test_gunicorn_logs_with_the_same_config():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["logconfig_dict"] == portal_logging.logging_config()
    assert "gunicorn.error" in config["logconfig_dict"]["loggers"]
    assert "x-request-id" in config["access_log_format"]


def test_eager_task_queued_during_a_request_logs_under_the_request_id():
    from celery import shared_task

    seen = []

    @shared_task(name="tests.log_request_id")
    def probe():
        seen.append(portal_logging.request_id.get())

    token = portal_logging.request_id.set("req-0000-1111")
    try:
        probe.apply()
    finally:
        portal_logging.request_id.reset(token)
    assert seen == ["req-0000-1111"]


def test_sentry_is_off_without_a_dsn():
    result = _run("import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


class _Envelopes(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sentry_reports_errors_when_a_dsn_is_set():
    """A local HTTP server plays Sentry: the event arrives, with Django and Celery integrations and no PII."""
    server = HTTPServer(("127.0.0.1", 0), _Envelopes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code = (
            "import django; django.setup(); import sentry_sdk;"
            "client = sentry_sdk.get_client();"
            "print(client.is_active(), client.options['send_default_pii'], sorted(client.integrations));"
            "sentry_sdk.capture_message('portal-sentry-probe'); sentry_sdk.flush(5)"
        )
        result = _run(code, SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/42")
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    active, pii, integrations = result.stdout.strip().split(" ", 2)
    assert (active, pii) == ("True", "False")
    assert "'django'" in integrations and "'celery'" in integrations
    paths = [path for path, _ in _Envelopes.received]
    assert paths and paths[0].startswith("/api/42/envelope/")
    assert b"portal-sentry-probe" in b"".join(body for _, body in _Envelopes.received)


def test_gunicorn_freezes_the_preloaded_app_before_forking_workers():
    import gc
    from types import SimpleNamespace

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    gc.unfreeze()
    try:
        config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
        assert gc.get_freeze_count() == 0  # nothing preloaded: nothing to share with the workers
        config["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
        assert gc.get_freeze_count() > 10_000  # Django and the portal, imported by this test process
    finally:
        gc.unfreeze()

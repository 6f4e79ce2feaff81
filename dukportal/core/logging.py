"""One log format for gunicorn, Django and Celery: time, level, logger, request id, message.

Times are Asia/Ho_Chi_Minh (the portal's TIME_ZONE) with the offset written out (`2026-12-02T11:05:03.120+07:00`),
in every process, whatever the container's TZ. LOG_FORMAT=json writes one JSON object a line instead.

The request id comes from RequestIdMiddleware (a sane incoming X-Request-ID from the proxy, else a new one; sent
back as X-Request-ID) and follows the work into Celery tasks queued during the request.

This module must not import Django settings: gunicorn.conf.py loads it before Django is set up."""

import contextlib
import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.log import log_response

LOG_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HEADER = "X-Request-ID"
CELERY_HEADER = "dukportal_request_id"
# What we accept from a proxy: short, printable, no spaces (it goes into every log line and a response header).
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    return value if value and _SANE_ID.match(value) else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record the handler sees ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, LOG_TIMEZONE).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    def __init__(self, fmt=TEXT_FORMAT, datefmt=None, style="%", **kwargs):
        super().__init__(fmt=fmt, datefmt=datefmt, style=style, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's API
        return _timestamp(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request_id, message (+ exception, task)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str = "INFO", fmt: str = "text") -> dict:
    """The dictConfig used by Django (settings.LOGGING), gunicorn (logconfig_dict) and Celery (setup_logging)."""
    formatter = "json" if fmt == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "dukportal.core.logging.RequestIdFilter"}},
        "formatters": {
            "text": {"()": "dukportal.core.logging.TextFormatter"},
            "json": {"()": "dukportal.core.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": formatter,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # gunicorn's own loggers: same handler, not twice through the root.
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "weasyprint": {"level": "ERROR"},
            "fontTools": {"level": "ERROR"},
            # One "Task … succeeded" line per task drowns the console in eager mode; failures still show.
            "celery.app.trace": {"level": "WARNING"},
            # django-axes logs every failed and successful sign-in at INFO; our audit log has them (auth.*).
            "axes": {"level": "WARNING"},
        },
    }


class RequestIdMiddleware:
    """Sets the request id for the request's log lines and returns it as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = sane_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs 4xx/5xx after the middleware chain, when the id is gone: log it here, once.
                log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        return response


# --- Celery: the id travels in a message header; a task without one logs under its own task id ----------------


def celery_before_publish(headers=None, **kwargs):
    current = request_id.get()
    if headers is not None and current != "-":
        headers.setdefault(CELERY_HEADER, current)


def celery_task_prerun(task=None, task_id=None, **kwargs):
    if task is None:
        return
    incoming = sane_request_id(getattr(task.request, CELERY_HEADER, None))
    current = request_id.get()  # an eager task inside a request keeps the request's id
    task.request.dukportal_log_token = request_id.set(incoming or (current if current != "-" else task_id) or "-")


def celery_task_postrun(task=None, **kwargs):
    token = getattr(task.request, "dukportal_log_token", None) if task is not None else None
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context: leave it
            request_id.reset(token)
        task.request.dukportal_log_token = None


# --- Sentry ------------------------------------------------------------------------------------------------------


def init_sentry(*, dsn: str, environment: str = "", release: str = "", traces_sample_rate: float = 0.0, **extra):
    """Error reporting with the Django and Celery integrations; no personal data (send_default_pii off)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        **extra,
    )

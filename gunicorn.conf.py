"""gunicorn settings for the image and docker-compose (`gunicorn -c gunicorn.conf.py dukportal.wsgi`).

Every value can be changed with an environment variable of the same name in capitals prefixed GUNICORN_
(GUNICORN_WORKERS=5). Logs use the portal's format (dukportal/core/logging.py): same time zone, level, logger
and request id as Django and Celery; LOG_FORMAT=json for JSON lines."""

import os

from dukportal.core.logging import logging_config


def _env(name, default):
    return os.environ.get(f"GUNICORN_{name}", default)


bind = _env("BIND", "0.0.0.0:8000")
# gthread: a slow download or a document render does not block the worker's other threads.
worker_class = "gthread"
workers = int(_env("WORKERS", "3"))
threads = int(_env("THREADS", "4"))
# Long renders run as jobs; a request still running after this is killed and logged.
timeout = int(_env("TIMEOUT", "60"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
keepalive = int(_env("KEEPALIVE", "5"))
# Recycle workers now and then: WeasyPrint and openpyxl keep memory they allocated for a big document.
max_requests = int(_env("MAX_REQUESTS", "1000"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "100"))
# The worker heartbeat file on tmpfs: a container's overlay disk can stall it and get healthy workers killed.
worker_tmp_dir = _env("WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)

accesslog = "-"
errorlog = "-"
# Client, request line, status, bytes, duration in ms and the request id the portal sent back.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), fmt=os.environ.get("LOG_FORMAT", "text"))

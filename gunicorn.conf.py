"""gunicorn settings for the image and docker-compose (`gunicorn -c gunicorn.conf.py dukportal.wsgi`).

Every value can be changed with an environment variable of the same name in capitals prefixed GUNICORN_
(GUNICORN_WORKERS=5). Logs use the portal's format (dukportal/core/logging.py): same time zone, level, logger
and request id as Django and Celery; LOG_FORMAT=json for JSON lines."""

import gc
import os

from dukportal.core.logging import logging_config


def _env(name, default):
    return os.environ.get(f"GUNICORN_{name}", default)


bind = _env("BIND", "0.0.0.0:8000")
# Sized for 2 cores with PostgreSQL on the same host (bench/load.py, bench/README.md "Load"). gthread: a thread
# waiting on PostgreSQL, Redis or a slow client releases the GIL, so one worker keeps one core busy with 4
# threads. One worker per core (not 2 × cores + 1, a rule for sync workers): a third process only adds context
# switches and memory on 2 cores, and each extra thread is one more PostgreSQL connection (CONN_MAX_AGE keeps
# them open). More cores: GUNICORN_WORKERS = cores.
worker_class = "gthread"
workers = int(_env("WORKERS", "2"))
threads = int(_env("THREADS", "4"))
# Long renders run as jobs; a request still running after this is killed and logged.
timeout = int(_env("TIMEOUT", "60"))
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
# Longer than a user's pause between two clicks (1–3 s, and the proxy's own reuse), so a click reuses the
# connection; idle kept-alive connections wait in the worker's poller, not in a thread.
keepalive = int(_env("KEEPALIVE", "5"))
# Recycle workers now and then: WeasyPrint and openpyxl keep memory they allocated for a big document. At 100
# requests/s a limit of 1,000 restarted a worker every 20 s (each restart re-imports Django: about a second of
# CPU); 5,000 ± 500 is every few minutes under load, the jitter keeps both workers from restarting together.
max_requests = int(_env("MAX_REQUESTS", "5000"))
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "500"))
# Import the portal once in the master and fork the workers from it: a recycled worker starts in milliseconds
# instead of re-importing Django under load, and the workers share the imported code's memory. Nothing opens a
# database or Redis connection at import (Django connects on the first query), so no socket is shared.
preload_app = _env("PRELOAD_APP", "true").lower() == "true"


def when_ready(server):
    """With the app preloaded: move everything it imported into the collector's permanent generation before the
    workers fork. A worker's full collections then walk only what it allocated itself (not the ~150,000 objects
    of Django and the portal, ~130 ms a full pass), and leave the imported objects' pages shared with the master
    (a collection writes to every object it visits)."""
    if server.cfg.preload_app:
        gc.freeze()


# The worker heartbeat file on tmpfs: a container's overlay disk can stall it and get healthy workers killed.
worker_tmp_dir = _env("WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)

accesslog = "-"
errorlog = "-"
# Client, request line, status, bytes, duration in ms and the request id the portal sent back.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), fmt=os.environ.get("LOG_FORMAT", "text"))

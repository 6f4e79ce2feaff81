"""`/health/` for a load balancer and the compose healthchecks: database, cache, broker, storage, worker.

Served by a middleware at the top of MIDDLEWARE rather than a URL: a probe comes over plain http with the
container's address as Host, so it must answer before the host check, the https redirect, sessions and the
request guards. The answer is JSON, 200 when every check passes, 503 naming the failing ones otherwise. It says
only which dependency failed and the error's class; the details go to the log.

`?checks=database,cache` limits the run (the web container's own healthcheck leaves out the worker, so a stopped
worker does not make the web service unhealthy)."""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

logger = logging.getLogger("dukportal.health")

PATH = "/health/"
HEARTBEAT_KEY = "dukportal:worker-heartbeat"
OK, FAILING, NOT_APPLICABLE = "ok", "failing", "not_applicable"


class NotApplicable(Exception):
    """The dependency does not exist in this mode (single-process: tasks run eagerly, no broker, no worker)."""


def _celery_app():
    from dukportal.celery import app

    return app


def check_database() -> str:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return ""


def check_cache() -> str:
    key, value = f"dukportal:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("cache returned another value")
    finally:
        cache.delete(key)
    return ""


def check_broker() -> str:
    app = _celery_app()
    if app.conf.task_always_eager:
        raise NotApplicable("tasks run in-process (no REDIS_URL)")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        if conn.transport.driver_type == "redis":
            conn.default_channel.client.ping()
    return ""


def check_storage() -> str:
    """Write, read back and delete a small file in the media storage (local disk or S3)."""
    storage = storages["default"]
    payload = uuid.uuid4().hex.encode()
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with storage.open(name, "rb") as stored:
            if stored.read() != payload:
                raise RuntimeError("storage returned other bytes")
    finally:
        storage.delete(name)
    return ""


def check_worker() -> str:
    """The periodic task `core.worker_heartbeat` (beat → worker) stamps the cache; a stale stamp means no worker
    (or no beat) has run it for HEALTH_WORKER_STALE_MINUTES."""
    if _celery_app().conf.task_always_eager:
        raise NotApplicable("tasks run in-process (no REDIS_URL)")
    stamp = cache.get(HEARTBEAT_KEY)
    if not stamp:
        raise RuntimeError("no heartbeat from a worker yet")
    age = timezone.now() - datetime.fromisoformat(stamp)
    if age > timedelta(minutes=settings.HEALTH_WORKER_STALE_MINUTES):
        raise RuntimeError(f"last heartbeat {int(age.total_seconds())} s ago")
    return f"last heartbeat {int(age.total_seconds())} s ago"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "worker": check_worker,
}


def run_checks(names=None) -> dict[str, dict]:
    results = {}
    for name in names or CHECKS:
        started = time.perf_counter()
        try:
            detail = CHECKS[name]()
            result = {"status": OK}
            if detail:
                result["detail"] = detail
        except NotApplicable as reason:
            result = {"status": NOT_APPLICABLE, "detail": str(reason)}
        except Exception as error:
            logger.warning("health check %s failed: %r", name, error)
            result = {"status": FAILING, "error": type(error).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


def health_response(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
    wanted = [name for name in request.GET.get("checks", "").split(",") if name]
    unknown = sorted(set(wanted) - set(CHECKS))
    if unknown:
        return JsonResponse({"status": "error", "unknown_checks": unknown, "known": list(CHECKS)}, status=400)
    results = run_checks(wanted)
    failing = [name for name, result in results.items() if result["status"] == FAILING]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": results}
    response = JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers PATH itself, before anything that needs a session, a known host or https."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH:
            return health_response(request)
        return self.get_response(request)


def heartbeat() -> str:
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=None)
    return stamp

"""Durable background work: the one way the portal queues a Celery task.

`enqueue()` writes an OutboxMessage in the caller's transaction, so the work exists exactly when the business
change does. After the commit it is handed to the broker once, best effort (`dispatch`); if Redis is down, or the
process dies first, the row stays "pending" and the periodic relay (`relay`) hands it over later. A worker runs it
through `run()`, which claims the row with a conditional UPDATE, so a message delivered twice (acks_late
redelivery, relay and retry both firing) runs once. A failure is retried with exponential back-off; a worker
killed mid-run leaves the row "running", and the sweeper (`sweep`) puts it back once its lease has expired, or
marks it failed after `max_attempts` so staff see it and can retry (`retry`).

Tasks run this way must be idempotent at their own level too (a unique row, a conditional claim): a worker can
die after the work is done and before the row says so."""

import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import redis.exceptions
from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import audit
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

BROKER_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
    socket.error,
)
# One quick retry: a user may be waiting for the response; the relay tries again later anyway.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
RUNNER_TASK = "core.run_outbox_message"
WORKER_LOST = "Tiến trình xử lý bị dừng giữa chừng (máy chủ hàng đợi khởi động lại hoặc hết thời gian)."

# Task name -> what to do when its message has finally failed (e.g. mark the job "Lỗi" on its page).
_FAILURE_HANDLERS: dict[str, Callable[[OutboxMessage], object]] = {}


def on_final_failure(task_name: str):
    """Register `handler(message)` to run once when a message of `task_name` has used all its attempts."""

    def register(handler):
        _FAILURE_HANDLERS[task_name] = handler
        return handler

    return register


def _task(name: str):
    if name not in current_app.tasks:  # the apps' tasks modules (and their failure handlers) are loaded lazily
        # Not loader.import_default_modules(): it re-runs django.setup(), which reconfigures logging.
        current_app.loader.autodiscover_tasks([config.name for config in apps.get_app_configs()])
    return current_app.tasks[name]


def enqueue(
    task: str, *args, key: str = "", max_attempts: int | None = None, inline_if_broker_down: bool = False, **kwargs
) -> OutboxMessage:
    """Queue `task(*args, **kwargs)` durably. Call it inside the transaction of the change that asks for the work.
    With a `key`, asking twice queues once (the existing message is returned). `inline_if_broker_down` runs
    light work in-process when Redis is unreachable instead of waiting for the relay."""
    _task(task)  # an unknown task name fails here, in the request, not later in a worker
    if key:
        existing = OutboxMessage.objects.filter(key=key).first()
        if existing:
            return existing
    message = OutboxMessage(
        task=task,
        args=list(args),
        kwargs=kwargs,
        key=key,
        max_attempts=max_attempts or settings.OUTBOX_MAX_ATTEMPTS,
    )
    if not key:
        # Nothing to race on (only a key is unique): no savepoint, two statements fewer in the caller's transaction.
        message.save()
    else:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:  # the same key queued at the same moment by another request
            return OutboxMessage.objects.get(key=key)
    transaction.on_commit(partial(dispatch, message.pk, inline_if_broker_down=inline_if_broker_down))
    return message


def dispatch(message_id: int, *, inline_if_broker_down: bool = False) -> bool:
    """Hand a pending message to the broker. Never raises: it runs after the commit, where the user's action has
    succeeded. Returns whether the broker took it."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).first()
    if message is None:
        return False
    try:
        task = _task(message.task)
        options = {"time_limit": task.time_limit, "soft_time_limit": task.soft_time_limit}
        countdown = (message.available_at - timezone.now()).total_seconds()
        if countdown > 0:
            options["countdown"] = countdown
        OutboxMessage.objects.filter(pk=message_id).update(dispatched_at=timezone.now())
        _task(RUNNER_TASK).apply_async(args=[message_id], retry_policy=PUBLISH_RETRY_POLICY, **options)
    except BROKER_ERRORS:
        logger.exception(
            "Could not queue %s (outbox %s): broker unreachable; the relay will retry", message.task, message_id
        )
        OutboxMessage.objects.filter(pk=message_id).update(dispatched_at=None)
    except Exception:  # eager mode runs the task here; its failure is already recorded on the row
        logger.exception("Outbox %s (%s) failed when queued", message_id, message.task)
        return True
    else:
        return True
    if inline_if_broker_down:
        try:
            run(message_id)
        except Exception:
            logger.exception("Outbox %s (%s) failed in-process", message_id, message.task)
    return False


def run_pending_at_once(*, after: int) -> int:
    """Run the due pending messages queued after message `after`, and those they queue, in queue order in one
    transaction (each in a savepoint; a failure is recorded on its row, as in eager mode). For a batch job run
    without a broker (eager mode) that queues hundreds of messages: dispatched one by one after its commit, each
    would cost several commits of its own. The dispatch that follows finds them done. Returns how many ran."""
    count = 0
    with transaction.atomic():
        while True:
            due = list(
                OutboxMessage.objects.filter(
                    pk__gt=after, status=OutboxStatus.PENDING, available_at__lte=timezone.now()
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not due:
                return count
            OutboxMessage.objects.filter(pk__in=due).update(dispatched_at=timezone.now())  # as dispatch() marks them
            for message_id in due:
                try:
                    with transaction.atomic():
                        run(message_id, final=True)
                except Exception:
                    logger.exception("Outbox %s failed in-process", message_id)
                count += 1
            after = due[-1]


def backoff(attempts: int) -> int:
    """Seconds before attempt `attempts + 1`: doubles each time, capped."""
    return min(settings.OUTBOX_RETRY_BACKOFF * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_BACKOFF_MAX)


def run(message_id: int, *, final: bool = False) -> dict:
    """Run one message if it is pending and due. Claimed by a conditional UPDATE: two deliveries, one run.
    Returns {"status": "skipped" | "done" | "retry" | "failed", "countdown": seconds (for "retry")}.
    `final` makes a failure final (eager mode: no worker or sweeper will come back to it)."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, available_at__lte=now).update(
        status=OutboxStatus.RUNNING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return {"status": "skipped"}
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _task(message.task)(*message.args, **message.kwargs)
    except Exception as error:  # includes SoftTimeLimitExceeded
        logger.exception("Outbox %s (%s), attempt %s, failed", message_id, message.task, message.attempts)
        return _record_failure(message, f"{type(error).__name__}: {error}", final=final)
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.RUNNING).update(
        status=OutboxStatus.DONE, finished_at=timezone.now(), last_error=""
    )
    return {"status": "done"}


def _record_failure(message: OutboxMessage, error: str, *, final: bool = False) -> dict:
    now = timezone.now()
    if final or message.attempts >= message.max_attempts:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED, finished_at=now, last_error=error[:2000]
        )
        message.refresh_from_db()
        _task(message.task)  # loads the module that registers the handler
        handler = _FAILURE_HANDLERS.get(message.task)
        if handler is not None:
            try:
                handler(message)
            except Exception:
                logger.exception("Failure handler of outbox %s failed", message.pk)
        return {"status": "failed"}
    countdown = backoff(message.attempts)
    available = now + timedelta(seconds=countdown)
    # dispatched_at = available: the relay leaves it to the retry Celery schedules, unless that is lost too.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.PENDING, available_at=available, dispatched_at=available, last_error=error[:2000]
    )
    return {"status": "retry", "countdown": countdown}


def relay(*, limit: int = 500) -> int:
    """Hand over pending messages that are due and were never queued, or queued long ago and still not run
    (the broker was down, the process died after the commit, the queue was lost). Returns how many."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_SECONDS)
    due = (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(dispatch(message_id) for message_id in list(due))


def sweep() -> dict:
    """Put back what a dead worker left "running" past its lease, or mark it failed after its last attempt;
    then relay what is pending. Rows are locked with SKIP LOCKED, so two sweepers never handle one row."""
    lease = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    requeued, failed = 0, []
    with transaction.atomic():
        stuck = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            status=OutboxStatus.RUNNING, claimed_at__lt=lease
        )
        for message in stuck:
            if message.attempts >= message.max_attempts:
                failed.append(message)
            else:
                OutboxMessage.objects.filter(pk=message.pk).update(
                    status=OutboxStatus.PENDING, available_at=timezone.now(), dispatched_at=None, last_error=WORKER_LOST
                )
                requeued += 1
    for message in failed:
        _record_failure(message, WORKER_LOST, final=True)
    return {"requeued": requeued, "failed": len(failed), "relayed": relay()}


@transaction.atomic
def retry(task: str, *args, key: str, actor, max_attempts: int | None = None, **kwargs) -> OutboxMessage:
    """Staff ask again for work that failed: its message starts over with all its attempts (or is queued anew
    if it predates the outbox). Audited."""
    message = OutboxMessage.objects.select_for_update().filter(key=key).first()
    if message is None:
        message = enqueue(task, *args, key=key, max_attempts=max_attempts, **kwargs)
        previous = ""
    else:
        previous = message.last_error
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            available_at=timezone.now(),
            dispatched_at=None,
            claimed_at=None,
            finished_at=None,
        )
        message.refresh_from_db()
        transaction.on_commit(partial(dispatch, message.pk))
    audit.record(
        actor=actor, action="outbox.retry", target=message, changes={"task": task, "key": key, "error": previous}
    )
    return message

"""Celery tasks of the core app: the outbox's runner every queued message goes through, its relay and sweeper
(beat), and the worker heartbeat /health/ reads."""

from celery import shared_task
from django.db import DatabaseError

from . import health, outbox


@shared_task(
    name=outbox.RUNNER_TASK,
    bind=True,
    # Redelivery is safe: run() claims the row with a conditional UPDATE. A worker killed mid-run puts the
    # message back on the queue; the row stays "running" until the sweeper's lease expires.
    acks_late=True,
    reject_on_worker_lost=True,
    # The database itself unreachable (claiming or recording the outcome): Celery retries, doubling the wait.
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    # Default limits; dispatch() passes the queued task's own.
    soft_time_limit=840,
    time_limit=900,
)
def run_outbox_message(self, message_id: int) -> str:
    result = outbox.run(message_id, final=bool(self.request.is_eager))
    if result["status"] == "retry":
        try:
            raise self.retry(countdown=result["countdown"], max_retries=None)
        except outbox.BROKER_ERRORS:  # the relay hands it over once the message is due
            pass
    return result["status"]


@shared_task(name="core.outbox_relay", acks_late=True, soft_time_limit=240, time_limit=300)
def outbox_relay() -> int:
    return outbox.relay()


@shared_task(name="core.outbox_sweep", acks_late=True, soft_time_limit=240, time_limit=300)
def outbox_sweep() -> dict:
    return outbox.sweep()


@shared_task(name="core.worker_heartbeat", ignore_result=True, soft_time_limit=20, time_limit=30, expires=120)
def worker_heartbeat() -> str:
    """Run by beat every minute: /health/ reports the worker stale when the stamp gets old."""
    return health.heartbeat()

"""Celery tasks of the core app."""

from celery import shared_task

from . import health


@shared_task(name="core.worker_heartbeat", ignore_result=True, time_limit=30, expires=120)
def worker_heartbeat() -> str:
    """Run by beat every minute: /health/ reports the worker stale when the stamp gets old."""
    return health.heartbeat()

"""Queue Celery work from a user's action without letting a broker outage break that action.

Called from transaction.on_commit callbacks: the user's data is already committed, so a Redis outage must
neither turn the response into an error nor lose the work. The failure is logged and `on_failure` runs (it
does the work in-process, or marks a job as failed so staff see it)."""

import logging
import socket
from collections.abc import Callable

import redis.exceptions
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
    socket.error,
)
# One quick retry: a user is waiting for the response.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_safely(task, *args, on_failure: Callable[[], object] | None = None) -> bool:
    """task.delay(*args), unless the broker is unreachable. Returns whether the task was queued."""
    try:
        task.apply_async(args=args, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS:
        logger.exception("Could not queue task %s%r: broker unreachable", task.name, args)
    else:
        return True
    if on_failure is not None:
        try:
            on_failure()
        except Exception:  # after commit: the user's action succeeded and must not be reported as failed
            logger.exception("Fallback for task %s%r failed", task.name, args)
    return False

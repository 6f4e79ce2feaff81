"""Celery application. Broker is REDIS_URL; without it tasks run eagerly in-process."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")

app = Celery("dukportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def configure_logging(**kwargs):
    """Celery logs through settings.LOGGING (same format and request id as Django and gunicorn), not its own."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def _connect_request_id_signals():
    from dukportal.core import logging as portal_logging

    signals.before_task_publish.connect(portal_logging.celery_before_publish, weak=False)
    signals.task_prerun.connect(portal_logging.celery_task_prerun, weak=False)
    signals.task_postrun.connect(portal_logging.celery_task_postrun, weak=False)


_connect_request_id_signals()

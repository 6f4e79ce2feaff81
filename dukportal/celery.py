"""Celery application. Broker is REDIS_URL; without it tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")

app = Celery("dukportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

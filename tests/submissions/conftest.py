import pytest

from dukportal.celery import app as celery_app


@pytest.fixture
def celery_eager():
    """Run tasks in-process (Celery's eager mode), even when REDIS_URL points at a real broker."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved

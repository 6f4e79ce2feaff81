import pytest
from celery import current_app as celery_app

from tests.reports.factories import IssuingBodyFactory, TermFactory


@pytest.fixture
def issuing_body(bloc):
    return IssuingBodyFactory(bloc=bloc)


@pytest.fixture
def term(bloc):
    return TermFactory(bloc=bloc)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Issued files go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_thresholds(settings):
    """Thresholds a test document crosses in a second: 60 table rows count as long (a job renders or issues
    it); five lines do not."""
    settings.DOCUMENT_INLINE_RENDER_MAX_SIZE = {"pdf": 30, "docx": 30}


@pytest.fixture
def celery_eager():
    """Run tasks in-process (Celery's eager mode), even when REDIS_URL points at a real broker."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved

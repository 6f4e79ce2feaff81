from tests.notifications.conftest import celery_eager, reminder_settings  # noqa: F401 (fixtures, autouse)

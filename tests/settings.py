"""The settings of the test run: the portal's own (dukportal.settings), plus the apps that exist only for tests.
pytest-django loads this module (pyproject.toml); manage.py, wsgi, asgi and celery default to dukportal.settings,
so the portal never installs them."""

from dukportal.settings import *  # noqa: F403
from dukportal.settings import INSTALLED_APPS as PORTAL_APPS

# A kind of submission declared by the tests alone (tests/throwaway_kind): found everywhere through the registries.
INSTALLED_APPS = [*PORTAL_APPS, "tests.throwaway_kind"]

# A test database holds nothing worth a disk flush: on PostgreSQL the tests' commits do not wait for the
# write-ahead log to reach the disk (a crash could lose the last commits of a throw-away database, nothing else).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# On SQLite the test database is a file (var/test.sqlite3, one per xdist worker: pytest-django adds _gwN), as
# the embedded default is: each live-server thread opens its own connection and a concurrent writer waits for
# the lock (a double-clicked form in a browser test). In memory, Django shares one connection between the
# live server's threads and a second request fails at once with "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405

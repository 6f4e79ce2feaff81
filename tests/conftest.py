import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports import sqlite_flush
from tests import fast_flush, template_database
from tests.factories import BlocFactory, OrganizationFactory, UserFactory


def worker_redis_urls(redis_url: str, worker: str | None) -> tuple[str, str]:
    """The Redis databases of one pytest-xdist worker: REDIS_URL's database N gives worker K (gwK) the broker
    N + 2K and the cache N + 2K + 1, so parallel workers never purge each other's queues or clear each other's
    cache. Without xdist (or on gw0) this is settings.py's own layout: broker N, cache N + 1."""
    base, _sep, db = redis_url.rstrip("/").rpartition("/")
    if not db.isdigit():  # no database number in the URL: db 0
        base, db = redis_url.rstrip("/"), "0"
    index = int(match.group(1)) if worker and (match := re.fullmatch(r"gw(\d+)", worker)) else 0
    broker = int(db) + 2 * index
    return f"{base}/{broker}", f"{base}/{broker + 1}"


# Under pytest-xdist each worker gets its own broker and cache database. Settings are loaded by now (pytest-django
# does it before this file), but neither the cache nor the Celery app has read them yet. Subprocesses that a test
# starts (a real worker, gunicorn) read REDIS_URL from the environment and land on the same databases.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
RUN_REDIS_URL = settings.REDIS_URL  # as given to the run, before a worker's own number
if _worker and settings.REDIS_URL:
    _broker, _cache = worker_redis_urls(settings.REDIS_URL, _worker)
    # Only the databases derived from REDIS_URL move; an explicit CELERY_BROKER_URL or CACHE_URL is left alone.
    if settings.CELERY_BROKER_URL == settings.REDIS_URL:
        settings.CELERY_BROKER_URL = _broker
    if settings.CACHES["default"].get("LOCATION") == worker_redis_urls(settings.REDIS_URL, None)[1]:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": _cache}}
    os.environ["REDIS_URL"] = settings.REDIS_URL = _broker

# Tests do not measure password hashing: PBKDF2 at full strength made most of the suite's time. Uploads go to a
# throw-away folder, never into the project's var/media.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dukportal-test-media-")


# A transactional test's flush on SQLite empties issued documents as TRUNCATE does on PostgreSQL: a browser test
# that issued a document would otherwise leave its rows to every later test of its worker.
sqlite_flush.flush_like_truncate()


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete():
    """A transactional test's flush on PostgreSQL deletes the few rows it wrote instead of truncating every
    table (tests/fast_flush.py: seconds a test on two shared cores)."""
    with fast_flush.deleting():
        yield


# Playwright's sync API runs an event loop in the test thread; the ORM calls in e2e tests are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).parent / "e2e"


# The pytest-playwright fixtures that start Chromium (it also has autouse ones that every test gets).
PLAYWRIGHT_FIXTURES = {"playwright", "browser_type", "launch_browser", "browser", "new_context", "context", "page"}


def _uses_playwright(item) -> bool:
    """Whether the test needs one of pytest-playwright's browser fixtures, itself or through another fixture
    (looked up by where the fixture is defined: a parametrised argument may be called `page`)."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(
        definitions.get(name) and definitions[name][-1].func.__module__.startswith("pytest_playwright")
        for name in PLAYWRIGHT_FIXTURES
    )


def pytest_itemcollected(item):
    """Every browser test is marked `browser`, wherever it lives and whether or not its module says so, so that
    `-m "not browser"` is the fast suite and scripts/test.sh runs the browser tests as a part of their own."""
    if E2E_DIR in Path(str(item.path)).parents or item.get_closest_marker("e2e") or _uses_playwright(item):
        item.add_marker(pytest.mark.browser)


# Seconds each of the longest modules took (setup + call + teardown, wall, one worker; the fast part on 2 cores
# under a load of 4-9, the mean of two runs of 04/12/2026, bench/README.md "Branch suite120"). Under pytest-xdist's --dist loadfile a module runs whole on one worker, and
# xdist hands modules out in order: longest first, so that the run does not end on one worker finishing a long
# module while the other idles (xdist's own order, most tests first, left the 1-test modules of 12-25 s to the
# end). A module not listed is put after these, by its number of tests. Only the order of modules changes; the
# tests of a module keep theirs.
LONG_MODULES = {
    # The browser part's longest by far, the accessibility crawl (169 s of its 342 s of module wall, 07/12/2026,
    # load 3-9): the staff's crawl (93 s) in a module of its own, so that each worker takes one half of it first.
    "e2e/test_accessibility_crawl_staff.py": 93,
    "e2e/test_accessibility_crawl.py": 75,
    "dukportal_core/test_figures_cache.py": 59,
    "dukportal_core/test_parameter_fuzz.py": 46,
    "reports/test_issue_lock_time.py": 22,
    "scenarios/test_1720_figures.py": 20,
    "test_english_words_crawl.py": 19,
    "test_load_script.py": 17,
    "democracy_regs/test_qcdc_summary.py": 16,
    "notifications/test_worker_killed.py": 16,
    "submissions/test_figures_for_agrees.py": 16,
    "models_danvan/test_statistics_summary.py": 16,
    "reports/test_document_editor.py": 14,
    "reports/test_members_export_at_scale.py": 13,
    "submissions/test_concurrent_sends.py": 13,
    "submissions/test_counted_moments.py": 8,  # its history built once since 07/12/2026 (was 13)
    "notifications/test_tracking.py": 13,
    "reports/test_dispatch_output.py": 13,
    "reports/test_document_views.py": 13,
    "reports/test_dispatch_topics.py": 12,
    "dukportal_settings/test_docker_image.py": 12,
    "models_danvan/test_statistics.py": 12,
    "democracy_regs/test_qcdc_access.py": 11,
    "notifications/test_organization_obligations_batched.py": 11,
    "notifications/test_expected_agrees.py": 10,
    "reports/test_document_reference_date.py": 10,
    "models_danvan/test_statistics_by_date.py": 10,
    "organizations/test_reorganization.py": 10,
    "reports/test_qcdc_report_output.py": 10,
    "reports/test_document_replies.py": 10,
}
TESTS_DIR = Path(__file__).parent


def pytest_configure(config):
    # The order of the modules is tests/conftest.py's (LONG_MODULES), not xdist's reordering by number of tests.
    if getattr(config.option, "loadscopereorder", False):
        config.option.loadscopereorder = False


def _module_order(path: Path, tests: int) -> tuple[int, int]:
    name = path.relative_to(TESTS_DIR).as_posix() if path.is_relative_to(TESTS_DIR) else ""
    return (0, -LONG_MODULES[name]) if name in LONG_MODULES else (1, -tests)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, the longest modules first (LONG_MODULES), the others by their number of tests; every
    worker sorts its identical collection the same way, as xdist requires."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    modules: dict[Path, list] = {}
    for item in items:
        modules.setdefault(Path(str(item.path)), []).append(item)
    order = sorted(modules, key=lambda path: _module_order(path, len(modules[path])))
    items[:] = [item for path in order for item in modules[path]]


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's database setup, except that on PostgreSQL each worker's test database is copied from a
    template migrated once per set of migrations (tests/template_database.py) instead of being migrated."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    if connection.vendor == "postgresql" and django_db_use_migrations:
        with django_db_blocker.unblock():
            template_database.copy_test_database(connection, fresh=not keepdb)
        keepdb = True  # the copy is migrated: Django's migrate finds nothing to do
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    yield
    template_database.wait_for_drops()  # the previous test database, a scratch one: dropped before the worker ends
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def figures_cache_off(request, settings):
    """The figures cache (dukportal/core/figures_cache.py) is off in tests, so a test reads what it wrote in its
    own transaction; tests marked `figures_cache` run with it on, against an emptied cache."""
    if request.node.get_closest_marker("figures_cache"):
        from django.core.cache import cache

        settings.FIGURES_CACHE_SECONDS = 3600
        cache.clear()
    else:
        settings.FIGURES_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def bloc_cache_off(request, settings):
    """The bloc header cache (organizations/bloc_cache.py) is off in tests, so query counts do not depend on an
    earlier page of the same test; tests marked `bloc_cache` run with it on, against an emptied cache."""
    from organizations import bloc_cache

    bloc_cache._kept = None
    if request.node.get_closest_marker("bloc_cache"):
        from django.core.cache import cache

        settings.CURRENT_BLOC_CACHE = True
        cache.clear()
    else:
        settings.CURRENT_BLOC_CACHE = False


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL set (as .ci/run does)")


@pytest.fixture
def bloc(db):
    return BlocFactory()


@pytest.fixture
def organization(bloc):
    return OrganizationFactory(name="Đảng bộ Sở Tài chính", code="SOTC")


@pytest.fixture
def other_organization(bloc):
    return OrganizationFactory(name="Đảng bộ Sở Y tế", code="SOYT")


@pytest.fixture
def staff_user(bloc):
    return UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")


@pytest.fixture
def leader_user(bloc):
    return UserFactory(username="lanhdao", role="leader")


@pytest.fixture
def officer_user(organization):
    return UserFactory(username="canbo", role="officer", organization=organization)


@pytest.fixture
def other_officer_user(other_organization):
    return UserFactory(username="canbokhac", role="officer", organization=other_organization)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def leader_client(client, leader_user):
    client.force_login(leader_user)
    return client


@pytest.fixture
def officer_client(client, officer_user):
    client.force_login(officer_user)
    return client

import os
import tempfile

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import BlocFactory, OrganizationFactory, UserFactory

# Tests do not measure password hashing: PBKDF2 at full strength made most of the suite's time. Uploads go to a
# throw-away folder, never into the project's var/media.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dukportal-test-media-")

# Playwright's sync API runs an event loop in the test thread; the ORM calls in e2e tests are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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

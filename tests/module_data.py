"""Data a test module builds once and every one of its tests reads, as Django's setUpTestData does: built inside
a transaction rolled back after the module, so each test's own transaction nests in it and rolls back what the
test changed. The bloc and the staff user are the ones tests/conftest.py's fixtures would give."""

import contextlib

import pytest
from django.db import transaction

from organizations.models import Bloc, User
from tests.factories import BlocFactory, UserFactory

STAFF_USERNAME = "bantuyengiao"


@contextlib.contextmanager
def built_once(django_db_blocker, build, *, clock=None):
    """Yield `build(staff_user)` built in a transaction rolled back on exit (under `clock` if given)."""
    with django_db_blocker.unblock(), clock or contextlib.nullcontext(), transaction.atomic():
        BlocFactory()
        staff = UserFactory(username=STAFF_USERNAME, role="staff", first_name="Phương", last_name="Nguyễn Đức")
        yield build(staff)
        transaction.set_rollback(True)


def bloc_and_staff_of(once: str):
    """The module's `bloc` and `staff_user` fixtures: the rows the module-scoped fixture `once` built. Its tests
    must also name `once` (or a fixture that does) among their arguments: looked up by name here, it is not in
    pytest's static plan, which sets a module-scoped fixture up before the test's own transaction. Both open the
    test's transaction (`db`) first, so that what a fixture built on them writes is rolled back after the test,
    not left in the module's transaction for the next tests."""

    @pytest.fixture
    def bloc(db, request):
        request.getfixturevalue(once)
        return Bloc.objects.get()

    @pytest.fixture
    def staff_user(db, request):
        request.getfixturevalue(once)
        return User.objects.get(username=STAFF_USERNAME)

    return bloc, staff_user

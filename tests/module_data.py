"""Data a test module builds once and every one of its tests reads, as Django's setUpTestData does: built inside
a transaction rolled back after the module, so each test's own transaction nests in it and rolls back what the
test changed. The bloc and the staff user are the ones tests/conftest.py's fixtures would give."""

import contextlib
import copy
import inspect

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


def copied_per_test(name: str, build, *, clock=None):
    """The usual set of a module that builds once and whose tests may change the objects built: the module-scoped
    fixture `<name>_once` (`build(staff_user)` in built_once, under `clock` if given), the per-test `<name>` (a
    deep copy of its Python objects, so that a test changing a row in memory leaves the next one's as built)
    and the module's `bloc` and `staff_user` (bloc_and_staff_of). Bind them in the module:
    `history_once, history, bloc, staff_user = module_data.copied_per_test("history", _build_history)`."""

    @pytest.fixture(scope="module", name=f"{name}_once")
    def once(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker, build, clock=clock) as built:
            yield built

    def per_test(db, **built):
        return copy.deepcopy(built[f"{name}_once"])

    # Named among its arguments (not looked up): pytest sets `<name>_once` up before the test's transaction.
    parameter = inspect.Parameter
    per_test.__signature__ = inspect.Signature(
        [parameter("db", parameter.POSITIONAL_OR_KEYWORD), parameter(f"{name}_once", parameter.KEYWORD_ONLY)]
    )
    return (once, pytest.fixture(name=name)(per_test), *bloc_and_staff_of(f"{name}_once"))

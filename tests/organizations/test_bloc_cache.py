"""organizations.bloc_cache: every page's header shows the bloc's name without a query of its own once read, and
never an old name after a rename, whichever process reads it, the day changes or the cache is unreachable."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import bloc_cache, blocs
from organizations.models import Bloc
from tests.factories import BlocFactory

pytestmark = [pytest.mark.django_db, pytest.mark.bloc_cache]

NEW_NAME = "Đảng ủy các cơ quan Đảng tỉnh"
PAGE = reverse("password_change_done")  # a trivial signed-in page: the header and footer only


def _page(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(PAGE).content.decode()
    return html, sum("organizations_bloc" in q["sql"] for q in queries)


def test_the_second_page_reads_the_bloc_from_the_kept_copy(officer_client, bloc):
    html, reads = _page(officer_client)
    assert bloc.name in html and reads == 1
    html, reads = _page(officer_client)
    assert bloc.name in html and reads == 0


def test_a_rename_shows_on_the_next_page(officer_client, staff_user, bloc):
    _page(officer_client)
    blocs.bloc_rename(actor=staff_user, bloc=bloc, effective_on=date.today(), name=NEW_NAME)
    html, reads = _page(officer_client)
    assert NEW_NAME in html and bloc.name not in html and reads == 1


def test_the_data_admins_save_shows_on_the_next_page(officer_client, staff_user, bloc):
    _page(officer_client)
    blocs.bloc_save(
        actor=staff_user, instance=bloc, effective_on=date.today(), propaganda_department_name="Ban Dân vận"
    )
    assert "Ban Dân vận" in _page(officer_client)[0]


def test_a_write_outside_the_services_shows_too(officer_client, bloc):
    _page(officer_client)
    renamed = Bloc.objects.get(pk=bloc.pk)
    renamed.name = NEW_NAME
    renamed.save()
    assert NEW_NAME in _page(officer_client)[0]


def test_a_process_that_read_the_old_row_before_the_commit_reads_again_after_it(
    officer_client, staff_user, bloc, django_capture_on_commit_callbacks
):
    """Another worker read the bloc while the rename's transaction was open: it kept the old name under the
    version of the rename's first bump. The bump on commit moves the version past it."""
    _page(officer_client)
    with django_capture_on_commit_callbacks(execute=True):
        blocs.bloc_rename(actor=staff_user, bloc=bloc, effective_on=date.today(), name=NEW_NAME)
        read_before_commit = cache.get(bloc_cache.VERSION_KEY)
    old = bloc_cache.BlocHeader(
        id=bloc.pk, name=bloc.name, parent_name="", symbol="", place_name="", propaganda_department_name=""
    )
    bloc_cache._kept = (read_before_commit, date.today(), __import__("time").monotonic(), old)  # what that worker kept
    assert bloc_cache.current_header().name == NEW_NAME


def test_another_workers_write_reaches_this_process(officer_client, bloc):
    _page(officer_client)
    Bloc.objects.filter(pk=bloc.pk).update(name=NEW_NAME)  # as if written elsewhere, then its bump:
    assert bloc.name in _page(officer_client)[0]  # (an UPDATE without the ORM's save sends no signal)
    bloc_cache._bump()
    assert NEW_NAME in _page(officer_client)[0]


def test_a_new_day_reads_the_bloc_of_that_day(client, officer_user, bloc):
    successor = BlocFactory(name="Đảng ủy Khối mới", valid_from=date(2031, 1, 1))
    bloc.valid_to = date(2030, 12, 31)
    bloc.save()
    with time_machine.travel(date(2030, 12, 31), tick=False):
        client.force_login(officer_user)
        assert bloc.name in _page(client)[0]
    with time_machine.travel(date(2031, 1, 1), tick=False):
        client.force_login(officer_user)
        html, reads = _page(client)
        assert successor.name in html and bloc.name not in html and reads == 1


def test_an_unreachable_cache_reads_the_database(officer_client, bloc, monkeypatch):
    _page(officer_client)

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    html, reads = _page(officer_client)
    assert bloc.name in html and reads == 1


def test_no_bloc_recorded_shows_the_default_and_a_new_one_shows_at_once(client, db):
    login = reverse("login")
    assert "Đảng ủy Khối</small>" in client.get(login).content.decode()
    created = BlocFactory(name="Đảng ủy Khối Doanh nghiệp tỉnh")
    assert created.name in client.get(login).content.decode()

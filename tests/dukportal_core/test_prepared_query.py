"""dukportal.core.prepared: a query compiled once per process and run again with another organisation's id gives
exactly what the ORM gives (converted values included), builds its SQL once, and never keeps SQL whose shape
was read from the database."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import IntegerField, Value
from django.test.utils import CaptureQueriesContext

from dukportal.core import prepared
from organizations.models import BaseOrganization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty():
    prepared.clear()
    yield
    prepared.clear()


def _union(organization_id):
    first = BaseOrganization.objects.filter(pk=organization_id).annotate(k=Value(1, output_field=IntegerField()))
    second = BaseOrganization.objects.filter(pk=organization_id, valid_to__isnull=True).annotate(
        k=Value(2, output_field=IntegerField())
    )
    fields = ("code", "valid_from", "valid_to", "k")
    return first.order_by().values_list(*fields).union(second.order_by().values_list(*fields), all=True)


def test_rows_are_the_orms_for_every_value_and_the_sql_is_built_once(bloc):
    a = OrganizationFactory(code="A", valid_from=date(2020, 1, 1))
    b = OrganizationFactory(code="B", valid_from=date(2021, 5, 1), valid_to=date(2024, 6, 30))
    built = []

    def build(organization_id):
        built.append(organization_id)
        return _union(organization_id)

    for organization in (a, b, a):
        got = prepared.rows(("test union",), build, organization.pk)
        assert sorted(got) == sorted(_union(organization.pk)), organization.code
    assert sorted(prepared.rows(("test union",), build, a.pk)) == [
        ("A", date(2020, 1, 1), None, 1),
        ("A", date(2020, 1, 1), None, 2),
    ]
    assert prepared.rows(("test union",), build, b.pk) == [("B", date(2021, 5, 1), date(2024, 6, 30), 1)]
    assert built == [prepared.PLACEHOLDER]  # built and compiled once, with the placeholder
    with CaptureQueriesContext(connection) as one:
        prepared.rows(("test union",), build, a.pk)
    assert len(one) == 1


def test_a_build_that_reads_the_database_is_never_kept(bloc):
    """Its SQL depends on data (here: which code to look for is read from a row): a change of that row shows."""
    a = OrganizationFactory(code="A", name="Đảng bộ Sở Tài chính")
    OrganizationFactory(code="B")

    def build(organization_id):
        looked_up = BaseOrganization.objects.get(pk=organization_id).code if organization_id > 0 else ""
        return BaseOrganization.objects.filter(code=looked_up).values_list("name")

    assert prepared.rows(("reads",), build, a.pk) == [("Đảng bộ Sở Tài chính",)]
    BaseOrganization.objects.filter(pk=a.pk).update(name="Đảng bộ Sở Tài chính mới")
    for _ in range(5):
        assert prepared.rows(("reads",), build, a.pk) == [("Đảng bộ Sở Tài chính mới",)]


def test_instances_are_the_orms_and_related_reads_are_refused(bloc):
    a = OrganizationFactory(code="A", valid_from=date(2020, 1, 1))
    b = OrganizationFactory(code="B", valid_from=date(2021, 5, 1), valid_to=date(2024, 6, 30))

    def build(organization_id):
        return BaseOrganization.objects.filter(pk=organization_id).annotate(k=Value(7, output_field=IntegerField()))

    for organization in (a, b, a):
        (got,) = prepared.instances(("test instances",), BaseOrganization, build, organization.pk, annotations=("k",))
        expected = build(organization.pk).get()
        fields = [f.attname for f in BaseOrganization._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got.k == 7 and not got._state.adding and got.get_deferred_fields() == set()
    with pytest.raises(ValueError):
        prepared.instances(("test related",), BaseOrganization, lambda pk: build(pk).select_related("bloc"), a.pk)
    with pytest.raises(ValueError):
        prepared.instances(("test deferred",), BaseOrganization, lambda pk: build(pk).only("pk"), a.pk)


def test_instances_read_their_foreign_keys_as_select_related(bloc, staff_user):
    from organizations.models import Cell
    from tests.factories import CellFactory

    a = OrganizationFactory(code="A")
    CellFactory(organization=a, code="A-1")
    CellFactory(organization=a, code="A-2")
    got = prepared.instances(
        ("test related cells",),
        Cell,
        lambda pk: Cell.objects.filter(organization_id=pk),
        a.pk,
        related=("organization",),
    )
    expected = list(Cell.objects.filter(organization=a).select_related("organization"))
    assert [(c.pk, c.code, c.organization_id) for c in got] == [(c.pk, c.code, c.organization_id) for c in expected]
    with CaptureQueriesContext(connection) as none:
        assert [c.organization.code for c in got] == ["A", "A"]  # read with the row, no query
        assert got[0].organization.bloc_id == a.bloc_id
    assert len(none) == 0
    # A null foreign key gives None (a staff account has no organisation).
    users = prepared.instances(
        ("test null key",),
        type(staff_user),
        lambda pk: type(staff_user).objects.filter(pk=pk),
        staff_user.pk,
        related=("organization",),
    )
    assert users[0].organization is None and users[0].username == staff_user.username
    with pytest.raises(ValueError):
        prepared.instances(("test not a key",), Cell, lambda pk: Cell.objects.filter(pk=pk), a.pk, related=("code",))


def _listed(on):
    return BaseOrganization.objects.active_on(on).order_by("code").values_list("code", "valid_to", "pk")


def test_keyed_rows_are_the_orms_in_the_fields_order_and_the_sql_is_built_once_a_key(bloc):
    OrganizationFactory(code="A", valid_from=date(2020, 1, 1))
    OrganizationFactory(code="B", valid_from=date(2020, 1, 1), valid_to=date(2024, 6, 30))
    built = []

    def build(on):
        built.append(on)
        return _listed(on)

    for on in (date(2024, 1, 1), date(2024, 12, 1), date(2024, 1, 1)):
        assert prepared.keyed_rows(("test list", on), lambda on=on: build(on)) == list(_listed(on))
    assert built == [date(2024, 1, 1), date(2024, 12, 1)]  # the third call ran the kept SQL
    assert [row[:2] for row in prepared.keyed_rows(("test list", date(2024, 1, 1)), lambda: build(None))] == [
        ("A", None),
        ("B", date(2024, 6, 30)),
    ]
    with CaptureQueriesContext(connection) as captured:
        prepared.keyed_rows(("test list", date(2024, 12, 1)), lambda: build(None))
    assert len(captured) == 1


def test_keyed_rows_keep_no_sql_whose_build_read_the_database(bloc):
    OrganizationFactory(code="A", valid_from=date(2020, 1, 1))
    built = []

    def build():
        built.append(BaseOrganization.objects.count())  # the SQL's shape read from the data
        return _listed(date(2024, 1, 1))

    for _ in range(5):
        assert [row[0] for row in prepared.keyed_rows(("test reading",), build)] == ["A"]
    assert len(built) == 5


def test_a_keyed_list_pages_and_counts_as_the_paginator_reads_a_queryset(bloc):
    from collections import namedtuple

    from django.core.paginator import Paginator

    for number in range(7):
        OrganizationFactory(code=f"K{number}", valid_from=date(2020, 1, 1))
    Row = namedtuple("Row", ("code", "valid_to", "pk"))
    keyed = prepared.KeyedList(("test keyed list",), lambda: _listed(date(2024, 1, 1)), Row)
    plain = Paginator(_listed(date(2024, 1, 1)), 3)
    for number in (1, 2, 3):
        page = Paginator(keyed, 3).get_page(number)
        assert page.paginator.count == 7 and list(page) == list(plain.get_page(number).object_list)
        assert page[0].code == plain.get_page(number)[0][0]
    with CaptureQueriesContext(connection) as captured:
        assert list(Paginator(keyed, 3).get_page(2))
    assert len(captured) == 2  # the count, the page: SQL kept

"""The organisation page (the officer's landing page) reads its organisation with the counts and its cells
through queries compiled once per process (dukportal.core.prepared): the same rows, fields, counts and order as
the ORM's querysets, the same 404s as access.scope, and the same page."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from dukportal.core import prepared
from organizations import access, history, reorganization, selectors
from organizations.models import BaseOrganization, Cell
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

DATES = [date(2019, 12, 31), date(2021, 6, 1), date(2024, 5, 10)]


@pytest.fixture(autouse=True)
def empty():
    prepared.clear()
    yield
    prepared.clear()


@pytest.fixture
def world(organization, other_organization):
    gone = OrganizationFactory(code="GONE", valid_from=date(2020, 1, 1), valid_to=date(2022, 12, 31))
    old_cell = CellFactory(organization=organization, code="C-OLD", valid_from=date(2020, 1, 1))
    CellFactory(organization=organization, code="C-NEW", valid_from=date(2021, 1, 1), sort_key="0")
    CellFactory(organization=gone, code="C-GONE", valid_from=date(2020, 1, 1), valid_to=date(2022, 12, 31))
    for _ in range(3):
        MemberFactory(organization=organization, cell=old_cell)
    MemberFactory(organization=other_organization)
    return [organization, other_organization, gone]


def _fields(instance, *annotations):
    values = {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}
    return {**values, **{name: getattr(instance, name) for name in annotations}}


def test_the_organisation_and_its_cells_are_the_orms(world, staff_user):
    for on in DATES:
        for organization in world:
            expected = selectors._with_counts(BaseOrganization.objects.all(), on).get(pk=organization.pk)
            got = selectors.organization_detail(staff_user, organization.pk, on=on)
            assert _fields(got, "cell_count", "member_count") == _fields(expected, "cell_count", "member_count")
            assert got._state.adding is False and got._state.db == "default"
            cells = selectors.organization_cells(organization, on=on)
            orm = list(selectors.cells_of(organization, on=on))
            assert [_fields(c, "member_count") for c in cells] == [_fields(c, "member_count") for c in orm]
    assert any(selectors.organization_detail(staff_user, world[0].pk, on=on).member_count for on in DATES)
    assert len(selectors.organization_cells(world[0], on=DATES[-1])) == 2


def test_each_query_is_built_once_a_day(world, staff_user, django_assert_num_queries):
    selectors.organization_detail(staff_user, world[0].pk, on=DATES[-1])
    selectors.organization_cells(world[0], on=DATES[-1])
    built = len(prepared._compiled)
    with django_assert_num_queries(2):
        selectors.organization_detail(staff_user, world[1].pk, on=DATES[-1])
        selectors.organization_cells(world[1], on=DATES[-1])
    assert len(prepared._compiled) == built


def test_who_may_read_an_organisation_is_scopes_answer(world, staff_user, leader_user, officer_user):
    inactive = UserFactory(username="nghi-viec", role="officer", organization=world[1], is_active=False)
    ids = [o.pk for o in world]
    for user in (staff_user, leader_user, officer_user, inactive, AnonymousUser()):
        visible = set(access.organizations_visible_to(user).values_list("pk", flat=True))
        for pk in ids:
            assert access.may_read_organization(user, pk) == (pk in visible), (user, pk)
            if pk not in visible:
                with pytest.raises(Http404):
                    selectors.organization_detail(user, pk, on=DATES[-1])
            else:
                assert selectors.organization_detail(user, pk, on=DATES[-1]).pk == pk
    for pk in (max(ids) + 1, 0, -1, 2**63, 10**30):  # no such row, and ids no row can have
        with pytest.raises(Http404):
            selectors.organization_detail(staff_user, pk, on=DATES[-1])


def _page(client, organization) -> str:
    html = client.get(reverse("organizations:detail", args=[organization.pk]) + "?ngay=10/05/2024").content.decode()
    html = re.sub(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)  # a fresh token a page


def test_the_page_is_the_one_the_orm_gave(world, officer_client, staff_user, monkeypatch):
    merged = OrganizationFactory(code="MERGED", name="Đảng bộ Sở Kế hoạch", valid_from=date(2020, 1, 1))
    reorganization.organizations_merge(
        actor=staff_user, predecessors=[merged], into=world[0], effective_on=date(2024, 3, 1)
    )
    prepared_page = _page(officer_client, world[0])
    assert "Đảng bộ Sở Kế hoạch" in prepared_page  # its predecessor, through the prepared links
    assert 'id="member-count">3<' in prepared_page and prepared_page.count("Chi bộ phòng") == 2

    def through_the_orm(key, model, build, value, *, annotations=(), related=()):
        return list(build(value).select_related(*related))

    monkeypatch.setattr(prepared, "instances", through_the_orm)
    assert _page(officer_client, world[0]) == prepared_page
    assert Cell.objects.filter(organization=world[0]).count() == 2


def test_the_names_over_time_are_the_orms_and_built_once(world, staff_user, django_assert_num_queries):
    renamed, never = world[0], world[1]
    for day, name in (
        (date(2021, 3, 1), "Đảng bộ Sở Tài chính - Vật giá"),
        (date(2023, 7, 15), "Đảng bộ Sở Tài chính tỉnh"),
    ):
        reorganization.organization_rename(actor=staff_user, organization=renamed, name=name, effective_on=day)
    renamed.refresh_from_db()
    for organization in (renamed, never):
        rows = list(organization.names.order_by("valid_from"))
        expected = [
            history.NamePeriod(
                row.name, row.valid_from, nxt.valid_from - timedelta(days=1) if nxt else organization.valid_to
            )
            for row, nxt in zip(rows, [*rows[1:], None], strict=False)
        ] or [history.NamePeriod(organization.name, organization.valid_from, organization.valid_to)]
        assert history.name_periods(organization) == expected
    assert len(history.name_periods(renamed)) == 3 and history.name_periods(renamed)[-1].valid_to is None
    assert isinstance(prepared._compiled[("organization names",)], prepared._Compiled)
    built = len(prepared._compiled)
    with django_assert_num_queries(1):
        history.name_periods(world[2])
    assert len(prepared._compiled) == built

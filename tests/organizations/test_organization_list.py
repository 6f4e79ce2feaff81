"""The staff overview of all organisations: counts, filters, past dates, and a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import BaseOrganizationKind, MemberStatus, Sector
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    return [(o.code, o.cell_count, o.member_count) for o in response.context["organizations"]]


def _build(count: int, start: int = 0):
    for i in range(start, start + count):
        organization = OrganizationFactory(code=f"ORG{i:03d}")
        for _ in range(2):
            cell = CellFactory(organization=organization)
            MemberFactory(organization=organization, cell=cell)


def test_list_shows_cells_and_active_members_per_organisation(staff_client, bloc):
    organization = OrganizationFactory(code="SOTC", name="Đảng bộ Sở Tài chính")
    cells = [CellFactory(organization=organization) for _ in range(3)]
    for cell in cells:
        MemberFactory(organization=organization, cell=cell)
    MemberFactory(organization=organization, cell=cells[0], status=MemberStatus.TRANSFERRED_OUT)
    CellFactory(organization=organization, valid_from=date(2015, 1, 1), valid_to=date(2020, 1, 1))  # dissolved
    chi_bo = OrganizationFactory(code="CBCS", name="Chi bộ Công ty Điện lực", kind=BaseOrganizationKind.CELL)
    MemberFactory(organization=chi_bo)

    response = staff_client.get(reverse("organizations:list"))

    assert sorted(_rows(response)) == [("CBCS", 0, 1), ("SOTC", 3, 3)]
    assert response.context["totals"] == {"organizations": 2, "cells": 3, "members": 4}
    assert "Đảng bộ Sở Tài chính" in response.content.decode()


def test_listing_runs_the_same_number_of_queries_for_3_or_30_organisations(staff_client, bloc):
    _build(3)
    staff_client.get(reverse("organizations:list"))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(reverse("organizations:list"))
    assert len(_rows(response)) == 3

    _build(27, start=3)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(reverse("organizations:list"))
    assert len(_rows(response)) == 30
    assert len(many) == len(few)


def test_a_past_date_counts_the_organisations_that_existed_then(staff_client, bloc):
    OrganizationFactory(code="OLD", valid_from=date(2010, 1, 1), valid_to=date(2022, 6, 30))  # merged in 2022
    OrganizationFactory(code="NEW", valid_from=date(2022, 7, 1))
    OrganizationFactory(code="ALL", valid_from=date(2010, 1, 1))

    today = staff_client.get(reverse("organizations:list"))
    back_then = staff_client.get(reverse("organizations:list"), {"ngay": "15/05/2021"})

    assert sorted(code for code, *_ in _rows(today)) == ["ALL", "NEW"]
    assert sorted(code for code, *_ in _rows(back_then)) == ["ALL", "OLD"]
    assert "Số liệu tại ngày 15/05/2021" in back_then.content.decode()


def test_an_invalid_date_is_explained_in_vietnamese_and_the_list_still_shows(staff_client, organization):
    response = staff_client.get(reverse("organizations:list"), {"ngay": "31/02/2024"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in page
    assert 'value="31/02/2024"' in page  # what the user typed is kept
    assert [code for code, *_ in _rows(response)] == ["SOTC"]


def test_filters_by_sector_and_searches_without_diacritics(staff_client, bloc):
    OrganizationFactory(code="SOYT", name="Đảng bộ Sở Y tế", sector=Sector.ADMINISTRATIVE)
    OrganizationFactory(code="BVDK", name="Đảng bộ Bệnh viện Đa khoa tỉnh", sector=Sector.PUBLIC_SERVICE)
    OrganizationFactory(code="DLYB", name="Đảng bộ Công ty Điện lực Yên Bái", sector=Sector.ENTERPRISE)

    by_sector = staff_client.get(reverse("organizations:list"), {"sector": Sector.ENTERPRISE})
    by_name = staff_client.get(reverse("organizations:list"), {"q": "benh vien da khoa"})

    assert [code for code, *_ in _rows(by_sector)] == ["DLYB"]
    assert [code for code, *_ in _rows(by_name)] == ["BVDK"]


def test_organisations_are_listed_in_vietnamese_alphabetical_order(staff_client, bloc):
    for code, name in [
        ("4", "Đảng bộ Ươm tạo"),
        ("1", "Chi bộ Ánh Dương"),
        ("3", "Đảng bộ Âu Lạc"),
        ("2", "Chi bộ Ba Vì"),
    ]:
        OrganizationFactory(code=code, name=name)
    names = [o.name for o in staff_client.get(reverse("organizations:list")).context["organizations"]]
    assert names == ["Chi bộ Ánh Dương", "Chi bộ Ba Vì", "Đảng bộ Âu Lạc", "Đảng bộ Ươm tạo"]


def test_dissolved_organisation_page_stays_readable(staff_client, bloc):
    dissolved = OrganizationFactory(code="GONE", valid_from=date(2010, 1, 1), valid_to=date(2021, 12, 31))
    response = staff_client.get(reverse("organizations:detail", args=[dissolved.pk]))
    assert response.status_code == 200
    # valid_to is the last day the organisation existed (organizations/reorganization.py): it ended after it
    assert "Hoạt động đến hết ngày 31/12/2021" in response.content.decode()


def test_each_reader_gets_the_rows_and_totals_of_their_own_scope_page_after_page(client, staff_user, bloc):
    """The list's queries are compiled once per process for their inputs (organizations.selectors
    .organization_list_rows, organization_list_totals): the key names the user's scope, so staff, then an officer, then
    staff again each read their own rows and totals, page after page, as the ORM gives them."""
    from organizations import selectors
    from tests.factories import UserFactory

    _build(55)
    officer = UserFactory(role="officer", organization=OrganizationFactory(code="ZZZ"))
    on = date.today()
    for user, count, totals in (
        (staff_user, 56, {"organizations": 56, "cells": 110, "members": 110}),
        (officer, 1, {"organizations": 1, "cells": 0, "members": 0}),
        (staff_user, 56, {"organizations": 56, "cells": 110, "members": 110}),
    ):
        expected = list(selectors.organization_list(user, on=on).values_list(*selectors.ORGANIZATION_ROW_FIELDS))
        rows = selectors.organization_list_rows(user, on=on)
        assert [*rows[0:50], *rows[50:100]] == expected and len(expected) == count
        assert selectors.organization_list_totals(user, on=on) == totals
    client.force_login(staff_user)
    second = client.get(reverse("organizations:list"), {"page": 2})
    listed = list(selectors.organization_list(staff_user, on=on).values_list("code", flat=True))
    assert [row[0] for row in _rows(second)] == listed[50:] and len(listed[50:]) == 6

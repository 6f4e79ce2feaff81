"""Counts print with Vietnamese grouping (4.694, not 4694 or 4,694), and the number of members of the bloc and of
an organisation is the same on the organisation list, the organisation's page and the dashboard."""

import re
from datetime import date

import pytest
from django.urls import reverse

from organizations.models import JoinReason, Member, MembershipPeriod
from organizations.services import refresh_keys
from tests import module_data
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SIZE = 1234


def _big_organization(_staff_user):
    """An organisation of 1,234 members and a small one of 7."""
    organization = OrganizationFactory(name="Đảng bộ Công an tỉnh", code="CATINH")
    small = OrganizationFactory(name="Chi bộ Sở Ngoại vụ", code="SONV")
    members = []
    for i in range(SIZE + 7):
        member = Member(
            code=f"CA{i:06d}",
            full_name=f"Nguyễn Văn Số {i}",
            gender="male",
            birth_date=date(1980, 1, 1),
            admitted_on=date(2005, 1, 1),
            organization=organization if i < SIZE else small,
        )
        refresh_keys(member)
        members.append(member)
    Member.objects.bulk_create(members)
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(
            member=m, organization=m.organization, joined_on=date(2005, 1, 1), join_reason=JoinReason.ADMITTED
        )
        for m in Member.objects.all()
    )
    return organization


@pytest.fixture(scope="module")
def big_organization_once(django_db_setup, django_db_blocker):
    """The 1,241 members built once for the module, in a transaction rolled back after it (each test's own
    transaction nests in it)."""
    with module_data.built_once(django_db_blocker, _big_organization) as organization:
        yield organization


bloc, staff_user = module_data.bloc_and_staff_of("big_organization_once")


@pytest.fixture
def big_organization(db, big_organization_once):
    return big_organization_once


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_counts_use_vietnamese_grouping_and_agree_between_pages(big_organization, staff_client):
    listing = _text(staff_client.get(reverse("organizations:list")))
    detail = staff_client.get(reverse("organizations:detail", args=[big_organization.pk])).content.decode()
    dashboard = staff_client.get(reverse("dashboard:index")).content.decode()

    assert re.search(r"1\.241\s+đảng viên", listing)  # bloc total on the list: 1,234 + 7
    assert re.search(r'id="member-total">1\.241<', dashboard)  # the same total on the dashboard
    assert re.search(r'id="member-count">1\.234<', detail)  # the organisation's page
    assert re.search(r">\s*1\.234\s*<", staff_client.get(reverse("organizations:list")).content.decode())  # its row
    for page in (listing, detail, dashboard):
        assert "1234" not in page and "1,234" not in page and "1241" not in page and "1,241" not in page


def test_years_and_codes_are_not_grouped(big_organization, staff_client):
    detail = staff_client.get(reverse("organizations:members", args=[big_organization.pk])).content.decode()
    assert "1.234" in detail  # "Có 1.234 đảng viên"-style count
    assert "CA000001" in detail or "Nguyễn Văn Số" in detail
    assert "2.005" not in detail and "1.980" not in detail

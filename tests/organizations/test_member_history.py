"""Member counts on any date come from dated membership periods: a history built day by day (admissions, a
transfer of several members on 1/7/2025, a death, a removal), then asked about afterwards for several dates,
per organisation, per cell, per sector and for the bloc — and on the pages that show them."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.core.models import AuditEntry
from dukportal.dashboard.selectors import bloc_figures
from organizations import selectors, services
from organizations.models import (
    BaseOrganization,
    BaseOrganizationKind,
    Cell,
    JoinReason,
    LeaveReason,
    Member,
    MembershipPeriod,
    MemberStatus,
    Sector,
)
from tests import module_data
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
JUNE_30, JULY_1, TODAY = date(2025, 6, 30), date(2025, 7, 1), date(2025, 12, 1)


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=HANOI), tick=False)


@dataclass
class Bloc2025:
    finance: BaseOrganization  # đảng bộ cơ sở, administrative, cells budget and office
    budget: Cell
    office: Cell
    power: BaseOrganization  # đảng bộ cơ sở, enterprise, one cell
    grid: Cell
    newspaper: BaseOrganization  # chi bộ cơ sở, public service
    moved: list[Member]
    died: Member
    removed: Member


def _member(staff_user, organization, cell, code: str, admitted_on: date) -> Member:
    return services.member_save(
        actor=staff_user,
        code=code,
        full_name=f"Đảng viên {code}",
        gender="male",
        birth_date=date(1980, 1, 1),
        admitted_on=admitted_on,
        organization=organization,
        cell=cell,
    )


@pytest.fixture(scope="module")
def history_once(django_db_setup, django_db_blocker):
    """Built once for the module (tests/module_data.py)."""
    with module_data.built_once(django_db_blocker, _build_history) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("history_once")


@pytest.fixture
def history(history_once, db) -> Bloc2025:
    """Fresh rows of the module's history (a test may change them in memory)."""
    fresh = {}
    for name, value in vars(history_once).items():
        if isinstance(value, list):
            fresh[name] = [type(item).objects.get(pk=item.pk) for item in value]
        else:
            fresh[name] = type(value).objects.get(pk=value.pk)
    return Bloc2025(**fresh)


def _build_history(staff_user) -> Bloc2025:
    """The bloc's 2025, written through the services on the days things happened."""
    with at(date(2025, 1, 6)):
        finance = OrganizationFactory(code="SOTC", name="Đảng bộ Sở Tài chính", sector=Sector.ADMINISTRATIVE)
        budget = CellFactory(organization=finance, code="SOTC-01", name="Chi bộ Phòng Ngân sách")
        office = CellFactory(organization=finance, code="SOTC-02", name="Chi bộ Văn phòng")
        power = OrganizationFactory(code="DLYB", name="Đảng bộ Công ty Điện lực", sector=Sector.ENTERPRISE)
        grid = CellFactory(organization=power, code="DLYB-01", name="Chi bộ Truyền tải")
        newspaper = OrganizationFactory(
            code="BYB", name="Chi bộ Báo Yên Bái", kind=BaseOrganizationKind.CELL, sector=Sector.PUBLIC_SERVICE
        )
        # Long-standing members: finance 6 (budget 4, office 2), power 2, newspaper 3.
        budget_members = [_member(staff_user, finance, budget, f"B{i}", date(2010, 3, 1)) for i in range(4)]
        office_members = [_member(staff_user, finance, office, f"O{i}", date(2012, 5, 2)) for i in range(2)]
        for i in range(2):
            _member(staff_user, power, grid, f"P{i}", date(2015, 9, 2))
        newspaper_members = [_member(staff_user, newspaper, None, f"N{i}", date(2008, 1, 3)) for i in range(3)]
    with at(date(2025, 3, 19)):  # admitted into the power company's cell
        _member(staff_user, power, grid, "P9", date(2025, 3, 19))
    moved = budget_members[:3]
    with at(JULY_1):  # three budget officers move to the power company (decision dated 1/7/2025)
        services.member_transfer_many(actor=staff_user, members=moved, organization=power, cell=grid, on=JULY_1)
    with at(date(2025, 8, 20)):  # recorded on 20/8, died on 15/8
        services.member_leave(
            actor=staff_user, member=newspaper_members[0], on=date(2025, 8, 15), reason=LeaveReason.DIED
        )
    with at(date(2025, 10, 2)):
        services.member_leave(actor=staff_user, member=office_members[0], on=date(2025, 10, 1), reason="removed")
    return Bloc2025(finance, budget, office, power, grid, newspaper, moved, newspaper_members[0], office_members[0])


def _counts(user, on: date) -> dict[str, int]:
    return {o.code: o.member_count for o in selectors.organization_list(user, on=on)}


def test_counts_per_organisation_follow_the_history_and_the_transfer_leaves_june_alone(history, staff_user):
    with at(TODAY):
        assert _counts(staff_user, date(2025, 3, 18)) == {"BYB": 3, "DLYB": 2, "SOTC": 6}
        assert _counts(staff_user, JUNE_30) == {"BYB": 3, "DLYB": 3, "SOTC": 6}
        assert _counts(staff_user, JULY_1) == {"BYB": 3, "DLYB": 6, "SOTC": 3}
        assert _counts(staff_user, date(2025, 8, 15)) == {"BYB": 2, "DLYB": 6, "SOTC": 3}  # died that day
        assert _counts(staff_user, TODAY) == {"BYB": 2, "DLYB": 6, "SOTC": 2}


def test_counts_per_cell_on_several_dates(history):
    def cells(organization, on):
        return {c.code: c.member_count for c in selectors.cells_of(organization, on=on)}

    with at(TODAY):
        assert cells(history.finance, JUNE_30) == {"SOTC-01": 4, "SOTC-02": 2}
        assert cells(history.finance, JULY_1) == {"SOTC-01": 1, "SOTC-02": 2}
        assert cells(history.finance, TODAY) == {"SOTC-01": 1, "SOTC-02": 1}
        assert cells(history.power, JUNE_30) == {"DLYB-01": 3}
        assert cells(history.power, TODAY) == {"DLYB-01": 6}


def test_bloc_and_sector_totals_on_several_dates(history, staff_user):
    def sectors(on):
        rows = selectors.sector_totals(list(selectors.organization_list(staff_user, on=on)))
        return {row["sector"]: row["members"] for row in rows}

    with at(TODAY):
        june, july, now = (bloc_figures(staff_user, today=day) for day in (JUNE_30, JULY_1, TODAY))
        assert (june.organizations, june.cells, june.members) == (3, 3, 12)
        assert july.members == 12  # a transfer inside the bloc changes no total
        assert now.members == 10
        assert sectors(JUNE_30) == {"administrative": 6, "public_service": 3, "enterprise": 3}
        assert sectors(JULY_1) == {"administrative": 3, "public_service": 3, "enterprise": 6}
        assert sectors(TODAY) == {"administrative": 2, "public_service": 2, "enterprise": 6}


def test_organisation_list_tai_ngay_shows_the_figures_of_the_date_asked(history, staff_client):
    with at(TODAY):
        june = staff_client.get(reverse("organizations:list"), {"ngay": "30/06/2025"})
        july = staff_client.get(reverse("organizations:list"), {"ngay": "01/07/2025"})
        today = staff_client.get(reverse("organizations:list"))

    assert {o.code: o.member_count for o in june.context["organizations"]} == {"BYB": 3, "DLYB": 3, "SOTC": 6}
    assert june.context["totals"]["members"] == 12
    assert {o.code: o.member_count for o in july.context["organizations"]} == {"BYB": 3, "DLYB": 6, "SOTC": 3}
    assert today.context["totals"]["members"] == 10
    assert "Số liệu tại ngày 30/06/2025" in june.content.decode()


def test_organisation_page_shows_members_and_cells_on_the_reference_date(history, staff_client):
    url = reverse("organizations:detail", args=[history.finance.pk])
    with at(TODAY):
        june = staff_client.get(url, {"ngay": "30/06/2025"})
        today = staff_client.get(url)
        future = staff_client.get(url, {"ngay": "01/01/2030"})

    page = june.content.decode()
    assert june.context["organization"].member_count == 6
    assert [c.member_count for c in june.context["cells"]] == [4, 2]
    assert "Đảng viên sinh hoạt ngày 30/06/2025" in page and 'id="member-count">6<' in page
    assert today.context["organization"].member_count == 2
    assert future.context["organization"].member_count == 2  # refused date: today's figures, with the reason
    assert "không được sau ngày hôm nay" in future.content.decode()


def test_member_list_on_a_date_shows_who_belonged_then(history, staff_client):
    url = reverse("organizations:members", args=[history.finance.pk])
    with at(TODAY):
        june = staff_client.get(url, {"ngay": "30/06/2025"})
        now = staff_client.get(url)

    assert sorted(m.code for m in june.context["page"].object_list) == ["B0", "B1", "B2", "B3", "O0", "O1"]
    assert "6 đảng viên sinh hoạt tại tổ chức ngày 30/06/2025" in june.content.decode()
    # Without a date, the rows that name the organisation now (the removed member stays listed, as before).
    assert sorted(m.code for m in now.context["page"].object_list) == ["B3", "O0", "O1"]


def test_officer_sees_who_belonged_to_their_organisation_on_a_past_date(history, client):
    officer = UserFactory(username="canbo-sotc", role="officer", organization=history.finance)
    client.force_login(officer)
    with at(TODAY):
        response = client.get(reverse("organizations:members", args=[history.finance.pk]), {"ngay": "30/06/2025"})
    assert {m.code for m in response.context["page"].object_list} >= {"B0", "B1", "B2"}  # moved out since


def test_transfer_closes_one_period_and_opens_the_next_with_the_party_reasons(history):
    periods = list(history.moved[0].periods.order_by("joined_on"))
    assert [(p.organization.code, p.cell.code, p.joined_on, p.left_on) for p in periods] == [
        ("SOTC", "SOTC-01", date(2010, 3, 1), JULY_1),
        ("DLYB", "DLYB-01", JULY_1, None),
    ]
    assert (periods[0].join_reason, periods[0].leave_reason) == (JoinReason.ADMITTED, LeaveReason.TRANSFERRED_OUT)
    assert periods[1].join_reason == JoinReason.TRANSFERRED_IN
    member = Member.objects.get(pk=history.moved[0].pk)
    assert (member.organization, member.cell, member.status) == (history.power, history.grid, MemberStatus.ACTIVE)
    died = Member.objects.get(pk=history.died.pk)
    assert died.status == MemberStatus.DIED
    assert died.periods.get().leave_reason == LeaveReason.DIED and died.periods.get().left_on == date(2025, 8, 15)
    assert Member.objects.get(pk=history.removed.pk).status == MemberStatus.REMOVED


def test_every_change_is_audited_with_its_date(history):
    transfers = AuditEntry.objects.filter(action="member.transfer")
    assert transfers.count() == 3
    entry = transfers.get(target_id=str(history.moved[0].pk))
    assert entry.changes["on"] == "2025-07-01"
    assert entry.changes["from_organization"] == history.finance.pk
    assert entry.changes["organization"] == history.power.pk
    leave = AuditEntry.objects.get(action="member.leave", target_id=str(history.died.pk))
    assert leave.changes == {"on": "2025-08-15", "reason": "died", "organization": history.newspaper.pk}


def test_moving_to_another_cell_of_the_same_organisation_is_a_cell_change(history, staff_user):
    member = Member.objects.get(code="B3")
    with at(TODAY):
        services.member_transfer(
            actor=staff_user, member=member, organization=history.finance, cell=history.office, on=TODAY
        )
        assert _counts(staff_user, TODAY)["SOTC"] == 2  # the organisation's count does not move
    reasons = list(member.periods.order_by("joined_on").values_list("leave_reason", "join_reason"))
    assert reasons == [(LeaveReason.CELL_CHANGE, JoinReason.ADMITTED), ("", JoinReason.CELL_CHANGE)]


def test_transfer_to_where_the_member_already_is_changes_nothing(history, staff_user):
    member = Member.objects.get(code="B3")
    audits = AuditEntry.objects.count()
    with at(TODAY):
        result = services.member_transfer(
            actor=staff_user, member=member, organization=history.finance, cell=history.budget, on=TODAY
        )
    assert result is None
    assert member.periods.count() == 1 and AuditEntry.objects.count() == audits


def test_organisation_page_runs_the_same_number_of_queries_for_2_or_12_cells(staff_client):
    organization = OrganizationFactory(code="SOXD", name="Đảng bộ Sở Xây dựng")

    def build(count):
        for _ in range(count):
            cell = CellFactory(organization=organization)
            MemberFactory(organization=organization, cell=cell)

    url = reverse("organizations:detail", args=[organization.pk])
    build(2)
    staff_client.get(url, {"ngay": "30/06/2025"})  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url, {"ngay": "30/06/2025"})
    build(10)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url, {"ngay": "30/06/2025"})
    assert len(response.context["cells"]) == 12 and response.context["organization"].member_count == 12
    assert len(many) == len(few)


def test_admin_shows_a_member_history_read_only(history, client):
    admin = UserFactory(username="quantri", role="staff", is_superuser=True)
    client.force_login(admin)
    member = history.moved[0]
    page = client.get(reverse("admin:organizations_member_change", args=[member.pk])).content.decode()
    assert "Chuyển sinh hoạt đến" in page and "Chuyển sinh hoạt đi" in page
    assert client.get(reverse("admin:organizations_membershipperiod_add")).status_code == 403


def test_moving_several_members_is_all_or_nothing(history, staff_user):
    members = [Member.objects.get(code="B3"), Member.objects.get(code="O1"), history.died]  # the last one died
    before = list(MembershipPeriod.objects.order_by("pk").values()), list(Member.objects.order_by("pk").values())
    with at(TODAY), pytest.raises(ValidationError, match="không còn sinh hoạt"):
        services.member_transfer_many(
            actor=staff_user, members=members, organization=history.power, cell=history.grid, on=TODAY
        )
    after = list(MembershipPeriod.objects.order_by("pk").values()), list(Member.objects.order_by("pk").values())
    assert after == before

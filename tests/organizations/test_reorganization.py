"""Reorganisations on an effective date: rename, dissolve, merge (new or existing), split and move cells. Each is
done with the clock on its effective date; the organisation list "Tại ngày" is then asked about the day before
and the day itself, and shows the organisations and names of each day. Every operation leaves audit rows and
predecessor → successor links; the "Tổ chức lại" page is for committee staff only."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.core.models import AuditEntry
from organizations import history, reorganization, selectors
from organizations.imports import import_workbook
from organizations.models import (
    BaseOrganization,
    BaseOrganizationKind,
    Cell,
    Member,
    OrganizationSuccession,
    Sector,
    SuccessionKind,
    User,
)
from organizations.spreadsheets import build_export
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, UserFactory
from tests.organizations.test_excel_import import CELL_SHEET

pytestmark = pytest.mark.django_db

BEFORE, EFFECTIVE = date(2025, 6, 30), date(2025, 7, 1)


def _listed(client, day: date) -> dict[str, str]:
    """{code: name shown} of the organisation list on a day."""
    response = client.get(reverse("organizations:list"), {"ngay": day.strftime("%d/%m/%Y")})
    assert response.status_code == 200
    page = response.content.decode()
    rows = {o.code: o.name_on_date for o in response.context["organizations"]}
    for name in rows.values():
        assert name in page
    return rows


@pytest.fixture
def planning(bloc):
    return OrganizationFactory(code="SOKHDT", name="Đảng bộ Sở Kế hoạch và Đầu tư", valid_from=date(2015, 1, 1))


@pytest.fixture
def finance(bloc):
    return OrganizationFactory(code="SOTC", name="Đảng bộ Sở Tài chính", valid_from=date(2015, 1, 1))


# --- rename ---------------------------------------------------------------------------------------------------


def test_a_rename_keeps_the_old_name_on_earlier_dates(staff_user, staff_client, planning):
    with time_machine.travel(EFFECTIVE):
        reorganization.organization_rename(
            actor=staff_user, organization=planning, name="Đảng bộ Sở Đầu tư", effective_on=EFFECTIVE
        )
    planning.refresh_from_db()

    assert planning.name == "Đảng bộ Sở Đầu tư"
    assert history.name_on(planning, BEFORE) == "Đảng bộ Sở Kế hoạch và Đầu tư"
    assert history.name_on(planning, EFFECTIVE) == "Đảng bộ Sở Đầu tư"
    assert _listed(staff_client, BEFORE) == {"SOKHDT": "Đảng bộ Sở Kế hoạch và Đầu tư"}
    assert _listed(staff_client, EFFECTIVE) == {"SOKHDT": "Đảng bộ Sở Đầu tư"}
    entry = AuditEntry.objects.get(action="organization.rename")
    assert entry.actor == staff_user
    assert entry.changes == {
        "old_name": "Đảng bộ Sở Kế hoạch và Đầu tư",
        "name": "Đảng bộ Sở Đầu tư",
        "effective_on": "2025-07-01",
    }
    page = staff_client.get(reverse("organizations:detail", args=[planning.pk])).content.decode()
    assert "Tên gọi qua các thời kỳ" in page and "30/06/2025" in page


def test_a_rename_in_the_future_or_to_the_same_name_is_refused(staff_user, planning):
    with time_machine.travel(BEFORE), pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
        reorganization.organization_rename(
            actor=staff_user, organization=planning, name="Đảng bộ Sở Đầu tư", effective_on=EFFECTIVE
        )
    with time_machine.travel(EFFECTIVE), pytest.raises(ValidationError, match="trùng với tên đang dùng"):
        reorganization.organization_rename(
            actor=staff_user, organization=planning, name=planning.name, effective_on=EFFECTIVE
        )
    assert not AuditEntry.objects.filter(action="organization.rename").exists()


def test_only_staff_reorganise(leader_user, officer_user, organization):
    for user in (leader_user, officer_user):
        with time_machine.travel(EFFECTIVE), pytest.raises(PermissionDenied):
            reorganization.organization_dissolve(
                actor=user, organization=organization, effective_on=EFFECTIVE, reason="Quyết định số 1"
            )
    organization.refresh_from_db()
    assert organization.valid_to is None


# --- dissolve -------------------------------------------------------------------------------------------------


def test_a_dissolution_ends_the_organisation_and_its_cells_the_day_before(staff_user, staff_client, planning, finance):
    cell = CellFactory(organization=planning, code="KHDT-CB01")
    with time_machine.travel(EFFECTIVE):
        reorganization.organization_dissolve(
            actor=staff_user, organization=planning, effective_on=EFFECTIVE, reason="Quyết định số 123-QĐ/TU"
        )
        # the lists are asked afterwards, on a later day, about the days around the change
    with time_machine.travel(date(2025, 12, 1)):
        assert set(_listed(staff_client, BEFORE)) == {"SOKHDT", "SOTC"}
        assert set(_listed(staff_client, EFFECTIVE)) == {"SOTC"}
    planning.refresh_from_db()
    cell.refresh_from_db()
    assert planning.valid_to == cell.valid_to == BEFORE
    entry = AuditEntry.objects.get(action="organization.dissolve")
    assert entry.changes["reason"] == "Quyết định số 123-QĐ/TU" and entry.changes["valid_to"] == "2025-06-30"
    with time_machine.travel(date(2025, 7, 2)), pytest.raises(ValidationError, match="đã hết hiệu lực"):
        reorganization.organization_dissolve(
            actor=staff_user, organization=planning, effective_on=date(2025, 7, 2), reason="lần hai"
        )


def test_a_dissolution_needs_a_reason(staff_user, planning):
    with time_machine.travel(EFFECTIVE), pytest.raises(ValidationError) as refused:
        reorganization.organization_dissolve(
            actor=staff_user, organization=planning, effective_on=EFFECTIVE, reason=" "
        )
    assert "lý do" in str(refused.value)


# --- merge ----------------------------------------------------------------------------------------------------


def test_merging_two_into_a_new_organisation_moves_cells_and_officers(staff_user, staff_client, planning, finance):
    cells = [CellFactory(organization=planning, code=f"KHDT-CB0{i}") for i in (1, 2)]
    CellFactory(organization=finance, code="TC-CB01")
    officer = UserFactory(role="officer", organization=planning)

    with time_machine.travel(EFFECTIVE):
        successor = reorganization.organizations_merge(
            actor=staff_user,
            predecessors=[planning, finance],
            effective_on=EFFECTIVE,
            new_organization={
                "code": "SOTCM",
                "name": "Đảng bộ Sở Tài chính (mới)",
                "kind": BaseOrganizationKind.COMMITTEE,
                "sector": Sector.ADMINISTRATIVE,
            },
            note="Nghị quyết số 12/NQ-HĐND",
        )

    with time_machine.travel(date(2025, 12, 1)):
        assert _listed(staff_client, BEFORE) == {
            "SOKHDT": "Đảng bộ Sở Kế hoạch và Đầu tư",
            "SOTC": "Đảng bộ Sở Tài chính",
        }
        assert _listed(staff_client, EFFECTIVE) == {"SOTCM": "Đảng bộ Sở Tài chính (mới)"}
        listed = staff_client.get(reverse("organizations:list")).context["organizations"]
    assert [(o.code, o.cell_count) for o in listed] == [("SOTCM", 3)]
    assert successor.valid_from == EFFECTIVE
    assert BaseOrganization.objects.filter(valid_to=BEFORE).count() == 2
    links = OrganizationSuccession.objects.filter(successor=successor)
    assert {(link.predecessor.code, link.kind) for link in links} == {
        ("SOKHDT", SuccessionKind.MERGE),
        ("SOTC", SuccessionKind.MERGE),
    }
    # a moved cell: the old row closed the day before, a new row under the successor with the same code
    for cell in cells:
        cell.refresh_from_db()
        assert cell.valid_to == BEFORE
        assert cell.moved_to.organization == successor and cell.moved_to.code == cell.code
        assert cell.moved_to.valid_from == EFFECTIVE
    officer.refresh_from_db()
    assert officer.organization == successor
    merge = AuditEntry.objects.get(action="organization.merge")
    assert merge.changes["predecessors"] == [planning.pk, finance.pk]
    assert (merge.changes["cells_moved"], merge.changes["officers_moved"]) == (3, 1)
    assert AuditEntry.objects.filter(action="cell.move").count() == 3
    assert AuditEntry.objects.filter(action="account.move", target_id=str(officer.pk)).exists()

    page = staff_client.get(reverse("organizations:detail", args=[successor.pk])).content.decode()
    assert "Tổ chức tiền thân" in page and "Đảng bộ Sở Kế hoạch và Đầu tư" in page and "01/07/2025" in page
    old_page = staff_client.get(reverse("organizations:detail", args=[planning.pk])).content.decode()
    assert "Tổ chức kế tục" in old_page and "Đảng bộ Sở Tài chính (mới)" in old_page


def test_absorbing_into_an_existing_organisation_keeps_it_going(staff_user, staff_client, planning, finance):
    with time_machine.travel(EFFECTIVE):
        successor = reorganization.organizations_merge(
            actor=staff_user, predecessors=[planning, finance], into=finance, effective_on=EFFECTIVE
        )
    assert successor == finance
    with time_machine.travel(date(2025, 12, 1)):
        assert set(_listed(staff_client, BEFORE)) == {"SOKHDT", "SOTC"}
        assert set(_listed(staff_client, EFFECTIVE)) == {"SOTC"}
    finance.refresh_from_db()
    assert finance.valid_to is None
    link = OrganizationSuccession.objects.get()
    assert (link.predecessor, link.successor, link.kind) == (planning, finance, SuccessionKind.ABSORB)
    # the same pair cannot be linked twice, nor an ended organisation merged again
    with time_machine.travel(date(2025, 8, 1)), pytest.raises(ValidationError, match="đã hết hiệu lực"):
        reorganization.organizations_merge(
            actor=staff_user, predecessors=[planning], into=finance, effective_on=date(2025, 8, 1)
        )


def test_a_merge_whose_cells_cannot_go_to_a_chi_bo_co_so_changes_nothing(staff_user, planning, bloc):
    chi_bo = OrganizationFactory(code="CBTT", kind=BaseOrganizationKind.CELL)
    CellFactory(organization=planning)
    with time_machine.travel(EFFECTIVE), pytest.raises(ValidationError, match="chi bộ cơ sở"):
        reorganization.organizations_merge(
            actor=staff_user, predecessors=[planning], into=chi_bo, effective_on=EFFECTIVE
        )
    planning.refresh_from_db()
    assert planning.valid_to is None
    assert not OrganizationSuccession.objects.exists()
    assert not Cell.objects.filter(valid_to__isnull=False).exists()


def test_a_succession_cannot_link_an_organisation_to_itself(planning):
    link = OrganizationSuccession(predecessor=planning, successor=planning, kind="merge", effective_on=EFFECTIVE)
    with pytest.raises(ValidationError, match="không thể kế tục chính nó"):
        link.full_clean()


# --- split ----------------------------------------------------------------------------------------------------


def test_a_split_ends_the_organisation_and_links_each_part(staff_user, staff_client, planning, finance):
    kept, ended = CellFactory(organization=planning, code="KHDT-CB01"), CellFactory(organization=planning)
    officer = UserFactory(role="officer", organization=planning)
    with time_machine.travel(EFFECTIVE):
        parts = reorganization.organization_split(
            actor=staff_user,
            organization=planning,
            into=[
                {"code": "SODT", "name": "Đảng bộ Sở Đầu tư", "kind": "committee", "sector": "administrative"},
                finance,
            ],
            effective_on=EFFECTIVE,
            cells={kept: 0},
            officers_to=1,
        )
    new_part = parts[0]
    with time_machine.travel(date(2025, 12, 1)):
        assert set(_listed(staff_client, BEFORE)) == {"SOKHDT", "SOTC"}
        assert set(_listed(staff_client, EFFECTIVE)) == {"SODT", "SOTC"}
    kept.refresh_from_db()
    ended.refresh_from_db()
    assert kept.moved_to.organization == new_part and ended.valid_to == BEFORE
    assert not hasattr(ended, "moved_to") or ended.moved_to is None
    assert {link.successor for link in history.successors_of(planning)} == {new_part, finance}
    assert set(OrganizationSuccession.objects.values_list("kind", flat=True)) == {SuccessionKind.SPLIT}
    officer.refresh_from_db()
    assert officer.organization == finance
    assert AuditEntry.objects.filter(action="organization.split", target_id=str(planning.pk)).exists()


# --- cells ----------------------------------------------------------------------------------------------------


def test_moving_cells_closes_the_old_rows_and_opens_new_ones(staff_user, staff_client, planning, finance):
    cell = CellFactory(organization=planning, code="KHDT-CB01", name="Chi bộ Phòng Đầu tư")
    with time_machine.travel(EFFECTIVE):
        (moved,) = reorganization.cells_move(
            actor=staff_user, cells=[cell], to_organization=finance, effective_on=EFFECTIVE
        )
    with time_machine.travel(date(2025, 12, 1)):
        before = staff_client.get(reverse("organizations:list"), {"ngay": "30/06/2025"}).context["organizations"]
        after = staff_client.get(reverse("organizations:list"), {"ngay": "01/07/2025"}).context["organizations"]
    assert {o.code: o.cell_count for o in before} == {"SOKHDT": 1, "SOTC": 0}
    assert {o.code: o.cell_count for o in after} == {"SOKHDT": 0, "SOTC": 1}
    assert (moved.code, moved.name, moved.moved_from) == ("KHDT-CB01", "Chi bộ Phòng Đầu tư", cell)
    entry = AuditEntry.objects.get(action="cell.move")
    assert entry.changes["from_organization"] == planning.pk and entry.changes["to_organization"] == finance.pk
    # a code stays unique among open cells
    with pytest.raises(ValidationError, match="Mã chi bộ đã được dùng"):
        Cell(organization=planning, code="KHDT-CB01", name="Trùng mã").full_clean()


# --- the "Tổ chức lại" page -----------------------------------------------------------------------------------


def _url(organization):
    return reverse("organizations:reorganize", args=[organization.pk])


def test_anonymous_users_are_sent_to_login(client, organization):
    response = client.get(_url(organization))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_officers_and_leaders_are_refused(client, officer_user, other_officer_user, leader_user, organization):
    for user in (officer_user, other_officer_user, leader_user):
        client.force_login(user)
        assert client.get(_url(organization)).status_code == 403
        response = client.post(
            _url(organization), {"action": "dissolve", "dissolve-effective_on": "01/07/2025", "dissolve-reason": "x"}
        )
        assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.valid_to is None
    detail = client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert 'id="reorganize-link"' not in detail


def test_staff_open_the_page_from_the_organisation(staff_client, organization):
    detail = staff_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    page = staff_client.get(_url(organization))
    assert 'id="reorganize-link"' in detail
    assert page.status_code == 200
    content = page.content.decode()
    for label in ("Đổi tên", "Giải thể", "Hợp nhất, sáp nhập", "Chia tách", "Chuyển chi bộ trực thuộc"):
        assert label in content


@time_machine.travel(EFFECTIVE)
def test_staff_rename_through_the_page(staff_client, organization):
    response = staff_client.post(
        _url(organization),
        {"action": "rename", "rename-name": "Đảng bộ Sở Tài chính tỉnh", "rename-effective_on": "01/07/2025"},
    )
    assert response.status_code == 302 and response.url == organization.get_absolute_url()
    organization.refresh_from_db()
    assert organization.name == "Đảng bộ Sở Tài chính tỉnh"
    assert "Đã đổi tên tổ chức" in staff_client.get(response.url).content.decode()


@time_machine.travel(EFFECTIVE)
def test_a_bad_date_is_explained_and_nothing_changes(staff_client, organization):
    response = staff_client.post(
        _url(organization), {"action": "dissolve", "dissolve-effective_on": "31/02/2025", "dissolve-reason": "QĐ 5"}
    )
    future = staff_client.post(
        _url(organization), {"action": "dissolve", "dissolve-effective_on": "01/08/2025", "dissolve-reason": "QĐ 5"}
    )
    assert response.status_code == 200 and "Ngày không hợp lệ" in response.content.decode()
    assert 'value="31/02/2025"' in response.content.decode()
    assert future.status_code == 200 and "không được sau ngày hôm nay" in future.content.decode()
    organization.refresh_from_db()
    assert organization.valid_to is None


@time_machine.travel(EFFECTIVE)
def test_staff_merge_into_a_new_organisation_through_the_page(staff_client, organization, other_organization):
    officer = UserFactory(role="officer", organization=other_organization)
    response = staff_client.post(
        _url(organization),
        {
            "action": "merge",
            "merge-mode": "new",
            "merge-partners": [other_organization.pk],
            "merge-effective_on": "01/07/2025",
            "merge-new_code": "SOTCYT",
            "merge-new_name": "Đảng bộ Sở Tài chính - Y tế",
            "merge-new_kind": "committee",
            "merge-new_sector": "administrative",
            "merge-move_cells": "on",
            "merge-move_officers": "on",
        },
    )
    successor = BaseOrganization.objects.get(code="SOTCYT")
    assert response.status_code == 302 and response.url == successor.get_absolute_url()
    assert OrganizationSuccession.objects.filter(successor=successor).count() == 2
    assert User.objects.get(pk=officer.pk).organization == successor


def test_the_list_with_dated_names_keeps_a_constant_number_of_queries(
    staff_user, staff_client, bloc, django_assert_num_queries
):
    def build(start, count):
        for i in range(start, start + count):
            org = OrganizationFactory(code=f"R{i:03d}", valid_from=date(2015, 1, 1))
            with time_machine.travel(EFFECTIVE):
                reorganization.organization_rename(
                    actor=staff_user, organization=org, name=f"Đảng bộ đổi tên {i}", effective_on=EFFECTIVE
                )

    build(0, 2)
    staff_client.get(reverse("organizations:list"), {"ngay": "30/06/2025"})
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("organizations:list"), {"ngay": "30/06/2025"})
    build(2, 20)
    with django_assert_num_queries(len(few)):
        response = staff_client.get(reverse("organizations:list"), {"ngay": "30/06/2025"})
    assert len(response.context["organizations"]) == 22
    assert not any(o.name_on_date.startswith("Đảng bộ đổi tên") for o in response.context["organizations"])


def test_a_moved_cell_is_exported_once_under_its_new_parent_and_reimports_unchanged(
    staff_user, staff_client, planning, finance
):
    cell = CellFactory(organization=planning, code="KHDT-CB01")
    with time_machine.travel(EFFECTIVE):
        reorganization.cells_move(actor=staff_user, cells=[cell], to_organization=finance, effective_on=EFFECTIVE)
    workbook = build_export(staff_user)
    cells = [row for row in workbook[CELL_SHEET].iter_rows(min_row=2, values_only=True) if row[0]]
    assert [(row[0], row[2]) for row in cells] == [("KHDT-CB01", "SOTC")]
    buffer = BytesIO()
    workbook.save(buffer)
    result = import_workbook(actor=staff_user, file=SimpleUploadedFile("xuat.xlsx", buffer.getvalue()))
    assert all(count.created == count.updated == 0 for count in result.counts.values())


@time_machine.travel(EFFECTIVE)
def test_staff_split_and_move_cells_through_the_page(staff_client, planning, finance):
    kept, other = CellFactory(organization=planning, code="KHDT-CB01"), CellFactory(organization=planning)
    moved_later = CellFactory(organization=finance, code="TC-CB09")
    response = staff_client.post(
        _url(planning),
        {
            "action": "split",
            "split-effective_on": "01/07/2025",
            "split-part0_code": "SODT",
            "split-part0_name": "Đảng bộ Sở Đầu tư",
            "split-part0_kind": "committee",
            "split-part0_sector": "administrative",
            "split-part1_existing": finance.pk,
            f"split-cell_{kept.pk}": "0",
            f"split-cell_{other.pk}": "",
            "split-officers_to": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    new_part = BaseOrganization.objects.get(code="SODT")
    assert {link.successor for link in history.successors_of(planning)} == {new_part, finance}
    kept.refresh_from_db()
    assert kept.moved_to.organization == new_part

    response = staff_client.post(
        _url(finance),
        {
            "action": "move_cells",
            "move_cells-cells": [moved_later.pk],
            "move_cells-to_organization": new_part.pk,
            "move_cells-effective_on": "01/07/2025",
        },
    )
    assert response.status_code == 302
    moved_later.refresh_from_db()
    assert moved_later.valid_to == BEFORE and moved_later.moved_to.organization == new_part
    assert "Đã chuyển 1 chi bộ" in staff_client.get(response.url).content.decode()


@time_machine.travel(EFFECTIVE)
def test_a_split_with_one_part_is_explained(staff_client, planning):
    response = staff_client.post(
        _url(planning),
        {"action": "split", "split-effective_on": "01/07/2025", "split-part0_code": "X", "split-part0_name": "Y"},
    )
    assert response.status_code == 200
    assert "ít nhất hai tổ chức kế tục" in response.content.decode()
    planning.refresh_from_db()
    assert planning.valid_to is None


def test_the_page_runs_the_same_number_of_queries_for_few_or_many_organisations(
    staff_client, planning, django_assert_num_queries
):
    for i in range(2):
        CellFactory(organization=planning, code=f"KHDT-CB{i:02d}")
    staff_client.get(_url(planning))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        staff_client.get(_url(planning))
    for i in range(20):
        OrganizationFactory(code=f"X{i:03d}")
        CellFactory(organization=planning, code=f"KHDT-CX{i:02d}")
    with django_assert_num_queries(len(few)):
        response = staff_client.get(_url(planning))
    assert response.status_code == 200
    assert len(response.context["forms"]["merge"].fields["partners"].queryset) == 20  # every other one offered


@time_machine.travel(EFFECTIVE)
def test_staff_absorb_this_organisation_into_another_through_the_page(staff_client, planning, finance, bloc):
    third = OrganizationFactory(code="SOYT")
    data = {"action": "merge", "merge-mode": "into_partner", "merge-effective_on": "01/07/2025"}
    refused = staff_client.post(_url(planning), {**data, "merge-partners": [finance.pk, third.pk]})
    assert refused.status_code == 200 and "Chọn đúng một tổ chức để sáp nhập vào" in refused.content.decode()

    response = staff_client.post(_url(planning), {**data, "merge-partners": [finance.pk]})
    assert response.status_code == 302 and response.url == finance.get_absolute_url()
    link = OrganizationSuccession.objects.get()
    assert (link.predecessor, link.successor, link.kind) == (planning, finance, SuccessionKind.ABSORB)


def test_a_merge_moves_the_members_and_keeps_the_counts_of_before(staff_user, staff_client, planning, finance):
    """Members of the absorbed organisation and of its moved cells count in the successor from the effective day;
    the figures of the day before stay as they were."""
    planning.kind = "committee"
    planning.save(update_fields=["kind"])
    cell = CellFactory(organization=planning, code="SOKHDT-CB1", valid_from=date(2015, 1, 1))
    in_cell = [MemberFactory(organization=planning, cell=cell) for _ in range(3)]
    MemberFactory.create_batch(2, organization=planning)
    MemberFactory.create_batch(4, organization=finance)
    with time_machine.travel(EFFECTIVE):
        reorganization.organizations_merge(
            actor=staff_user, predecessors=[planning], into=finance, effective_on=EFFECTIVE, move_cells=True
        )
    with time_machine.travel(date(2025, 12, 1)):
        before = {o.code: o.member_count for o in selectors.organization_list(staff_user, on=BEFORE)}
        after = {o.code: o.member_count for o in selectors.organization_list(staff_user, on=EFFECTIVE)}
    assert before == {"SOKHDT": 5, "SOTC": 4}
    assert after == {"SOTC": 9}
    moved_cell = Cell.objects.get(code="SOKHDT-CB1", valid_to__isnull=True)
    assert moved_cell.organization == finance
    assert {m.pk for m in Member.objects.filter(cell=moved_cell)} == {m.pk for m in in_cell}
    assert AuditEntry.objects.filter(action="member.transfer").count() == 5

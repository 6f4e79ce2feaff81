"""The steering committee's make-up is a dated history: each change is recorded with its date (and audited),
nothing is rewritten, so the committee on any past day can be read back."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from democracy_regs import selectors, services
from democracy_regs.models import SteeringCommitteeMembership
from dukportal.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def names_on(organization, day):
    return [(m.full_name, m.role) for m in selectors.committee_on(organization.pk, day)]


@pytest.fixture
def history(officer_user, organization):
    """2023: Hùng heads, Lan deputy, Tuấn member. 01/3/2024 Hùng leaves, Lan becomes head, Mai joins."""
    add = lambda name, role, day: services.membership_add(  # noqa: E731
        actor=officer_user, organization=organization, full_name=name, position="Cán bộ", role=role, joined_on=day
    )
    hung = add("Nguyễn Văn Hùng", "head", date(2023, 1, 10))
    lan = add("Phạm Thị Lan", "deputy", date(2023, 1, 10))
    add("Đỗ Minh Tuấn", "member", date(2023, 6, 1))
    services.membership_end(actor=officer_user, membership=hung, left_on=date(2024, 3, 1), change_note="Nghỉ hưu")
    services.membership_change_role(actor=officer_user, membership=lan, role="head", on=date(2024, 3, 1))
    add("Lê Thị Mai", "deputy", date(2024, 3, 1))
    return organization


def test_make_up_on_past_dates(history):
    assert names_on(history, date(2022, 12, 31)) == []
    assert names_on(history, date(2023, 3, 1)) == [("Nguyễn Văn Hùng", "head"), ("Phạm Thị Lan", "deputy")]
    assert names_on(history, date(2024, 2, 29)) == [
        ("Nguyễn Văn Hùng", "head"),
        ("Phạm Thị Lan", "deputy"),
        ("Đỗ Minh Tuấn", "member"),
    ]
    assert names_on(history, date(2024, 3, 1)) == [
        ("Phạm Thị Lan", "head"),
        ("Lê Thị Mai", "deputy"),
        ("Đỗ Minh Tuấn", "member"),
    ]


def test_committee_page_shows_the_make_up_on_the_date_asked(officer_client, history):
    url = reverse("democracy_regs:organization_committee", args=[history.pk])
    page = officer_client.get(url, {"on": "15/02/2024"}).content.decode()
    members = page.split('id="members"')[1].split("</table>")[0]
    assert "Nguyễn Văn Hùng" in members and "Lê Thị Mai" not in members
    assert "Đã kiện toàn" in page
    page = officer_client.get(url, {"on": "15/02/2023"}).content.decode()
    assert "Chưa kiện toàn: mới có 2/3 thành viên tối thiểu" in page


def test_no_row_is_rewritten_and_each_change_is_audited(history):
    rows = SteeringCommitteeMembership.objects.filter(organization=history).order_by("joined_on", "id")
    assert [(r.full_name, r.role, r.joined_on, r.left_on) for r in rows] == [
        ("Nguyễn Văn Hùng", "head", date(2023, 1, 10), date(2024, 3, 1)),
        ("Phạm Thị Lan", "deputy", date(2023, 1, 10), date(2024, 3, 1)),
        ("Đỗ Minh Tuấn", "member", date(2023, 6, 1), None),
        ("Phạm Thị Lan", "head", date(2024, 3, 1), None),
        ("Lê Thị Mai", "deputy", date(2024, 3, 1), None),
    ]
    actions = list(AuditEntry.objects.filter(action__startswith="qcdc_membership").values_list("action", flat=True))
    assert actions.count("qcdc_membership.add") == 5 and actions.count("qcdc_membership.end") == 2


def test_a_second_head_at_the_same_time_is_refused(officer_user, history):
    with pytest.raises(ValidationError, match="đã có trưởng ban"):
        services.membership_add(
            actor=officer_user, organization=history, full_name="Trần Văn Nam", position="Giám đốc", role="head",
            joined_on=date(2024, 5, 1),
        )  # fmt: skip
    # Nor backdated into the time Hùng was head.
    with pytest.raises(ValidationError, match="đã có trưởng ban"):
        services.membership_add(
            actor=officer_user, organization=history, full_name="Trần Văn Nam", position="Giám đốc", role="head",
            joined_on=date(2022, 5, 1),
        )  # fmt: skip


def test_the_same_person_cannot_sit_twice_and_leaving_before_joining_is_refused(officer_user, history):
    with pytest.raises(ValidationError, match="đang là thành viên"):
        services.membership_add(
            actor=officer_user, organization=history, full_name="đỗ minh tuấn", position="Cán bộ", role="member",
            joined_on=date(2024, 6, 1),
        )  # fmt: skip
    tuan = SteeringCommitteeMembership.objects.get(full_name="Đỗ Minh Tuấn")
    with pytest.raises(ValidationError, match="phải sau ngày tham gia"):
        services.membership_end(actor=officer_user, membership=tuan, left_on=date(2023, 5, 1))


def test_officer_of_another_organisation_and_leaders_cannot_change_the_committee(
    other_officer_user, leader_user, history, client
):
    seat = SteeringCommitteeMembership.objects.get(full_name="Đỗ Minh Tuấn")
    for actor in (other_officer_user, leader_user):
        with pytest.raises(PermissionDenied):
            services.membership_end(actor=actor, membership=seat, left_on=date(2024, 6, 1))
    client.force_login(leader_user)
    url = reverse("democracy_regs:organization_committee", args=[history.pk])
    response = client.post(url, {"full_name": "X", "position": "Y", "role": "member", "joined_on": "01/06/2024"})
    assert response.status_code == 403
    client.force_login(other_officer_user)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("democracy_regs:membership_end", args=[seat.pk]), {"left_on": "01/06/2024"}).status_code
        == 404
    )
    seat.refresh_from_db()
    assert seat.left_on is None


def test_role_change_through_the_page(officer_client, history):
    seat = SteeringCommitteeMembership.objects.get(full_name="Đỗ Minh Tuấn")
    officer_client.post(
        reverse("democracy_regs:membership_role", args=[seat.pk]),
        {"role": "deputy", "on": "01/07/2024", "change_note": "QĐ 15-QĐ/ĐU"},
    )
    assert ("Đỗ Minh Tuấn", "member") in names_on(history, date(2024, 6, 30))
    assert ("Đỗ Minh Tuấn", "deputy") in names_on(history, date(2024, 7, 1))


def test_only_staff_remove_a_row_entered_by_mistake_and_the_log_keeps_it(client, officer_user, staff_user, history):
    seat = SteeringCommitteeMembership.objects.get(full_name="Lê Thị Mai")
    url = reverse("democracy_regs:membership_remove", args=[seat.pk])
    client.force_login(officer_user)
    assert client.post(url, {"reason": "nhập nhầm"}).status_code == 403
    client.force_login(staff_user)
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Vui lòng ghi rõ lý do xóa" in page
    client.post(url, {"reason": "Nhập nhầm người"})
    assert not SteeringCommitteeMembership.objects.filter(pk=seat.pk).exists()
    entry = AuditEntry.objects.get(action="qcdc_membership.remove")
    assert entry.changes["full_name"] == "Lê Thị Mai" and entry.changes["reason"] == "Nhập nhầm người"


def test_an_earlier_make_up_can_be_filled_in_afterwards(officer_user, history):
    services.membership_add(
        actor=officer_user, organization=history, full_name="Vũ Văn Cường", position="Bí thư", role="head",
        joined_on=date(2020, 1, 1), left_on=date(2023, 1, 10),
    )  # fmt: skip
    assert names_on(history, date(2022, 6, 1)) == [("Vũ Văn Cường", "head")]
    assert names_on(history, date(2023, 1, 10))[0] == ("Nguyễn Văn Hùng", "head")
    with pytest.raises(ValidationError, match="đã có trưởng ban"):  # overlapping Hùng's time as head
        services.membership_add(
            actor=officer_user, organization=history, full_name="Hà Thị Thu", position="Bí thư", role="head",
            joined_on=date(2022, 1, 1), left_on=date(2023, 2, 1),
        )  # fmt: skip

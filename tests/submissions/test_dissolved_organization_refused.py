"""From its end date an organisation owes nothing new and its officers cannot create, change or send anything for
it; staff can still correct its history. The case from issue 9: an organisation dissolved on 30/06 (its last
day; from 01/07 it no longer exists) whose officer created and sent a registration in December — and it counted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dukportal.submissions import services as workflow
from models_danvan import selectors, services
from models_danvan.models import Registration
from organizations import reorganization
from tests.factories import CampaignFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DISSOLVED_FROM = date(2024, 7, 1)  # last day 30/06/2024
DECEMBER = datetime(2024, 12, 10, 9, 0, tzinfo=TZ)
REFUSAL = "đã giải thể từ ngày 01/07/2024; không thể tạo hoặc gửi hồ sơ mới"


def _fields(**overrides):
    return {
        "category": "culture_society",
        "name": "Mô hình “Cơ quan không khói thuốc”",
        "person_in_charge": "Nguyễn Thị Hoa",
        "start_date": date(2024, 3, 1),
        "end_date": date(2024, 12, 31),
        **overrides,
    }


@pytest.fixture
def year(staff_user, organization, other_organization):
    """2024's campaign (registration due 30/04)."""
    return CampaignFactory(year=2024, created_by=staff_user)


def _dissolve(staff_user, organization):
    with time_machine.travel(datetime(2024, 7, 1, 8, 0, tzinfo=TZ)):
        reorganization.organization_dissolve(
            actor=staff_user, organization=organization, effective_on=DISSOLVED_FROM, reason="Quyết định 45-QĐ/ĐUK"
        )


def test_an_officer_of_a_dissolved_organisation_cannot_create_or_send_in_december(
    staff_user, officer_user, organization, year
):
    with time_machine.travel(datetime(2024, 6, 10, 9, 0, tzinfo=TZ)):
        draft = services.registration_create(
            actor=officer_user, campaign=year, organization=organization, **_fields(name="Bản nháp tháng 6")
        )
    _dissolve(staff_user, organization)

    with time_machine.travel(DECEMBER):
        with pytest.raises(ValidationError, match=REFUSAL):
            services.registration_create(actor=officer_user, campaign=year, organization=organization, **_fields())
        with pytest.raises(ValidationError, match=REFUSAL):
            workflow.submission_submit(actor=officer_user, submission=draft)
        with pytest.raises(ValidationError, match=REFUSAL):
            services.registration_update(actor=officer_user, registration=draft, name="Sửa trong tháng 12")
        with pytest.raises(ValidationError, match=REFUSAL):
            workflow.attachment_add(
                actor=officer_user,
                submission=draft,
                uploaded=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            )

    draft.refresh_from_db()
    assert (draft.status, draft.name) == ("draft", "Bản nháp tháng 6")
    assert Registration.objects.count() == 1
    # asked afterwards, about December and about the day before the dissolution: nothing counted
    with time_machine.travel(date(2025, 1, 5)):
        for day in (date(2024, 6, 30), date(2024, 12, 10), date(2024, 12, 31)):
            stats = selectors.campaign_statistics(year, on=day)
            assert (stats.registered, stats.total) == (0, 0)


def test_the_refusal_is_shown_on_the_page_and_nothing_is_kept(client, staff_user, officer_user, organization, year):
    _dissolve(staff_user, organization)
    client.force_login(officer_user)
    with time_machine.travel(DECEMBER):
        response = client.post(
            reverse("models_danvan:registration_create", args=[year.pk]),
            {
                "category": "culture_society",
                "name": "Mô hình tháng 12",
                "person_in_charge": "Nguyễn Thị Hoa",
                "start_date": "01/03/2024",
                "end_date": "31/12/2024",
                "action": "submit",
            },
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSAL in page
    assert 'value="Mô hình tháng 12"' in page  # what was typed is kept
    assert not Registration.objects.exists()


def test_staff_can_still_correct_the_history_of_a_dissolved_organisation(staff_user, officer_user, organization, year):
    with time_machine.travel(datetime(2024, 4, 20, 9, 0, tzinfo=TZ)):
        sent = workflow.submission_submit(
            actor=officer_user,
            submission=services.registration_create(
                actor=officer_user, campaign=year, organization=organization, **_fields()
            ),
        )
    _dissolve(staff_user, organization)
    with time_machine.travel(DECEMBER):
        corrected = services.registration_update(actor=staff_user, registration=sent, name="Tên đã đính chính")
    assert corrected.name == "Tên đã đính chính"
    with time_machine.travel(date(2025, 1, 5)):
        assert selectors.campaign_statistics(year, on=date(2024, 5, 1)).registered == 1


def test_an_organisation_not_yet_started_is_refused_too(staff_user, bloc, year):
    future = OrganizationFactory(code="MOI", valid_from=date(2025, 1, 1))
    officer = UserFactory(role="officer", organization=future)
    with time_machine.travel(DECEMBER), pytest.raises(ValidationError, match="hoạt động từ ngày 01/01/2025"):
        services.registration_create(actor=officer, campaign=year, organization=future, **_fields())


def test_an_officer_left_on_a_merged_organisation_is_told_it_was_merged(
    staff_user, officer_user, organization, other_organization, year
):
    with time_machine.travel(datetime(2024, 7, 1, 8, 0, tzinfo=TZ)):
        reorganization.organizations_merge(
            actor=staff_user,
            predecessors=[organization],
            into=other_organization,
            effective_on=DISSOLVED_FROM,
            move_officers=False,
        )
    with time_machine.travel(DECEMBER), pytest.raises(ValidationError, match="đã sáp nhập từ ngày 01/07/2024"):
        services.registration_create(actor=officer_user, campaign=year, organization=organization, **_fields())
    assert not Registration.objects.exists()

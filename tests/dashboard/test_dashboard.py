"""The overview staff and leaders land on: the bloc's size, the current “Dân vận khéo” year and the open
deadlines, with a number of queries that does not grow with the number of organisations."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_danvan import obligations
from models_danvan.models import Origin
from organizations.models import Sector
from tests.factories import CampaignFactory, CellFactory, MemberFactory, OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 5, 10)  # five days before the registration deadline of the campaign below


@pytest.fixture
def campaign(staff_user):
    campaign = CampaignFactory(
        year=2024,
        created_by=staff_user,
        plan_number="252-KH/ĐUK",
        plan_date=date(2024, 3, 25),
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 7, 15),
        yearend_deadline=date(2024, 12, 15),
    )
    obligations.sync_campaign_deadlines(campaign)
    return campaign


def _bloc(count: int, *, start: int = 0, sector=Sector.ADMINISTRATIVE):
    organizations = []
    for i in range(start, start + count):
        organization = OrganizationFactory(code=f"ORG{i:03d}", sector=sector)
        cell = CellFactory(organization=organization)
        MemberFactory(organization=organization, cell=cell)
        MemberFactory(organization=organization, cell=cell)
        organizations.append(organization)
    return organizations


@time_machine.travel(TODAY, tick=False)
def test_dashboard_shows_bloc_campaign_and_deadline_figures(staff_client, bloc, campaign):
    admin = _bloc(3)
    enterprise = _bloc(1, start=3, sector=Sector.ENTERPRISE)
    RegistrationFactory(campaign=campaign, organization=admin[0], origin=Origin.NEW)
    RegistrationFactory(campaign=campaign, organization=admin[0], origin=Origin.NEW)
    RegistrationFactory(campaign=campaign, organization=enterprise[0], origin=Origin.NEW)
    RegistrationFactory(campaign=campaign, organization=None)  # bloc level
    RegistrationFactory(campaign=campaign, organization=admin[1], status="draft")  # not sent: not counted

    response = staff_client.get(reverse("dashboard:index"))
    page = response.content.decode()

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert (dashboard.bloc.organizations, dashboard.bloc.cells, dashboard.bloc.members) == (4, 4, 8)
    assert "Khối hành chính: <strong>3</strong>" in page and "Khối doanh nghiệp: <strong>1</strong>" in page
    assert '<strong id="campaign-ratio">2/4</strong>' in page
    # Models and exemplars apart (all four are economy models here), the bloc's size and the x/y labelled apart.
    assert (
        '<strong id="campaign-models">4</strong> mô hình: <span id="campaign-models-bloc">1</span> cấp Đảng ủy Khối'
        in page
    )
    assert '<strong id="campaign-exemplars">0</strong> điển hình' in page
    assert '4</span> <span class="fs-6">tổ chức đang hoạt động</span>' in page
    assert "2/4</strong> tổ chức phải đăng ký đã gửi đăng ký" in page
    registration_row = next(p for p in dashboard.deadlines if p.deadline.kind == obligations.REGISTRATION)
    assert (registration_row.sent, registration_row.expected, registration_row.days_left) == (2, 4, 5)
    assert "2/4" in page and "Còn 5 ngày" in page


@time_machine.travel(date(2024, 5, 20), tick=False)
def test_late_organisations_are_counted_after_the_deadline(staff_client, bloc, campaign):
    organizations = _bloc(3)
    RegistrationFactory(campaign=campaign, organization=organizations[0])

    page = staff_client.get(reverse("dashboard:index")).content.decode()

    assert '<span class="badge text-bg-danger" id="late-total">2 lượt quá hạn</span>' in page


@time_machine.travel(TODAY, tick=False)
def test_dashboard_runs_the_same_number_of_queries_for_3_or_40_organisations(staff_client, bloc, campaign):
    _bloc(3)
    staff_client.get(reverse("dashboard:index"))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("dashboard:index"))

    for organization in _bloc(37, start=3):
        RegistrationFactory(campaign=campaign, organization=organization)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(reverse("dashboard:index"))

    assert response.context["dashboard"].bloc.organizations == 40
    assert len(many) == len(few)
    # A past reference date (fewer open deadlines would change the count, so one with the same ones).
    with CaptureQueriesContext(connection) as dated:
        response = staff_client.get(reverse("dashboard:index"), {"ngay": "05/05/2024"})
    assert response.context["dashboard"].today == date(2024, 5, 5)
    assert len(dated) == len(few)


def test_without_a_campaign_the_dashboard_says_so(leader_client, organization):
    page = leader_client.get(reverse("dashboard:index")).content.decode()
    assert "Chưa mở đợt đăng ký nào." in page


def test_staff_and_leaders_land_on_the_dashboard(client, staff_user, leader_user):
    for user in (staff_user, leader_user):
        client.force_login(user)
        assert client.get(reverse("home")).url == reverse("dashboard:index")


def test_the_landing_redirect_keeps_the_reference_date(client, staff_user, officer_user):
    client.force_login(staff_user)
    assert (
        client.get(reverse("home"), {"ngay": "15/05/2024"}).url == reverse("dashboard:index") + "?ngay=15%2F05%2F2024"
    )
    client.force_login(officer_user)
    target = reverse("organizations:detail", args=[officer_user.organization_id])
    assert client.get(reverse("home"), {"ngay": "15/05/2024"}).url == target + "?ngay=15%2F05%2F2024"
    assert client.get(reverse("home")).url == target


def test_officers_are_refused_and_anonymous_users_sent_to_login(client, officer_user):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(officer_user)
    assert client.get(reverse("dashboard:index")).status_code == 403

"""Drill-down across years: an organisation's registrations year by year, and one model's lineage."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_danvan.models import Evaluation, Origin
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(organization, staff_user):
    """“Bữa cơm nghĩa tình” registered in 2020 and carried over every year to 2024, plus an unrelated model."""
    registrations, previous = [], None
    for year in range(2020, 2025):
        previous = RegistrationFactory(
            campaign=CampaignFactory(year=year, created_by=staff_user),
            organization=organization,
            name="Mô hình “Bữa cơm nghĩa tình”",
            origin=Origin.CONTINUED if previous else Origin.NEW,
            continued_from=previous,
            status="accepted",
            commended=year == 2022,
        )
        registrations.append(previous)
    Evaluation.objects.create(
        registration=registrations[2],
        organization=organization,
        period="year_end",
        results="Tốt",
        self_rating="good",
        committee_rating="excellent",
        status="accepted",
        created_by=staff_user,
    )
    RegistrationFactory(
        campaign=registrations[3].campaign, organization=organization, name="Mô hình “Dân vận khéo” khác"
    )
    return registrations


def test_lineage_shows_the_model_in_every_year_from_any_of_them(officer_client, chain, django_assert_max_num_queries):
    for registration in (chain[0], chain[2], chain[4]):
        with django_assert_max_num_queries(8):
            page = officer_client.get(reverse("models_danvan:lineage", args=[registration.pk])).content.decode()
        years = [int(y) for y in re.findall(r"<td>(20\d\d)</td>", page)]
        assert years == [2020, 2021, 2022, 2023, 2024]
        assert "Mô hình “Dân vận khéo” khác" not in page
    assert "Tổng kết năm: Xuất sắc" in page and "Khen thưởng" in page


def test_lineage_query_count_does_not_grow_with_the_number_of_years(
    officer_client, organization, staff_user, django_assert_num_queries
):
    short = RegistrationFactory(
        campaign=CampaignFactory(year=2030, created_by=staff_user), organization=organization, status="accepted"
    )
    officer_client.get(reverse("models_danvan:lineage", args=[short.pk]))
    with CaptureQueriesContext(connection) as one_year:
        officer_client.get(reverse("models_danvan:lineage", args=[short.pk]))
    previous = None
    for year in range(2010, 2025):
        previous = RegistrationFactory(
            campaign=CampaignFactory(year=year, created_by=staff_user),
            organization=organization,
            origin=Origin.CONTINUED if previous else Origin.NEW,
            continued_from=previous,
            status="accepted",
        )
    with django_assert_num_queries(len(one_year)):
        page = officer_client.get(reverse("models_danvan:lineage", args=[previous.pk])).content.decode()
    assert len(re.findall(r"<td>(20\d\d)</td>", page)) == 15


def test_organisation_history_lists_registrations_year_by_year(leader_client, organization, chain):
    page = leader_client.get(reverse("models_danvan:organization_history", args=[organization.pk])).content.decode()
    years = [int(y) for y in re.findall(r'id="year-(\d{4})"', page)]
    assert years == [2024, 2023, 2022, 2021, 2020]
    assert page.count("Bữa cơm nghĩa tình") == 5
    assert "Mô hình “Dân vận khéo” khác" in page
    assert "(từ năm 2023)" in page


def test_organisation_detail_and_statistics_link_to_the_history(staff_client, organization, chain):
    url = reverse("models_danvan:organization_history", args=[organization.pk])
    assert url in staff_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    stats = staff_client.get(reverse("models_danvan:statistics", args=[chain[-1].campaign_id])).content.decode()
    assert url in stats


def test_navigation_leads_staff_and_leaders_to_the_latest_statistics(client, staff_user, leader_user, officer_user):
    client.force_login(leader_user)
    response = client.get(reverse("models_danvan:statistics_latest"))
    assert response.status_code == 302 and response["Location"] == reverse("models_danvan:campaigns")
    CampaignFactory(year=2023, created_by=staff_user)
    latest = CampaignFactory(year=2024, created_by=staff_user)
    for user in (staff_user, leader_user):
        client.force_login(user)
        home = client.get(reverse("models_danvan:campaigns")).content.decode()
        assert reverse("models_danvan:statistics_latest") in home
        assert reverse("models_danvan:statistics", args=[latest.pk]) in home
        response = client.get(reverse("models_danvan:statistics_latest"))
        assert response["Location"] == reverse("models_danvan:statistics", args=[latest.pk])
    client.force_login(officer_user)
    assert (
        reverse("models_danvan:statistics_latest")
        not in client.get(reverse("models_danvan:campaigns")).content.decode()
    )
    assert client.get(reverse("models_danvan:statistics_latest")).status_code == 403

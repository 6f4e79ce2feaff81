"""The organisation field of staff forms takes a typed code or name, never listing organisations the user may not
see (moved from tests/test_list_query_counts.py; the bloc of 12 organisations is built once for the module)."""

from datetime import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from bench import dataset
from organizations.models import BaseOrganization
from tests.models_danvan.factories import registration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(dataset.TODAY, tick=False):
        yield


@pytest.fixture(scope="module")
def bloc_built(django_db_setup, django_db_blocker):
    """The bloc of 12 organisations, built once for the module in a transaction rolled back after it; each test's
    own transaction nests in it and rolls back what the test wrote."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dataset.TODAY, tick=False):
            data = dataset.grow(dataset.start(), 12, years=1, members=1)
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def bloc_data(bloc_built, clock):
    return bloc_built


def _registration_post(client, data, organization: str):
    url = reverse("models_danvan:registration_create", args=[data.campaign.pk])
    return client.post(url, {**registration_data(), "organization": organization, "action": "save"})


def test_staff_form_has_no_select_of_organisations(client, bloc_data):
    client.force_login(bloc_data.staff)
    response = client.get(reverse("models_danvan:registration_create", args=[bloc_data.campaign.pk]))
    content = response.content.decode()
    assert 'name="organization"' in content and "<option" not in content.split('name="organization"', 1)[1][:300]
    assert "data-organization-lookup" in content and "js/organization_lookup.js" in content
    assert "CS0012" not in content  # no organisation is listed in the page


@pytest.mark.parametrize(
    "typed", ["CS0008", "cs0008", "CS0008 – Chi bộ cơ sở số 0008", "Chi bộ cơ sở số 0008", "chi bo co so so 0008"]
)
def test_staff_register_for_an_organisation_typed_as_code_or_name(client, bloc_data, typed):
    client.force_login(bloc_data.staff)
    response = _registration_post(client, bloc_data, typed)
    assert response.status_code == 302
    registration = bloc_data.campaign.registrations.order_by("-pk").first()
    assert registration.organization.code == "CS0008"


def test_staff_leave_the_organisation_empty_for_a_bloc_level_model(client, bloc_data):
    client.force_login(bloc_data.staff)
    assert _registration_post(client, bloc_data, "").status_code == 302
    assert bloc_data.campaign.registrations.order_by("-pk").first().organization is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("CS9999", "Không tìm thấy tổ chức cơ sở đảng “CS9999”"),
        ("khong co don vi nay", "Không tìm thấy tổ chức cơ sở đảng"),
        ("cơ sở số 000", "khớp với nhiều tổ chức cơ sở đảng"),
    ],
)
def test_unknown_or_ambiguous_organisation_is_refused_in_vietnamese(client, bloc_data, typed, message):
    client.force_login(bloc_data.staff)
    before = bloc_data.campaign.registrations.count()
    response = _registration_post(client, bloc_data, typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()  # what was typed is kept
    assert bloc_data.campaign.registrations.count() == before


def test_organisation_outside_the_campaign_year_is_refused(client, bloc_data):
    BaseOrganization.objects.filter(code="CS0003").update(valid_to=datetime(2020, 1, 1).date())
    client.force_login(bloc_data.staff)
    response = _registration_post(client, bloc_data, "CS0003")
    assert response.status_code == 200 and "Không tìm thấy tổ chức cơ sở đảng “CS0003”" in response.content.decode()


def test_qcdc_staff_form_takes_a_typed_code(client, bloc_data):
    client.force_login(bloc_data.staff)
    url = reverse("democracy_regs:plan_create", args=[bloc_data.cycle.pk])
    response = client.get(url)
    assert "data-organization-lookup" in response.content.decode()
    response = client.post(url, {"organization": "CS9999", "number": "01-KH/ĐU", "action": "save"})
    assert "Không tìm thấy tổ chức cơ sở đảng “CS9999”" in response.content.decode()


def test_lookup_suggests_matching_organisations_by_code_or_name(client, bloc_data):
    client.force_login(bloc_data.staff)
    results = client.get(reverse("organizations:lookup"), {"q": "so 001"}).json()["results"]
    assert [r["label"] for r in results] == [  # in the lists' order: by name
        "CS0011 – Chi bộ cơ sở số 0011",
        "CS0012 – Chi bộ cơ sở số 0012",
        "CS0001 – Đảng bộ cơ sở số 0001",  # "001" is in "0001" too
        "CS0010 – Đảng bộ cơ sở số 0010",
    ]
    assert client.get(reverse("organizations:lookup"), {"q": ""}).json() == {"results": []}


def test_officer_never_sees_another_organisation_through_the_lookup(client, bloc_data):
    officer = bloc_data.officer  # of CS0001
    client.force_login(officer)
    everything = client.get(reverse("organizations:lookup"), {"q": "co so"}).json()["results"]
    assert [r["id"] for r in everything] == [officer.organization_id]
    assert client.get(reverse("organizations:lookup"), {"q": "CS0002"}).json() == {"results": []}


def test_lookup_requires_sign_in(client, bloc_data):
    response = client.get(reverse("organizations:lookup"), {"q": "CS0001"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

"""Saving an edited draft reads the item once for the page and once locked by the service (the form writes into
a copy of the first read, not into a second read of the row), and saves what was typed."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_danvan.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory
from tests.models_danvan.factories import registration_data

pytestmark = pytest.mark.django_db


def test_saving_a_draft_reads_it_twice_and_keeps_the_edit(officer_client, officer_user, staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    draft = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="draft")
    url = reverse("models_danvan:registration_edit", args=[draft.pk])
    data = {**registration_data(aims="Mục tiêu đã sửa"), "action": "save", "form_token": str(uuid.uuid4())}

    with CaptureQueriesContext(connection) as queries:
        response = officer_client.post(url, data)

    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "models_danvan_registration"' in q["sql"]
    ]
    assert len(reads) == 2 and "FOR UPDATE" not in reads[0]
    if connection.features.has_select_for_update:  # SQLite has no row locks: Django leaves the clause out
        assert "FOR UPDATE" in reads[1]
    saved = Registration.objects.get(pk=draft.pk)
    assert saved.aims == "Mục tiêu đã sửa" and saved.status == "draft"

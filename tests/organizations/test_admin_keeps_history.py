"""The data admin cannot rewrite an organisation's name or dates: those change through dated reorganisations."""

from datetime import date

import pytest
from django.urls import reverse

from dukportal.core.models import AuditEntry
from organizations.models import OrganizationName, OrganizationSuccession
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_admin_change_form_keeps_name_and_dates(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    organization = OrganizationFactory(name="Đảng bộ Sở Tài chính", valid_from=date(2015, 1, 1))
    url = reverse("admin:organizations_baseorganization_change", args=[organization.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page and "Đảng bộ Sở Tài chính" in page
    data = {
        "name": "Tên mới ghi đè",
        "valid_to": "2024-06-30",
        "code": organization.code,
        "kind": organization.kind,
        "sector": organization.sector,
        "bloc": organization.bloc_id,
        "secretary_name": "Nguyễn Văn Bình",
    }
    client.post(url, data)
    organization.refresh_from_db()
    assert (organization.name, organization.valid_to) == ("Đảng bộ Sở Tài chính", None)
    assert organization.secretary_name == "Nguyễn Văn Bình"  # the other fields are saved, and audited
    assert AuditEntry.objects.filter(action="organization.update", target_id=str(organization.pk)).exists()


def test_dated_names_and_successions_are_read_only_in_the_admin(client, staff_user):
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(reverse("admin:organizations_organizationname_changelist")).status_code == 200
    assert client.get(reverse("admin:organizations_organizationsuccession_changelist")).status_code == 200
    assert client.get(reverse("admin:organizations_organizationname_add")).status_code == 403
    assert client.get(reverse("admin:organizations_organizationsuccession_add")).status_code == 403
    assert not OrganizationName.objects.exists() and not OrganizationSuccession.objects.exists()

"""Superior bodies are managed by staff on the portal ("Cơ quan cấp trên"), not in the data admin: what they add
is offered in the recipient picker and printed "(b/c)" in Nơi nhận; a retired body is no longer offered; each
write is audited; an officer cannot reach the page."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from dukportal.core.models import AuditEntry
from reports.forms import RecipientPickerForm
from reports.models import SuperiorBody

pytestmark = pytest.mark.django_db

PAGE = "reports:superior_bodies"


def _add(client, name, **extra):
    data = {"name": name, "sort_order": 1, "is_active": "on", "form_token": str(uuid.uuid4()), **extra}
    return client.post(reverse(PAGE), data)


def _offered(bloc) -> list[str]:
    form = RecipientPickerForm(bloc=bloc, on=date(2024, 5, 15))
    return [str(body) for body in form.fields["superiors"].queryset]


def test_staff_add_a_superior_body_and_the_picker_offers_it(staff_client, staff_user, bloc):
    response = _add(staff_client, "  Ban Dân vận   Tỉnh ủy ")
    assert response.status_code == 302
    body = SuperiorBody.objects.get()
    assert (body.name, body.bloc) == ("Ban Dân vận Tỉnh ủy", bloc)
    assert "Ban Dân vận Tỉnh ủy" in staff_client.get(reverse(PAGE)).content.decode()
    assert _offered(bloc) == ["Ban Dân vận Tỉnh ủy"]
    assert AuditEntry.objects.filter(action="superior_body.create", actor=staff_user, target_id=str(body.pk)).exists()


def test_a_second_body_of_the_same_name_is_refused_and_the_typed_text_kept(staff_client, bloc):
    _add(staff_client, "Thường trực Tỉnh ủy")
    response = _add(staff_client, "Thường trực Tỉnh ủy", sort_order="7")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cơ quan này đã có trong danh sách." in page
    assert 'value="7"' in page  # nothing typed is lost
    assert SuperiorBody.objects.count() == 1


def test_a_double_click_adds_one_body(staff_client, bloc):
    data = {"name": "Ban Tuyên giáo Tỉnh ủy", "sort_order": 0, "is_active": "on", "form_token": str(uuid.uuid4())}
    first = staff_client.post(reverse(PAGE), data)
    second = staff_client.post(reverse(PAGE), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert SuperiorBody.objects.count() == 1


def test_a_retired_body_is_no_longer_offered_but_stays_listed(staff_client, staff_user, bloc):
    _add(staff_client, "Ban Dân vận Tỉnh ủy")
    _add(staff_client, "Thường trực Tỉnh ủy")
    body = SuperiorBody.objects.get(name="Ban Dân vận Tỉnh ủy")
    response = staff_client.post(
        reverse("reports:superior_body_edit", args=[body.pk]), {"name": "Ban Dân vận Tỉnh ủy", "sort_order": 3}
    )
    assert response.status_code == 302
    assert _offered(bloc) == ["Thường trực Tỉnh ủy"]
    page = staff_client.get(reverse(PAGE)).content.decode()
    assert "Ban Dân vận Tỉnh ủy" in page and "Thôi sử dụng" in page
    entry = AuditEntry.objects.get(action="superior_body.update", target_id=str(body.pk))
    assert entry.actor == staff_user and entry.changes == {"sort_order": 3, "is_active": False}


def test_a_renamed_body_prints_its_new_name_in_new_distributions(staff_client, bloc):
    _add(staff_client, "Ban Dân vận Tỉnh uỷ")
    body = SuperiorBody.objects.get()
    staff_client.post(
        reverse("reports:superior_body_edit", args=[body.pk]),
        {"name": "Ban Dân vận Tỉnh ủy", "sort_order": 1, "is_active": "on"},
    )
    assert _offered(bloc) == ["Ban Dân vận Tỉnh ủy"]


@pytest.mark.parametrize("client_name", ["officer_client", "leader_client"])
def test_officers_and_leaders_cannot_manage_superior_bodies(request, client_name, staff_client, bloc):
    _add(staff_client, "Thường trực Tỉnh ủy")
    body = SuperiorBody.objects.get()
    client = request.getfixturevalue(client_name)
    assert client.get(reverse(PAGE)).status_code in (403, 404)
    assert client.post(reverse("reports:superior_body_edit", args=[body.pk]), {"name": "X"}).status_code in (403, 404)
    assert _add(client, "Ban Nội chính Tỉnh ủy").status_code in (403, 404)
    assert list(SuperiorBody.objects.values_list("name", flat=True)) == ["Thường trực Tỉnh ủy"]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

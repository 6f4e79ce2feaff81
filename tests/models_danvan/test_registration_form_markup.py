"""The registration form, laid out by templates/partials/_form_fields.html rather than crispy (issue 13): every
field with its label and required mark, a refused field marked invalid with its message named by the widget's
aria-describedby, help texts named too, a chosen file's name shown as text, and no crispy markup lost."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from models_danvan.forms import RegistrationForm
from tests.submissions.form_specs import SPECS

pytestmark = pytest.mark.django_db

REGISTRATION = SPECS[0]


def _field_block(html: str, name: str) -> str:
    match = re.search(
        rf'<div id="div_id_{name}" class="mb-3">(.*?)</div>\s*(?=<div id="div_id_|<div class="d-flex)', html, re.S
    )
    assert match, f"no block for {name}"
    return match.group(1)


def _attributes(html: str, name: str) -> set[str]:
    """The attributes of the widget of field `name` (their order is not what a user meets)."""
    match = re.search(rf'<(?:input|select|textarea)\b([^>]*\bid="id_{name}"[^>]*)>', html)
    assert match, f"no widget for {name}"
    return set(re.findall(r'[\w-]+(?:="[^"]*")?', match.group(1)))


def test_each_field_has_its_label_and_required_mark(officer_client, staff_user, officer_user):
    context = REGISTRATION.setup(staff_user, officer_user)
    html = officer_client.get(context["url"]).content.decode()
    form = RegistrationForm()
    for name, field in form.fields.items():
        block = _field_block(html, name)
        assert f'<label for="id_{name}" class="form-label' in block
        assert str(field.label) in block
        assert ('<span class="asteriskField">*</span>' in block) == field.required, name
    assert {'class="select form-select"', "required"} <= _attributes(html, "category")
    assert {'class="textinput form-control"', "required", 'maxlength="300"'} <= _attributes(html, "name")
    assert 'class="textarea form-control"' in _attributes(html, "aims")
    assert {'class="dateinput form-control"', 'placeholder="dd/mm/yyyy"', "required"} <= _attributes(html, "start_date")
    assert {'class="form-control"', 'type="file"', 'accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png"'} <= _attributes(
        html, "attachment"
    )
    assert "is-invalid" not in html and "invalid-feedback" not in html


def test_a_refused_field_is_marked_and_its_message_named_by_the_widget(officer_client, staff_user, officer_user):
    context = REGISTRATION.setup(staff_user, officer_user)
    data = REGISTRATION.post_data(context)
    data.update(person_in_charge="", end_date="01/01/2024")
    data["attachment"] = SimpleUploadedFile("<i>ho so<i>.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    html = officer_client.post(context["url"], data).content.decode()

    block = _field_block(html, "person_in_charge")
    assert {'aria-invalid="true"', 'aria-describedby="id_person_in_charge_error"'} <= _attributes(
        html, "person_in_charge"
    )
    assert 'class="textinput form-control is-invalid"' in _attributes(html, "person_in_charge")
    assert (
        '<div id="id_person_in_charge_error" class="invalid-feedback"><span id="error_1_id_person_in_charge">'
        "<strong>Trường này là bắt buộc.</strong></span></div>"
    ) in block
    assert 'id="id_end_date_error" class="invalid-feedback"' in _field_block(html, "end_date")
    # The file chosen in the refused post is not kept: said beside the field, its name as text, not markup.
    attachment = _field_block(html, "attachment")
    assert 'aria-describedby="id_attachment_helptext"' in _attributes(html, "attachment")
    assert '<div id="id_attachment_helptext" class="form-text">Tệp đã chọn “&lt;i&gt;ho so&lt;i&gt;.pdf”' in attachment
    assert "<i>ho so" not in html


def test_staff_form_shows_the_organisation_field_with_its_help(staff_client, staff_user, officer_user):
    campaign = REGISTRATION.setup(staff_user, officer_user)["campaign"]
    html = staff_client.get(reverse("models_danvan:registration_create", args=[campaign.pk])).content.decode()
    block = _field_block(html, "organization")
    assert "Đơn vị đăng ký" in block and "asteriskField" not in block
    assert 'aria-describedby="id_organization_helptext"' in _attributes(html, "organization")
    assert "data-organization-lookup" in block
    assert (
        '<div id="id_organization_helptext" class="form-text">Để trống nếu là mô hình cấp Đảng ủy Khối.</div>' in block
    )
    assert html.index('id="div_id_organization"') < html.index('id="div_id_category"')

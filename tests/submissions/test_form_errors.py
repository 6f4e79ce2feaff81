"""A refused form: a summary at the top (“Biểu mẫu còn N lỗi:”, role="alert", each error linked to its field),
what was typed is kept, and a chosen file is named as not kept. Success messages say what happened."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from models_danvan.models import Registration
from tests.democracy_regs.factories import open_cycle
from tests.submissions.form_specs import SPECS, pdf

pytestmark = pytest.mark.django_db

REGISTRATION = SPECS[0]


def summary_of(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger" role="alert" id="form-errors".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_refused_registration_lists_each_error_linked_to_its_field_and_keeps_the_text(
    officer_client, staff_user, officer_user
):
    context = REGISTRATION.setup(staff_user, officer_user)
    data = REGISTRATION.post_data(context)
    data.update(name="Mô hình “Dân vận khéo” ở cơ quan", person_in_charge="", end_date="01/01/2024")

    response = officer_client.post(context["url"], data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = summary_of(html)
    assert "Biểu mẫu còn 2 lỗi:" in summary
    assert 'href="#id_person_in_charge"' in summary and 'href="#id_end_date"' in summary
    assert "data-focus-on-load" in summary
    assert 'value="Mô hình “Dân vận khéo” ở cơ quan"' in html  # typed text kept
    assert "Tệp đã chọn chưa được lưu: hãy chọn lại tệp trước khi gửi." in summary
    assert "Tệp đã chọn “ho-so.pdf” chưa được lưu" in html  # beside the file field
    assert not Registration.objects.exists()


def test_the_refused_form_keeps_its_token_for_the_corrected_post(officer_client, staff_user, officer_user):
    context = REGISTRATION.setup(staff_user, officer_user)
    data = REGISTRATION.post_data(context)
    data["person_in_charge"] = ""
    html = officer_client.post(context["url"], data).content.decode()
    assert f'name="form_token" value="{data["form_token"]}"' in html


def test_service_refusals_are_counted_in_the_summary(officer_client, staff_user, officer_user):
    cycle = open_cycle(staff_user)
    spec = next(s for s in SPECS if s.name == "qcdc_plan")
    data = spec.post_data({"cycle": cycle})
    del data["attachment"]  # sending a plan needs its signed file

    response = officer_client.post(reverse("democracy_regs:plan_create", args=[cycle.pk]), data)

    summary = summary_of(response.content.decode())
    assert "Biểu mẫu còn 1 lỗi:" in summary
    assert "Vui lòng đính kèm bản có chữ ký" in summary
    assert 'href="#id_attachment"' in summary


def test_staff_forms_share_the_summary(staff_client):
    response = staff_client.post(reverse("democracy_regs:cycle_create"), {"year": "abc"})
    assert response.status_code == 200
    assert re.search(r"Biểu mẫu còn \d+ lỗi:", summary_of(response.content.decode()))


def test_a_form_shown_for_the_first_time_has_no_summary(officer_client, staff_user, officer_user):
    context = REGISTRATION.setup(staff_user, officer_user)
    assert 'id="form-errors"' not in officer_client.get(context["url"]).content.decode()


def _messages(response) -> list[str]:
    """The messages this response added (earlier unread ones are left out)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_success_messages_say_what_happened(client, staff_user, officer_user):
    context = REGISTRATION.setup(staff_user, officer_user)
    client.force_login(officer_user)
    saved = client.post(context["url"], REGISTRATION.post_data(context, action="save"))
    assert _messages(saved) == [
        "Đã lưu bản nháp: đăng ký mô hình “Mô hình “Cơ quan không khói thuốc””. Bấm “Gửi” khi hoàn tất."
    ]
    registration = Registration.objects.get()
    sent = client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    assert _messages(sent)[-1].startswith("Đã gửi hồ sơ tới Ban Tuyên giáo.")

    client.force_login(staff_user)
    returned = client.post(
        reverse("models_danvan:registration_return", args=[registration.pk]), {"comment": "Bổ sung kết quả"}
    )
    assert _messages(returned) == [
        f"Đã trả lại hồ sơ “{registration.name}” cho {officer_user.organization.name} kèm lý do để bổ sung."
    ]

    client.force_login(officer_user)
    edit = reverse("models_danvan:registration_edit", args=[registration.pk])
    resent = client.post(edit, REGISTRATION.post_data(context, action="submit") | {"attachment": pdf("lan-2.pdf")})
    assert _messages(resent) == ["Đã gửi Ban Tuyên giáo: đăng ký mô hình “Mô hình “Cơ quan không khói thuốc””."]

    client.force_login(staff_user)
    accepted = client.post(reverse("models_danvan:registration_accept", args=[registration.pk]))
    assert _messages(accepted) == [f"Đã tiếp nhận hồ sơ “{registration.name}” của {officer_user.organization.name}."]


def test_qcdc_messages_name_the_kind_and_year(officer_client, staff_user, officer_user):
    spec = next(s for s in SPECS if s.name == "qcdc_bright_spot")
    context = spec.setup(staff_user, officer_user)
    response = officer_client.post(context["url"], spec.post_data(context, action="submit"))
    assert _messages(response) == ["Đã gửi Ban Tuyên giáo: điểm sáng năm 2024."]

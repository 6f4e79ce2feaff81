"""Signers are data: each issuing body's signers (name, position, T/M, K/T or direct signature) and its contact
person are managed on the portal; a draft's signer is chosen from them, printed in the issued document and
frozen with it; the old signer_* fields became Signer rows (migration 0006)."""

import importlib
import io
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as WordDocument

from dukportal.core.models import AuditEntry
from reports import generators, services
from reports.models import DocumentKind, IssuerKind, IssuingBodyProfile, Signer, SignerMode
from tests.reports.drafts import finish
from tests.reports.factories import IssuingBodyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(staff_user, issuing_body):
    return services.signer_create(
        actor=staff_user,
        issuing_body=issuing_body,
        name="Hoàng Văn Bình",
        position="Phó Bí thư",
        mode=SignerMode.ON_BEHALF,
        on_behalf_of="Ban Thường vụ",
        sort_order=1,
    )


@pytest.fixture
def secretary(staff_user, issuing_body):
    return services.signer_create(
        actor=staff_user,
        issuing_body=issuing_body,
        name="Trần Quốc Hùng",
        position="BÍ THƯ",
        mode=SignerMode.ON_BEHALF,
        on_behalf_of="BAN THƯỜNG VỤ",
        sort_order=2,
    )


def _signature_lines(document) -> list[str]:
    with document.docx_file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    return [p.text for p in word.tables[-1].rows[0].cells[1].paragraphs if p.text]


def test_authority_line_for_each_mode(staff_user, issuing_body, deputy):
    assert (deputy.authority, deputy.position) == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")  # printed in capitals
    department = IssuingBodyFactory(kind=IssuerKind.DEPARTMENT, name="Ban Tuyên giáo")
    head = services.signer_create(
        actor=staff_user, issuing_body=department, name="Nguyễn Đức Phương", position="TRƯỞNG BAN", mode="direct"
    )
    vice = services.signer_create(
        actor=staff_user,
        issuing_body=department,
        name="Lê Thị Thu",
        position="PHÓ TRƯỞNG BAN",
        mode=SignerMode.DEPUTY,
        on_behalf_of="TRƯỞNG BAN",
    )
    assert (head.authority, vice.authority) == ("", "K/T TRƯỞNG BAN")
    assert AuditEntry.objects.filter(action="signer.create", target_id=str(vice.pk), actor=staff_user).exists()


def test_on_behalf_without_whom_is_refused(staff_user, issuing_body):
    with pytest.raises(ValidationError, match="ghi rõ cho ai"):
        services.signer_create(
            actor=staff_user, issuing_body=issuing_body, name="A", position="PHÓ BÍ THƯ", mode=SignerMode.ON_BEHALF
        )
    assert not Signer.objects.exists()


def test_a_new_draft_is_signed_by_the_first_active_signer(staff_user, issuing_body, term, deputy, secretary):
    services.signer_update(actor=staff_user, signer=deputy, is_active=False)
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    assert (draft.content["signer_authority"], draft.content["signer_title"], draft.content["signer_name"]) == (
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Trần Quốc Hùng",
    )


def test_chosen_signer_is_printed_and_frozen_on_issue(staff_client, staff_user, issuing_body, term, deputy, secretary):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    assert draft.content["signer_name"] == "Hoàng Văn Bình"
    page = staff_client.get(reverse("reports:document_edit", args=[draft.pk])).content.decode()
    assert "Chọn người ký" in page and "Trần Quốc Hùng" in page
    response = staff_client.post(reverse("reports:document_signer", args=[draft.pk]), {"signer": secretary.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content["signer_name"] == "Trần Quốc Hùng" and draft.content["signer_id"] == secretary.pk
    assert AuditEntry.objects.filter(action="document.signer", target_id=str(draft.pk)).exists()

    issued = services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22))
    assert _signature_lines(issued) == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Trần Quốc Hùng"]

    # The signer's row changes later: the issued document keeps what it printed.
    services.signer_update(actor=staff_user, signer=secretary, name="Trần Quốc Hưng", position="PHÓ BÍ THƯ")
    issued.refresh_from_db()
    assert (issued.content["signer_title"], issued.content["signer_name"]) == ("BÍ THƯ", "Trần Quốc Hùng")
    preview = staff_client.get(reverse("reports:document_preview", args=[issued.pk])).content.decode()
    assert "Trần Quốc Hùng" in preview and "Trần Quốc Hưng" not in preview
    assert _signature_lines(issued)[-1] == "Trần Quốc Hùng"


def test_only_an_active_signer_of_the_documents_body_can_be_chosen(staff_user, issuing_body, term, deputy):
    other = IssuingBodyFactory(kind=IssuerKind.DEPARTMENT, name="Ban Tuyên giáo")
    stranger = services.signer_create(
        actor=staff_user, issuing_body=other, name="Lê Thị Thu", position="TRƯỞNG BAN", mode="direct"
    )
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    with pytest.raises(ValidationError, match="đang ký văn bản của cơ quan ban hành này"):
        services.document_choose_signer(actor=staff_user, document=draft, signer=stranger)
    services.signer_update(actor=staff_user, signer=deputy, is_active=False)
    with pytest.raises(ValidationError):
        services.document_choose_signer(actor=staff_user, document=draft, signer=deputy)


def test_staff_manage_signers_and_the_contact_person_on_the_portal(staff_client, staff_user, issuing_body):
    url = reverse("reports:signers", args=[issuing_body.pk])
    assert "Người ký và người liên hệ" in staff_client.get(url).content.decode()
    response = staff_client.post(
        url,
        {
            "action": "signer",
            "name": "Hoàng Văn Bình",
            "position": "phó bí thư",
            "mode": SignerMode.ON_BEHALF,
            "on_behalf_of": "ban thường vụ",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    signer = Signer.objects.get(issuing_body=issuing_body)
    assert (signer.authority, signer.position) == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")

    edit = reverse("reports:signer_edit", args=[signer.pk])
    assert "Hoàng Văn Bình" in staff_client.get(edit).content.decode()
    bad = staff_client.post(edit, {"name": "Hoàng Văn Bình", "position": "PHÓ BÍ THƯ", "mode": "K/T", "sort_order": 0})
    assert "Ghi rõ ký thay mặt hoặc ký thay cho ai" in bad.content.decode()

    response = staff_client.post(
        url, {"action": "contact", "name": "Nguyễn Văn Cường", "title": "Chuyên viên Ban Tuyên giáo", "phone": "0912"}
    )
    assert response.status_code == 302
    issuing_body.refresh_from_db()
    assert issuing_body.contact_name == "Nguyễn Văn Cường"
    assert AuditEntry.objects.filter(action="issuing_body.contact", target_id=str(issuing_body.pk)).exists()
    line = generators._contact_line(issuing_body, generators.selectors.header_for(issuing_body, date(2024, 5, 15)))
    assert "đồng chí Nguyễn Văn Cường - Chuyên viên Ban Tuyên giáo (Số điện thoại 0912)" in line


def test_leader_and_officer_cannot_manage_signers(
    leader_client, officer_client, issuing_body, deputy, term, staff_user
):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    for client in (leader_client, officer_client):
        assert client.get(reverse("reports:signers", args=[issuing_body.pk])).status_code == 403
        assert client.post(reverse("reports:signer_edit", args=[deputy.pk]), {"name": "X"}).status_code == 403
        assert (
            client.post(reverse("reports:document_signer", args=[draft.pk]), {"signer": deputy.pk}).status_code == 403
        )
    deputy.refresh_from_db()
    assert deputy.name == "Hoàng Văn Bình"


def test_unknown_signer_or_body_is_404_for_staff(staff_client):
    assert staff_client.get(reverse("reports:signers", args=[999])).status_code == 404
    assert staff_client.get(reverse("reports:signer_edit", args=[999])).status_code == 404


def test_migration_turns_signer_fields_into_signer_rows(bloc):
    committee = IssuingBodyFactory(signer_authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ", signer_name="An")
    IssuingBodyProfile.objects.create(
        issuing_body=committee,
        valid_from=date(2020, 10, 1),
        name=committee.name,
        signer_authority="T/M BAN THƯỜNG VỤ",
        signer_title="BÍ THƯ",
        signer_name="Bình",
    )
    department = IssuingBodyFactory(
        kind=IssuerKind.DEPARTMENT,
        name="Ban Tuyên giáo",
        signer_authority="",
        signer_title="TRƯỞNG BAN",
        signer_name="Cường",
    )
    IssuingBodyFactory(name="Không có người ký", signer_name="")
    migration = importlib.import_module("reports.migrations.0007_signers_and_references_from_existing_data")
    migration.signers_and_references(apps, None)
    migration.signers_and_references(apps, None)  # run twice: nothing more
    rows = {(s.issuing_body_id, s.name, s.authority, s.position, s.is_active) for s in Signer.objects.all()}
    assert rows == {
        (committee.pk, "An", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", True),
        (committee.pk, "Bình", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", False),
        (department.pk, "Cường", "", "TRƯỞNG BAN", True),
    }


def test_a_double_click_adds_one_signer(staff_client, issuing_body):
    import uuid

    data = {
        "action": "signer",
        "name": "Hoàng Văn Bình",
        "position": "PHÓ BÍ THƯ",
        "mode": SignerMode.ON_BEHALF,
        "on_behalf_of": "BAN THƯỜNG VỤ",
        "sort_order": 0,
        "is_active": "on",
        "form_token": str(uuid.uuid4()),
    }
    url = reverse("reports:signers", args=[issuing_body.pk])
    assert staff_client.post(url, data).status_code == 302
    assert staff_client.post(url, data).status_code == 302
    assert Signer.objects.filter(issuing_body=issuing_body).count() == 1

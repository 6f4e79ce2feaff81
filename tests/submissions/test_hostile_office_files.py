"""Office attachments are opened safely on upload: a zip bomb, an XML entity bomb, macro-enabled content
(vbaProject.bin, a .docm/.xlsm renamed) and password-protected files are refused in every upload of the portal,
with a Vietnamese message naming the reason, and nothing else the user typed is lost; ordinary files pass."""

import functools
import io
import random
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from pypdf import PdfWriter

from democracy_regs import forms as qcdc_forms
from democracy_regs.models import BrightSpot, DemocracyPlan, SelfInspectionReport, SteeringCommittee
from dukportal.core.files import validate_upload
from dukportal.submissions.forms import AttachmentField
from dukportal.submissions.models import Attachment
from models_danvan import forms as danvan_forms
from models_danvan.models import Evaluation, Registration
from organizations.models import BaseOrganization
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory
from tests.models_danvan.factories import registration_data

ZIP_BOMB = "quá lớn khi giải nén (nghi là zip bomb)"
MACRO = "chứa macro (VBA) không được chấp nhận"
ENCRYPTED = "được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại"
ENTITY = "chứa khai báo thực thể XML không an toàn"

ENTITY_BOMB = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MACRO_TYPE = {
    "docx": "application/vnd.ms-word.document.macroEnabled.main+xml",
    "xlsx": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}


@functools.cache
def ordinary(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        document = Document()
        document.add_paragraph("Báo cáo kết quả thực hiện")
        document.save(buffer)
    else:
        workbook = openpyxl.Workbook()
        workbook.active.append(["Đơn vị", "Số liệu"])
        workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(kind: str, *, replace=None, add=None) -> bytes:
    """The ordinary package of `kind` with some parts replaced (name → function of the old bytes) or added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(ordinary(kind)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            target.writestr(entry.filename, replace[entry.filename](data) if entry.filename in replace else data)
        for name, data in add.items():
            target.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb(kind: str, megabytes: int) -> bytes:
    """A real package plus a part of zeros: `megabytes` unpacked from a few kB."""
    buffer = io.BytesIO(_rewrite(kind))
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
        package.open(f"{kind[0]}/media/image1.png", "w", force_zip64=True) as part,
    ):
        for _ in range(megabytes):
            part.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def entity_bomb(kind: str) -> bytes:
    def with_doctype(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1].lstrip()  # drop any XML declaration, put the DOCTYPE before the root
        return ENTITY_BOMB + body.replace(b"</", b"&lol3;</", 1)

    return _rewrite(kind, replace={MAIN_PART[kind]: with_doctype})


def vba_project(kind: str) -> bytes:
    folder = "word" if kind == "docx" else "xl"
    return _rewrite(kind, add={f"{folder}/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504})


def renamed_macro_enabled(kind: str) -> bytes:
    """A .docm/.xlsm renamed: the main part declared macro-enabled in [Content_Types].xml (no VBA part)."""
    plain = (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        if kind == "docx"
        else b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    return _rewrite(kind, replace={"[Content_Types].xml": lambda xml: xml.replace(plain, MACRO_TYPE[kind].encode())})


def encrypted_ooxml(kind: str) -> bytes:
    """What Word/Excel save with a password: an OLE compound file holding EncryptionInfo and EncryptedPackage."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\0" * 480
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in ("Root Entry", "EncryptionInfo"))
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    return header + directory + b"\x5a" * 4096


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("matkhau", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def ordinary_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HOSTILE = [
    pytest.param("bao-cao.docx", lambda: zip_bomb("docx", 120), ZIP_BOMB, id="docx-zip-bomb-size"),
    pytest.param("so-lieu.xlsx", lambda: zip_bomb("xlsx", 8), ZIP_BOMB, id="xlsx-zip-bomb-ratio"),
    pytest.param("bao-cao.docx", lambda: entity_bomb("docx"), ENTITY, id="docx-entity-bomb"),
    pytest.param("so-lieu.xlsx", lambda: entity_bomb("xlsx"), ENTITY, id="xlsx-entity-bomb"),
    pytest.param("bao-cao.docx", lambda: vba_project("docx"), MACRO, id="docx-vba-project"),
    pytest.param("so-lieu.xlsx", lambda: vba_project("xlsx"), MACRO, id="xlsx-vba-project"),
    pytest.param("bao-cao.docx", lambda: renamed_macro_enabled("docx"), MACRO, id="docm-renamed-docx"),
    pytest.param("so-lieu.xlsx", lambda: renamed_macro_enabled("xlsx"), MACRO, id="xlsm-renamed-xlsx"),
    pytest.param("bao-cao.docx", lambda: encrypted_ooxml("docx"), ENCRYPTED, id="docx-password"),
    pytest.param("so-lieu.xlsx", lambda: encrypted_ooxml("xlsx"), ENCRYPTED, id="xlsx-password"),
    pytest.param("ke-hoach.pdf", encrypted_pdf, ENCRYPTED, id="pdf-password"),
]
# One of each kind for the page-level checks (the validator is the same everywhere; the pages must show it).
HOSTILE_DOCUMENTS = [
    ("bao-cao.docx", lambda: zip_bomb("docx", 8), ZIP_BOMB),
    ("bao-cao.docx", lambda: entity_bomb("docx"), ENTITY),
    ("bao-cao.docx", lambda: renamed_macro_enabled("docx"), MACRO),
    ("ke-hoach.pdf", encrypted_pdf, ENCRYPTED),
]


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE)
def test_hostile_file_is_refused_with_its_reason(name, build, message):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, build()))
    assert message in " ".join(refused.value.messages)
    assert name in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bao-cao.docx", lambda: ordinary("docx")),
        ("so-lieu.xlsx", lambda: ordinary("xlsx")),
        ("ke-hoach.pdf", ordinary_pdf),
        # A large but ordinary spreadsheet: 3 MB of varied text compresses well under the ratio cap.
        (
            "lon.xlsx",
            lambda: _rewrite(
                "xlsx", add={"xl/media/notes.xml": b"<a>" + random.randbytes(1_500_000).hex().encode() + b"</a>"}
            ),
        ),
    ],
)
def test_ordinary_office_files_and_pdfs_are_still_accepted(name, build):
    validate_upload(SimpleUploadedFile(name, build()))


def _attachment_fields():
    for module in (danvan_forms, qcdc_forms):
        for form in vars(module).values():
            if isinstance(form, type) and hasattr(form, "base_fields"):
                for field_name, field in form.base_fields.items():
                    if isinstance(field, AttachmentField):
                        yield pytest.param(field, id=f"{form.__name__}.{field_name}")


ATTACHMENT_FIELDS = list(_attachment_fields())


def test_every_attachment_form_is_covered():
    assert len(ATTACHMENT_FIELDS) >= 7  # registration (officer, staff), evaluation, four QCDC kinds


@pytest.mark.parametrize("field", ATTACHMENT_FIELDS)
@pytest.mark.parametrize(("name", "build", "message"), HOSTILE)
def test_every_attachment_field_refuses_hostile_files(field, name, build, message):
    with pytest.raises(ValidationError) as refused:
        field.clean(SimpleUploadedFile(name, build()))
    assert message in " ".join(refused.value.messages)


# --- Every upload page -----------------------------------------------------------------------------------------


def _registration_create(officer, staff):
    campaign = CampaignFactory(year=2024, created_by=staff)
    url = reverse("models_danvan:registration_create", args=[campaign.pk])
    return url, registration_data(action="save"), "Nguyễn Thị Hoa", Registration


def _registration_edit(officer, staff):
    registration = RegistrationFactory(organization=officer.organization, status="draft")
    url = reverse("models_danvan:registration_edit", args=[registration.pk])
    return url, {**registration_data(action="save"), "person_in_charge": "Trần Văn Bình"}, "Trần Văn Bình", None


def _evaluation_create(officer, staff):
    registration = RegistrationFactory(organization=officer.organization, status="accepted")
    url = reverse("models_danvan:evaluation_create", args=[registration.pk])
    data = {"period": "mid_year", "results": "Đã tổ chức 3 buổi tuyên truyền", "self_rating": "good", "action": "save"}
    return url, data, "Đã tổ chức 3 buổi tuyên truyền", Evaluation


def _qcdc(kind, data, typed, model):
    def build(officer, staff):
        cycle = open_cycle(staff)
        return reverse(f"democracy_regs:{kind}_create", args=[cycle.pk]), {**data, "action": "save"}, typed, model

    return build


FORM_PAGES = [
    pytest.param(_registration_create, id="registration-create"),
    pytest.param(_registration_edit, id="registration-edit"),
    pytest.param(_evaluation_create, id="evaluation-create"),
    pytest.param(
        _qcdc(
            "plan",
            {"number": "07-KH/ĐU", "issued_on": "12/04/2024", "summary": "Kế hoạch dân chủ", "officer_in_charge": "Vũ Thị Hạnh"},
            "Vũ Thị Hạnh",
            DemocracyPlan,
        ),
        id="qcdc-plan-create",
    ),
    pytest.param(
        _qcdc("committee", {"decision_number": "12-QĐ/ĐU", "decision_date": "01/04/2024"}, "12-QĐ/ĐU", SteeringCommittee),
        id="qcdc-committee-create",
    ),
    pytest.param(
        _qcdc("report", {"findings_leadership": "Cấp ủy ban hành kế hoạch tự kiểm tra"}, "Cấp ủy ban hành kế hoạch tự kiểm tra", SelfInspectionReport),
        id="qcdc-report-create",
    ),
    pytest.param(
        _qcdc("bright_spot", {"kind": "democracy", "title": "Đối thoại với người lao động", "description": "Mô tả"}, "Đối thoại với người lao động", BrightSpot),
        id="qcdc-bright-spot-create",
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("page", FORM_PAGES)
def test_every_form_with_an_attachment_refuses_hostile_files_and_keeps_what_was_typed(
    client, officer_user, staff_user, page
):
    url, data, typed, model = page(officer_user, staff_user)
    client.force_login(officer_user)
    for name, build, message in HOSTILE_DOCUMENTS:
        response = client.post(url, {**data, "attachment": SimpleUploadedFile(name, build())})
        content = response.content.decode()
        assert response.status_code == 200, name
        assert message in content, name
        assert typed in content, name  # nothing the officer typed is lost
    assert not Attachment.objects.exists()
    if model is not None:
        assert not model.objects.exists()
    # The same form takes an ordinary Word file.
    response = client.post(url, {**data, "attachment": SimpleUploadedFile("bao-cao.docx", ordinary("docx"))})
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def _registration_attach(officer, staff):
    registration = RegistrationFactory(organization=officer.organization, status="draft")
    return reverse("models_danvan:registration_attach", args=[registration.pk])


def _plan_attach(officer, staff):
    plan = PlanFactory(cycle=open_cycle(staff), organization=officer.organization, status="draft")
    return reverse("democracy_regs:plan_attach", args=[plan.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("page", [_registration_attach, _plan_attach], ids=["registration", "qcdc-plan"])
def test_files_attached_later_are_checked_the_same_way(client, officer_user, staff_user, page):
    url = page(officer_user, staff_user)
    client.force_login(officer_user)
    for name, build, message in HOSTILE_DOCUMENTS:
        response = client.post(url, {"file": SimpleUploadedFile(name, build())}, follow=True)
        assert message in response.content.decode(), name
    assert not Attachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("ke-hoach.pdf", ordinary_pdf())}, follow=True)
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: zip_bomb("xlsx", 8), ZIP_BOMB),
        (lambda: entity_bomb("xlsx"), ENTITY),
        (lambda: vba_project("xlsx"), MACRO),
        (lambda: encrypted_ooxml("xlsx"), ENCRYPTED),
    ],
)
def test_the_organisation_import_refuses_hostile_workbooks(staff_client, build, message):
    before = BaseOrganization.objects.count()
    response = staff_client.post(reverse("organizations:import"), {"file": SimpleUploadedFile("to-chuc.xlsx", build())})
    assert message in response.content.decode()
    assert BaseOrganization.objects.count() == before

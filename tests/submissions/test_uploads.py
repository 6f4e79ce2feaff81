"""Uploaded files: type read from content, size capped, stored privately, served only to those allowed."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from dukportal.core.files import validate_upload
from dukportal.submissions import services
from tests.factories import RegistrationFactory

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Báo cáo")
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("bao-cao.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("so-lieu.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("anh.PNG", PNG, "image/png"),
        ("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    ],
)
def test_genuine_files_are_accepted(name, content, mime):
    assert validate_upload(SimpleUploadedFile(name, content)) == mime


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300),  # a Windows executable renamed .pdf
        ("bao-cao.docx", _xlsx()),  # a spreadsheet renamed .docx
        ("so-lieu.xlsx", b"PK\x03\x04 not really a zip"),
        ("anh.png", b"GIF89a" + b"\x00" * 50),
    ],
)
def test_renamed_or_fake_files_are_refused(name, content):
    with pytest.raises(ValidationError, match="không phải là tệp"):
        validate_upload(SimpleUploadedFile(name, content))


def test_empty_and_unknown_extensions_are_refused():
    with pytest.raises(ValidationError, match="rỗng"):
        validate_upload(SimpleUploadedFile("a.pdf", b""))
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        validate_upload(SimpleUploadedFile("script.sh", b"#!/bin/sh"))


@pytest.mark.django_db
def test_attachments_are_stored_outside_static_and_served_only_to_allowed_users(
    client, settings, tmp_path, officer_user, other_officer_user, leader_user
):
    settings.MEDIA_ROOT = tmp_path
    registration = RegistrationFactory(organization=officer_user.organization, status="draft")
    attachment = services.attachment_add(
        actor=officer_user, submission=registration, uploaded=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    assert str(tmp_path) in attachment.file.path and "static" not in attachment.file.path
    url = reverse("submissions:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(other_officer_user)
    assert client.get(url).status_code == 404
    for user in (officer_user, leader_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "ke-hoach.pdf" in response["Content-Disposition"]

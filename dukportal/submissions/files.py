"""Upload checks: the type is read from the file's content (libmagic), must match the extension, and the
size is capped. A renamed executable is refused whatever its name says."""

import zipfile
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension → MIME types libmagic reports for a genuine file of that kind
ALLOWED_TYPES = {
    ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
}
# Some libmagic builds report a bare zip for OOXML; then the package's own manifest decides.
_OOXML_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_TYPES)


def detect_mime(uploaded) -> str:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    return magic.from_buffer(head, mime=True)


def _is_ooxml(uploaded, suffix: str) -> bool:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as package:
            return _OOXML_MAIN_PART[suffix] in package.namelist()
    except (zipfile.BadZipFile, KeyError):
        return False
    finally:
        uploaded.seek(0)


def validate_upload(uploaded) -> str:
    """Return the detected MIME type, or raise ValidationError with a Vietnamese message."""
    suffix = PurePath(uploaded.name or "").suffix.lower()
    allowed = ", ".join(ext.lstrip(".").upper() for ext in ALLOWED_TYPES if ext != ".jpeg")
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            "Tệp “%(name)s” không đúng định dạng cho phép (%(allowed)s).",
            code="extension",
            params={"name": uploaded.name, "allowed": allowed},
        )
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            "Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(limit)s.",
            code="size",
            params={
                "name": uploaded.name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            },
        )
    if uploaded.size == 0:
        raise ValidationError("Tệp “%(name)s” rỗng.", code="empty", params={"name": uploaded.name})
    mime = detect_mime(uploaded)
    genuine = mime in ALLOWED_TYPES[suffix] or (
        suffix in _OOXML_MAIN_PART
        and mime in {"application/zip", "application/octet-stream"}
        and _is_ooxml(uploaded, suffix)
    )
    if not genuine:
        raise ValidationError(
            "Nội dung tệp “%(name)s” không phải là tệp %(kind)s hợp lệ (hệ thống nhận diện: %(mime)s).",
            code="content",
            params={"name": uploaded.name, "kind": suffix.lstrip(".").upper(), "mime": mime},
        )
    return next(iter(ALLOWED_TYPES[suffix]))

"""Upload checks: the type is read from the file's content (libmagic), must match the extension, and the
size is capped. A renamed executable is refused whatever its name says.

Office files are also opened safely, without extracting anything (the file is stored, and staff open it later
in Word or Excel): a zip bomb (total uncompressed size or compression ratio over the caps, read from the zip's
central directory), an XML part declaring a DOCTYPE/ENTITY (entity bombs, external entities), macro-enabled
content (a vbaProject.bin part, or a .docm/.xlsm content type renamed .docx/.xlsx) and password-protected
files (an encrypted OOXML is an OLE compound file holding EncryptionInfo/EncryptedPackage; an encrypted PDF
has /Encrypt in its trailer) are refused, each with a Vietnamese message naming the reason."""

import re
import zipfile
import zlib
from pathlib import PurePath
from typing import IO, Any, NoReturn
from xml.parsers import expat

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

# Caps for Office packages (zip containers). A real report or spreadsheet of a few MB unpacks to a few tens of
# MB at most, and XML compresses about 10:1; a zip bomb reaches thousands to one.
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024  # below this, a high ratio (e.g. a tiny, blank sheet) is harmless
ZIP_MAX_ENTRIES = 10_000
_XML_CHUNK = 64 * 1024
_XML_PROLOG_MAX_BYTES = 1024 * 1024  # a DOCTYPE can only come before the root element
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_OLE_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_PDF_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"vnd.ms-office.activex")

ENCRYPTED_MESSAGE = "Tệp “%(name)s” được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại."
ZIP_BOMB_MESSAGE = "Tệp “%(name)s” quá lớn khi giải nén (nghi là zip bomb) nên không được chấp nhận."
MACRO_MESSAGE = "Tệp “%(name)s” chứa macro (VBA) không được chấp nhận: hãy lưu lại dạng .docx/.xlsx không có macro."
ENTITY_MESSAGE = "Tệp “%(name)s” chứa khai báo thực thể XML không an toàn (DOCTYPE/ENTITY) nên không được chấp nhận."


def detect_mime(uploaded: Any) -> str:
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    return magic.from_buffer(head, mime=True)


def _is_ooxml(uploaded: Any, suffix: str) -> bool:
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as package:
            return _OOXML_MAIN_PART[suffix] in package.namelist()
    except (zipfile.BadZipFile, KeyError):
        return False
    finally:
        uploaded.seek(0)


def _read_all(uploaded: Any) -> bytes:
    uploaded.seek(0)
    try:
        content: bytes = uploaded.read()
        return content
    finally:
        uploaded.seek(0)


def _refuse(message: str, code: str, uploaded: Any) -> NoReturn:
    raise ValidationError(message, code=code, params={"name": uploaded.name})


class _PrologDone(Exception):
    """The root element started: no DOCTYPE can follow, the rest of the part need not be read."""


class _UnsafeXml(Exception):
    pass


def _xml_declares_doctype(stream: IO[bytes]) -> bool:
    """Whether an XML part declares a DOCTYPE (and so possibly entities); parsed by expat, any encoding, only
    up to its root element."""
    parser = expat.ParserCreate()

    def unsafe(*args: object) -> None:
        raise _UnsafeXml

    def root_started(*args: object) -> None:
        raise _PrologDone

    parser.StartDoctypeDeclHandler = unsafe
    parser.EntityDeclHandler = unsafe
    parser.StartElementHandler = root_started
    read = 0
    try:
        while chunk := stream.read(_XML_CHUNK):
            read += len(chunk)
            parser.Parse(chunk, False)
            if read >= _XML_PROLOG_MAX_BYTES:
                return True  # a prolog this long is not an Office file's
        parser.Parse(b"", True)
    except _UnsafeXml:
        return True
    except (_PrologDone, expat.ExpatError):
        return False  # malformed XML is for Word/Excel to reject; it cannot expand entities without a DOCTYPE
    return False


def _check_office_package(uploaded: Any) -> None:
    """Refuse a zip bomb, macros and XML entity declarations in an OOXML package (nothing is extracted)."""
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as package:
            entries = package.infolist()
            total = sum(entry.file_size for entry in entries)
            if (
                len(entries) > ZIP_MAX_ENTRIES
                or total > ZIP_MAX_UNCOMPRESSED_BYTES
                or (total > ZIP_RATIO_FLOOR_BYTES and total > ZIP_MAX_RATIO * max(uploaded.size, 1))
                or any(
                    entry.file_size > ZIP_RATIO_FLOOR_BYTES
                    and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1)
                    for entry in entries
                )
            ):
                _refuse(ZIP_BOMB_MESSAGE, "zip_bomb", uploaded)
            if any(entry.flag_bits & 0x1 for entry in entries):  # zip-level password
                _refuse(ENCRYPTED_MESSAGE, "encrypted", uploaded)
            names = {entry.filename for entry in entries}
            if any(PurePath(name).name.lower() == "vbaproject.bin" for name in names):
                _refuse(MACRO_MESSAGE, "macro", uploaded)
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as part:
                    content_types = part.read(_XML_PROLOG_MAX_BYTES).lower()
                if any(marker in content_types for marker in _MACRO_CONTENT_TYPES):
                    _refuse(MACRO_MESSAGE, "macro", uploaded)
            for entry in entries:
                if entry.is_dir() or not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with package.open(entry) as part:
                    if _xml_declares_doctype(part):
                        _refuse(ENTITY_MESSAGE, "xml_entity", uploaded)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        pass  # not a readable zip: the content check below refuses it as not a genuine file
    finally:
        uploaded.seek(0)


def _check_not_encrypted(uploaded: Any, suffix: str) -> None:
    if suffix in _OOXML_MAIN_PART:
        uploaded.seek(0)
        is_ole = uploaded.read(len(_OLE_MAGIC)) == _OLE_MAGIC
        uploaded.seek(0)
        if is_ole and any(stream in _read_all(uploaded) for stream in _OLE_ENCRYPTION_STREAMS):
            _refuse(ENCRYPTED_MESSAGE, "encrypted", uploaded)
    elif suffix == ".pdf" and _PDF_ENCRYPT.search(_read_all(uploaded)):
        _refuse(ENCRYPTED_MESSAGE, "encrypted", uploaded)


def validate_upload(uploaded: Any) -> str:
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
    _check_not_encrypted(uploaded, suffix)
    if suffix in _OOXML_MAIN_PART:
        _check_office_package(uploaded)
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

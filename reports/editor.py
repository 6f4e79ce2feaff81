"""The section editor of a draft (issue 10, "An editor for a clerk"): its writes and the rules they apply.

The editor stores the body in its structured form (reports.document: opening, numbered sections, closing,
contact person; tables as lists of rows). A draft still in the generators' text form is converted when it is
opened (`document.structured_content`), so a clerk never edits "|"-delimited text. A table is regenerated
from the data of the draft's reference date without touching the rest of what was typed."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dukportal.core import audit
from dukportal.core.text import normalize_text
from organizations import access

from . import services
from .document import STRUCTURED_BODY_KEYS, body_blocks, structured_content, structured_from_text
from .models import Document, DocumentKind, Signer

# A heading numbered "1. …" or "I- …": the editor renumbers them in their new order after a reorder, an
# addition or a removal, so "3. Về việc …" never follows "1. …".
ARABIC = re.compile(r"^(\d{1,2})\.\s+")
ROMAN = re.compile(r"^([IVXL]{1,6})-\s*")
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]

EDITOR_TEXT = ("subject", "signer_authority", "signer_title", "signer_name")
EDITOR_LISTS = ("recipients", "distribution")


def renumbered(headings: list[str]) -> list[str]:
    """The headings numbered 1, 2, 3… (or I-, II-, III-…) in their order, when every one of them is numbered
    that way; otherwise as typed."""
    if headings and all(ARABIC.match(h) for h in headings):
        return [ARABIC.sub(f"{n}. ", h, count=1) for n, h in enumerate(headings, start=1)]
    if headings and len(headings) <= len(ROMANS) and all(ROMAN.match(h) for h in headings):
        return [ROMAN.sub(f"{ROMANS[n]}- ", h, count=1) for n, h in enumerate(headings)]
    return headings


def _clean_blocks(blocks) -> list[dict]:
    cleaned = []
    for block in blocks or []:
        if block.get("kind") == "table":
            rows = [[normalize_text(str(cell)) for cell in row] for row in block.get("rows") or []]
            rows = [row for row in rows if any(row)]
            if rows:
                width = max(len(row) for row in rows)
                cleaned.append({"kind": "table", "rows": [row + [""] * (width - len(row)) for row in rows]})
        else:
            text = normalize_text(block.get("text"))
            if text:
                cleaned.append({"kind": "paragraph", "text": text})
    return cleaned


def normalized(content: dict) -> dict:
    """What the editor sends, in the form it is stored: text normalised (control characters dropped, spaces
    collapsed), empty paragraphs, rows and sections dropped, the sections renumbered."""
    result = {name: normalize_text(content.get(name)) for name in EDITOR_TEXT}
    for name in EDITOR_LISTS:
        result[name] = [line for line in (normalize_text(v) for v in content.get(name) or []) if line]
    sections = []
    for section in content.get("sections") or []:
        heading, blocks = normalize_text(section.get("heading")), _clean_blocks(section.get("blocks"))
        if heading or blocks:
            sections.append({"heading": heading, "blocks": blocks})
    for section, heading in zip(sections, renumbered([s["heading"] for s in sections]), strict=True):
        section["heading"] = heading
    result["opening"] = _clean_blocks(content.get("opening"))
    result["sections"] = sections
    result["closing"] = _clean_blocks(content.get("closing"))
    if signer_id := content.get("signer_id"):
        result["signer_id"] = int(signer_id) if str(signer_id).isdigit() else None
    contact = content.get("contact") or {}
    result["contact"] = {key: normalize_text(contact.get(key)) for key in ("name", "title", "phone")}
    return result


def draft_with(document: Document, content: dict) -> Document:
    """An unsaved copy of the draft with the edited content, to preview and check what is on the screen."""
    copy = Document(
        pk=document.pk,
        kind=document.kind,
        doc_type=document.doc_type,
        issuing_body=document.issuing_body,
        figures_as_of=document.figures_as_of,
        status=document.status,
    )
    copy.content = {**structured_content(document.content), **normalized(content)}
    return copy


@transaction.atomic
def document_save_sections(*, actor, document: Document, content: dict) -> Document:
    """Save a draft from the section editor: subject, recipients, opening, numbered sections with their tables,
    closing, contact person, signer lines and distribution. Keys the editor does not show (the chosen signer's
    id, the recipient choice) are kept. One audit row names what changed."""
    access.require_staff(actor)
    locked = services._locked_draft(document)
    before = structured_content(locked.content)
    edited = normalized(content)
    if (
        edited.get("signer_id")
        and not Signer.objects.filter(pk=edited["signer_id"], issuing_body=locked.issuing_body_id).exists()
    ):
        raise ValidationError({"signer": "Người ký đã chọn không thuộc cơ quan ban hành này."})
    if not edited["subject"]:
        raise ValidationError({"subject": "Nhập trích yếu của văn bản."})
    after = {**before, **edited}
    if not body_blocks(after):
        raise ValidationError("Nội dung văn bản không được để trống: hãy viết ít nhất một đoạn.")
    changed = sorted(name for name in {*edited, *STRUCTURED_BODY_KEYS} if before.get(name) != after.get(name))
    if "body" in locked.content:
        changed.append("body")  # the text form replaced by the structure
    locked.content = after
    locked.full_clean()
    locked.save()
    audit.record(
        actor=actor,
        action="document.update",
        target=locked,
        changes={
            "fields": changed,
            "sections": [section["heading"] for section in after["sections"]],
        },
    )
    return locked


def regenerated(document: Document) -> dict:
    """The draft's content generated again for its kept reference date, in the editor's form; nothing saved
    (document_regenerate saves the whole of it; the editor takes one table from it)."""
    if document.kind == DocumentKind.OTHER:
        raise ValidationError("Văn bản khác không có số liệu để tạo lại bảng.")
    as_of = document.figures_as_of or timezone.localdate()
    content, _ = services._generated(
        kind=document.kind,
        issuing_body=document.issuing_body,
        deadline=document.deadline,
        source=document.source,
        doc_type=document.doc_type,
        as_of=as_of,
        topic_specs=services.topic_specs_of(document) if document.kind in services.TOPIC_KINDS else None,
    )
    return structured_from_text(content.get("body", ""))


def _unnumbered(heading: str) -> str:
    return ROMAN.sub("", ARABIC.sub("", heading or "", count=1), count=1).strip().casefold()


def _tables(blocks) -> list[dict]:
    return [block for block in blocks or [] if block.get("kind") == "table"]


def table_from_data(document: Document, *, part: str, heading: str = "", index: int = 0, position: int = 0):
    """The rows the data gives today for one table of the draft: table `index` of the opening, the closing, or
    the section of that heading (its number ignored, so a reordered section still finds its table; else the
    section at the same `position`). None when the data has no such table any more."""
    fresh = regenerated(document)
    if part in ("opening", "closing"):
        blocks = fresh[part]
    else:
        sections = fresh["sections"]
        wanted = _unnumbered(heading)
        match = [s for s in sections if _unnumbered(s["heading"]) == wanted]
        if match:
            blocks = match[0]["blocks"]
        elif 0 <= position < len(sections):
            blocks = sections[position]["blocks"]
        else:
            return None
    tables = _tables(blocks)
    return tables[index]["rows"] if 0 <= index < len(tables) else None

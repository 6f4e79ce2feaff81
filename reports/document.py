"""The one document structure both renderers draw (render_docx → .docx, render_pdf → HTML → PDF).

A stored document keeps only what staff edit (`content`, a JSON dict: subject, recipients, the body, signer,
distribution list); the header lines, number and date come from the issuing body, the register and the issue
date when the structure is composed.

The body is stored in one of two forms, and every reader goes through `body_blocks` / `body_text`:
- the generators' text (`content["body"]`): one paragraph per line, "# " headings, "|" table rows;
- the section editor's structure (`content["sections"]`, reports/editor.py): `opening` and `closing` (lists of
  blocks), `sections` (each a heading and its blocks), `contact` (the person the contact sentence names), where
  a block is {"kind": "paragraph", "text": …} or {"kind": "table", "rows": [[cell, …], …]} (first row the
  header), so a table is a list of rows and a cell may hold any text, "|" included."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from dukportal.documents.text import HEADING_PREFIX, TABLE_PREFIX, split_lines, table_lines, text_date

from . import layout as L

__all__ = ["HEADING_PREFIX", "TABLE_PREFIX", "split_lines", "table_lines", "text_date"]

BLANK = "\u00a0" * 6  # room left for the number or day written by hand on an unissued draft

# Body markup (dukportal.documents.text, shared with the feature apps' section writers): one paragraph per
# line; "# " starts a heading; lines starting with "|" form a table.
NUMBER = re.compile(r"[\d.,/%]+")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" | "heading" | "table"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()  # tables: first row is the header

    @property
    def numeric_columns(self) -> tuple[bool, ...]:
        """Columns whose body cells are all figures: both renderers centre them."""
        width = max((len(row) for row in self.rows), default=0)
        body = self.rows[1:]
        return tuple(
            bool(body) and all(NUMBER.fullmatch(row[i] if i < len(row) else "") for row in body) for i in range(width)
        )

    @property
    def column_widths(self) -> tuple[float, ...]:
        """Each column's width in mm (layout.table_column_widths): the PDF's <col> and the .docx grid."""
        return L.table_column_widths(self.rows, self.numeric_columns)


@dataclass(frozen=True)
class Signature:
    authority: str  # "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN"; may be empty (the head signs directly)
    title: str  # "PHÓ BÍ THƯ"
    name: str


@dataclass(frozen=True)
class OfficialDocument:
    superior_line: str  # "ĐẢNG BỘ TỈNH YÊN BÁI"
    issuer_line: str  # "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
    number_text: str  # "Số 1720-CV/ĐUK"
    place_date: str  # "Yên Bái, ngày 22 tháng 5 năm 2024"
    doc_type: str  # "CV", "BC", …
    type_name: str  # "" for a công văn, "BÁO CÁO" for a báo cáo
    subject: str  # công văn: "V/v …"; others: the line under the type name
    recipients: tuple[str, ...]
    body: tuple[Block, ...]
    signature: Signature
    distribution: tuple[str, ...]
    is_draft: bool = False
    title: str = field(default="", compare=False)  # file metadata only
    author: str = field(default="", compare=False)  # file metadata only: the issuing body's name

    @property
    def is_dispatch(self) -> bool:
        return not self.type_name

    @property
    def size_estimate(self) -> int:
        """Paragraphs and table rows of the body (plus recipients and distribution lines): what rendering time
        grows with, so the download decides from it whether a file is made at once or as a job."""
        return size_estimate(self.body, self.recipients, self.distribution)

    def to_snapshot(self) -> dict:
        """JSON-ready: a render job keeps the document as the user saw it, whatever changes afterwards."""
        return asdict(self)

    @classmethod
    def from_snapshot(cls, data: dict) -> "OfficialDocument":
        values = dict(data)
        values["recipients"] = tuple(values["recipients"])
        values["distribution"] = tuple(values["distribution"])
        values["signature"] = Signature(**values["signature"])
        values["body"] = tuple(
            Block(kind=block["kind"], text=block["text"], rows=tuple(tuple(row) for row in block["rows"]))
            for block in values["body"]
        )
        return cls(**values)


def party_date(day: date | None, place: str, *, year: int | None = None) -> str:
    """§9: day zero-padded, months 1 and 2 zero-padded, 3-12 not. No date yet: blanks to fill by hand."""
    if day is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_text(number: int | None, doc_type: str, symbol: str) -> str:
    """§8: "Số 1720-CV/ĐUK", no colon, numbers below 10 zero-padded."""
    shown = f"{number:02d}" if number is not None else BLANK
    return f"Số {shown}-{doc_type}/{symbol}"


def parse_body(text: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if line.startswith(TABLE_PREFIX):
            rows.append(tuple(cell.strip() for cell in line.strip("|").split("|")))
            continue
        if rows:
            blocks.append(Block("table", rows=tuple(rows)))
            rows = []
        if not line:
            continue
        if line.startswith(HEADING_PREFIX):
            blocks.append(Block("heading", text=line[len(HEADING_PREFIX) :].strip()))
        else:
            blocks.append(Block("paragraph", text=line))
    if rows:
        blocks.append(Block("table", rows=tuple(rows)))
    return tuple(blocks)


def printed_recipients(lines) -> tuple[str, ...]:
    """How both renderers print the Kính gửi lines (§3 C2): one recipient without a dash (it goes on the
    label's line), several each as a dash item (a line typed without its dash gets one)."""
    lines = [line.strip() for line in lines or () if line and line.strip()]
    if len(lines) == 1:
        only = lines[0]
        return (only[1:].strip() if only.startswith("-") else only,)
    return tuple(line if line.startswith("-") else f"- {line}" for line in lines)


# --- the structured body (section editor) ------------------------------------------------------------------------

# The closing of a generated body: from its contact sentence or its "Trên đây là …" on, when nothing but
# paragraphs follows (reports.generators and reports.topics end every draft that way).
CLOSING_STARTS = ("Trong quá trình triển khai", "Trên đây là")
CONTACT_OPENING = "Trong quá trình triển khai, nếu có vướng mắc đề nghị liên hệ trực tiếp với đồng chí "
CONTACT_ENDING = " để được hướng dẫn thực hiện."
CONTACT_SENTENCE = re.compile(
    "^"
    + re.escape(CONTACT_OPENING)
    + r"(?P<name>.+?)(?: - (?P<title>.+?))?(?: \(Số điện thoại (?P<phone>[^()]+)\))?"
    + re.escape(CONTACT_ENDING)
    + "$"
)


STRUCTURED_BODY_KEYS = ("opening", "sections", "closing", "contact")


def is_structured(content) -> bool:
    return isinstance(content, dict) and isinstance(content.get("sections"), list)


def contact_sentence(contact) -> str:
    """The sentence naming the document's contact person (the wording of reports.generators' contact line)."""
    contact = contact or {}
    name = (contact.get("name") or "").strip()
    if not name:
        return ""
    who = name
    if title := (contact.get("title") or "").strip():
        who += f" - {title}"
    if phone := (contact.get("phone") or "").strip():
        who += f" (Số điện thoại {phone})"
    return f"{CONTACT_OPENING}{who}{CONTACT_ENDING}"


def parse_contact(text: str) -> dict | None:
    """The contact person of a generated contact sentence, when writing it again gives the same sentence."""
    match = CONTACT_SENTENCE.match(text or "")
    if not match:
        return None
    contact = {key: match[key] or "" for key in ("name", "title", "phone")}
    return contact if contact_sentence(contact) == text else None


def _block_json(block: Block) -> dict:
    if block.kind == "table":
        return {"kind": "table", "rows": [list(row) for row in block.rows]}
    return {"kind": "paragraph", "text": block.text}


def _block_of(item) -> Block | None:
    if not isinstance(item, dict):
        return None
    if item.get("kind") == "table":
        rows = tuple(tuple(str(cell) for cell in row) for row in item.get("rows") or () if any(str(c) for c in row))
        return Block("table", rows=rows) if rows else None
    text = str(item.get("text") or "").strip()
    return Block("paragraph", text=text) if text else None


def structured_from_text(body: str) -> dict:
    """A generated (or hand-written) text body as opening, numbered sections and closing, nothing lost:
    `body_blocks` of the result equals `parse_body(body)`."""
    opening: list[Block] = []
    sections: list[tuple[str, list[Block]]] = []
    for block in parse_body(body):
        if block.kind == "heading":
            sections.append((block.text, []))
        else:
            (sections[-1][1] if sections else opening).append(block)
    last = sections[-1][1] if sections else opening
    closing: list[Block] = []
    for index, block in enumerate(last):
        tail = last[index:]
        if block.text.startswith(CLOSING_STARTS) and all(item.kind == "paragraph" for item in tail):
            closing = tail
            del last[index:]
            break
    contact = None
    if closing and (contact := parse_contact(closing[0].text)):
        closing = closing[1:]
    return {
        "opening": [_block_json(b) for b in opening],
        "sections": [{"heading": heading, "blocks": [_block_json(b) for b in blocks]} for heading, blocks in sections],
        "closing": [_block_json(b) for b in closing],
        "contact": contact or {"name": "", "title": "", "phone": ""},
    }


def structured_content(content: dict) -> dict:
    """The content in the editor's form (a text body converted, the other keys kept)."""
    if is_structured(content):
        return dict(content)
    converted = {key: value for key, value in content.items() if key != "body"}
    converted.update(structured_from_text(content.get("body", "")))
    return converted


def body_blocks(content: dict) -> tuple[Block, ...]:
    """The blocks both renderers draw, from either form of the body."""
    if not is_structured(content):
        return parse_body(content.get("body", ""))
    blocks: list[Block] = []
    blocks.extend(filter(None, map(_block_of, content.get("opening") or [])))
    for section in content.get("sections") or []:
        heading = str(section.get("heading") or "").strip()
        if heading:
            blocks.append(Block("heading", text=heading))
        blocks.extend(filter(None, map(_block_of, section.get("blocks") or [])))
    if sentence := contact_sentence(content.get("contact")):
        blocks.append(Block("paragraph", text=sentence))
    blocks.extend(filter(None, map(_block_of, content.get("closing") or [])))
    return tuple(blocks)


def empty_sections(content: dict) -> list[str] | None:
    """The headings of the structured body's sections with nothing under them (the closing that follows the
    last one does not fill it); None for a text body, whose sections only its lines tell."""
    if not is_structured(content):
        return None
    return [
        str(section.get("heading") or "").strip()
        for section in content.get("sections") or []
        if str(section.get("heading") or "").strip() and not any(map(_block_of, section.get("blocks") or []))
    ]


def body_text(content: dict) -> str:
    """The body as markup text, for the readers that scan it line by line (issue checks, a section's requests)."""
    if not is_structured(content):
        return content.get("body", "") or ""
    lines = []
    for block in body_blocks(content):
        if block.kind == "heading":
            lines.append(f"{HEADING_PREFIX}{block.text}")
        elif block.kind == "table":
            lines.extend(table_lines(block.rows))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def size_estimate(body, recipients, distribution) -> int:
    return sum(len(block.rows) if block.kind == "table" else 1 for block in body) + len(recipients) + len(distribution)


def content_size_estimate(content: dict) -> int:
    """The size_estimate of the structure `compose` builds from this content, without composing the header."""
    return size_estimate(
        body_blocks(content),
        printed_recipients(content.get("recipients", [])),
        tuple(content.get("distribution", [])),
    )


def compose(
    *,
    superior_line: str,
    issuer_line: str,
    symbol: str,
    place: str,
    doc_type: str,
    type_name: str,
    content: dict,
    number: int | None = None,
    issued_on: date | None = None,
    draft_year: int | None = None,
    author: str = "",
) -> OfficialDocument:
    """Build the structure from an issuing body's lines, the register's number and the staff-edited content."""
    return OfficialDocument(
        superior_line=superior_line.upper(),
        issuer_line=issuer_line.upper(),
        number_text=number_text(number, doc_type, symbol),
        place_date=party_date(issued_on, place, year=draft_year),
        doc_type=doc_type,
        type_name=type_name.upper(),
        subject=content.get("subject", ""),
        recipients=printed_recipients(content.get("recipients", [])),
        body=body_blocks(content),
        signature=Signature(
            authority=content.get("signer_authority", "").upper(),
            title=content.get("signer_title", "").upper(),
            name=content.get("signer_name", ""),
        ),
        distribution=tuple(content.get("distribution", [])),
        is_draft=number is None,
        title=content.get("subject", ""),
        author=author,
    )

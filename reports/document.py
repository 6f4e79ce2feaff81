"""The one document structure both renderers draw (render_docx → .docx, render_pdf → HTML → PDF).

A stored document keeps only what staff edit (`content`, a JSON dict: subject, recipients, body text, signer,
distribution list); the header lines, number and date come from the issuing body, the register and the issue
date when the structure is composed."""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from . import layout as L

BLANK = "\u00a0" * 6  # room left for the number or day written by hand on an unissued draft

# Body markup: one paragraph per line; "# " starts a heading; lines starting with "|" form a table.
HEADING_PREFIX = "# "
TABLE_PREFIX = "|"
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


def text_date(day: date) -> str:
    """Dates in running text, as the committee writes them (1720-CV/ĐUK: "trước ngày 01/9/2024", "ngày 25/3/2024"):
    the §9 rule without the words, so prose and the date line never disagree."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


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


def table_lines(rows) -> list[str]:
    """The markup for a table (used by the generators, which write the body text staff then edit)."""
    return ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"\r?\n", text or "") if line.strip()]


def printed_recipients(lines) -> tuple[str, ...]:
    """How both renderers print the Kính gửi lines (§3 C2): one recipient without a dash (it goes on the
    label's line), several each as a dash item (a line typed without its dash gets one)."""
    lines = [line.strip() for line in lines or () if line and line.strip()]
    if len(lines) == 1:
        only = lines[0]
        return (only[1:].strip() if only.startswith("-") else only,)
    return tuple(line if line.startswith("-") else f"- {line}" for line in lines)


def size_estimate(body, recipients, distribution) -> int:
    return sum(len(block.rows) if block.kind == "table" else 1 for block in body) + len(recipients) + len(distribution)


def content_size_estimate(content: dict) -> int:
    """The size_estimate of the structure `compose` builds from this content, without composing the header."""
    return size_estimate(
        parse_body(content.get("body", "")),
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
        body=parse_body(content.get("body", "")),
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

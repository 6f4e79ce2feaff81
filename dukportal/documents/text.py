"""Prose helpers of generated documents (party-document-format.md): dates and counts as the committee writes
them, the body markup ("# " headings, "|" table rows) the generators write and the section editor reads, and the
table of organisations still missing. Shared by reports and the feature apps' section writers."""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

# Body markup: one paragraph per line; "# " starts a heading; lines starting with "|" form a table.
HEADING_PREFIX = "# "
TABLE_PREFIX = "|"

BASES = "chi, đảng bộ cơ sở"
UNITS = "đơn vị"


def text_date(day: date) -> str:
    """Dates in running text, as the committee writes them (1720-CV/ĐUK: "trước ngày 01/9/2024", "ngày 25/3/2024"):
    the §9 rule without the words, so prose and the date line never disagree."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def count(n: int) -> str:
    """Counts in Party prose: 1-9 written with a leading zero ("02 mô hình"), thousands grouped with dots as
    Vietnamese writes them ("4.694 đảng viên")."""
    return f"{n:02d}" if 0 < n < 10 else f"{n:,}".replace(",", ".")


def table_lines(rows: Iterable[Iterable[Any]]) -> list[str]:
    """The markup for a table (used by the generators, which write the body text staff then edit)."""
    return ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"\r?\n", text or "") if line.strip()]


def missing_table(organizations: Iterable[Any]) -> list[str]:
    """Organisations still missing, with whom to call: their name on the draft's date when known."""
    rows = [["STT", "Tổ chức cơ sở đảng", "Bí thư", "Điện thoại"]]
    rows += [
        [str(i), getattr(org, "name_on_date", org.name), org.secretary_name or "", org.phone or ""]
        for i, org in enumerate(organizations, start=1)
    ]
    return table_lines(rows)


def report_closing(year: int, first_task: str) -> list[str]:
    """The closing sections IV and V of a year report: assessment and next year's tasks, prose left to staff."""
    h = HEADING_PREFIX
    return [
        f"{h}IV- ĐÁNH GIÁ CHUNG",
        "Ưu điểm: …",
        "Hạn chế, nguyên nhân: …",
        f"{h}V- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}",
        first_task,
    ]

"""The requests a dispatch's sections make of its recipients, read from the body text: each numbered section
(a "# " heading and what follows it, reports.document), its heading as the title of what is owed, and the date
it asks for ("gửi về … trước ngày 25/10/2024"). Staff confirm or correct both before the deadline is created
(reports.delivery.document_request_create); nothing here writes."""

import re
from dataclasses import dataclass
from datetime import date

from .document import HEADING_PREFIX, TABLE_PREFIX, split_lines

# A day in running text: 25/10/2024, 25-10-2024, 25.10.2024, or "25 tháng 10 năm 2024".
_DAY = r"(?P<d>\d{1,2})\s*(?:[/.-]\s*(?P<m1>\d{1,2})\s*[/.-]\s*(?P<y1>\d{4})|tháng\s+(?P<m2>\d{1,2}),?\s+năm\s+(?P<y2>\d{4}))"
# Only a date the section asks for counts: "trước ngày …", "chậm nhất (là) (vào) ngày …", "hạn (chót|cuối) (là)
# ngày …", "trước …". A citation's date ("Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024") is not a request.
REQUESTED_DATE = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+vào)?|hạn(?:\s+chót|\s+cuối)?(?:\s+là)?|không\s+quá)\s+(?:ngày\s+)?" + _DAY,
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*", re.IGNORECASE)
_ABOUT = re.compile(r"^(?:về\s+việc|về)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    heading: str  # as written, "1. Về việc tự kiểm tra …"
    text: str  # its paragraphs, one a line (tables left out)
    due_date: date | None  # the last date it asks for, if it names one

    @property
    def title(self) -> str:
        """What is owed, from the heading: "1. Về việc tự kiểm tra …" → "Tự kiểm tra …"."""
        title = _ABOUT.sub("", _NUMBERING.sub("", self.heading)).strip().rstrip(".:;")
        return title[:1].upper() + title[1:]


def requested_date(text: str) -> date | None:
    """The last date the text asks for (a section that moves a date repeats it last), or None. An impossible
    date (31/02) is no date."""
    found = None
    for match in REQUESTED_DATE.finditer(text or ""):
        day = int(match["d"])
        month = int(match["m1"] or match["m2"])
        year = int(match["y1"] or match["y2"])
        try:
            found = date(year, month, day)
        except ValueError:
            continue
    return found


def sections(body: str) -> list[Section]:
    """The body's sections in order: each heading with the paragraphs under it."""
    result: list[Section] = []
    heading, lines = None, []

    def close():
        if heading is not None:
            text = "\n".join(lines)
            result.append(Section(heading=heading, text=text, due_date=requested_date(text)))

    for line in split_lines(body):
        if line.startswith(HEADING_PREFIX):
            close()
            heading, lines = line[len(HEADING_PREFIX) :].strip(), []
        elif not line.startswith(TABLE_PREFIX):
            lines.append(line)
    close()
    return result

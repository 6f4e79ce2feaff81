"""What a feature app's section writer is given and returns. The composer (reports) knows the issuing body, its
header and the recorded references; it hands a writer a `Draft` saying who writes, for which date, and how to
cite a source, so the writer needs nothing from reports. Every figure is read for the end of `Draft.as_of`:
the same date gives the same text whenever it is drafted.

A deadline more than FAR_DAYS ahead is not chased: its section states what is asked and by when, without the
"x/y" and without listing every organisation as missing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline

from .text import BASES, count, missing_table

# A deadline further ahead than this is announced, not chased (no figures, no list of who is missing).
FAR_DAYS = 30


def is_far(deadline: Deadline, as_of: date) -> bool:
    return (deadline.due_date - as_of).days > FAR_DAYS


def _no_citation(source: Any) -> str:
    return ""


@dataclass
class Draft:
    """What every section of one draft shares."""

    as_of: date
    actor: str = "Ban Thường vụ Đảng ủy Khối"  # who reports or requests in the opening and closing sentences
    requester: str = "Đảng ủy Khối"  # who asks the units in a section ("Đảng ủy Khối đề nghị …")
    department: str = ""  # the department the units send to ("… (qua Ban Tuyên giáo Đảng ủy Khối)")
    is_dispatch: bool = False
    # The "Thực hiện …" clause recorded for a source (a campaign, a cycle, a deadline) as of the draft's date;
    # "" when nothing is recorded, and the writer keeps its own wording.
    cite: Callable[[Any], str] = _no_citation
    deadline_ids: set[int] = field(default_factory=set)  # deadlines chosen as topics of this draft
    _memo: dict[Any, Any] = field(default_factory=dict)

    def via(self, destination: str = "Đảng ủy Khối") -> str:
        return f"về {destination} (qua {self.department})"

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Figures read once per draft (a campaign's statistics serve several of its sections)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass
class Report:
    """The body of a report drafted from one source (a campaign year, a QCDC cycle); reports adds the signer,
    the distribution list (with `distribution_extra` before the base organisations) and the recipients."""

    subject: str
    body: list[str]
    distribution_extra: tuple[str, ...] = ()


@dataclass
class Reminder:
    """The kind's own part of a reminder (công văn đôn đốc) for one deadline: its subject, the opening and
    figure sentences, and what those missing must do ("đăng ký xây dựng mô hình …")."""

    subject: str
    lines: list[str]
    what: str


@dataclass
class Section:
    title: str  # "Về việc …", without its number
    lines: list[str]
    # Set when the topic is owed by a chosen list of units only (the inspected units): their names, so a
    # dispatch made only of such topics is addressed to them.
    addressees: list[str] | None = None


@dataclass
class Overview:
    """A whole source (a campaign year, a QCDC cycle) as one topic: reports writes one line per deadline of
    `deadlines` (its figures when close, what is asked and by when otherwise) after `opening`, and ends a
    dispatch's section with `request`."""

    title: str
    opening: str
    deadlines: list[Deadline]
    request: str


@dataclass
class Wording:
    """A deadline's section in parts. `background` states what is asked and by when (all a far deadline
    gets); `figures` and `missing` are filled only for a close or passed one."""

    title: str
    background: list[str]
    ask: str  # what those still missing must do, before "về Đảng ủy Khối (qua …)"
    who: str = BASES
    destination: str = "Đảng ủy Khối"
    figures: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_count: int = 0
    addressees: list[str] | None = None
    extra: list[str] = field(default_factory=list)  # after the request (the inspected units, in self-inspection)


def missing_organizations(
    wording: Wording, deadline: Deadline, draft: Draft, what: str, *, figures: deadlines.DeadlineFigures | None = None
) -> None:
    """Whom to chase: owing and still active on the date (as the reminder and the tracking page)."""
    figures = figures or deadlines.deadline_figures(deadline, draft.as_of)
    if figures.to_chase:
        wording.missing_count = len(figures.to_chase)
        wording.missing += [f"Còn {count(len(figures.to_chase))} {what}, gồm:", *missing_table(figures.to_chase)]

"""The rows of the QCDC "sent" lists (plans, committees, reports sent in a cycle), formatted once a page in
Python from the columns they show (SENT_ROW_FIELDS), every text escaped.

Why (issue 13, branch pages74b, `bench/lists.py --profile` at 74 organisations): a row was a submission
instance with its organisation, a reverse() for its link, a badge tag and six template variables: the
"sent" lists were the slowest pages at 74 organisations (4.6 × the trivial page). The cells are those the
template printed (STT, code, the organisation's name linking to the submission, “kiểm tra trực tiếp” for a
report of a unit inspected directly, the status on the list's date as a badge)."""

from django.utils.safestring import mark_safe

from dukportal.core.cells import html_row, labels
from dukportal.core.links import url_with_pk
from dukportal.core.templatetags.portal_lists import BADGE_CLASSES
from dukportal.submissions.models import SubmissionStatus

from .models import DemocracyPlan, InspectionReportKind, SelfInspectionReport, SteeringCommittee

# What a row shows, read as values of selectors.sent_in_cycle (a report adds its kind).
SENT_ROW_FIELDS = ("pk", "organization__code", "organization__name", "status", "status_on")

ROUTES = {
    DemocracyPlan: "democracy_regs:plan",
    SteeringCommittee: "democracy_regs:committee",
    SelfInspectionReport: "democracy_regs:report",
}

SENT_ROW = (
    "<tr><td>{}</td><td>{}</td>\n"
    '      <td><a href="{}">{}</a>{}</td>\n'
    '      <td><span class="badge {}">{}</span></td></tr>'
)
VISITED = mark_safe(' <span class="badge text-bg-info">kiểm tra trực tiếp</span>')


def sent_fields(model) -> tuple[str, ...]:
    """The columns a row of `model`'s list reads."""
    return (*SENT_ROW_FIELDS, "kind") if model is SelfInspectionReport else SENT_ROW_FIELDS


def sent_rows(model, rows, *, start: int) -> list[str]:
    """The list's `<tr>` rows from values of sent_fields(model), numbered from `start` (the page's first index).
    The status label is the one of the status that day (the current one's where the timeline gave none)."""
    statuses, route = labels(SubmissionStatus.choices), ROUTES[model]
    result = []
    for number, (pk, code, name, status, status_on, *kind) in enumerate(rows, start=start):
        result.append(
            html_row(
                SENT_ROW,
                number,
                code,
                url_with_pk(route, pk),
                name,
                VISITED if kind and kind[0] == InspectionReportKind.INSPECTION_VISIT else "",
                BADGE_CLASSES.get(status_on, "text-bg-secondary"),
                statuses.get(status_on, statuses.get(status, status)),
            )
        )
    return result

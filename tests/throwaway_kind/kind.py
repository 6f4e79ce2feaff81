"""Everything the portal knows of the throw-away kind, registered in ready(): its obligation (who owes a drive's
report, read from the shared timeline; what a document adds after its x/y) and its dashboard card."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from dukportal.submissions import dashboard_cards, deadlines, timeline
from dukportal.submissions.models import Deadline

from .models import Drive, OutreachReport

KIND = "throwaway.outreach"


def reports(deadline: Deadline):
    return OutreachReport.objects.filter(drive_id=deadline.source_id)


def figure_lines(deadline: Deadline, on: date) -> list[str]:
    """The sessions of the reports counted at the end of `on`."""
    sessions = timeline.counted_on(reports(deadline), on).aggregate(total=Sum("sessions"))["total"] or 0
    return [f"Các đơn vị đã gửi báo cáo tổ chức tổng cộng {sessions} buổi tuyên truyền."]


def sync_deadline(drive: Drive) -> Deadline:
    """Staff opening a drive: its one deadline, owed by every active base organisation."""
    return deadlines.deadline_sync(
        kind=KIND, source=drive, title=f"Báo cáo kết quả {drive.title}", year=drive.year, due_date=drive.due_date
    )


@dataclass
class OutreachCard:
    today: date
    drives: list[tuple[str, str]]  # (deadline title, x/y) of the open drives


def card_figures(user, *, today: date) -> OutreachCard:
    open_deadlines = list(Deadline.objects.filter(kind=KIND, closed_at__isnull=True, year=today.year))
    figures = deadlines.figures_for(open_deadlines, today)
    return OutreachCard(today=today, drives=[(d.title, figures[d.pk].ratio_label) for d in open_deadlines])


def register() -> None:
    deadlines.register(deadlines.Obligation(KIND, "Tuyên truyền (thử)", reports, order=90, figure_lines=figure_lines))
    dashboard_cards.register(
        dashboard_cards.Card(
            key="throwaway.outreach",
            template_name="throwaway_kind/_dashboard_card.html",
            figures=card_figures,
            order=90,
        )
    )

"""What organisations owe for a periodic report, in the shared deadline mechanism
(dukportal.submissions.deadlines): one deadline per round, owed by the definition's audience. Tracking, the
compliance matrix and reminders read it from the registry."""

from django.urls import reverse

from dukportal.submissions import deadlines

from .models import AudienceKind, IndicatorReport, ReportDefinition, ReportRound

REPORT = "indicators.report"


def _reports(deadline):
    return IndicatorReport.objects.filter(round_id=deadline.source_id)


def _audience(deadline, organizations, on):
    """A report owed by one sector: the organisations of that sector (the general rule has done the dates; a
    chosen list is the deadline's own list)."""
    round_ = ReportRound.objects.select_related("family").get(pk=deadline.source_id)
    definition = current_version(round_.family)
    if definition.audience == AudienceKind.SECTOR:
        return organizations.filter(sector=definition.sector)
    return organizations


def current_version(family: ReportDefinition) -> ReportDefinition:
    """The latest version of a report family (what officers fill in now)."""
    return ReportDefinition.objects.filter(family=family).order_by("-version").first() or family


def _figure_lines(deadline, on):
    # Imported when a document asks: the aggregate's module imports the services, which import this one.
    from .document import figure_lines

    return figure_lines(deadline, on)


def _round_page(deadline) -> str:
    return reverse("indicators:round", args=[deadline.source_id])


def register() -> None:
    deadlines.register(
        deadlines.Obligation(
            REPORT,
            "Báo cáo định kỳ",
            _reports,
            order=40,
            expected=_audience,
            action_url=_round_page,
            # An organisation with nothing to report for the period answers "Không phát sinh" with the reason.
            allows_nil=True,
            figure_lines=_figure_lines,
        )
    )

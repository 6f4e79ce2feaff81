"""What organisations owe for a periodic report, in the shared deadline mechanism
(dukportal.submissions.deadlines): one deadline per round, owed by the definition's audience. Tracking, the
compliance matrix and reminders read it from the registry."""

from django.db.models import Case, CharField, F, Q, Subquery, Value, When
from django.urls import reverse

from dukportal.submissions import deadlines

from .models import AudienceKind, IndicatorReport, ReportDefinition

REPORT = "indicators.report"


def _reports(deadline):
    return IndicatorReport.objects.filter(round_id=deadline.source_id)


def _audience(deadline, organizations, on):
    """A report owed by one sector: the organisations of that sector (the general rule has done the dates; a
    chosen list is the deadline's own list). Which sector, if any, is the family's current version's, read by a
    subquery inside the same SQL: building the filter reads nothing, so figures_for asks it for many periods
    in one query and the officer's page keeps it compiled (dukportal/core/prepared.py)."""
    versions = ReportDefinition.objects.filter(family__rounds=deadline.source_id).order_by("-version")
    owed_sector = versions.annotate(
        owed=Case(When(audience=AudienceKind.SECTOR, then=F("sector")), default=Value(None, output_field=CharField()))
    ).values("owed")[:1]
    return organizations.alias(owed_sector=Subquery(owed_sector)).filter(
        Q(owed_sector__isnull=True) | Q(sector=F("owed_sector"))
    )


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

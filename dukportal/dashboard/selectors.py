"""The leaders' overview: the bloc's size, the current “Dân vận khéo” year and every open deadline, for a
reference date (default today), read from the selectors of the apps that own them (this app owns no data).

The campaign card's x/y is models_danvan.selectors.campaign_statistics for the same date, so it equals the
statistics page's: y is the registration deadline's expected set (organisations active on the registration due
date, or on the reference date if that is earlier), which may differ from the bloc's size on the reference
date (organisations active that day); the page labels the two apart."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from dukportal.notifications.selectors import DeadlineProgress, deadline_progress
from models_danvan.models import Campaign
from models_danvan.selectors import CampaignStatistics, campaign_statistics
from organizations import selectors as organization_selectors
from organizations.models import Sector


@dataclass
class BlocFigures:
    organizations: int = 0
    cells: int = 0
    members: int = 0
    by_sector: list[tuple[str, int]] = field(default_factory=list)  # [(sector label, organisations)]


@dataclass
class Dashboard:
    today: date  # the reference date the figures are computed for (not necessarily the calendar's today)
    bloc: BlocFigures
    campaign: Campaign | None
    campaign_stats: CampaignStatistics | None
    deadlines: list[DeadlineProgress]

    @property
    def expected_on(self) -> date | None:
        """The day whose active organisations make the campaign's y: min(reference date, registration due
        date), as deadlines.reference_point says."""
        return min(self.today, self.campaign.registration_deadline) if self.campaign else None

    @property
    def late_total(self) -> int:
        return sum(progress.late for progress in self.deadlines)


def bloc_figures(user, *, today: date) -> BlocFigures:
    """One query: the organisations active on `today` with their cell and member counts on that day — the
    organisation list's selector, so the dashboard and the "Tại ngày" list agree for any date (members are
    counted from their dated membership periods, not from today's status)."""
    organizations = list(organization_selectors.organization_list(user, on=today))
    totals = organization_selectors.organization_totals(organizations)
    per_sector = Counter(org.sector for org in organizations)
    return BlocFigures(
        organizations=totals["organizations"],
        cells=totals["cells"],
        members=totals["members"],
        by_sector=[(label, per_sector[value]) for value, label in Sector.choices],
    )


def current_campaign(today: date) -> Campaign | None:
    """The reference date's year's campaign, or the latest earlier one while that year's is not open yet."""
    return Campaign.objects.filter(year__lte=today.year).order_by("-year").first()


def dashboard_for(user, *, today: date) -> Dashboard:
    """Everything on the overview page as of the end of `today` (the reference date). The number of queries
    does not grow with the number of organisations or registrations (only with the number of open deadlines,
    a handful)."""
    campaign = current_campaign(today)
    return Dashboard(
        today=today,
        bloc=bloc_figures(user, today=today),
        campaign=campaign,
        campaign_stats=campaign_statistics(campaign, on=today) if campaign else None,
        deadlines=deadline_progress(user, today=today),
    )

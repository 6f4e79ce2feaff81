"""The leaders' overview: the bloc's size, the current “Dân vận khéo” year and every open deadline, for a
reference date (default today), read from the selectors of the apps that own them (this app owns no data).

The campaign card's x/y is models_danvan.selectors.campaign_headline for the same date (campaign_statistics'
headline, counted in SQL), so it equals the statistics page's: y is the registration deadline's expected set (organisations active on the registration due
date, or on the reference date if that is earlier), which may differ from the bloc's size on the reference
date (organisations active that day); the page labels the two apart."""

from dataclasses import dataclass, field
from datetime import date

from dukportal.notifications.selectors import DeadlineProgress, deadline_progress
from models_danvan.models import Campaign
from models_danvan.selectors import CampaignStatistics, campaign_headline
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
    """The organisations active on `today` with their cells and members on that day, counted in SQL
    (organizations.selectors.bloc_totals: the same figures as the "Tại ngày" organisation list's totals, for
    any date, without loading a row per organisation)."""
    totals = organization_selectors.bloc_totals(user, on=today)
    return BlocFigures(
        organizations=totals["organizations"],
        cells=totals["cells"],
        members=totals["members"],
        by_sector=[(label, totals["by_sector"][value]) for value, label in Sector.choices],
    )


def current_campaign(today: date) -> Campaign | None:
    """The reference date's year's campaign, or the latest earlier one while that year's is not open yet."""
    return Campaign.objects.filter(year__lte=today.year).order_by("-year").first()


def dashboard_for(user, *, today: date) -> Dashboard:
    """Everything on the overview page as of the end of `today` (the reference date). The number of queries
    does not grow with the number of organisations, registrations or open deadlines (totals counted in SQL;
    every deadline's figures at once by deadlines.figures_for)."""
    campaign = current_campaign(today)
    return Dashboard(
        today=today,
        bloc=bloc_figures(user, today=today),
        campaign=campaign,
        campaign_stats=campaign_headline(campaign, on=today) if campaign else None,
        deadlines=deadline_progress(user, today=today),
    )

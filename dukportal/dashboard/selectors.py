"""The leaders' overview: the bloc's size, every open deadline and the cards the apps register
(dukportal.submissions.dashboard_cards: the current “Dân vận khéo” year is models_danvan's, its x/y counted in SQL
by models_danvan.selectors.campaign_headline), for a reference date (default today), read from the selectors of
the apps that own them (this app owns no data and names no feature app)."""

from dataclasses import dataclass, field
from datetime import date

from dukportal.notifications.selectors import DeadlineProgress, deadline_progress
from dukportal.submissions import dashboard_cards
from dukportal.submissions.dashboard_cards import ShownCard
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
    cards: list[ShownCard]  # the registered cards with their figures on `today`
    deadlines: list[DeadlineProgress]

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


def dashboard_for(user, *, today: date) -> Dashboard:
    """Everything on the overview page as of the end of `today` (the reference date). The number of queries
    does not grow with the number of organisations, registrations or open deadlines (totals counted in SQL;
    every open deadline's x/y and late count in one query by deadlines.counts_for, no organisation listed),
    only with the number of registered cards."""
    return Dashboard(
        today=today,
        bloc=bloc_figures(user, today=today),
        cards=dashboard_cards.shown_cards(user, today=today),
        deadlines=deadline_progress(user, today=today, shown=0),  # x/y and the late: counts only
    )

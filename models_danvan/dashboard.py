"""The “Dân vận khéo” card of the overview page (registered in the shared dashboard_cards registry).

Its figures are selectors.campaign_headline for the same date (campaign_statistics' headline counted in SQL, never
a row per organisation), so they equal the statistics page's: y is the
registration deadline's expected set (organisations active on the registration due date, or on the reference
date if that is earlier), which may differ from the bloc's size on the reference date (organisations active
that day); the card labels the two apart."""

from dataclasses import dataclass
from datetime import date

from dukportal.submissions import dashboard_cards

from .models import Campaign
from .selectors import CampaignStatistics, campaign_headline


@dataclass
class CampaignCard:
    today: date  # the reference date the figures are computed for
    campaign: Campaign | None
    stats: CampaignStatistics | None

    @property
    def expected_on(self) -> date | None:
        """The day whose active organisations make the campaign's y: min(reference date, registration due
        date), as deadlines.reference_point says."""
        return min(self.today, self.campaign.registration_deadline) if self.campaign else None


def current_campaign(today: date) -> Campaign | None:
    """The reference date's year's campaign, or the latest earlier one while that year's is not open yet."""
    return Campaign.objects.filter(year__lte=today.year).order_by("-year").first()


def campaign_card(user, *, today: date) -> CampaignCard:
    campaign = current_campaign(today)
    return CampaignCard(
        today=today,
        campaign=campaign,
        stats=campaign_headline(campaign, on=today) if campaign else None,
    )


def register() -> None:
    dashboard_cards.register(
        dashboard_cards.Card(
            key="danvan.campaign",
            template_name="models_danvan/_dashboard_card.html",
            figures=campaign_card,
            order=10,
        )
    )

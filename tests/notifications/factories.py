"""Factories and helpers for deadline tracking and reminder tests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dukportal.submissions.models import Deadline
from models_danvan import obligations
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 7) -> datetime:
    """A moment on `day`, Vietnamese time (what the beat job sees at 07:00)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


def campaign_with_deadlines(year=2024, **dates):
    """A campaign with its three deadlines synced, as staff opening it would have."""
    campaign = CampaignFactory(year=year, **dates)
    obligations.sync_campaign_deadlines(campaign)
    return campaign


def deadline_of(campaign, kind=obligations.REGISTRATION) -> Deadline:
    return Deadline.objects.get(kind=kind, source_id=campaign.pk)


def organization_with_officer(*, email="", org_email="", **fields):
    organization = OrganizationFactory(email=org_email, **fields)
    officer = UserFactory(role="officer", organization=organization, email=email)
    return organization, officer


def submitted(campaign, organization, when: datetime, status="submitted"):
    return RegistrationFactory(campaign=campaign, organization=organization, status=status, submitted_at=when)

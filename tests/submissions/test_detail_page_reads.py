"""The review page of an item reads its files and its versions once each (the version comparison uses what the
page read), and the deadline only for an item that was sent (it only says how late the first sending was)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_danvan import obligations
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _reads(client, url) -> tuple[str, dict[str, int]]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    tables = ("submissions_deadline", "submissions_attachment", "submissions_submissionrevision")
    return page, {t: sum(q["sql"].startswith("SELECT") and f'FROM "{t}"' in q["sql"] for q in queries) for t in tables}


@pytest.fixture
def campaign(staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 4, 30))
    obligations.sync_campaign_deadlines(campaign)
    return campaign


def test_a_draft_reads_no_deadline_and_its_files_and_versions_once(officer_client, officer_user, campaign):
    draft = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="draft")
    page, reads = _reads(officer_client, draft.get_absolute_url())
    assert draft.name in page and 'id="days-late"' not in page
    assert reads == {"submissions_deadline": 0, "submissions_attachment": 1, "submissions_submissionrevision": 1}


def test_a_late_sent_item_reads_the_deadline_once_and_shows_how_late(staff_client, campaign):
    late = RegistrationFactory(campaign=campaign, submitted_at=datetime(2024, 5, 3, 9, tzinfo=HCM))
    page, reads = _reads(staff_client, late.get_absolute_url())
    assert 'id="days-late">nộp muộn 3 ngày<' in page
    assert reads == {"submissions_deadline": 1, "submissions_attachment": 1, "submissions_submissionrevision": 1}

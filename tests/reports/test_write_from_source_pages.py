"""Staff start a document from where the figures live: a deadline on the tracking page, a campaign, a QCDC cycle;
the create form opens with the kind and the source already chosen."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.submissions.models import Deadline
from models_danvan import obligations
from tests.democracy_regs.factories import open_cycle
from tests.factories import CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _link_target(html: str, element_id_or_class: str) -> str:
    start = html.index(element_id_or_class)
    href = html.index('href="', start) + len('href="')
    return html[href : html.index('"', href)].replace("&amp;", "&")


@time_machine.travel(date(2024, 5, 10), tick=False)
def test_tracking_page_offers_a_dispatch_for_a_deadline_with_missing_organisations(staff_client, staff_user, bloc):
    OrganizationFactory()
    campaign = CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 5, 15))
    obligations.sync_campaign_deadlines(campaign)
    deadline = Deadline.objects.get(kind=obligations.REGISTRATION)

    url = _link_target(staff_client.get(reverse("notifications:tracking")).content.decode(), "write-dispatch")
    form = staff_client.get(url).context["form"]

    assert url == f"{reverse('reports:document_create')}?kind=reminder&deadline={deadline.pk}"
    assert form.initial["kind"] == "reminder" and form.initial["deadline"] == str(deadline.pk)


def test_campaign_and_cycle_pages_offer_their_report_to_staff_only(client, staff_user, leader_user, bloc):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    cycle = open_cycle(staff_user)

    client.force_login(staff_user)
    campaign_page = client.get(campaign.get_absolute_url()).content.decode()
    cycle_page = client.get(reverse("democracy_regs:cycle", args=[cycle.pk])).content.decode()

    assert _link_target(campaign_page, 'id="write-report"').endswith(f"?kind=danvan_report&campaign={campaign.pk}")
    assert _link_target(cycle_page, 'id="write-report"').endswith(f"?kind=qcdc_report&cycle={cycle.pk}")
    client.force_login(leader_user)
    assert 'id="write-report"' not in client.get(campaign.get_absolute_url()).content.decode()

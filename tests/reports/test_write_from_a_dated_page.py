"""A document written from a page viewed for a past date starts from that date's figures."""

import pytest
import time_machine
from django.urls import reverse

from tests.notifications.factories import campaign_with_deadlines, deadline_of

pytestmark = pytest.mark.django_db


@time_machine.travel("2024-12-01 09:00 +0700", tick=False)
def test_the_draft_form_takes_the_pages_reference_date(staff_client, bloc):
    deadline = deadline_of(campaign_with_deadlines(2024))
    url = reverse("reports:document_create")
    dated = staff_client.get(url, {"kind": "reminder", "deadline": deadline.pk, "ngay": "15/05/2024"})
    assert dated.context["form"]["figures_as_of"].value().strftime("%d/%m/%Y") == "15/05/2024"
    today = staff_client.get(url, {"kind": "reminder", "deadline": deadline.pk})
    assert today.context["form"]["figures_as_of"].value().strftime("%d/%m/%Y") == "01/12/2024"
    # A bad date on the link is ignored: today's figures, as on the page it came from.
    bad = staff_client.get(url, {"kind": "reminder", "deadline": deadline.pk, "ngay": "31/02/2024"})
    assert bad.context["form"]["figures_as_of"].value().strftime("%d/%m/%Y") == "01/12/2024"

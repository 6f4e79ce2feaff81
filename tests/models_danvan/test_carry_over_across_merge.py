"""A model's history continues across a reorganisation: the successor of a merge is offered its predecessors'
models of last year, carries one over (Registration.clean accepts a predecessor's model), and the lineage page
shows the chain across the merge. An unrelated organisation still cannot continue someone else's model."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from models_danvan import selectors, services
from models_danvan.models import Origin, Registration
from organizations import reorganization
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MERGED_ON = date(2024, 7, 1)


@pytest.fixture
def merged(staff_user, bloc):
    """2024: Sở Kế hoạch và Đầu tư registers “Bữa cơm nghĩa tình” (accepted); on 01/07/2024 it is absorbed
    into Sở Tài chính, its officer's account moving too. 2025's campaign is open."""
    planning = OrganizationFactory(code="SOKHDT", name="Đảng bộ Sở Kế hoạch và Đầu tư")
    finance = OrganizationFactory(code="SOTC", name="Đảng bộ Sở Tài chính")
    planning_officer = UserFactory(username="khdt", role="officer", organization=planning)
    finance_officer = UserFactory(username="taichinh", role="officer", organization=finance)
    with time_machine.travel(datetime(2024, 4, 20, 9, 0, tzinfo=TZ)):
        previous = RegistrationFactory(
            campaign=CampaignFactory(year=2024, created_by=staff_user),
            organization=planning,
            status="accepted",
            name="Mô hình “Bữa cơm nghĩa tình”",
        )
    with time_machine.travel(datetime(2024, 7, 1, 8, 0, tzinfo=TZ)):
        reorganization.organizations_merge(
            actor=staff_user, predecessors=[planning], into=finance, effective_on=MERGED_ON
        )
    next_year = CampaignFactory(year=2025, created_by=staff_user)
    return {
        "planning": planning,
        "finance": finance,
        "previous": previous,
        "campaign": next_year,
        "planning_officer": planning_officer,
        "finance_officer": finance_officer,
    }


@time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=TZ))
def test_the_successor_carries_over_a_predecessors_model(client, merged):
    campaign, previous = merged["campaign"], merged["previous"]
    client.force_login(merged["finance_officer"])
    page = client.get(reverse("models_danvan:carry_over", args=[campaign.pk])).content.decode()
    assert "Bữa cơm nghĩa tình" in page

    response = client.post(reverse("models_danvan:carry_over", args=[campaign.pk]), {"previous": previous.pk})

    continued = Registration.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert (continued.organization, continued.origin, continued.continued_from) == (
        merged["finance"],
        Origin.CONTINUED,
        previous,
    )
    # the predecessor's officer, whose account moved to the successor, is no longer offered it twice
    client.force_login(merged["planning_officer"])
    assert (
        "Bữa cơm nghĩa tình" not in client.get(reverse("models_danvan:carry_over", args=[campaign.pk])).content.decode()
    )

    lineage = client.get(reverse("models_danvan:lineage", args=[continued.pk])).content.decode()
    assert re.findall(r"<td>(20\d\d)</td>", lineage) == ["2024", "2025"]
    assert "Đảng bộ Sở Kế hoạch và Đầu tư" in lineage  # the 2024 row names the predecessor
    assert [r.pk for r in selectors.model_lineage(merged["finance_officer"], continued)] == [previous.pk, continued.pk]


@time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=TZ))
def test_the_predecessors_lineage_continues_into_the_successor(staff_user, merged):
    continued = services.registration_continue(
        actor=merged["finance_officer"], previous=merged["previous"], campaign=merged["campaign"]
    )
    chain = selectors.model_lineage(staff_user, merged["previous"])
    assert [(r.campaign.year, r.organization.code) for r in chain] == [(2024, "SOKHDT"), (2025, "SOTC")]
    assert chain[-1] == continued


@time_machine.travel(datetime(2025, 3, 10, 9, 0, tzinfo=TZ))
def test_an_unrelated_organisation_cannot_continue_the_model(merged, other_officer_user):
    campaign, previous = merged["campaign"], merged["previous"]
    assert previous not in selectors.carry_over_candidates(
        other_officer_user, campaign, other_officer_user.organization_id
    )
    with pytest.raises(ValidationError, match="Chỉ tiếp tục được mô hình của chính đơn vị mình"):
        services.registration_continue(actor=other_officer_user, previous=previous, campaign=campaign)
    assert not Registration.objects.filter(campaign=campaign).exists()
    # and its officer sees nothing of the merged organisations' other models
    assert selectors.model_lineage(other_officer_user, previous) == [previous]

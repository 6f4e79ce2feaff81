"""Every kind's detail page is the shared one (dukportal.submissions.generic_views): the same actions are
offered the same way whatever the kind. Before the generic views, an accepted QCDC item could be returned
from its page and an accepted registration could not."""

import pytest
from django.urls import reverse

from democracy_regs.models import DemocracyPlan
from dukportal.submissions import services as workflow
from models_danvan import services
from organizations.models import User
from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    PlanFactory,
    ReportFactory,
    open_cycle,
)
from tests.factories import OrganizationFactory, RegistrationFactory

REASON = "Bổ sung số liệu kết quả thực hiện sau khi rà soát lại."


def _registration(organization):
    return RegistrationFactory(organization=organization, status="accepted"), "models_danvan:registration"


def _evaluation(organization):
    """A mid-year report assessed (and so accepted) by staff, as the services write it."""
    registration = RegistrationFactory(organization=organization, status="accepted")
    staff = User.objects.filter(role="staff").first()
    evaluation = services.evaluation_create(
        actor=staff, registration=registration, period="mid_year", results="Đạt kế hoạch", self_rating="good"
    )
    evaluation = workflow.submission_submit(actor=staff, submission=evaluation)
    services.evaluation_assess(actor=staff, evaluation=evaluation, committee_rating="good")
    return evaluation, "models_danvan:evaluation"


def _qcdc(factory, name):
    def make(organization):
        return factory(cycle=open_cycle(), organization=organization, status="accepted"), f"democracy_regs:{name}"

    return make


KINDS = {
    "registration": _registration,
    "evaluation": _evaluation,
    "plan": _qcdc(PlanFactory, "plan"),
    "committee": _qcdc(CommitteeFactory, "committee"),
    "report": _qcdc(ReportFactory, "report"),
    "bright_spot": _qcdc(BrightSpotFactory, "bright_spot"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_staff_return_an_accepted_item_from_its_page_on_every_kind(
    kind, client, staff_user, officer_user, organization
):
    item, url_name = KINDS[kind](organization)
    client.force_login(staff_user)
    page = client.get(reverse(url_name, args=[item.pk])).content.decode()
    return_url = reverse(f"{url_name}_return", args=[item.pk])
    assert 'id="return-form"' in page and f'action="{return_url}"' in page

    response = client.post(return_url, {"comment": REASON}, follow=True)

    item.refresh_from_db()
    assert item.status == "returned"
    assert "Đã trả lại hồ sơ" in response.content.decode()
    client.force_login(officer_user)
    page = client.get(reverse(url_name, args=[item.pk])).content.decode()
    assert 'id="return-reason"' in page and REASON in page
    assert "Gửi lại" in page  # the organisation can correct and resend


@pytest.mark.parametrize("kind", KINDS)
def test_the_organisation_is_not_offered_to_return_its_accepted_item(kind, staff_user, officer_client, organization):
    item, url_name = KINDS[kind](organization)
    page = officer_client.get(reverse(url_name, args=[item.pk])).content.decode()
    assert 'id="return-form"' not in page
    assert "Tiếp nhận</button>" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_an_outsider_cannot_return_an_accepted_item(kind, staff_user, officer_client, organization):
    # A bloc-level registration (no organisation) or another organisation's item: not the officer's to see.
    item, url_name = KINDS[kind](None if kind == "registration" else OrganizationFactory())
    response = officer_client.post(reverse(f"{url_name}_return", args=[item.pk]), {"comment": REASON})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "accepted"


def test_a_withdrawn_plan_no_longer_stands_in_the_way_of_a_new_one(officer_client, organization):
    """The create page opens the officer's existing item, but not a withdrawn one (the database allows a new
    one beside it): the form is shown."""
    cycle = open_cycle()
    PlanFactory(cycle=cycle, organization=organization, status="withdrawn")
    response = officer_client.get(reverse("democracy_regs:plan_create", args=[cycle.pk]))
    assert response.status_code == 200
    assert "Lưu và gửi Ban Tuyên giáo" in response.content.decode()
    current = PlanFactory(cycle=cycle, organization=organization, status="draft")
    response = officer_client.get(reverse("democracy_regs:plan_create", args=[cycle.pk]))
    assert response.status_code == 302 and response.url == current.get_absolute_url()
    assert DemocracyPlan.objects.filter(organization=organization).count() == 2

"""The dashboard and the campaign page print totals counted in SQL (organizations.selectors.bloc_totals,
models_danvan.selectors.campaign_headline) that agree with the rows the organisation list and the statistics
page count, on several dates; the statistics pages and tracking list at most 100 organisations per table
unless `?tat_ca=1`, with a link to all (the QCDC statistics 20 an item, with a link to the item's full list)."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from models_danvan import selectors
from models_danvan.models import Registration
from organizations import selectors as organization_selectors
from tests.democracy_regs.factories import open_cycle
from tests.factories import CellFactory, MemberFactory, OrganizationFactory
from tests.notifications.factories import at, campaign_with_deadlines, submitted
from tests.timeline import decide

pytestmark = pytest.mark.django_db

LATER = date(2024, 12, 10)
HEADLINE = ("expected", "registered", "total", "bloc_level", "base_level", "continued", "new", "models", "exemplars",
            "commended", "replicated", "ratio_label")  # fmt: skip


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(at(LATER, hour=9), tick=False):
        yield


@pytest.fixture
def campaign(bloc, staff_user):
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    a = OrganizationFactory(code="A", sector="administrative")
    b = OrganizationFactory(code="B", sector="enterprise", valid_to=date(2024, 6, 30))
    c = OrganizationFactory(code="C", sector="public_service", valid_from=date(2024, 6, 1))
    OrganizationFactory(code="D", sector="enterprise")
    for organization in (a, b, c):
        cell = CellFactory(organization=organization)
        MemberFactory(organization=organization, cell=cell)
    submitted(campaign, a, at(date(2024, 5, 10)))
    submitted(campaign, a, at(date(2024, 5, 12)))
    submitted(campaign, b, at(date(2024, 5, 20)))
    decide(Registration.objects.filter(organization=a), "accepted", at=at(date(2024, 5, 21)))
    submitted(campaign, c, at(date(2024, 7, 1)))
    return campaign


@pytest.mark.parametrize("on", [date(2024, 5, 11), date(2024, 5, 15), date(2024, 6, 15), date(2024, 7, 2), LATER])
def test_the_headline_agrees_with_the_statistics_page(campaign, on):
    headline = selectors.campaign_headline(campaign, on=on)
    full = selectors.campaign_statistics(campaign, on=on)
    assert {name: getattr(headline, name) for name in HEADLINE} == {name: getattr(full, name) for name in HEADLINE}
    assert headline.field_totals == full.field_totals and headline.exemplar_totals == full.exemplar_totals


@pytest.mark.parametrize("on", [date(2024, 5, 11), date(2024, 6, 15), date(2024, 7, 2), LATER])
def test_the_bloc_totals_agree_with_the_organisation_list(campaign, staff_user, on):
    rows = list(organization_selectors.organization_list(staff_user, on=on))
    totals = organization_selectors.bloc_totals(staff_user, on=on)
    assert {k: totals[k] for k in ("organizations", "cells", "members")} == organization_selectors.organization_totals(
        rows
    )
    assert totals["by_sector"] == {
        row["sector"]: row["organizations"] for row in organization_selectors.sector_totals(rows)
    }
    assert totals["organizations"] in (3, 4)


def test_dashboard_and_campaign_page_cost_the_same_for_4_and_40_organisations(staff_client, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        result = []
        for url in (reverse("dashboard:index"), reverse("models_danvan:campaign", args=[campaign.pk])):
            staff_client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = staff_client.get(url)
            result.append(len(captured))
        return result, response

    small, _ = counts()
    for n in range(36):
        OrganizationFactory(code=f"X{n}")
    large, response = counts()
    assert large == small
    assert response.context["stats"].ratio_label == "2/39"  # A and B of the 39 active on 15/05 (not C)


def _missing_rows(html: str) -> int:
    table = html.split('id="missing-table"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr><td>\d+</td>", table))


def test_statistics_pages_list_100_organisations_unless_all_are_asked_for(staff_client, campaign, staff_user):
    for n in range(105):
        OrganizationFactory(code=f"M{n:03d}", valid_from=date(2020, 1, 1))
    with time_machine.travel(at(date(2024, 3, 20)), tick=False):
        cycle = open_cycle(staff_user)
    # The ĐVK statistics list the first 20 organisations to chase and link to the full list, 100 a page
    # (tests/models_danvan/test_statistics_summary.py); ?tat_ca=1 no longer lists them all on the page.
    url = reverse("models_danvan:statistics", args=[campaign.pk])
    page = staff_client.get(url, {"ngay": "20/05/2024"}).content.decode()
    assert _missing_rows(page) == 20
    assert "… và 86 đơn vị khác." in page  # D and the 105
    link = page.split('… và 86 đơn vị khác. <a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    full = reverse("models_danvan:statistics_organizations", args=[campaign.pk])
    assert link == f"{full}?muc=chua-gui&ngay=20%2F05%2F2024"
    everything = staff_client.get(link)
    assert everything.context["page"].paginator.count == 106 and _missing_rows(everything.content.decode()) == 100
    assert _missing_rows(staff_client.get(url, {"ngay": "20/05/2024", "tat_ca": 1}).content.decode()) == 20

    # The QCDC statistics list each item's first 20 and link to the item's full list, 100 a page
    # (tests/democracy_regs/test_qcdc_summary.py).
    qcdc = staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk])).content.decode()
    assert "… và 88 đơn vị khác." in qcdc  # 108 owe the plan (due 15/05): A, B, D and the 105, not C (June)
    full = staff_client.get(reverse("democracy_regs:missing", args=[cycle.pk]), {"muc": "plan"})
    assert full.context["page"].paginator.count == 108 and len(full.context["page"].object_list) == 100
    # Tracking lists the first 20 to chase of each deadline (branch dashtrack; 100 before), all on request.
    tracking = staff_client.get(reverse("notifications:tracking"), {"ngay": "20/05/2024"}).content.decode()
    assert "Hiển thị 20/" in tracking and tracking.count("Xem tất cả") >= 1
    tracking_all = staff_client.get(reverse("notifications:tracking"), {"ngay": "20/05/2024", "tat_ca": 1})
    assert "Hiển thị 20/" not in tracking_all.content.decode()

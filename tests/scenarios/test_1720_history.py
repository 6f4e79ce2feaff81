"""The year of dispatch 1720-CV/ĐUK, its spring built through the services, then an issued dispatch, the summer's
reorganisation and the bloc's new name: past figures and issued documents keep what they said. Builds its own
year (test_1720_figures.py shares one year between its tests)."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.submissions.models import Deadline
from models_danvan import obligations
from models_danvan.models import Campaign
from models_danvan.selectors import campaign_statistics
from organizations import blocs
from organizations import selectors as organization_selectors
from organizations.models import Bloc
from reports import services as documents
from reports.models import Document, DocumentKind
from tests.reports.drafts import finish
from tests.reports.factories import IssuingBodyFactory, TermFactory

from .builder import DISPATCH_DAY, at, build_1720_year, reorganise_summer

pytestmark = pytest.mark.django_db

DECEMBER = date(2024, 12, 1)


def test_past_figures_and_issued_documents_survive_the_merge_and_a_bloc_rename(staff_user, staff_client, bloc):
    # The spring, then an issued dispatch, then the summer's reorganisation and the bloc's new name.
    built = build_1720_year(staff_user)
    issuing_body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    registration = Deadline.objects.get(kind=obligations.REGISTRATION)
    last_year = Campaign.objects.get(year=2023)
    with time_machine.travel(at(date(2024, 5, 20)), tick=False):
        draft = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DISPATCH_DAY,
        )
        issued = documents.document_issue(
            actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 20)
        )
        before = {
            "2023": campaign_statistics(last_year, on=date(2023, 12, 31)),
            "spring": campaign_statistics(built.campaign, on=DISPATCH_DAY),
            "members": organization_selectors.organization_totals(
                list(organization_selectors.organization_list(staff_user, on=date(2024, 5, 15)))
            ),
        }
        page_before = staff_client.get(reverse("reports:document", args=[issued.pk])).content.decode()
    reorganise_summer(built)
    with time_machine.travel(at(date(2024, 9, 1)), tick=False):
        blocs.bloc_rename(
            actor=staff_user,
            bloc=Bloc.objects.get(),
            effective_on=date(2024, 9, 1),
            name="Đảng ủy các cơ quan Đảng tỉnh",
            parent_name="ĐẢNG BỘ TỈNH LÀO CAI",
            symbol="ĐUCQ",
            place_name="Lào Cai",
        )
    with time_machine.travel(at(DECEMBER), tick=False):
        after_2023 = campaign_statistics(last_year, on=date(2023, 12, 31))
        after_spring = campaign_statistics(built.campaign, on=DISPATCH_DAY)
        assert (after_2023.ratio_label, after_2023.total) == (before["2023"].ratio_label, before["2023"].total)
        assert (after_spring.ratio_label, after_spring.total, after_spring.by_level_origin) == (
            before["spring"].ratio_label,
            before["spring"].total,
            before["spring"].by_level_origin,
        )
        members = organization_selectors.organization_totals(
            list(organization_selectors.organization_list(staff_user, on=date(2024, 5, 15)))
        )
        assert members == before["members"]
        issued.refresh_from_db()
        assert issued.number_label.endswith("-CV/ĐUK") and issued.place_name != "Lào Cai"
        page_after = staff_client.get(reverse("reports:document", args=[issued.pk])).content.decode()
        assert issued.header_name in page_after and "Lào Cai" not in _strip_nav(page_after)
        assert _strip_nav(page_after).count(issued.number_label) == _strip_nav(page_before).count(issued.number_label)
        # A new document from the change date uses the new values.
        new = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DECEMBER,
        )
        new = documents.document_issue(actor=staff_user, document=finish(new, staff_user), issued_on=DECEMBER)
        assert new.number_label.endswith("-CV/ĐUCQ") and new.place_name == "Lào Cai"
        assert Document.objects.count() == 2


def _strip_nav(html: str) -> str:
    """The page without its navigation bar (which shows the bloc's name as it is today)."""
    return re.sub(r"<nav.*?</nav>", "", html, flags=re.S)

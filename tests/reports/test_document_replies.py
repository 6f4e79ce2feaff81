"""An organisation answers a dispatch's request on the portal: from the document in its "Văn bản đến" it writes
its report, attaches files and sends it; staff return it with a comment or accept it with the shared actions;
the request's tracked deadline counts the reply (tracking, matrix, reminders). Only an organisation that owes
the request may reply, once; another organisation's officer never sees it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from dukportal.submissions import deadlines
from reports import delivery, obligations, recipients, services
from reports.models import DocumentReply
from tests.factories import OrganizationFactory, UserFactory
from tests.reports.delivery_helpers import dispatch

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUE_DAY = datetime(2024, 5, 22, 9, tzinfo=HCM)
LATER = datetime(2024, 6, 3, 9, tzinfo=HCM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def orgs(bloc):
    return [OrganizationFactory(name=f"Đảng bộ Sở {n}") for n in ("A", "B", "C")]


@pytest.fixture
def document_request(staff_user, issuing_body, term, orgs, celery_eager, django_capture_on_commit_callbacks):
    """1720-style: a dispatch to Sở A and Sở B asking for a report by 25/10/2024, issued and delivered."""
    with time_machine.travel(ISSUE_DAY, tick=False):
        choice = recipients.RecipientChoice(base="chosen", organizations=[orgs[0].pk, orgs[1].pk])
        draft = dispatch(staff_user, issuing_body, choice)
        with django_capture_on_commit_callbacks(execute=True):
            document = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 22))
        return delivery.document_request_create(
            actor=staff_user,
            document=document,
            section="1. Về việc báo cáo tự kiểm tra năm 2024",
            title="Báo cáo tự kiểm tra năm 2024",
            due_date=date(2024, 10, 25),
        )


def _officer_client(_client, organization):
    """A browser of its own (staff_client is pytest-django's `client`, signed in as staff)."""
    officer = Client()
    officer.force_login(UserFactory(role="officer", organization=organization))
    return officer


def _send(client, document_request, note="Đơn vị đã hoàn thành tự kiểm tra; báo cáo kèm theo.", **extra):
    data = {"note": note, "action": "submit", **extra}
    return client.post(reverse("reports:reply_create", args=[document_request.pk]), data)


def _figures(document_request):
    deadline = obligations.deadline_of(document_request)
    return deadlines.deadline_figures(deadline, date(2024, 6, 3))


def test_an_officer_answers_from_the_delivered_document_and_the_deadline_counts_it(client, document_request, orgs):
    officer = _officer_client(client, orgs[0])
    page = officer.get(reverse("reports:inbox_document", args=[document_request.document_id])).content.decode()
    assert (
        "Báo cáo tự kiểm tra năm 2024" in page and reverse("reports:reply_create", args=[document_request.pk]) in page
    )
    assert "Về việc báo cáo tự kiểm tra năm 2024" in page  # the document's text is shown, headings included
    assert _figures(document_request).sent == 0

    response = _send(officer, document_request)
    reply = DocumentReply.objects.get()
    assert response.status_code == 302 and response["Location"] == reply.get_absolute_url()
    assert (reply.organization, reply.status) == (orgs[0], "submitted")
    figures = _figures(document_request)
    assert (figures.sent, len(figures.organizations)) == (1, 2)
    page = officer.get(reverse("reports:inbox_document", args=[document_request.document_id])).content.decode()
    assert "Xem báo cáo đã lập" in page


def test_staff_see_the_reply_on_the_document_page_and_return_it_then_accept_the_resent_one(
    client, staff_client, document_request, orgs
):
    officer = _officer_client(client, orgs[0])
    _send(officer, document_request)
    reply = DocumentReply.objects.get()
    document_page = staff_client.get(reverse("reports:document", args=[document_request.document_id]))
    assert reply.get_absolute_url() in document_page.content.decode()

    staff_client.post(reverse("reports:reply_return", args=[reply.pk]), {"comment": "Bổ sung biên bản tự kiểm tra."})
    reply.refresh_from_db()
    assert reply.status == "returned"
    page = officer.get(reply.get_absolute_url()).content.decode()
    assert "Bổ sung biên bản tự kiểm tra." in page

    officer.post(reverse("reports:reply_edit", args=[reply.pk]), {"note": "Đã bổ sung biên bản.", "action": "submit"})
    reply.refresh_from_db()
    assert (reply.status, reply.note) == ("submitted", "Đã bổ sung biên bản.")
    staff_client.post(reverse("reports:reply_accept", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.status == "accepted"
    assert _figures(document_request).accepted == 1


def test_a_double_click_sends_one_reply(client, document_request, orgs):
    officer = _officer_client(client, orgs[0])
    token = "3f1c9a5e-2b7d-4c1a-9e8f-0a1b2c3d4e5f"
    first = _send(officer, document_request, form_token=token)
    second = _send(officer, document_request, form_token=token)
    assert first.status_code == 302 and second.status_code == 302
    assert DocumentReply.objects.count() == 1


def test_a_second_reply_of_the_same_organisation_leads_to_the_first(client, document_request, orgs):
    officer = _officer_client(client, orgs[0])
    _send(officer, document_request)
    response = officer.get(reverse("reports:reply_create", args=[document_request.pk]))
    assert response.status_code == 302 and response["Location"] == DocumentReply.objects.get().get_absolute_url()


def test_an_empty_report_is_refused_in_vietnamese_and_nothing_is_saved(client, document_request, orgs):
    officer = _officer_client(client, orgs[0])
    response = _send(officer, document_request, note="   ")
    assert response.status_code == 200
    assert "Nhập nội dung báo cáo trước khi lưu." in response.content.decode()
    assert not DocumentReply.objects.exists()


def test_an_organisation_not_asked_cannot_reply(client, document_request, orgs):
    officer = _officer_client(client, orgs[2])  # Sở C received nothing
    assert officer.get(reverse("reports:reply_create", args=[document_request.pk])).status_code == 404
    assert _send(officer, document_request).status_code == 404
    assert not DocumentReply.objects.exists()


def test_another_organisations_officer_never_sees_a_reply(client, document_request, orgs):
    _send(_officer_client(client, orgs[0]), document_request)
    reply = DocumentReply.objects.get()
    other = _officer_client(client, orgs[1])
    for name in ("reply", "reply_edit"):
        assert other.get(reverse(f"reports:{name}", args=[reply.pk])).status_code == 404
    assert other.post(reverse("reports:reply_withdraw", args=[reply.pk]), {"comment": "x"}).status_code == 404
    reply.refresh_from_db()
    assert reply.status == "submitted"


def test_leaders_and_staff_cannot_open_the_officers_reply_form(leader_client, staff_client, document_request):
    url = reverse("reports:reply_create", args=[document_request.pk])
    assert leader_client.get(url).status_code == 403
    assert staff_client.get(url).status_code == 403

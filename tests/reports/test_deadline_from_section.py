"""Tạo hạn nộp từ văn bản: a date a dispatch's section asks for ("gửi về … trước ngày 25/10/2024") becomes a
tracked deadline in one step, owed by the document's recipients; it is on the tracking page and in the
reminders, and cites the document. A past date is refused; a double submit makes one deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dukportal.notifications import selectors as notification_selectors
from dukportal.submissions.models import Audience, Deadline
from reports import delivery, delivery_selectors, recipients, references, requests, services
from reports.obligations import DOCUMENT_REQUEST
from tests.factories import OrganizationFactory
from tests.reports.delivery_helpers import SECTION_BODY, dispatch

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2024, 5, 22, 9, tzinfo=HCM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gửi về Ban Tuyên giáo trước ngày 25/10/2024.", date(2024, 10, 25)),
        ("gửi về Ban Tuyên giáo trước ngày 25 tháng 10 năm 2024.", date(2024, 10, 25)),
        ("báo cáo chậm nhất ngày 01-9-2024", date(2024, 9, 1)),
        ("hạn chót là ngày 5.11.2024", date(2024, 11, 5)),
        ("gửi trước 30/9/2024", date(2024, 9, 30)),
        # A citation's date is not a request; the request after it is.
        ("Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 …, gửi trước ngày 15/5/2024.", date(2024, 5, 15)),
        ("Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ.", None),
        ("gửi trước ngày 31/02/2024", None),
    ],
)
def test_the_requested_date_is_read_in_several_styles(text, expected):
    assert requests.requested_date(text) == expected


def test_sections_give_their_heading_as_title_and_their_date():
    found = requests.sections(SECTION_BODY)
    assert [(s.title, s.due_date) for s in found] == [
        ("Báo cáo tự kiểm tra năm 2024", date(2024, 10, 25)),
        ("Khác", None),
    ]


@pytest.fixture
def orgs(bloc):
    return [OrganizationFactory(name=f"Đảng bộ Sở {n}") for n in ("A", "B", "C")]


@pytest.fixture
def chosen_dispatch(staff_user, issuing_body, term, orgs):
    with time_machine.travel(TODAY, tick=False):
        return dispatch(
            staff_user, issuing_body, recipients.RecipientChoice(base="chosen", organizations=[orgs[0].pk, orgs[1].pk])
        )


def _post(client, document, *, title="Báo cáo tự kiểm tra năm 2024", due="25/10/2024", token=None):
    data = {"muc": "0", "muc0-section": requests.sections(SECTION_BODY)[0].heading, "muc0-title": title}
    data["muc0-due_date"] = due
    if token:
        data["form_token"] = token
    return client.post(reverse("reports:document_requests", args=[document.pk]), data)


def test_the_form_is_prefilled_from_the_section(staff_client, chosen_dispatch):
    with time_machine.travel(TODAY, tick=False):
        page = staff_client.get(reverse("reports:document_requests", args=[chosen_dispatch.pk]))
    html = page.content.decode()
    assert 'value="Báo cáo tự kiểm tra năm 2024"' in html
    assert 'value="25/10/2024"' in html
    assert "2 tổ chức: Đảng bộ Sở A, Đảng bộ Sở B" in html


def test_a_deadline_from_a_draft_section_is_tracked_and_owed_by_the_recipients(
    staff_client, staff_user, chosen_dispatch, orgs, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=False):
        response = _post(staff_client, chosen_dispatch)
    assert response.status_code == 302
    deadline = Deadline.objects.get(kind=DOCUMENT_REQUEST)
    assert (deadline.title, deadline.due_date, deadline.year) == (
        "Báo cáo tự kiểm tra năm 2024",
        date(2024, 10, 25),
        2024,
    )
    assert deadline.audience == Audience.CHOSEN
    assert set(deadline.organizations.all()) == {orgs[0], orgs[1]}
    assert deadline.source.document == chosen_dispatch

    with time_machine.travel(TODAY, tick=False):
        tracked = notification_selectors.deadline_progress(staff_user, today=date(2024, 5, 22))
        page = staff_client.get(reverse("notifications:tracking"))
    assert [p.deadline for p in tracked if p.deadline.kind == DOCUMENT_REQUEST] == [deadline]
    assert "Báo cáo tự kiểm tra năm 2024" in page.content.decode()
    # Reminded like any deadline: 7 days before, the two recipients that owe it.
    assert notification_selectors.reminders_due(date(2024, 10, 18)) == [(deadline, "before", [orgs[0].pk, orgs[1].pk])]

    # Issued afterwards: the deadline cites the document.
    with time_machine.travel(TODAY, tick=False), django_capture_on_commit_callbacks(execute=False):
        issued = services.document_issue(actor=staff_user, document=chosen_dispatch, issued_on=date(2024, 5, 22))
    assert [r.document for r in references.references_of(deadline)] == [issued]


def test_a_dispatch_to_all_organisations_gives_a_deadline_for_all(staff_client, staff_user, issuing_body, term, orgs):
    with time_machine.travel(TODAY, tick=False):
        document = dispatch(staff_user, issuing_body, recipients.RecipientChoice(base="all"))
        _post(staff_client, document)
    assert Deadline.objects.get(kind=DOCUMENT_REQUEST).audience == Audience.ALL_ACTIVE


def test_a_date_in_the_past_is_refused_in_vietnamese(staff_client, chosen_dispatch):
    with time_machine.travel(TODAY, tick=False):
        response = _post(staff_client, chosen_dispatch, due="20/05/2024")
    assert response.status_code == 200
    assert "Hạn nộp 20/5/2024 đã qua; chọn từ ngày 22/5/2024 trở đi." in response.content.decode()
    assert not Deadline.objects.filter(kind=DOCUMENT_REQUEST).exists()


def test_a_double_submit_makes_one_deadline(staff_client, chosen_dispatch):
    token = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    with time_machine.travel(TODAY, tick=False):
        first = _post(staff_client, chosen_dispatch, token=token)
        second = _post(staff_client, chosen_dispatch, token=token)
        third = _post(staff_client, chosen_dispatch)  # another form for the same section
    assert first.status_code == second.status_code == 302
    assert third.status_code == 200 and "Đã tạo hạn nộp cho mục này." in third.content.decode()
    assert Deadline.objects.filter(kind=DOCUMENT_REQUEST).count() == 1


def test_only_staff_create_deadlines_from_a_document(client, leader_user, officer_user, chosen_dispatch):
    for user in (leader_user, officer_user):
        client.force_login(user)
        assert _post(client, chosen_dispatch).status_code == 403
    assert not Deadline.objects.filter(kind=DOCUMENT_REQUEST).exists()


@pytest.mark.parametrize("count", [1, 5])
def test_a_documents_requests_with_their_deadlines_cost_the_same_queries_whatever_their_number(
    staff_user, chosen_dispatch, count, django_assert_num_queries
):
    with time_machine.travel(TODAY, tick=False):
        for n in range(1, count + 1):
            delivery.document_request_create(
                actor=staff_user,
                document=chosen_dispatch,
                section=f"Mục {n}",
                title=f"Báo cáo chuyên đề số {n}",
                due_date=date(2024, 10, n),
            )
    # The replies, the requests, their deadlines.
    with django_assert_num_queries(3):
        rows = delivery_selectors.requests_of(chosen_dispatch)
    assert [(row.request.title, row.deadline.due_date) for row in rows] == [
        (f"Báo cáo chuyên đề số {n}", date(2024, 10, n)) for n in range(1, count + 1)
    ]
    assert all(row.deadline.source == row.request for row in rows)

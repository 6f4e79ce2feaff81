"""Staff hear of submissions as one notice per deadline and day ("Hôm nay 12 tổ chức đã gửi …"), updated in
place as more arrive, linking to the tracking page; the bell's unread count stays one cheap query."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from dukportal.notifications import selectors, tasks
from dukportal.notifications.models import Notification
from dukportal.submissions import services as workflow
from tests.factories import RegistrationFactory, UserFactory

from .factories import HCM, campaign_with_deadlines, deadline_of, organization_with_officer

pytestmark = pytest.mark.django_db
TITLE = "Đăng ký mô hình “Dân vận khéo” năm 2024"


@pytest.fixture
def campaign(bloc, staff_user):
    return campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))


def send(campaign, code, when, capture):
    organization, officer = organization_with_officer(code=code, name=f"Đảng bộ {code}")
    registration = RegistrationFactory(campaign=campaign, organization=organization, status="draft")
    with time_machine.travel(when, tick=False), capture(execute=True):
        workflow.submission_submit(actor=officer, submission=registration)
    return registration


def summaries(user):
    return list(Notification.objects.filter(recipient=user, category="submission"))


def test_submissions_of_a_day_make_one_notice_per_deadline_updated_in_place(
    campaign, staff_user, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role="staff")
    morning = datetime(2024, 5, 10, 8, 15, tzinfo=HCM)
    send(campaign, "SOTC", morning, django_capture_on_commit_callbacks)
    [notice] = summaries(staff_user)
    assert notice.title == f"Hôm nay 1 tổ chức đã gửi: {TITLE}"
    assert notice.url == reverse("notifications:tracking") + f"#deadline-{deadline_of(campaign).pk}"
    notice.read_at = morning
    notice.save()

    send(campaign, "SOYT", datetime(2024, 5, 10, 9, 30, tzinfo=HCM), django_capture_on_commit_callbacks)
    send(campaign, "SOGD", datetime(2024, 5, 10, 10, 5, tzinfo=HCM), django_capture_on_commit_callbacks)
    [again] = summaries(staff_user)
    assert again.pk == notice.pk and again.read_at is None  # the same notice, unread again
    assert again.title == f"Hôm nay 3 tổ chức đã gửi: {TITLE}"
    assert again.body.splitlines() == [
        f"Ngày 10/05/2024, 3 tổ chức đã gửi “{TITLE}” (hạn 15/05/2024):",
        "- 10:05 Đảng bộ SOGD gửi",
        "- 09:30 Đảng bộ SOYT gửi",
        "- 08:15 Đảng bộ SOTC gửi",
        "Các hồ sơ đang chờ duyệt; xem tiến độ trên trang theo dõi hạn nộp.",
    ]
    assert len(summaries(colleague)) == 1 and selectors.unread_count(staff_user) == 1

    # The next day starts a new notice; yesterday's stays as it was.
    send(campaign, "SOXD", datetime(2024, 5, 11, 8, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
    titles = sorted(n.title for n in summaries(staff_user))
    assert titles == [f"Hôm nay 1 tổ chức đã gửi: {TITLE}", f"Hôm nay 3 tổ chức đã gửi: {TITLE}"]


def test_a_returned_item_sent_again_says_so_and_counts_its_organisation_once(
    campaign, staff_user, django_capture_on_commit_callbacks
):
    registration = send(campaign, "SOTC", datetime(2024, 5, 10, 8, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
    with (
        time_machine.travel(datetime(2024, 5, 10, 9, 0, tzinfo=HCM), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.submission_return(actor=staff_user, submission=registration, comment="Thiếu tệp")
    officer = UserFactory._meta.model.objects.get(organization=registration.organization)
    with (
        time_machine.travel(datetime(2024, 5, 10, 11, 0, tzinfo=HCM), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.submission_submit(actor=officer, submission=registration)
    [notice] = summaries(staff_user)
    assert notice.title == f"Hôm nay 1 tổ chức đã gửi: {TITLE}"
    assert "- 11:00 Đảng bộ SOTC gửi lại sau khi bổ sung" in notice.body


def test_the_task_delivered_twice_leaves_a_read_notice_read(campaign, staff_user, django_capture_on_commit_callbacks):
    from django.contrib.contenttypes.models import ContentType

    when = datetime(2024, 5, 10, 8, 0, tzinfo=HCM)
    registration = send(campaign, "SOTC", when, django_capture_on_commit_callbacks)
    Notification.objects.filter(recipient=staff_user).update(read_at=when)
    with time_machine.travel(when, tick=False):
        tasks.submission_received.delay(ContentType.objects.get_for_model(registration).pk, registration.pk).get()
    [notice] = summaries(staff_user)
    assert notice.read_at is not None


def test_many_senders_cost_the_same_statements_and_the_body_stays_short(
    campaign, staff_user, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(35):
        send(campaign, f"ORG{n:02}", datetime(2024, 5, 10, 8, n, tzinfo=HCM), django_capture_on_commit_callbacks)
    [notice] = summaries(staff_user)
    assert notice.title == f"Hôm nay 35 tổ chức đã gửi: {TITLE}"
    assert "… và 5 tổ chức khác." in notice.body
    counts = []
    for code in ("LATE1", "LATE2"):
        with CaptureQueriesContext(connection) as queries:
            send(campaign, code, datetime(2024, 5, 10, 15, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_officer_decisions_stay_individual_notices(campaign, staff_user, django_capture_on_commit_callbacks):
    first = send(campaign, "SOTC", datetime(2024, 5, 10, 8, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
    second = send(campaign, "SOYT", datetime(2024, 5, 10, 8, 5, tzinfo=HCM), django_capture_on_commit_callbacks)
    with time_machine.travel(datetime(2024, 5, 10, 9, 0, tzinfo=HCM), tick=False):
        for registration in (first, second):
            with django_capture_on_commit_callbacks(execute=True):
                workflow.submission_accept(actor=staff_user, submission=registration)
    decisions = Notification.objects.filter(category="decision")
    assert decisions.count() == 2
    assert {n.organization_id for n in decisions} == {first.organization_id, second.organization_id}


def test_the_unread_count_is_one_query(
    campaign, staff_user, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for n in range(5):
        send(campaign, f"ORG{n}", datetime(2024, 5, 10, 8, n, tzinfo=HCM), django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):
        assert selectors.unread_count(staff_user) == 1


def test_an_organisation_sending_several_items_counts_once_at_its_latest(
    campaign, staff_user, django_capture_on_commit_callbacks
):
    organization, officer = organization_with_officer(code="SOTC", name="Đảng bộ SOTC")
    for hour in (8, 9, 10):
        registration = RegistrationFactory(campaign=campaign, organization=organization, status="draft")
        with (
            time_machine.travel(datetime(2024, 5, 10, hour, 0, tzinfo=HCM), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            workflow.submission_submit(actor=officer, submission=registration)
    send(campaign, "SOYT", datetime(2024, 5, 10, 9, 30, tzinfo=HCM), django_capture_on_commit_callbacks)
    send(campaign, "SOGD", datetime(2024, 5, 9, 16, 0, tzinfo=HCM), django_capture_on_commit_callbacks)  # yesterday
    notice = Notification.objects.get(recipient=staff_user, category="submission", title__contains="Hôm nay 2 ")
    assert notice.body.splitlines()[1:3] == ["- 10:00 Đảng bộ SOTC gửi", "- 09:30 Đảng bộ SOYT gửi"]
    assert len(notice.body.splitlines()) == 4


def test_the_summary_reads_only_the_listed_senders(campaign, staff_user, django_capture_on_commit_callbacks):
    """A busy day's events are counted and ranked in SQL: the summary's two statements read one row and at most
    SUMMARY_LINES rows, however many sendings the day had."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dukportal.notifications import services

    for n in range(33):
        send(campaign, f"ORG{n:02}", datetime(2024, 5, 10, 8, n, tzinfo=HCM), django_capture_on_commit_callbacks)
    deadline = deadline_of(campaign)
    with CaptureQueriesContext(connection) as queries:
        title, body = services._submission_summary(deadline=deadline, day=date(2024, 5, 10))
    assert title == f"Hôm nay 33 tổ chức đã gửi: {TITLE}" and "… và 3 tổ chức khác." in body
    assert body.splitlines()[1] == "- 08:32 Đảng bộ ORG32 gửi"
    statements = [query["sql"] for query in queries]
    assert len(statements) == 2 and f"LIMIT {services.SUMMARY_LINES}" in statements[1]


def test_the_committees_own_sending_counts_as_one_sender_beside_the_organisations(
    campaign, staff_user, django_capture_on_commit_callbacks
):
    """A bloc-level registration (no organisation) the committee sends itself is a sender of its own, counted once
    however many it sends, named “Đảng ủy Khối”; the count is that of the ranked senders listed."""
    from models_danvan.models import Level

    colleague = UserFactory(role="staff")
    send(campaign, "SOTC", datetime(2024, 5, 10, 8, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
    for minute in (15, 45):
        own = RegistrationFactory(campaign=campaign, organization=None, level=Level.BLOC, status="draft")
        with (
            time_machine.travel(datetime(2024, 5, 10, 9, minute, tzinfo=HCM), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            workflow.submission_submit(actor=staff_user, submission=own)
    send(campaign, "SOYT", datetime(2024, 5, 10, 10, 0, tzinfo=HCM), django_capture_on_commit_callbacks)
    [notice] = summaries(colleague)
    assert notice.title == f"Hôm nay 3 tổ chức đã gửi: {TITLE}"
    assert notice.body.splitlines()[1:4] == [
        "- 10:00 Đảng bộ SOYT gửi",
        "- 09:45 Đảng ủy Khối gửi",
        "- 08:00 Đảng bộ SOTC gửi",
    ]

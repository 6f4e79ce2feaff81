"""The tracking page: each open deadline with submitted / missing / late counts, days left, a progress bar,
the organisations still missing with contact person and phone; and the manual send, queued to Celery."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.notifications import services
from dukportal.notifications.models import Notification, Reminder, ReminderJob
from tests.factories import OrganizationFactory

from .factories import at, campaign_with_deadlines, deadline_of, organization_with_officer, submitted

pytestmark = pytest.mark.django_db

TODAY = date(2024, 5, 10)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield


@pytest.fixture
def scenario(bloc, staff_user):
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    sent_on_time = OrganizationFactory(code="ONTIME", name="Đảng bộ Sở Nội vụ")
    accepted = OrganizationFactory(code="ACC", name="Đảng bộ Sở Xây dựng")
    missing, officer = organization_with_officer(
        code="MISS",
        name="Chi bộ Hội Nông dân tỉnh",
        danvan_officer_name="Lò Văn Khánh",
        phone="0216 3852 123",
        email="khanh@hnd.vn",
    )
    quiet = OrganizationFactory(
        code="QUIET", name="Đảng bộ Công ty Xi măng", danvan_officer_name="", secretary_name="Vũ Thị Lan"
    )
    submitted(campaign, sent_on_time, at(date(2024, 5, 6)))
    submitted(campaign, accepted, at(date(2024, 5, 2)), status="accepted")
    return campaign, {"missing": missing, "quiet": quiet, "officer": officer}


def progress_of(response, kind):
    return next(p for p in response.context["progress"] if p.deadline.kind == kind)


def test_tracking_page_counts_and_lists_who_is_missing_with_contacts(staff_client, scenario):
    response = staff_client.get(reverse("notifications:tracking"))
    registration = progress_of(response, "danvan.registration")
    assert (registration.expected, registration.sent, registration.accepted) == (4, 2, 1)
    assert (registration.missing, registration.late, registration.percent) == (2, 0, 50)
    assert registration.days_left == 5
    assert [o.organization.code for o in registration.owing] == ["MISS", "QUIET"]  # Vietnamese order
    assert [o.contact for o in registration.owing] == ["Lò Văn Khánh", "Vũ Thị Lan (bí thư)"]
    html = response.content.decode()
    assert "Còn 5 ngày" in html
    assert 'aria-valuenow="50"' in html and "2/4" in html
    assert "Chi bộ Hội Nông dân tỉnh" in html and "0216 3852 123" in html and "Lò Văn Khánh" in html
    assert "Chưa nhắc" in html
    # Every deadline of the campaign is still open; they come in due-date order.
    assert [p.deadline.kind for p in response.context["progress"]] == [
        "danvan.registration",
        "danvan.mid_year",
        "danvan.year_end",
    ]


def test_after_the_due_date_the_missing_are_late(staff_client, scenario):
    with time_machine.travel(at(date(2024, 5, 20), hour=9), tick=False):
        response = staff_client.get(reverse("notifications:tracking"))
    registration = progress_of(response, "danvan.registration")
    assert (registration.missing, registration.late, registration.days_left_label) == (0, 2, "Quá hạn 5 ngày")


def test_a_deadline_passed_long_ago_stays_tracked_while_owed_until_staff_close_it(staff_client, staff_user, scenario):
    # Issue 11 changed this: a deadline no longer drops off 30 days after its due date while organisations owe it.
    campaign, _ = scenario
    with time_machine.travel(at(date(2024, 6, 20)), tick=False):
        staff_client.force_login(staff_user)  # the session of 10/05 has expired by then
        kinds = [p.deadline.kind for p in staff_client.get(reverse("notifications:tracking")).context["progress"]]
        assert "danvan.registration" in kinds  # 36 days after its due date, two still owe it
        staff_client.post(
            reverse("notifications:close_deadline", args=[deadline_of(campaign).pk]), {"reason": "Đã tổng hợp xong"}
        )
        kinds = [p.deadline.kind for p in staff_client.get(reverse("notifications:tracking")).context["progress"]]
    assert "danvan.registration" not in kinds


def test_manual_send_is_queued_then_the_page_shows_how_many_were_reminded(
    staff_client, staff_user, scenario, django_capture_on_commit_callbacks
):
    campaign, people = scenario
    deadline = deadline_of(campaign)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(reverse("notifications:remind", args=[deadline.pk]), {"confirm": "1"})
    assert len(callbacks) >= 1  # the task is queued after the commit, not inside the request's transaction
    assert response.status_code == 302 and response["Location"] == reverse("notifications:tracking")

    page = staff_client.get(response["Location"]).content.decode()
    assert "Đã đưa yêu cầu nhắc các đơn vị chưa nộp “Đăng ký mô hình “Dân vận khéo” năm 2024” vào hàng đợi." in page
    assert "Đã nhắc 2 tổ chức" in page
    job = ReminderJob.objects.get()
    assert (job.status, job.reminded, job.requested_by) == ("done", 2, staff_user)
    assert set(Reminder.objects.values_list("organization__code", "kind")) == {("MISS", "manual"), ("QUIET", "manual")}
    assert Notification.objects.get(recipient=people["officer"]).title.startswith("Nhắc hạn:")
    # The missing list now says when each was last reminded.
    tracked = staff_client.get(reverse("notifications:tracking"))
    assert all(o.last_reminded for o in progress_of(tracked, "danvan.registration").owing)

    # A second click the same day reminds nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("notifications:remind", args=[deadline.pk]), {"confirm": "1"})
    latest = ReminderJob.objects.first()
    assert (latest.reminded, latest.skipped) == (0, 2)
    assert Reminder.objects.count() == 2


def test_a_queued_job_shows_as_waiting_until_a_worker_runs_it(staff_client, scenario):
    campaign, _people = scenario
    # Without running on-commit callbacks nothing reaches the queue: the job stays queued, as with a busy worker.
    staff_client.post(reverse("notifications:remind", args=[deadline_of(campaign).pk]), {"confirm": "1"})
    page = staff_client.get(reverse("notifications:tracking")).content.decode()
    assert "Đang chờ trong hàng đợi" in page and "Đang chờ máy chủ xử lý" in page
    # The page polls the jobs table until the result is in.
    assert f'hx-get="{reverse("notifications:jobs")}" hx-trigger="every 3s"' in page
    job = ReminderJob.objects.get()
    services.reminder_job_run(job_id=job.pk)  # what the worker does
    table = staff_client.get(reverse("notifications:jobs")).content.decode()
    assert "Đã nhắc 2 tổ chức" in table and "hx-trigger" not in table


def test_tracking_costs_the_same_queries_whatever_the_number_of_organisations(
    staff_client, scenario, django_assert_num_queries
):
    for n in range(30):
        OrganizationFactory(code=f"X{n}")
    # session, user (with the bell's count), deadlines, chosen lists, the counts and the ids listed of all
    # deadlines in one statement (deadlines.counts_and_owing), the organisations listed, last reminders, jobs,
    # the bloc's name in the page header (10 before branch dashtrack: the counts and the ids were two statements)
    with django_assert_num_queries(9):
        response = staff_client.get(reverse("notifications:tracking"))
    assert progress_of(response, "danvan.registration").expected == 34


@pytest.mark.parametrize(
    "method, name",
    [("get", "tracking"), ("get", "matrix"), ("get", "matrix_xlsx"), ("get", "jobs"), ("post", "remind")],
)
def test_access(client, leader_user, officer_user, staff_user, scenario, method, name):
    campaign, _people = scenario
    url = reverse(f"notifications:{name}", args=[deadline_of(campaign).pk] if name == "remind" else [])
    call = getattr(client, method)
    assert call(url).status_code == 302 and "dang-nhap" in call(url)["Location"]  # anonymous → login
    client.force_login(officer_user)
    assert call(url).status_code == 403
    client.force_login(leader_user)
    assert call(url).status_code == (403 if method == "post" else 200)
    assert not ReminderJob.objects.exists()
    client.force_login(staff_user)
    assert call(url).status_code in (200, 302)


def test_remind_an_unknown_deadline_is_404(staff_client, scenario):
    assert staff_client.post(reverse("notifications:remind", args=[999999])).status_code == 404


def test_tracking_for_a_past_date_counts_what_had_been_sent_by_then(staff_client, scenario):
    """Asked on 10/05 about 04/05: only the registration sent on 02/05 counted; the one of 06/05 did not."""
    response = staff_client.get(reverse("notifications:tracking"), {"ngay": "04/05/2024"})
    registration = progress_of(response, "danvan.registration")
    assert (registration.expected, registration.sent, registration.accepted) == (4, 1, 1)
    assert [o.organization.code for o in registration.owing] == ["MISS", "QUIET", "ONTIME"]  # Vietnamese order
    assert registration.days_left_label == "Còn 11 ngày"
    html = response.content.decode()
    assert 'id="reference-date">04/05/2024<' in html and "1/4" in html
    # Reminders go by today's figures: not offered on a past date. The links carry the date.
    assert "Nhắc đơn vị chưa nộp" not in html
    assert "?nam=2024&amp;ngay=04%2F05%2F2024" in html


def test_tracking_refuses_a_bad_date_and_shows_today(staff_client, scenario):
    response = staff_client.get(reverse("notifications:tracking"), {"ngay": "hôm qua"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm" in response.content.decode()
    assert progress_of(response, "danvan.registration").sent == 2


def test_tracking_for_a_past_date_costs_the_same_queries(staff_client, scenario, django_assert_num_queries):
    for n in range(30):
        OrganizationFactory(code=f"X{n}")
    with django_assert_num_queries(9):
        response = staff_client.get(reverse("notifications:tracking"), {"ngay": "04/05/2024"})
    assert progress_of(response, "danvan.registration").expected == 34


def test_a_mass_reminder_asks_for_confirmation_with_the_number_of_organisations(staff_client, scenario):
    page = staff_client.get(reverse("notifications:tracking")).content.decode()
    assert "Xác nhận gửi nhắc tới 2 tổ chức" in page  # MISS and QUIET owe the registration
    deadline = progress_of(staff_client.get(reverse("notifications:tracking")), "danvan.registration").deadline
    response = staff_client.post(reverse("notifications:remind", args=[deadline.pk]), follow=True)
    assert "Chưa gửi nhắc: vui lòng bấm “Xác nhận gửi nhắc” để gửi." in response.content.decode()
    assert not ReminderJob.objects.exists()


def _registration_card(response) -> str:
    html = response.content.decode()
    deadline = progress_of(response, "danvan.registration").deadline
    start = html.index(f'id="deadline-{deadline.pk}"')
    return html[start : html.index('class="card mb-3 deadline-card"', start + 1)]


def test_tracking_lists_the_first_rows_of_those_to_chase_with_the_count_of_all_and_all_on_request(
    staff_client, scenario, monkeypatch
):
    """Only the rows shown are read (deadline_progress(shown=…)); the counts, the summary and the reminder's
    confirmation still count every organisation to chase, and “Xem tất cả” lists them all."""
    from dukportal.core import forms

    monkeypatch.setattr(forms, "ROWS_CAP", 1)
    capped = staff_client.get(reverse("notifications:tracking"))
    registration = progress_of(capped, "danvan.registration")
    assert [o.organization.code for o in registration.owing] == ["MISS"]  # the first in Vietnamese order
    assert (registration.to_chase, registration.missing) == (2, 2)
    card = _registration_card(capped)
    assert card.count("<tr><td>") == 1
    assert "Đơn vị chưa nộp (2)" in card and "Hiển thị 1/2 đơn vị." in card
    assert "Xác nhận gửi nhắc tới 2 tổ chức" in card

    everything = staff_client.get(reverse("notifications:tracking"), {"tat_ca": "1"})
    assert [o.organization.code for o in progress_of(everything, "danvan.registration").owing] == ["MISS", "QUIET"]
    card = _registration_card(everything)
    assert card.count("<tr><td>") == 2 and "Hiển thị" not in card


@pytest.mark.figures_cache
def test_the_cached_tracking_figures_keep_the_capped_and_the_full_list_apart(staff_client, scenario, monkeypatch):
    from dukportal.core import forms

    monkeypatch.setattr(forms, "ROWS_CAP", 1)
    staff_client.get(reverse("notifications:tracking"))  # cached with one row to chase listed
    everything = staff_client.get(reverse("notifications:tracking"), {"tat_ca": "1"})
    assert len(progress_of(everything, "danvan.registration").owing) == 2


def test_tracking_lists_the_first_20_to_chase_of_a_deadline_and_all_with_the_date_kept(staff_client, scenario):
    """Whatever the size of the bloc, a deadline's table shows 20 rows (the page does not grow with the number
    of organisations owing); the counts are of all, and “Xem tất cả” keeps the reference date."""
    for n in range(25):
        OrganizationFactory(code=f"X{n:02d}")
    response = staff_client.get(reverse("notifications:tracking"), {"ngay": "04/05/2024"})
    registration = progress_of(response, "danvan.registration")
    assert registration.to_chase == 28 and len(registration.owing) == 20  # MISS, QUIET, ONTIME and the 25
    card = _registration_card(response)
    assert card.count("<tr><td>") == 20 and "Hiển thị 20/28 đơn vị." in card
    link = card.split('class="show-all-link"', 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link == "?ngay=04%2F05%2F2024&tat_ca=1"
    everything = staff_client.get(reverse("notifications:tracking") + link)
    assert len(progress_of(everything, "danvan.registration").owing) == 28
    assert _registration_card(everything).count("<tr><td>") == 28

"""The reminder e-mail: Vietnamese, names the organisation, the submission, the due date and what to do."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from dukportal.notifications import tasks
from dukportal.notifications.models import Notification

from .factories import at, campaign_with_deadlines, organization_with_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def owing(bloc):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    organization, officer = organization_with_officer(
        name="Đảng bộ Sở Tài chính", email="canbo@stc.yenbai.gov.vn", org_email="dangbo@stc.yenbai.gov.vn"
    )
    return organization, officer


def send_on(day, capture):
    with time_machine.travel(at(day), tick=False), capture(execute=True):
        tasks.send_due_reminders.delay()
    [message] = mail.outbox
    mail.outbox.clear()
    return message


def test_reminder_seven_days_before_reads_in_vietnamese(owing, django_capture_on_commit_callbacks):
    organization, officer = owing
    message = send_on(date(2024, 5, 8), django_capture_on_commit_callbacks)

    assert message.subject == "[Nhắc hạn] Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024"
    assert message.to == ["canbo@stc.yenbai.gov.vn", "dangbo@stc.yenbai.gov.vn"]
    assert message.from_email.startswith("Ban Tuyên giáo")
    assert message.body.startswith("Kính gửi: Đảng bộ Sở Tài chính\n")
    assert (
        "Ban Tuyên giáo nhắc: đơn vị chưa gửi “Đăng ký mô hình “Dân vận khéo” năm 2024”. "
        "Hạn nộp là ngày 15/05/2024, còn 7 ngày." in message.body
    )
    assert f"https://cong.example.vn/to-chuc/{organization.pk}/" in message.body
    assert "Trân trọng,\nBan Tuyên giáo – Đảng ủy Khối cơ quan và doanh nghiệp tỉnh" in message.body

    notification = Notification.objects.get(recipient=officer)
    assert notification.title == "Nhắc hạn: Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024, còn 7 ngày"
    assert notification.body == message.body


def test_due_day_and_late_notices_say_so(owing, django_capture_on_commit_callbacks):
    due = send_on(date(2024, 5, 15), django_capture_on_commit_callbacks)
    assert due.subject == "[Hạn cuối hôm nay] Đăng ký mô hình “Dân vận khéo” năm 2024"
    assert "Hôm nay, ngày 15/05/2024, là hạn cuối gửi “Đăng ký mô hình “Dân vận khéo” năm 2024”" in due.body

    late = send_on(date(2024, 5, 22), django_capture_on_commit_callbacks)
    assert late.subject == "[Quá hạn] Đăng ký mô hình “Dân vận khéo” năm 2024 — hạn 15/05/2024"
    assert "Hạn nộp là ngày 15/05/2024, đến nay đã quá hạn 7 ngày." in late.body


def test_a_mail_server_failure_is_recorded_and_the_notification_stays(
    owing, django_capture_on_commit_callbacks, settings, monkeypatch
):
    from django.core.mail import EmailMessage

    from dukportal.notifications.models import Reminder

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP không phản hồi")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with time_machine.travel(at(date(2024, 5, 8)), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.delay()
    reminder = Reminder.objects.get()
    assert reminder.email_sent_at is None and "SMTP không phản hồi" in reminder.email_error
    assert Notification.objects.filter(recipient=owing[1]).count() == 1

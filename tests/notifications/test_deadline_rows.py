"""The organisation page's deadlines section written in Python ({% obligation_rows %}, {% reminder_rows %}) gives
the same HTML, byte for byte, as the template loops it replaced (kept in deadlines_reference/notifications/:
_organization_deadlines.html and _standing_badge.html as they were at e5a1eef): for every standing (sent,
returned, accepted, nil return, overdue, not due yet, not owed), no deadlines, no reminders, every reminder
channel, names that need escaping, officers and readers, on several reference dates with frozen time."""

from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from democracy_regs import obligations as qcdc
from dukportal.notifications import tasks
from dukportal.notifications.models import Reminder, ReminderKind
from dukportal.notifications.organization_page import organization_deadlines
from dukportal.submissions import services
from dukportal.submissions.deadlines import Standing
from dukportal.submissions.models import Deadline
from dukportal.submissions.timeline import OrgState
from models_danvan import obligations as danvan
from tests.democracy_regs.factories import open_cycle

from .factories import at, campaign_with_deadlines, submitted

REFERENCE = Path(__file__).parent / "deadlines_reference"
TEMPLATE = "notifications/_organization_deadlines.html"
UTC = ZoneInfo("UTC")


def render_both(context: dict) -> tuple[str, str]:
    reference = Engine(dirs=[str(REFERENCE)]).get_template(TEMPLATE).render(Context(context))
    return reference, render_to_string(TEMPLATE, context)


# --- Without the database: every branch of the rows, with values to escape -------------------------------------


def obligation(code_state, *, due=date(2024, 5, 15), today=date(2024, 5, 20), action="/dot/1/", nil="", **names):
    """An OwnObligation-shaped row (the template reads only these attributes)."""
    standing = Standing(code_state.get("state"), due, today, nil=code_state.get("nil"))
    return SimpleNamespace(
        deadline=SimpleNamespace(title=names.get("title", "Đăng ký mô hình năm 2024"), due_date=due),
        label=names.get("label", "Đăng ký “Dân vận khéo”"),
        standing=standing,
        days_left_label=names.get("left", "Còn 3 ngày"),
        action_url=action,
        nil_url=nil,
        action_label=names.get("action_label", "Lập và gửi hồ sơ"),
    )


SENT_ON_TIME = OrgState("submitted", datetime(2024, 5, 14, 20, 30, tzinfo=UTC))  # 15/05 03:30 in Hà Nội time
SENT_LATE = OrgState("submitted", datetime(2024, 5, 16, 1, 0, tzinfo=UTC))
RETURNED = OrgState("returned", datetime(2024, 5, 10, 1, 0, tzinfo=UTC))
ACCEPTED = OrgState("accepted", datetime(2024, 5, 2, 1, 0, tzinfo=UTC))
DRAFTLIKE = OrgState("draft", None)  # a status outside the precedence: shown as sent, without a date


def synthetic_rows():
    yield "missing, not due yet", [obligation({}, due=date(2024, 6, 1))]
    yield "late", [obligation({}, left="Quá hạn 5 ngày")]
    yield "sent on the day (local time)", [obligation({"state": SENT_ON_TIME}, action_label="Xem hồ sơ")]
    yield "sent late", [obligation({"state": SENT_LATE}, action_label="Xem hồ sơ")]
    yield "returned", [obligation({"state": RETURNED}, action_label="Bổ sung hồ sơ bị trả lại")]
    yield "accepted", [obligation({"state": ACCEPTED})]
    yield "nil return", [obligation({"nil": SENT_LATE})]
    yield "no date", [obligation({"state": DRAFTLIKE})]
    yield "no action", [obligation({}, action="")]
    yield "nil offered", [obligation({}, nil="/khong-phat-sinh/7/")]
    yield "no deadlines", []
    yield (
        "names to escape",
        [
            obligation(
                {},
                title="<b>\"Báo cáo\"</b> & 'năm'",
                label="<i>Loại</i> & co",
                left="<script>",
                action='/dot/1/?a=1&b="2"',
                nil="/k/?x=<1>&y='2'",
                action_label="Gửi <ngay> & luôn",
            ),
            obligation({"state": ACCEPTED}, title=mark_safe("<em>đã an toàn</em>"), due=date(999, 1, 2)),
        ],
    )
    several = [obligation({"state": s}) for s in (SENT_ON_TIME, RETURNED, ACCEPTED)]
    yield "several", several + [obligation({}, nil="/k/1/"), obligation({"nil": ACCEPTED}, action="")]


def reminder(**fields):
    values = {
        "created_at": datetime(2024, 5, 8, 0, 5, tzinfo=UTC),
        "kind": ReminderKind.BEFORE,
        "notified_users": 1,
        "emailed_to": "",
        "email_sent_at": None,
        "email_error": "",
        **fields,
    }
    title = values.pop("title", "Đăng ký mô hình năm 2024")
    found = Reminder(**values)
    found._state.fields_cache["deadline"] = Deadline(title=title)  # as select_related leaves it
    return found


def synthetic_reminders():
    sent = datetime(2024, 5, 8, 0, 6, tzinfo=UTC)
    yield "none", []
    yield "portal only", [reminder()]
    yield "portal and mail sent", [reminder(emailed_to="a@stc.vn, b@stc.vn", email_sent_at=sent, notified_users=3)]
    yield "mail only, sending", [reminder(notified_users=0, emailed_to="a@stc.vn", kind=ReminderKind.DUE)]
    yield "mail error", [reminder(emailed_to="a@stc.vn", email_error="SMTP 550", kind=ReminderKind.LATE)]
    yield "nobody", [reminder(notified_users=0)]
    yield "many accounts", [reminder(notified_users=1234)]
    yield (
        "names to escape",
        [reminder(title='<b>Hạn</b> & "x"', emailed_to="<a@b>, o'neil@x.vn&", email_sent_at=sent)],
    )
    yield "several, evening in UTC", [reminder(created_at=datetime(2024, 12, 31, 18, 30, tzinfo=UTC)), reminder()]


@pytest.mark.parametrize("rows", [pytest.param(rows, id=name) for name, rows in synthetic_rows()])
@pytest.mark.parametrize("can_answer_nil", [True, False])
def test_obligation_rows_are_the_loops_text(rows, can_answer_nil):
    context = {"obligations": rows, "reminders": [], "can_answer_nil": can_answer_nil, "today": date(2024, 5, 20)}
    reference, written = render_both(context)
    assert written == reference


@pytest.mark.parametrize("reminders", [pytest.param(rows, id=name) for name, rows in synthetic_reminders()])
def test_reminder_rows_are_the_loops_text(reminders):
    context = {"obligations": [], "reminders": reminders, "can_answer_nil": False, "today": date(2024, 5, 20)}
    reference, written = render_both(context)
    assert written == reference


def test_a_grouping_setting_groups_the_accounts_as_the_template_did(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    context = {"obligations": [], "reminders": [reminder(notified_users=1234)], "can_answer_nil": False}
    reference, written = render_both({**context, "today": date(2024, 5, 20)})
    assert "1.234 tài khoản" in written and written == reference


# --- From the database: the section's real context on several days ---------------------------------------------


@pytest.fixture
def year_of_work(db, staff_user, organization, officer_user, django_capture_on_commit_callbacks):
    """Dân vận khéo 2024 (registration 15/05, mid-year 30/06, year-end 30/11) and the QCDC cycle 2024. The
    organisation: reminded on 08/05, registers on 12/05 (returned on 14/05 and sent again by its row's status
    later: accepted), answers “Không phát sinh” to the self-inspection on 20/10; a deadline title to escape."""
    officer_user.email = "canbo@stc.vn"
    officer_user.save()
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        cycle = open_cycle(staff_user)
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
    )
    Deadline.objects.filter(kind=danvan.MID_YEAR, source_id=campaign.pk).update(title='Sơ kết <6 tháng> & "mẫu"')
    with time_machine.travel(at(date(2024, 5, 8)), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.delay()
    registration = submitted(campaign, organization, at(date(2024, 5, 12)), status="returned")
    with time_machine.travel(at(date(2024, 10, 20), hour=9), tick=False):
        services.nil_return_send(
            actor=officer_user,
            deadline=Deadline.objects.get(kind=qcdc.SELF_INSPECTION, source_id=cycle.pk),
            organization=organization,
            reason="Không tổ chức hoạt động tự kiểm tra nào",
        )
    Reminder.objects.create(
        organization=organization,
        deadline=Deadline.objects.get(kind=danvan.MID_YEAR, source_id=campaign.pk),
        kind=ReminderKind.LATE,
        day=date(2024, 7, 3),
        notified_users=0,
        emailed_to="canbo@stc.vn",
        email_error="Máy chủ thư từ chối",
    )
    return registration


DAYS = [date(2024, 1, 5), date(2024, 5, 10), date(2024, 5, 20), date(2024, 7, 10), date(2024, 10, 21), date(2025, 2, 1)]


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("who", ["officer", "leader"])
def test_the_section_is_the_templates_on_every_day(
    year_of_work, organization, officer_user, leader_user, day, who, django_assert_num_queries
):
    user = officer_user if who == "officer" else leader_user
    with time_machine.travel(at(day, hour=15), tick=False):
        context = organization_deadlines(user, organization, on=day)
        with django_assert_num_queries(0):
            reference, written = render_both(context)
    assert written == reference
    if who == "leader" or day == date(2024, 10, 21):  # only its officers answer, and only while it owes it
        assert "nil-action" not in written
    elif day == date(2024, 7, 10):
        assert "nil-action" in written


def test_the_section_follows_the_registration_through_its_states(year_of_work, organization, officer_user):
    registration = year_of_work
    seen = set()
    for status in ("returned", "submitted", "accepted"):
        # Untouched since 13/05: the row's status is its status on 01/08 (timeline.with_facts).
        type(registration).objects.filter(pk=registration.pk).update(status=status, updated_at=at(date(2024, 5, 13)))
        with time_machine.travel(at(date(2024, 8, 1), hour=15), tick=False):
            reference, written = render_both(organization_deadlines(officer_user, organization, on=date(2024, 8, 1)))
        assert written == reference
        seen.add(written)
    assert len(seen) == 3  # three different sections: the states do show

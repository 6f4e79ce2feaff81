"""A kind of submission declared in a test app alone (tests/throwaway_kind: a model on the shared Submission base,
its obligation and dashboard card registered in ready()) is found, through the ordinary pages and services and
with no other code: on deadline tracking with its x/y; as a column of the compliance matrix (page and workbook)
with each cell's state; in the daily reminders (the organisation that has not sent is reminded, those that sent
are not); on the dashboard (its card); and in a composed dispatch (its x/y, its own figure lines, who is
missing)."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from dukportal.notifications import services as notifications
from dukportal.notifications.models import Notification, Reminder
from dukportal.submissions import services as submissions
from reports import services as reports
from reports.models import DocumentKind, TopicKind
from reports.topics import TopicSpec
from tests.dukportal_settings.test_deploy_settings import _manage
from tests.factories import OrganizationFactory, UserFactory
from tests.notifications.factories import at, campaign_with_deadlines, deadline_of
from tests.reports.factories import IssuingBodyFactory, TermFactory

from .kind import sync_deadline
from .models import Drive, OutreachReport

pytestmark = pytest.mark.django_db

OPENED, SENT_ON, ACCEPTED_ON = date(2024, 5, 2), date(2024, 5, 6), date(2024, 5, 7)
TODAY = date(2024, 5, 8)  # seven days before the due date: a reminder day
DUE = date(2024, 5, 15)


@pytest.fixture
def drive(bloc, staff_user):
    """Three organisations owe the drive's report: one sends it, one sends it and staff accept it, one sends
    nothing."""
    orgs = {
        "sent": OrganizationFactory(code="SENT", name="Đảng bộ Sở Nội vụ"),
        "accepted": OrganizationFactory(code="ACC", name="Đảng bộ Sở Xây dựng"),
        "missing": OrganizationFactory(
            code="MISS", name="Chi bộ Hội Nông dân tỉnh", danvan_officer_name="Lò Văn Khánh"
        ),
    }
    officers = {key: UserFactory(role="officer", organization=org) for key, org in orgs.items()}
    with time_machine.travel(at(OPENED), tick=False):
        drive = Drive.objects.create(title="đợt tuyên truyền Luật Đất đai năm 2024", year=2024, due_date=DUE)
        deadline = sync_deadline(drive)
    for key, sessions in (("sent", 12), ("accepted", 5)):
        with time_machine.travel(at(SENT_ON, hour=10), tick=False):
            report = submissions.submission_create(
                actor=officers[key], submission=OutreachReport(drive=drive, organization=orgs[key], sessions=sessions)
            )
            report = submissions.submission_submit(actor=officers[key], submission=report)
        if key == "accepted":
            with time_machine.travel(at(ACCEPTED_ON, hour=10), tick=False):
                submissions.submission_accept(actor=staff_user, submission=report)
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield deadline, orgs, officers


def test_the_kind_is_installed_for_the_tests_only():
    assert apps.is_installed("tests.throwaway_kind")
    # The portal as it serves (manage.py, wsgi, celery: dukportal.settings) does not have it.
    result = _manage(
        "shell",
        "-c",
        "from django.apps import apps; print(apps.is_installed('tests.throwaway_kind'))",
        DJANGO_SETTINGS_MODULE=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_tracking_shows_its_deadline_with_x_of_y_and_who_is_missing(staff_client, drive):
    deadline, _orgs, _officers = drive
    response = staff_client.get(reverse("notifications:tracking"))
    progress = next(p for p in response.context["progress"] if p.deadline == deadline)
    assert progress.label == "Tuyên truyền (thử)"
    assert (progress.expected, progress.sent, progress.accepted, progress.missing) == (3, 2, 1, 1)
    assert progress.ratio_label == "2/3"
    assert [o.organization.code for o in progress.owing] == ["MISS"]
    html = response.content.decode()
    assert "Báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024" in html
    assert "Chi bộ Hội Nông dân tỉnh" in html and "Lò Văn Khánh" in html


def test_the_matrix_has_its_column_with_each_cell_state(staff_client, drive):
    deadline, _orgs, _officers = drive
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024})
    matrix = response.context["matrix"]
    column = next(i for i, c in enumerate(matrix.columns) if c.deadline == deadline)
    assert matrix.columns[column].label == "Tuyên truyền (thử)"
    assert (matrix.columns[column].sent, matrix.columns[column].expected) == (2, 3)
    cells = {row.organization.code: row.cells[column].code for row in matrix.rows}
    assert cells == {"SENT": "submitted", "ACC": "accepted", "MISS": "missing"}
    html = response.content.decode()
    assert "Tuyên truyền (thử)" in html
    assert 'Đã nộp</span> <span class="small">06/05/2024' in html
    assert 'Đã tiếp nhận</span> <span class="small">06/05/2024' in html

    # The matrix's workbook has the column too.
    response = staff_client.get(reverse("notifications:matrix_xlsx"), {"nam": 2024})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    excel_column = 6 + column  # after STT, Mã, Tên, Khối, Người liên hệ, Điện thoại
    assert rows[2][excel_column].startswith("Tuyên truyền (thử)\n")
    assert {row[1]: row[excel_column] for row in rows[3:-1]} == {
        "SENT": "Đã nộp 06/05/2024",
        "ACC": "Đã tiếp nhận 06/05/2024",
        "MISS": "Chưa nộp",
    }
    assert rows[-1][excel_column] == "2/3"

    with time_machine.travel(at(date(2024, 5, 20), hour=9), tick=False):  # after the due date
        matrix = staff_client.get(reverse("notifications:matrix"), {"nam": 2024}).context["matrix"]
    assert {row.organization.code: row.cells[column].code for row in matrix.rows}["MISS"] == "late"


def test_the_daily_reminders_chase_the_organisation_that_has_not_sent_only(drive, client):
    deadline, orgs, officers = drive
    notifications.reminders_daily_send(day=TODAY)

    assert set(Reminder.objects.filter(deadline=deadline).values_list("organization__code", "kind")) == {
        ("MISS", "before")
    }
    reminded = Notification.objects.get(recipient=officers["missing"])
    assert "Báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024" in reminded.body
    assert not Notification.objects.filter(recipient__in=[officers["sent"], officers["accepted"]]).exists()

    # The officer finds it on the organisation's page: owed, not sent, and the reminder received.
    client.force_login(officers["missing"])
    response = client.get(reverse("organizations:detail", args=[orgs["missing"].pk]))
    html = response.content.decode()
    own = html[html.index('id="own-obligations"') : html.index('id="received-reminders"')]
    assert "Tuyên truyền (thử)" in own and "Báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024" in own
    assert "Chưa nộp" in own and "Còn 7 ngày" in own
    received = html[html.index('id="received-reminders"') :]
    assert "Báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024" in received[: received.index("</table>")]


def test_the_dashboard_shows_its_card(staff_client, drive):
    page = staff_client.get(reverse("dashboard:index")).content.decode()
    card = page[page.index('id="outreach-card"') :]
    card = card[: card.index("</div></div>")]
    assert "Báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024" in card
    assert '<strong class="outreach-ratio">2/3</strong> đơn vị đã gửi' in card
    # Registered with order 90: after the “Dân vận khéo” card (10), before the deadlines card.
    assert page.index('id="campaign-card"') < page.index('id="outreach-card"') < page.index('id="deadline-card"')


def test_a_dispatch_with_a_deadline_topic_of_the_kind_prints_its_figures(drive, staff_user):
    deadline, _orgs, _officers = drive
    campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 20), created_by=staff_user)
    far = sync_deadline(Drive.objects.create(title="đợt tuyên truyền cuối năm", year=2024, due_date=date(2024, 11, 30)))
    issuing_body = IssuingBodyFactory()
    TermFactory()
    specs = [
        TopicSpec(TopicKind.DEADLINE, deadline_of(campaign)),
        TopicSpec(TopicKind.DEADLINE, deadline),
        TopicSpec(TopicKind.DEADLINE, far),
        TopicSpec(TopicKind.FREE, title="Về việc khác", text="Tiếp tục đổi mới công tác dân vận."),
    ]
    document = reports.document_create(
        actor=staff_user, kind=DocumentKind.DISPATCH, issuing_body=issuing_body, as_of=TODAY, topic_specs=specs
    )
    lines = document.content["body"].splitlines()

    section = _section(lines, "# 2. Về việc báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024")
    assert section[1:4] == [
        "Theo kế hoạch, các chi, đảng bộ cơ sở gửi báo cáo kết quả đợt tuyên truyền Luật Đất đai năm 2024 về Đảng "
        "ủy Khối (qua Ban Tuyên giáo) trước ngày 15/5/2024.",
        "Tính đến ngày 08/5/2024 đã có 2/3 chi, đảng bộ cơ sở gửi báo cáo kết quả đợt tuyên truyền Luật Đất đai năm "
        "2024.",
        "Các đơn vị đã gửi báo cáo tổ chức tổng cộng 17 buổi tuyên truyền.",  # the kind's own figure_lines
    ]
    assert section[4] == "Còn 01 chi, đảng bộ cơ sở chưa gửi, gồm:"
    table = [line for line in section if line.startswith("|")]
    assert any("Chi bộ Hội Nông dân tỉnh" in row for row in table)
    assert not any("Đảng bộ Sở Nội vụ" in row or "Đảng bộ Sở Xây dựng" in row for row in table)
    # The far drive is announced (what, by when), without figures.
    assert _section(lines, "# 3. Về việc báo cáo kết quả đợt tuyên truyền cuối năm")[1:] == [
        "Theo kế hoạch, các chi, đảng bộ cơ sở gửi báo cáo kết quả đợt tuyên truyền cuối năm về Đảng ủy Khối (qua "
        "Ban Tuyên giáo) trước ngày 30/11/2024."
    ]


def _section(lines: list[str], heading: str) -> list[str]:
    """The lines of one numbered topic, from its heading to the next one."""
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# ")), len(lines))
    return lines[start:end]

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max
from django.utils import timezone

from democracy_regs.models import DemocracyPlan, SelfInspectionReport
from dukportal.core.models import AuditEntry
from dukportal.notifications import selectors as tracking
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline, EventAction, SubmissionEvent
from models_danvan.models import Campaign, Evaluation, Registration
from organizations.management.commands.seed_demo import DEMO_PASSWORD
from organizations.models import (
    BaseOrganization,
    Bloc,
    Cell,
    MassOrganization,
    Member,
    MembershipPeriod,
    OrganizationSuccession,
    Role,
    User,
)
from tests import demo_database

MODELS = (
    Bloc, MassOrganization, BaseOrganization, Cell, Member, MembershipPeriod, User, AuditEntry, Campaign, Registration,
    Evaluation, DemocracyPlan, SelfInspectionReport, SubmissionEvent, OrganizationSuccession,
)  # fmt: skip
# The demo is played out up to the moment it is seeded: a fixed "today" late in the year, so this year's
# registration and mid-year deadlines are past and the year-end one (15/12) is still open.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True  # the demo seed refuses to run with DEBUG off; pytest-django turns it off


@pytest.fixture
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once on NOW for the tests that only read it (the seed is the slow part), inside a
    transaction rolled back after the module, as Django's setUpTestData does; each test's own transaction
    nests in it. On PostgreSQL its rows are copied from the demo kept for these sources, seeded by the first run
    that needed it (tests/demo_database.py). Its value is what the seed printed."""
    with demo_database.seeded_once(django_db_blocker, NOW) as output:
        yield output


def _deadline(kind: str, year: int) -> Deadline:
    return Deadline.objects.get(kind=kind, year=year)


# On an empty database: before the first test that reads the demo seeded once (`seeded_once`).
@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_copied_from_the_kept_seed_is_that_seed_row_for_row(seeded_once, postgres_only):
    """On PostgreSQL the module's demo is copied from the database seeded once for these sources
    (tests/demo_database.py), not seeded again: every table holds the very rows the seed wrote there."""
    assert demo_database.last_load_copied, "the demo was seeded again, not copied"
    source = connection.get_new_connection(
        {**connection.get_connection_params(), "dbname": demo_database.kept_name(NOW)}
    )
    try:
        with source.cursor() as kept, connection.cursor() as here:
            kept.execute(demo_database.TABLES)
            tables = [table for (table,) in kept.fetchall()]
            assert "organizations_member" in tables
            differing = [t for t in tables if demo_database.rows_digest(kept, t) != demo_database.rows_digest(here, t)]
    finally:
        source.close()
    assert not differing
    assert Member.objects.count() == 4800 and User.objects.filter(username="coso074").exists()


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_bloc_and_a_second_run_creates_nothing(seeded_once, debug_on, frozen_today):
    first_output = seeded_once  # the first run, on an empty database
    after_first = _counts()
    second_output = _seed()

    assert _counts() == after_first
    assert "không tạo thêm gì" in second_output
    assert "http://127.0.0.1:8000" in first_output and DEMO_PASSWORD in first_output
    assert Bloc.objects.get().symbol == "ĐUK"
    assert MassOrganization.objects.count() == 3
    sectors = dict(BaseOrganization.objects.values_list("sector").annotate(n=Count("id")))
    assert sectors == {"administrative": 47, "public_service": 8, "enterprise": 19}
    assert 280 <= Cell.objects.count() <= 300
    assert 4700 <= Member.objects.count() <= 4900
    assert AuditEntry.objects.filter(action="demo.seed").count() == 1
    # Apps add their own demo records through their `demo` modules: two “Dân vận khéo” years, this one live.
    assert Campaign.objects.count() == 2
    this_year = Campaign.objects.get(year=2026)
    sent = this_year.registrations.exclude(status="draft")
    assert sent.filter(organization__isnull=True).count() == 2  # the committee's own, bloc-level
    assert sent.exclude(organization=None).values("organization").distinct().count() == 33
    assert sent.filter(status="returned").count() == 1 and sent.filter(origin="continued").exists()
    assert this_year.registrations.filter(status="draft").count() == 2  # drafts never sent
    assert "“Dân vận khéo”" in first_output
    # One reorganisation, recorded once: on 1 July of this (demo) year one organisation was absorbed into another,
    # so 73 organisations are active today; the absorbed one's cells moved (closed rows + open rows under the
    # successor).
    this_july = date(TODAY.year, 7, 1)
    link = OrganizationSuccession.objects.get()
    assert (link.predecessor.code, link.successor.code, link.effective_on) == ("CS003", "CS001", this_july)
    assert BaseOrganization.objects.active_on(timezone.localdate()).count() == 73
    assert Cell.objects.filter(moved_from__isnull=False).count() == link.predecessor.cells.count() > 0
    assert "1 lần tổ chức lại" in first_output


# The tests below read the demo seeded once too (seeded_once lives until the end of the module).
@pytest.mark.django_db
def test_seed_demo_history_has_real_days_lateness_and_resends(seeded_once):
    # Nothing is dated after the moment the demo was seeded.
    assert SubmissionEvent.objects.aggregate(last=Max("at"))["last"] <= NOW
    assert AuditEntry.objects.aggregate(last=Max("at"))["last"] <= NOW

    # "Dân vận khéo" this year: 30/74 by the deadline of 15/5 (as dispatch 1720-CV/ĐUK says), 3 late after it.
    registration = _deadline("danvan.registration", 2026)
    by_deadline = deadlines.deadline_figures(registration, date(2026, 5, 15))
    assert (by_deadline.ratio_label, by_deadline.sent_late) == ("30/74", 0)
    before = deadlines.deadline_figures(registration, date(2026, 4, 30))
    assert 0 < before.sent < 30  # they arrived over the spring, not on one day
    now = deadlines.deadline_figures(registration, TODAY)
    assert (now.ratio_label, now.sent_late, now.returned) == ("33/74", 3, 1)
    sent_days = {
        at.date()
        for at in Registration.objects.filter(campaign__year=2026, submitted_at__isnull=False).values_list(
            "submitted_at", flat=True
        )
    }
    assert len(sent_days) >= 15

    # Returned with a reason, resent a few days later, then accepted on a later review day.
    events = SubmissionEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        object_id__in=Registration.objects.filter(campaign__year=2026).values("pk"),
    )
    returns = {e.object_id: e for e in events.filter(action=EventAction.RETURNED)}
    resends = {e.object_id: e for e in events.filter(action=EventAction.RESUBMITTED)}
    assert len(returns) == 4 and len(resends) == 3 and set(resends) < set(returns)
    for object_id, resend in resends.items():
        assert (resend.at - returns[object_id].at).days >= 2
        assert returns[object_id].comment
        assert Registration.objects.get(pk=object_id).status == "accepted"

    # Last year: all reported; this year the mid-year evaluations are in (2 late), the year-end ones arriving.
    midyear = deadlines.deadline_figures(_deadline("danvan.mid_year", 2026), TODAY)
    assert (midyear.sent, midyear.expected, midyear.sent_late) == (30, 32, 2)
    year_end = deadlines.deadline_figures(_deadline("danvan.year_end", 2026), TODAY)
    assert 0 < year_end.sent < year_end.expected and year_end.sent_late == 0
    last_year = deadlines.deadline_figures(_deadline("danvan.registration", 2025), TODAY)
    assert (last_year.ratio_label, last_year.sent_late) == ("50/74", 4)

    # QCDC: 40/74 plans by 15/5 as in the dispatch, 48 by now (14 sent after 30/4); reports around 25/10.
    plans = _deadline("qcdc.plan", 2026)
    assert deadlines.deadline_figures(plans, date(2026, 5, 15)).ratio_label == "40/74"
    plans_now = deadlines.deadline_figures(plans, TODAY)
    assert (plans_now.ratio_label, plans_now.sent_late) == ("48/74", 14)
    # Due 25/10, after the merge of 1 July: owed by the 73 organisations active then.
    reports = deadlines.deadline_figures(_deadline("qcdc.self_inspection", 2026), TODAY)
    assert (reports.ratio_label, reports.sent_late) == ("62/73", 5)
    assert deadlines.deadline_figures(_deadline("qcdc.self_inspection", 2026), date(2026, 9, 30)).sent == 3
    visits = deadlines.deadline_figures(_deadline("qcdc.inspection_visit", 2026), TODAY)
    assert (visits.ratio_label, visits.sent_late) == ("3/3", 1)
    plan_events = SubmissionEvent.objects.filter(content_type=ContentType.objects.get_for_model(DemocracyPlan))
    assert plan_events.filter(action=EventAction.RESUBMITTED).count() == 4

    # The compliance matrix shows mostly on-time sends, a few late ones, not "nộp muộn" everywhere.
    staff = User.objects.get(username="bantuyengiao")
    matrix = tracking.compliance_matrix(staff, year=2026, on=TODAY)
    cells = [cell for row in matrix.rows for cell in row.cells if cell is not None and cell.sent]
    late = [cell for cell in cells if cell.sent_late]
    assert len(cells) > 200 and 0 < len(late) < len(cells) // 5


@pytest.mark.django_db
def test_seed_demo_places_members_and_accounts_consistently(seeded_once):
    assert not Cell.objects.exclude(organization__kind="committee").exists()
    # Members of a đảng bộ cơ sở attend one of its own cells; members of a chi bộ cơ sở have no cell.
    assert not Member.objects.filter(organization__kind="committee", cell__isnull=True).exists()
    assert not Member.objects.filter(organization__kind="cell", cell__isnull=False).exists()
    assert not Member.objects.filter(cell__isnull=False).exclude(cell__organization=F("organization")).exists()
    # One officer account per organisation; the demo's reorganisation (Sở Kế hoạch và Đầu tư absorbed into Sở
    # Tài chính on 1 July last year) moved the absorbed organisation's account to its successor.
    officers_per_org = dict(BaseOrganization.objects.annotate(n=Count("officers")).values_list("code", "n"))
    assert (officers_per_org.pop("CS003"), officers_per_org.pop("CS001")) == (0, 2)
    assert set(officers_per_org.values()) == {1}
    assert User.objects.filter(role=Role.OFFICER).count() == 74
    staff = User.objects.get(username="bantuyengiao")
    assert staff.role == Role.STAFF and staff.is_staff and staff.check_password(DEMO_PASSWORD)
    assert staff.has_perm("organizations.change_member") and not staff.has_perm("auth.change_group")
    assert User.objects.get(username="lanhdao").role == Role.LEADER
    assert BaseOrganization.objects.filter(name="Đảng bộ Sở Tài chính", search_key__contains="so tai chinh").exists()


@pytest.mark.django_db
def test_seed_demo_gives_every_member_periods_and_moves_a_few_on_past_dates(seeded_once, frozen_today):
    assert not Member.objects.filter(periods__isnull=True).exists()
    assert not MembershipPeriod.objects.filter(left_on__isnull=True).exclude(member__status="active").exists()
    transfers = AuditEntry.objects.filter(action="member.transfer")
    assert 5 <= transfers.count() <= 10
    assert all(date.fromisoformat(entry.changes["on"]) < timezone.localdate() for entry in transfers)
    assert AuditEntry.objects.filter(action="member.leave", changes__reason="died").count() == 1
    # Past-date figures differ from today's, as a real bloc's do, and the bloc total is the periods' count.
    last_july = date(timezone.localdate().year - 1, 7, 1)
    assert (
        MembershipPeriod.objects.on(last_july - timedelta(days=1)).count()
        != MembershipPeriod.objects.on(timezone.localdate()).count()
    )
    assert MembershipPeriod.objects.on(timezone.localdate()).count() == Member.objects.filter(status="active").count()

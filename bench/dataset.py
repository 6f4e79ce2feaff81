"""The bench data set: a bloc of N base organisations (74 as in Yên Bái, 1,000 for a merged province's bloc)
with 10 years of “Dân vận khéo” registrations, ~65 members each, a QCDC cycle, staff notifications and a
register of documents. Deterministic (fixed codes, a seeded random generator, a fixed "today") and written in
bulk, so 1,000 organisations (≈ 65,000 members, ≈ 20,000 registrations) take well under a minute on PostgreSQL.

Used by the bench scripts (bench/lists.py, bench/danvan_statistics.py):

    from bench import dataset
    dataset.configure(use_database_url=True)        # before anything imports models
    data = dataset.build(organizations=1000)         # inside a test database, clock at dataset.TODAY

The clock must be set to TODAY (time_machine) around build() and the measurements: some rows take
`timezone.now()`."""

import gc
import os
import random
import sys
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LAST_YEAR = 2024
TODAY = datetime(LAST_YEAR, 12, 10, 9, tzinfo=HCM)  # the run's "today"
PAST = date(LAST_YEAR, 5, 15)  # the past reference date asked for
SEED = 20241210
BATCH = 2000


def configure(use_database_url: bool):
    """Point Django at a throw-away database before it is set up. Returns the temporary directory (or None)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")
    os.environ.pop("REDIS_URL", None)  # eager Celery, local-memory cache: nothing outside the process
    tmp = None
    if not use_database_url:
        tmp = tempfile.TemporaryDirectory(prefix="bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"
    import django

    # WhiteNoise warns that collectstatic has not run; static files play no part here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    return tmp


@dataclass
class Dataset:
    staff: object
    officer: object
    password: str
    campaign: object  # the last year's
    cycle: object  # the last year's QCDC cycle
    organizations: int
    members: int
    registrations: int
    notifications: int
    documents: int


def _sectors(count: int) -> list:
    from organizations.models import Sector
    from tests.models_danvan.factories import YEN_BAI_SECTORS

    return (YEN_BAI_SECTORS * (count // len(YEN_BAI_SECTORS) + 1))[:count] or [Sector.ENTERPRISE]


def build_organizations(bloc, count: int, rng: random.Random, *, start: int = 1) -> list:
    """`count` base organisations CS<start>…: one in three a đảng bộ cơ sở with three cells, the rest chi bộ cơ
    sở."""
    from organizations.models import BaseOrganization, BaseOrganizationKind, Cell
    from organizations.names import vietnamese_full_name
    from organizations.services import refresh_keys

    rows = []
    for number, sector in enumerate(_sectors(count), start=start):
        kind = BaseOrganizationKind.COMMITTEE if number % 3 == 1 else BaseOrganizationKind.CELL
        organization = BaseOrganization(
            bloc=bloc,
            code=f"CS{number:04d}",
            name=f"{'Đảng bộ' if kind == BaseOrganizationKind.COMMITTEE else 'Chi bộ'} cơ sở số {number:04d}",
            kind=kind,
            sector=sector,
            secretary_name=vietnamese_full_name(rng),
            danvan_officer_name=f"Cán bộ dân vận {number:04d}",
            phone=f"0216 3{number:06d}",
            valid_from=date(2015, 1, 1),
        )
        refresh_keys(organization)
        rows.append(organization)
    organizations = BaseOrganization.objects.bulk_create(rows, batch_size=BATCH)
    cells = []
    for organization in organizations:
        if organization.kind == BaseOrganizationKind.COMMITTEE:
            for index in range(1, 4):
                cell = Cell(
                    organization=organization,
                    code=f"{organization.code}-CB{index}",
                    name=f"Chi bộ phòng {index} ({organization.code})",
                    valid_from=date(2015, 1, 1),
                )
                refresh_keys(cell)
                cells.append(cell)
    Cell.objects.bulk_create(cells, batch_size=BATCH)
    return organizations


def build_members(organizations, per_organization: int, rng: random.Random, *, start: int = 0) -> int:
    """`per_organization` members each (±10), with their membership periods; one in twenty has left."""
    from organizations.models import (
        LEAVE_REASON_FOR_STATUS,
        Cell,
        Gender,
        JoinReason,
        Member,
        MembershipPeriod,
        MemberStatus,
    )
    from organizations.names import vietnamese_full_name
    from organizations.services import refresh_keys

    cells_of: dict[int, list[int]] = {}
    cells = Cell.objects.filter(organization__in=organizations).order_by("pk")
    for cell_id, organization_id in cells.values_list("pk", "organization_id"):
        cells_of.setdefault(organization_id, []).append(cell_id)
    members, number = [], start
    for organization in organizations:
        cells = cells_of.get(organization.pk, [])
        for _ in range(per_organization + rng.randint(-10, 10)):
            number += 1
            gender = rng.choice(Gender.values)
            birth = date(1960 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28))
            admitted = date(birth.year + 20 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28))
            admitted = min(admitted, date(LAST_YEAR - 1, 6, 1))
            status = MemberStatus.ACTIVE if number % 20 else MemberStatus.TRANSFERRED_OUT
            member = Member(
                code=f"DV{number:07d}",
                full_name=vietnamese_full_name(rng, gender),
                gender=gender,
                birth_date=birth,
                admitted_on=admitted,
                official_on=admitted + timedelta(days=365) if admitted.year < LAST_YEAR - 1 else None,
                organization_id=organization.pk,
                cell_id=rng.choice(cells) if cells else None,
                status=status,
            )
            refresh_keys(member)
            members.append(member)
    members = Member.objects.bulk_create(members, batch_size=BATCH)
    periods = []
    for member in members:
        reason = LEAVE_REASON_FOR_STATUS.get(member.status, "")
        periods.append(
            MembershipPeriod(
                member_id=member.pk,
                organization_id=member.organization_id,
                cell_id=member.cell_id,
                joined_on=member.admitted_on,
                join_reason=JoinReason.ADMITTED,
                left_on=date(LAST_YEAR, 3, 1) if reason else None,
                leave_reason=reason,
            )
        )
    MembershipPeriod.objects.bulk_create(periods, batch_size=BATCH)
    return len(members)


def build_registrations(organizations, years: int, per_organization: int):
    """One campaign a year; each organisation registers `per_organization` models a year, continuing last
    year's; in the last year every other organisation sent them late (10/06), so 15/05 and today differ."""
    from django.contrib.contenttypes.models import ContentType

    from dukportal.submissions.models import EventAction, SubmissionEvent
    from models_danvan import obligations
    from models_danvan.models import Registration
    from tests.models_danvan.factories import make_years

    campaign = make_years(organizations, LAST_YEAR - years + 1, LAST_YEAR, per_organization=per_organization)[-1]
    obligations.sync_campaign_deadlines(campaign)
    late = Registration.objects.filter(campaign=campaign, organization__in=organizations[1::2]).values("pk")
    SubmissionEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id__in=late
    ).exclude(action=EventAction.CREATED).update(at=datetime(LAST_YEAR, 6, 10, 9, tzinfo=HCM))
    return campaign


def build_qcdc(staff, organizations, cycle=None):
    """The last year's QCDC cycle, in proportion to the bloc: plans from 80 % of the organisations (54 % by
    15/05, the rest in June), committees from 43 % (each with a complete roster), self-inspection reports
    from 40 % in October, the first three inspected directly (two reports), bright spots from 13.5 %."""
    from democracy_regs.models import (
        BrightSpot,
        DemocracyPlan,
        InspectionReportKind,
        SelfInspectionReport,
        SteeringCommittee,
        SteeringCommitteeMembership,
    )
    from dukportal.submissions.timeline import record_missing_timeline
    from tests.democracy_regs.factories import (
        BrightSpotFactory,
        CommitteeFactory,
        MembershipFactory,
        PlanFactory,
        ReportFactory,
        open_cycle,
    )

    n = len(organizations)
    cycle = cycle or open_cycle(staff, inspected=organizations[:3])
    common = {"cycle": cycle, "created_by": staff, "status": "submitted"}
    plans = []
    for index, organization in enumerate(organizations[: n * 60 // 74]):
        sent = datetime(LAST_YEAR, 5, 2, tzinfo=HCM) if index < n * 40 // 74 else datetime(LAST_YEAR, 6, 5, tzinfo=HCM)
        plans.append(
            PlanFactory.build(organization=organization, number=f"{index + 1:02d}-KH/ĐU", submitted_at=sent, **common)
        )
    DemocracyPlan.objects.bulk_create(plans, batch_size=BATCH)
    roster, committees = [], []
    for index, organization in enumerate(organizations[: n * 32 // 74]):
        for seat in range(3):
            roster.append(
                MembershipFactory.build(
                    organization=organization,
                    created_by=staff,
                    full_name=f"Thành viên {seat + 1} ({organization.code})",
                    **({"role": "head", "position": "Bí thư"} if seat == 0 else {}),
                )
            )
        committees.append(
            CommitteeFactory.build(
                organization=organization,
                decision_number=f"{index + 1:02d}-QĐ/ĐU",
                submitted_at=datetime(LAST_YEAR, 5, 10, tzinfo=HCM),
                **common,
            )
        )
    SteeringCommitteeMembership.objects.bulk_create(roster, batch_size=BATCH)
    SteeringCommittee.objects.bulk_create(committees, batch_size=BATCH)
    reports = [
        ReportFactory.build(organization=organization, submitted_at=datetime(LAST_YEAR, 10, 20, tzinfo=HCM), **common)
        for organization in organizations[3 : 3 + n * 30 // 74]
    ]
    reports += [
        ReportFactory.build(
            organization=organization,
            kind=InspectionReportKind.INSPECTION_VISIT,
            period_start=cycle.review_start,
            period_end=cycle.review_end,
            submitted_at=datetime(LAST_YEAR, 8, 25, tzinfo=HCM),
            **common,
        )
        for organization in organizations[:2]
    ]
    SelfInspectionReport.objects.bulk_create(reports, batch_size=BATCH)
    spots = []
    for index, organization in enumerate(organizations[: max(n * 10 // 74, 1)]):
        sent = datetime(LAST_YEAR, 4, 20, tzinfo=HCM) if index < n * 4 // 74 else datetime(LAST_YEAR, 9, 1, tzinfo=HCM)
        spots.append(
            BrightSpotFactory.build(
                organization=organization, title=f"Điểm sáng của {organization.code}", submitted_at=sent, **common
            )
        )
    BrightSpot.objects.bulk_create(spots, batch_size=BATCH)
    for model in (DemocracyPlan, SteeringCommittee, SelfInspectionReport, BrightSpot):
        record_missing_timeline(model.objects.filter(cycle=cycle))
    return cycle


def build_notifications(staff, organizations, campaign) -> int:
    """What staff collect today: one notification per registration sent in the last year (read up to the
    first half of the organisations), newest first."""
    from django.urls import reverse

    from dukportal.notifications.models import Notification, NotificationCategory
    from models_danvan.models import Registration

    half = len(organizations) // 2
    rows = []
    index_of = {organization.pk: index for index, organization in enumerate(organizations)}
    registrations = Registration.objects.filter(campaign=campaign, organization__in=organizations)
    registrations = registrations.values_list("pk", "organization_id", "name")
    for pk, organization_id, name in registrations.order_by("pk"):
        rows.append(
            Notification(
                recipient=staff,
                category=NotificationCategory.SUBMISSION,
                title=f"Hồ sơ mới gửi: {name}",
                body="Đơn vị đã gửi đăng ký mô hình “Dân vận khéo”.",
                url=reverse("models_danvan:registration", args=[pk]),
                organization_id=organization_id,
                read_at=TODAY if index_of.get(organization_id, 0) < half else None,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def build_documents(staff, count: int = 60) -> int:
    """A register of `count` documents of the bloc's department, two thirds issued (numbered 1…), the rest drafts.
    The documents do not grow with the bloc: their pages are here to show they stay flat."""
    from organizations.models import Bloc
    from reports import services
    from reports.models import DocType, Document, DocumentKind, DocumentStatus, IssuerKind

    bloc = Bloc.objects.first()
    bodies = services.issuing_bodies_ensure(actor=staff, bloc=bloc)
    body = next(b for b in bodies if b.kind == IssuerKind.DEPARTMENT)
    term = services.term_create(
        actor=staff, bloc=bloc, name="Nhiệm kỳ 2020 – 2025", start_date=date(2020, 10, 1), end_date=date(2025, 9, 30)
    )
    rows = []
    for index in range(count):
        issued = index < count * 2 // 3
        day = date(LAST_YEAR, 1, 5) + timedelta(days=index * 5)
        rows.append(
            Document(
                kind=DocumentKind.values[0],
                doc_type=DocType.values[0],
                issuing_body=body,
                status=DocumentStatus.ISSUED if issued else DocumentStatus.DRAFT,
                content={"subject": f"Về việc thực hiện nhiệm vụ số {index + 1}", "signer_name": "Nguyễn Văn An"},
                figures_as_of=day,
                term=term if issued else None,
                number=index + 1 if issued else None,
                issued_on=day if issued else None,
                issued_at=datetime(day.year, day.month, day.day, 9, tzinfo=HCM) if issued else None,
                issued_by=staff if issued else None,
                created_by=staff,
                **({"header_name": "BAN TUYÊN GIÁO", "symbol": "ĐUK", "place_name": "Yên Bái"} if issued else {}),
            )
        )
    Document.objects.bulk_create(rows)
    return len(rows)


def start() -> Dataset:
    """The bloc, committee staff and the register of documents, without organisations (grow() adds them)."""
    from tests.factories import PASSWORD, BlocFactory, UserFactory

    BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    documents = build_documents(staff)
    return Dataset(staff, None, PASSWORD, None, None, 0, 0, 0, 0, documents)


def settle_submissions() -> None:
    """Every submission row as the services would have left it: last saved at its last event (bulk writes
    stamp updated_at with the build's clock, as if ten years of rows had all changed today; the timeline reads
    the status of a past day from the row unless it changed after that day) and its counting moments
    (counted_from, counted_until) from its timeline (the late sendings were moved to 10/06 after the rows were
    written)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef, Subquery

    from dukportal.submissions.models import SubmissionEvent
    from dukportal.submissions.timeline import store_counted_moments
    from tests.timeline import submission_models

    for model in submission_models():
        events = SubmissionEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
        last = events.order_by("-at", "-id").values("at")[:1]
        model.objects.filter(Exists(events)).update(updated_at=Subquery(last))
        store_counted_moments(model.objects.all())


def grow(data: Dataset, organizations: int, *, years: int = 10, per_organization: int = 2, members: int = 65):
    """Add `organizations` more organisations with all their data (members, registrations of every year, QCDC
    items of the last year's cycle, staff notifications). Tests grow one database from a small bloc to a larger
    one and compare the query counts of the same pages."""
    from models_danvan.models import Registration
    from organizations.models import Bloc
    from tests.factories import UserFactory

    first = data.organizations + 1
    rng = random.Random(SEED + first)
    orgs = build_organizations(Bloc.objects.first(), organizations, rng, start=first)
    if data.officer is None:
        data.officer = UserFactory(username="bench-officer", role="officer", organization=orgs[0])
    data.members += build_members(orgs, members, rng, start=data.members)
    data.campaign = build_registrations(orgs, years, per_organization)
    data.cycle = build_qcdc(data.staff, orgs, cycle=data.cycle)
    settle_submissions()
    data.notifications += build_notifications(data.staff, orgs, data.campaign)
    data.organizations += len(orgs)
    data.registrations = Registration.objects.count()
    return data


def build(organizations: int = 74, *, years: int = 10, per_organization: int = 2, members: int = 65) -> Dataset:
    """The whole data set in the current (empty, migrated) database. Same arguments, same rows. On PostgreSQL
    the tables are then vacuumed and analysed (refresh_planner_statistics). The objects the build left in this
    process are collected and frozen: a server process never holds them, and their garbage collection made
    every request of the 1,000-organisation phase (the trivial page too) ~2× slower (bench/README.md)."""
    data = grow(start(), organizations, years=years, per_organization=per_organization, members=members)
    refresh_planner_statistics()
    gc.collect()
    gc.freeze()
    return data


def refresh_planner_statistics() -> None:
    """What autovacuum does on a real server shortly after a bulk load, done before the pages are timed: the
    planner's statistics (ANALYZE) and, outside a transaction, the dead rows of settle_submissions' UPDATEs
    removed (VACUUM). Without it every table the bench wrote counts as never analysed (reltuples -1: the planner
    took the 1,000 organisations for 8 and chose a nested loop per organisation) and the submission indexes
    hold three entries per row; where autovacuum is off (as on the development machine) nothing else does it.
    SQLite keeps no such statistics by default: nothing to do."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def reset_database() -> None:
    """Empty every table between the two sizes (and the caches that remember ids). On SQLite the issued
    documents' triggers are lifted for the flush and put back, as TRUNCATE does on PostgreSQL."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command

    from reports import sqlite_flush

    sqlite_flush.flush_like_truncate()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    cache.clear()


def run_two_sizes(args, run_size, tmp):
    """`run_size(organizations, repeat)` for args.small then args.large, each on an emptied database, with the
    clock at TODAY (perf_counter is not affected: timings stay real), on Django's test database of DATABASE_URL
    (--use-database-url) or on the temporary SQLite file of configure(). Returns both results."""
    import time_machine
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)  # “testserver” allowed, DEBUG off (production-like timings)
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    clock = time_machine.travel(TODAY, tick=True)
    clock.start()
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        small = run_size(args.small, args.repeat)
        reset_database()
        large = run_size(args.large, args.repeat)
    finally:
        clock.stop()
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()
    return small, large

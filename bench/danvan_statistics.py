"""Bench: the pages that read figures for a reference date — the “Dân vận khéo” statistics page and its Excel
export, deadline tracking, the compliance matrix and its export, the QCDC statistics page and its export — each
for a past reference date (`?ngay=15/05/<year>`) against today's, plus the dashboard and the organisation list,
on 74 organisations × 10 years.

    .venv/bin/python bench/danvan_statistics.py [--organizations 74] [--years 10] [--per-organization 2]
                                                [--repeat 20] [--use-database-url]

Builds a throw-away database: by default SQLite in a temporary directory; with --use-database-url, Django's
test database on the server of DATABASE_URL (e.g. PostgreSQL: `test_<name>`, created for the run and dropped
afterwards). The clock is set to 10/12/2024 09:00 (Vietnamese time) for the whole run — "today" is a day in
December when the committee asks about the spring — so the figures are the same on every machine. In it: a
bloc of base organisations (Yên Bái's mix of sectors), one campaign per year, each organisation registering
--per-organization models a year and continuing last year's (74 × 10 × 2 = 1,480 registrations by default);
in the last year every other organisation sent its registrations only on 10/06, after the deadline, so 15/05
and today differ; a QCDC cycle of that year with plans sent over the spring (40 by 15/05, 20 more in June),
committees, self-inspection reports and bright spots. Then, signed in as committee staff through Django's test
client (the full middleware, session and template stack), it requests:

- a trivial page (the signed-in “password changed” page: a small template, no data) as the baseline,
- each dated page for today and for 15/05 of the last year (`?ngay=15/05/2024`),
- the leaders' overview (dashboard) and the list of all organisations,

and prints for each the median time of --repeat requests after a warm-up, the time as a ratio against the
trivial page (the figure to compare between machines) and, for a past date, against the same page for today,
all in the same run; the number of SQL queries; the peak memory allocated during one request (tracemalloc),
as a ratio against the trivial page; and whether the page said it showed the past date (“date shown”)."""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(use_database_url: bool):
    """Point Django at a throw-away database before it is set up. Returns the temporary directory (or None)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")
    os.environ.pop("REDIS_URL", None)  # eager Celery, local-memory cache: nothing outside the process
    tmp = None
    if not use_database_url:
        tmp = tempfile.TemporaryDirectory(prefix="bench-danvan-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"
    import django

    # WhiteNoise warns that collectstatic has not run; static files play no part here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    return tmp


HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LAST_YEAR = 2024
TODAY = datetime(LAST_YEAR, 12, 10, 9, tzinfo=HCM)  # the run's "today"
PAST = date(LAST_YEAR, 5, 15)  # the past reference date asked for


def build(organizations: int, years: int, per_organization: int):
    from django.contrib.contenttypes.models import ContentType

    from dukportal.submissions.models import EventAction, SubmissionEvent
    from models_danvan import obligations
    from models_danvan.models import Registration
    from organizations.models import Sector
    from tests.factories import PASSWORD, BlocFactory, UserFactory
    from tests.models_danvan.factories import YEN_BAI_SECTORS, make_organizations, make_years

    BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    sectors = (YEN_BAI_SECTORS * (organizations // len(YEN_BAI_SECTORS) + 1))[:organizations] or [Sector.ENTERPRISE]
    orgs = make_organizations(sectors)
    campaign = make_years(orgs, LAST_YEAR - years + 1, LAST_YEAR, per_organization=per_organization)[-1]
    obligations.sync_campaign_deadlines(campaign)
    # Half of the last year's registrations were sent late (10/06): the past date and today differ.
    late = Registration.objects.filter(campaign=campaign, organization__in=orgs[1::2]).values("pk")
    SubmissionEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration), object_id__in=late
    ).exclude(action=EventAction.CREATED).update(at=datetime(LAST_YEAR, 6, 10, 9, tzinfo=HCM))
    cycle = build_qcdc(staff, orgs)
    from bench.dataset import settle_submissions

    settle_submissions()
    return staff, PASSWORD, campaign, cycle, Registration.objects.count()


def build_qcdc(staff, orgs):
    """The last year's QCDC cycle: 40 plans sent by 15/05, 20 more in June; 32 committees, 30 self-inspection
    reports in October, 2 of the 3 inspected units' reports, 10 bright spots."""
    from democracy_regs.models import InspectionReportKind
    from tests.democracy_regs.factories import (
        BrightSpotFactory,
        CommitteeFactory,
        PlanFactory,
        ReportFactory,
        complete_committee,
        open_cycle,
    )

    cycle = open_cycle(staff, inspected=orgs[:3])
    for index, organization in enumerate(orgs[:60]):
        sent = datetime(LAST_YEAR, 5, 2, tzinfo=HCM) if index < 40 else datetime(LAST_YEAR, 6, 5, tzinfo=HCM)
        PlanFactory(cycle=cycle, organization=organization, submitted_at=sent)
    for organization in orgs[:32]:
        complete_committee(organization)
        CommitteeFactory(cycle=cycle, organization=organization, submitted_at=datetime(LAST_YEAR, 5, 10, tzinfo=HCM))
    for organization in orgs[3:33]:
        ReportFactory(cycle=cycle, organization=organization, submitted_at=datetime(LAST_YEAR, 10, 20, tzinfo=HCM))
    for organization in orgs[:2]:
        ReportFactory(
            cycle=cycle,
            organization=organization,
            kind=InspectionReportKind.INSPECTION_VISIT,
            period_start=cycle.review_start,
            period_end=cycle.review_end,
            submitted_at=datetime(LAST_YEAR, 8, 25, tzinfo=HCM),
        )
    for index, organization in enumerate(orgs[:10]):
        sent = datetime(LAST_YEAR, 4, 20, tzinfo=HCM) if index < 4 else datetime(LAST_YEAR, 9, 1, tzinfo=HCM)
        BrightSpotFactory(cycle=cycle, organization=organization, submitted_at=sent)
    return cycle


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: template compilation, imports, session
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        body = _body(client.get(url))
        samples.append(time.perf_counter() - start)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the next request's start clears the connection's query log
    tracemalloc.start()
    tracemalloc.reset_peak()
    _body(client.get(url))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shown = None  # not a past-date request
    if "ngay=" in url:  # a page says which date it shows; a workbook (a zip) cannot be read here: "n/a"
        shown = "n/a" if body[:2] == b"PK" else b'id="reference-date">' + f"{PAST:%d/%m/%Y}".encode() in body
    return {
        "seconds": statistics.median(samples),
        "queries": queries,
        "peak": peak,
        "bytes": len(body),
        "shown": shown,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=74)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-organization", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--use-database-url", action="store_true", help="Django's test database on DATABASE_URL")
    args = parser.parse_args()
    tmp = configure(args.use_database_url)

    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from django.urls import reverse

    # As the test runner does: “testserver” allowed, DEBUG off (no query log, production-like timings).
    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    clock = time_machine.travel(TODAY, tick=True)  # perf_counter is not affected: timings stay real
    clock.start()
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        staff, _password, campaign, cycle, registrations = build(args.organizations, args.years, args.per_organization)
        built = time.perf_counter() - started
        client = Client()
        client.force_login(staff)  # the sign-in backend (axes) needs a request; the pages are what is measured
        past = f"ngay={PAST:%d/%m/%Y}"
        matrix = f"{reverse('notifications:matrix')}?nam={LAST_YEAR}"
        matrix_xlsx = f"{reverse('notifications:matrix_xlsx')}?nam={LAST_YEAR}"
        dated = [
            ("ĐVK statistics", reverse("models_danvan:statistics", args=[campaign.pk]), "?"),
            ("ĐVK stats .xlsx", reverse("models_danvan:statistics_xlsx", args=[campaign.pk]), "?"),
            ("tracking", reverse("notifications:tracking"), "?"),
            ("matrix", matrix, "&"),
            ("matrix .xlsx", matrix_xlsx, "&"),
            ("QCDC statistics", reverse("democracy_regs:statistics", args=[cycle.pk]), "?"),
            ("QCDC stats .xlsx", reverse("democracy_regs:statistics_xlsx", args=[cycle.pk]), "?"),
        ]
        pages = [("trivial page", reverse("password_change_done"))]
        for name, url, joiner in dated:
            pages += [(f"{name} today", url), (f"{name} {PAST:%d/%m}", f"{url}{joiner}{past}")]
        pages += [("dashboard", reverse("dashboard:index")), ("organisation list", reverse("organizations:list"))]
        results = [(name, measure(client, url, args.repeat)) for name, url in pages]
    finally:
        clock.stop()
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()

    base = results[0][1]
    print(
        f"{connection.vendor}: {args.organizations} organisations × {args.years} years, {registrations} "
        f"registrations (built in {built:.1f} s); today {TODAY:%d/%m/%Y}, past date {PAST:%d/%m/%Y}; median of "
        f"{args.repeat} requests after a warm-up; peak memory of one request by tracemalloc"
    )
    print(
        f"{'request':<24} {'ms':>8} {'× trivial':>10} {'× today':>8} {'queries':>8} {'peak KiB':>9} "
        f"{'× trivial':>10} {'KiB':>7} {'date shown':>11}"
    )
    today_of = {}
    for name, r in results:
        if name.endswith(" today"):
            today_of[name[: -len(" today")]] = r
        same_page = today_of.get(name.rsplit(" ", 1)[0]) if r["shown"] is not None else None
        versus_today = f"{r['seconds'] / same_page['seconds']:>8.2f}" if same_page else f"{'':>8}"
        shown = {True: "yes", False: "NO", None: "", "n/a": "n/a"}[r["shown"]]
        print(
            f"{name:<24} {r['seconds'] * 1000:>8.1f} {r['seconds'] / base['seconds']:>10.1f} {versus_today} "
            f"{r['queries']:>8} {r['peak'] / 1024:>9.0f} {r['peak'] / base['peak']:>10.1f} {r['bytes'] / 1024:>7.0f} "
            f"{shown:>11}"
        )


if __name__ == "__main__":
    main()

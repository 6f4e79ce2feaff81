"""Bench: the daily reminder job for one organisation against 1,000, each owing 5 open deadlines.

    .venv/bin/python bench/reminders.py [--organizations 1000] [--deadlines 5] [--use-database-url]

Builds a throw-away database: by default SQLite in a temporary directory; with --use-database-url, Django's
test database on the server of DATABASE_URL (e.g. PostgreSQL: `test_<name>`, created for the run and dropped
afterwards). In it: a bloc, --deadlines open deadlines due 15/05/2024 … (the registrations of as many
campaigns) and organisations that have sent none of them, each with one officer account with an e-mail address
and an address of its own. Reminders are asked for every day before a deadline (REMINDER_DAYS_BEFORE = 1…60), so
on each day of the run every organisation owes all of them. Celery runs eagerly (no Redis), so a run includes
the e-mail tasks the job queues through the outbox; the e-mail backend is locmem counting the SMTP connections
it would open (tests/notifications/mail_backends.py).

It runs the job (the beat task `notifications.send_due_reminders`, as a worker would) once as a warm-up and
once measured with one organisation (on 01/05 and 02/05/2024), then adds the others and runs it for all of
them (03/05/2024), and prints for each the time (and the part spent in the e-mail tasks), the SQL statements, the reminders, e-mails and SMTP
connections, and the 1,000-organisation run's time as a ratio against the one-organisation run's."""

import argparse
import os
import sys
import tempfile
import time
import warnings
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DUE = date(2024, 5, 15)


def configure(use_database_url: bool):
    """Point Django at a throw-away database before it is set up. Returns the temporary directory (or None)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")
    os.environ.pop("REDIS_URL", None)  # eager Celery, local-memory cache: nothing outside the process
    tmp = None
    if not use_database_url:
        tmp = tempfile.TemporaryDirectory(prefix="bench-reminders-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    return tmp


def add_organizations(start: int, count: int) -> None:
    """`count` organisations, each with one active officer, all with e-mail addresses (a few INSERTs)."""
    from organizations.models import BaseOrganization, BaseOrganizationKind, Bloc, Role, Sector, User

    bloc = Bloc.objects.get()
    codes = [f"CS{n:04d}" for n in range(start, start + count)]
    BaseOrganization.objects.bulk_create(
        BaseOrganization(
            bloc=bloc,
            code=code,
            name=f"Đảng bộ cơ sở số {code[2:]}",
            kind=BaseOrganizationKind.COMMITTEE,
            sector=Sector.ADMINISTRATIVE,
            email=f"dangbo.{code.lower()}@donvi.vn",
            valid_from=date(2015, 1, 1),
        )
        for code in codes
    )
    User.objects.bulk_create(
        User(
            username=f"coso.{o.code.lower()}",
            role=Role.OFFICER,
            organization=o,
            email=f"canbo.{o.code.lower()}@donvi.vn",
            password="!",  # unusable: nobody signs in here
        )
        for o in BaseOrganization.objects.filter(code__in=codes)
    )


def build(deadlines: int) -> None:
    from models_danvan import obligations
    from tests.factories import BlocFactory, CampaignFactory, UserFactory

    BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    for n in range(deadlines):
        due = FIRST_DUE.replace(day=FIRST_DUE.day + n)
        campaign = CampaignFactory(year=2024 + n, registration_deadline=due, created_by=staff)
        obligations.sync_campaign_deadlines(campaign)


def run_job(day: date) -> dict:
    import time_machine
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dukportal.notifications import services, tasks
    from dukportal.notifications.models import Reminder
    from tests.notifications.mail_backends import CountingBackend

    CountingBackend.reset()
    mail.outbox = []
    deliver, in_email_tasks = services.reminder_digests_deliver, []

    def timed_deliver(**kwargs):
        started = time.perf_counter()
        try:
            return deliver(**kwargs)
        finally:
            in_email_tasks.append(time.perf_counter() - started)

    services.reminder_digests_deliver = timed_deliver
    with (
        time_machine.travel(datetime(day.year, day.month, day.day, 7, tzinfo=HCM), tick=True),
        CaptureQueriesContext(connection) as queries,
    ):
        started = time.perf_counter()
        tasks.send_due_reminders.apply(args=[day.isoformat()]).get()
        seconds = time.perf_counter() - started
    services.reminder_digests_deliver = deliver
    return {
        "email_seconds": sum(in_email_tasks),
        "seconds": seconds,
        "statements": len(queries),
        "reminders": Reminder.objects.filter(day=day).count(),
        "emails": len(mail.outbox),
        "connections": CountingBackend.connections,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--deadlines", type=int, default=5)
    parser.add_argument("--use-database-url", action="store_true", help="Django's test database on DATABASE_URL")
    args = parser.parse_args()
    tmp = configure(args.use_database_url)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # Not setup_test_environment(): its instrumented template rendering would be timed with the e-mails' text.
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.CountingBackend"
    settings.REMINDER_DAYS_BEFORE = list(range(1, 61))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build(args.deadlines)
        add_organizations(1, 1)
        run_job(date(2024, 5, 1))  # warm-up: templates, content types, code paths
        one = run_job(date(2024, 5, 2))
        add_organizations(2, args.organizations - 1)
        built = time.perf_counter() - started - one["seconds"]
        many = run_job(date(2024, 5, 3))
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()

    print(
        f"{connection.vendor}: daily reminder job, {args.deadlines} open deadlines owed by every organisation "
        f"(data built in {built:.1f} s); e-mail tasks run eagerly in the same process"
    )
    print(
        f"{'organisations':>13} {'ms':>9} {'of which e-mail tasks':>22} {'statements':>11} {'reminders':>10} "
        f"{'e-mails':>8} {'SMTP conns':>11}"
    )
    for count, r in ((1, one), (args.organizations, many)):
        print(
            f"{count:>13} {r['seconds'] * 1000:>9.1f} {r['email_seconds'] * 1000:>22.1f} {r['statements']:>11} "
            f"{r['reminders']:>10} "
            f"{r['emails']:>8} {r['connections']:>11}"
        )
    print(f"time ratio {args.organizations} / 1 organisation: {many['seconds'] / one['seconds']:.1f}× (goal ≤ 100×)")


if __name__ == "__main__":
    main()

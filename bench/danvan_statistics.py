"""Bench: the “Dân vận khéo” statistics page (and its Excel export) on 74 organisations × 10 years.

    .venv/bin/python bench/danvan_statistics.py [--organizations 74] [--years 10] [--per-organization 2]
                                                [--repeat 20] [--use-database-url]

Builds a throw-away database: by default SQLite in a temporary directory; with --use-database-url, Django's
test database on the server of DATABASE_URL (e.g. PostgreSQL: `test_<name>`, created for the run and dropped
afterwards). In it: a bloc of base organisations (Yên Bái's mix of sectors), one campaign per year, each
organisation registering --per-organization models a year and continuing last year's (74 × 10 × 2 = 1,480
registrations by default). Then, signed in as committee staff through Django's test client (the full
middleware, session and template stack), it requests:

- a trivial page (the signed-in “password changed” page: a small template, no data) as the baseline,
- the statistics page of the latest year,
- the statistics workbook (.xlsx) of the latest year,

and prints for each the median time of --repeat requests after a warm-up, the time as a ratio against the
trivial page in the same run (the figure to compare between machines), the number of SQL queries, and the
peak memory allocated during one request (tracemalloc), also as a ratio against the trivial page."""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

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


def build(organizations: int, years: int, per_organization: int):
    from models_danvan.models import Registration
    from organizations.models import Sector
    from tests.factories import PASSWORD, BlocFactory, UserFactory
    from tests.models_danvan.factories import YEN_BAI_SECTORS, make_organizations, make_years

    BlocFactory()
    staff = UserFactory(username="bench", role="staff")
    sectors = (YEN_BAI_SECTORS * (organizations // len(YEN_BAI_SECTORS) + 1))[:organizations] or [Sector.ENTERPRISE]
    last_year = 2024
    campaign = make_years(
        make_organizations(sectors), last_year - years + 1, last_year, per_organization=per_organization
    )[-1]
    return staff, PASSWORD, campaign, Registration.objects.count()


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
    return {"seconds": statistics.median(samples), "queries": queries, "peak": peak, "bytes": len(body)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=74)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-organization", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--use-database-url", action="store_true", help="Django's test database on DATABASE_URL")
    args = parser.parse_args()
    tmp = configure(args.use_database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from django.urls import reverse

    # As the test runner does: “testserver” allowed, DEBUG off (no query log, production-like timings).
    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        staff, password, campaign, registrations = build(args.organizations, args.years, args.per_organization)
        built = time.perf_counter() - started
        client = Client()
        assert client.login(username=staff.username, password=password)
        pages = [
            ("trivial page", reverse("password_change_done")),
            ("statistics page", reverse("models_danvan:statistics", args=[campaign.pk])),
            ("statistics .xlsx", reverse("models_danvan:statistics_xlsx", args=[campaign.pk])),
        ]
        results = [(name, measure(client, url, args.repeat)) for name, url in pages]
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()

    base = results[0][1]
    print(
        f"{connection.vendor}: {args.organizations} organisations × {args.years} years, {registrations} "
        f"registrations (built in {built:.1f} s); median of {args.repeat} requests after a warm-up; "
        "peak memory of one request by tracemalloc"
    )
    print(f"{'request':<18} {'ms':>8} {'× trivial':>10} {'queries':>8} {'peak KiB':>9} {'× trivial':>10} {'KiB':>7}")
    for name, r in results:
        print(
            f"{name:<18} {r['seconds'] * 1000:>8.1f} {r['seconds'] / base['seconds']:>10.1f} {r['queries']:>8} "
            f"{r['peak'] / 1024:>9.0f} {r['peak'] / base['peak']:>10.1f} {r['bytes'] / 1024:>7.0f}"
        )


if __name__ == "__main__":
    main()

"""Bench: the statistics pages many users read — dashboard, deadline tracking (today and a past date), the
compliance matrix (a page of 100 rows with the totals of all, today and a past date), the “Dân vận khéo”
statistics and campaign page, the QCDC statistics — at 74 and at 1,000 organisations × 10 years side by side
(bench/dataset.py), each three ways: computed (figures cache off), a cache miss (the figures version bumped
before each request, as after any write) and a cache hit (dukportal/core/figures_cache.py).

    .venv/bin/python bench/statistics_cache.py [--small 74] [--large 1000] [--repeat 15] [--use-database-url]
        [--cache-url redis://127.0.0.1:6379/25] [--only ĐVK]

Without --cache-url the cache is Django's local-memory cache (in the process); with it, Redis (what a server
with REDIS_URL uses), emptied before each size. The clock is at 10/12/2024 09:00. Signed in as committee
staff through Django's test client; each page is requested once to warm up, then --repeat times; the table
gives the median per size and way, the ratio large/small of the computed page (the goal: ≤ 1.5), the hit
against the computed page, and the SQL query counts (the goal: equal at both sizes; a hit runs only the
session, user and page-frame queries)."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402

WAYS = ("off", "miss", "hit")
ONLY = ""  # --only: the pages whose name contains it (and the trivial page)


def pages(data) -> list[tuple[str, str]]:
    from django.urls import reverse

    past = f"ngay={dataset.PAST:%d/%m/%Y}"
    campaign, cycle = data.campaign.pk, data.cycle.pk
    year = dataset.LAST_YEAR
    return [
        ("trivial page", reverse("password_change_done")),
        ("dashboard", reverse("dashboard:index")),
        ("tracking today", reverse("notifications:tracking")),
        ("tracking 15/05", f"{reverse('notifications:tracking')}?{past}"),
        ("matrix today", f"{reverse('notifications:matrix')}?nam={year}"),
        ("matrix 15/05", f"{reverse('notifications:matrix')}?nam={year}&{past}"),
        ("matrix page 2", f"{reverse('notifications:matrix')}?nam={year}&trang=2"),
        ("ĐVK statistics", reverse("models_danvan:statistics", args=[campaign])),
        ("ĐVK statistics 15/05", f"{reverse('models_danvan:statistics', args=[campaign])}?{past}"),
        ("campaign page", reverse("models_danvan:campaign", args=[campaign])),
        ("QCDC statistics", reverse("democracy_regs:statistics", args=[cycle])),
    ]


def measure(client, url: str, repeat: int, way: str) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dukportal.core import figures_cache

    settings.FIGURES_CACHE_SECONDS = 0 if way == "off" else 3600

    def before():
        if way == "miss":
            figures_cache._bump()  # as any service write does on commit

    before()
    response = client.get(url)  # warm-up (and, for a hit, the request that fills the cache)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    ranked = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    return {
        "seconds": statistics.median(samples),
        "queries": len(captured),
        "bytes": len(response.content),
        "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
        "slowest": [(float(q["time"]) * 1000, q["sql"]) for q in ranked[:2]],
    }


def run_size(organizations: int, repeat: int):
    from django.core.cache import cache
    from django.test import Client

    started = time.perf_counter()
    data = dataset.build(organizations)
    built = time.perf_counter() - started
    cache.clear()
    client = Client()
    client.force_login(data.staff)
    chosen = [(name, url) for name, url in pages(data) if name == "trivial page" or not ONLY or ONLY in name]
    results = {(name, way): measure(client, url, repeat, way) for name, url in chosen for way in WAYS}
    return results, data, built


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=74)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--use-database-url", action="store_true", help="Django's test database on DATABASE_URL")
    parser.add_argument("--slowest", action="store_true", help="print each computed page's SQL time, slowest queries")
    parser.add_argument("--cache-url", default="", help="a Redis URL for the cache (default: local memory)")
    parser.add_argument("--only", default="", help="only the pages whose name contains this (e.g. ĐVK)")
    args = parser.parse_args()
    global ONLY
    ONLY = args.only
    if args.cache_url:
        os.environ["CACHE_URL"] = args.cache_url
    tmp = dataset.configure(args.use_database_url)

    from django.conf import settings
    from django.db import connection

    (small, small_data, small_built), (large, large_data, large_built) = dataset.run_two_sizes(args, run_size, tmp)

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    for size, data, built in ((args.small, small_data, small_built), (args.large, large_data, large_built)):
        print(
            f"{connection.vendor}, cache {backend}: {size} organisations, {data.members} members, "
            f"{data.registrations} registrations (built in {built:.1f} s)"
        )
    print(f"median of {args.repeat} requests after a warm-up; today {dataset.TODAY:%d/%m/%Y}")
    s, l_ = args.small, args.large
    print(
        f"{'page':<22} {f'off {s}':>8} {f'off {l_}':>9} {f'{l_}/{s}':>7} {'÷triv':>6} {f'miss {l_}':>9} "
        f"{f'hit {s}':>8} {f'hit {l_}':>8} {'hit/off':>8} {f'q {s}':>5} {f'q {l_}':>5} {'q hit':>6} {f'KiB {l_}':>8}"
    )
    trivial_small = small[("trivial page", "off")]["seconds"]
    trivial_large = large[("trivial page", "off")]["seconds"]
    worst = []
    for name in [name for name, way in small if way == "off"]:
        a, b = small[(name, "off")], large[(name, "off")]
        ratio = b["seconds"] / a["seconds"]
        steady = (b["seconds"] / trivial_large) / (a["seconds"] / trivial_small)
        hit_small, hit_large, miss_large = small[(name, "hit")], large[(name, "hit")], large[(name, "miss")]
        if name != "trivial page":
            worst.append(ratio)
        flag = "" if a["queries"] == b["queries"] else "  queries differ"
        print(
            f"{name:<22} {a['seconds'] * 1000:>8.1f} {b['seconds'] * 1000:>9.1f} {ratio:>7.2f} {steady:>6.2f} "
            f"{miss_large['seconds'] * 1000:>9.1f} {hit_small['seconds'] * 1000:>8.1f} "
            f"{hit_large['seconds'] * 1000:>8.1f} {hit_large['seconds'] / b['seconds']:>8.2f} "
            f"{a['queries']:>5} {b['queries']:>5} {hit_large['queries']:>6} {b['bytes'] / 1024:>8.0f}{flag}"
        )
    if args.slowest:
        print(f"computed pages at {l_} organisations: SQL ms of one request, its two slowest queries (ms)")
        for name in [name for name, way in large if way == "off"]:
            b = large[(name, "off")]
            print(f"  {name:<22} SQL {b['sql_ms']:>7.1f}")
            for ms, sql in b["slowest"]:
                print(f"      {ms:>7.1f}  {sql[:220]}")
    print(
        f"worst {l_}/{s} computed: {max(worst):.2f}; trivial page {trivial_small * 1000:.1f} ms at {s}, "
        f"{trivial_large * 1000:.1f} ms at {l_}"
    )


if __name__ == "__main__":
    main()

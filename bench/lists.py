"""Bench: every LIST page at two bloc sizes side by side in one run — 74 organisations (Yên Bái) and 1,000 (a
merged province's bloc), each × 10 years (bench/dataset.py: ≈ 65 members and 2 registrations a year per
organisation).

    .venv/bin/python bench/lists.py [--small 74] [--large 1000] [--repeat 15] [--use-database-url]
    .venv/bin/python bench/lists.py --cpu [--rounds 2] [--repeat 15] [--use-database-url]   # CPU a request at 74
    .venv/bin/python bench/lists.py --page "organisation list" --page "organisation list search"   # those only

With --use-database-url the run uses Django's test database on the server of DATABASE_URL (PostgreSQL:
`test_<name>`, created for the run and dropped afterwards); without it a temporary SQLite file. The data set
of the small size is built, measured, flushed, then the large one is built and measured, with the clock at
10/12/2024 09:00 for both. Signed in as committee staff through Django's test client (full middleware,
session and template stack), each page is requested once to warm up, then --repeat times; the table gives
the median per size, the ratio large/small (the goal: ≤ 1.5), the ratio of the small size's time against a
trivial signed-in page (the goal: ≤ 3 on the median page, ≤ 8 for the worst) and the SQL query count at each
size (the goal: equal)."""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402


def pages(data) -> list[tuple[str, str]]:
    from django.urls import reverse

    from organizations.models import BaseOrganization, Sector

    past = f"ngay={dataset.PAST:%d/%m/%Y}"
    first = BaseOrganization.objects.order_by("code").first()
    campaign, cycle = data.campaign.pk, data.cycle.pk
    registrations = reverse("models_danvan:registrations", args=[campaign])
    submissions = reverse("democracy_regs:cycle_submissions", args=[cycle])
    return [
        ("trivial page", reverse("password_change_done")),
        ("organisation list", reverse("organizations:list")),
        ("organisation list ?ngay=", f"{reverse('organizations:list')}?{past}"),
        ("organisation list search", f"{reverse('organizations:list')}?q=so+0&sector={Sector.ADMINISTRATIVE}"),
        ("member list", reverse("organizations:members", args=[first.pk])),
        ("member list ?ngay=", f"{reverse('organizations:members', args=[first.pk])}?{past}"),
        ("member search", f"{reverse('organizations:member_search')}?q=nguyen"),
        ("registration list", registrations),
        ("registration list filtered", f"{registrations}?sector={Sector.ENTERPRISE}&status=accepted"),
        ("registration form (staff)", reverse("models_danvan:registration_create", args=[campaign])),
        ("organisation lookup JSON", f"{reverse('organizations:lookup')}?q=so+01"),
        ("QCDC plans sent", f"{submissions}?loai=plan"),
        ("QCDC plans sent ?ngay=", f"{submissions}?loai=plan&{past}"),
        ("QCDC reports sent", f"{submissions}?loai=report"),
        ("bright spots", reverse("democracy_regs:bright_spots", args=[cycle])),
        ("document list", reverse("reports:documents")),
        ("document register", reverse("reports:register")),
        ("notifications", reverse("notifications:list")),
    ]


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: template compilation, imports, session
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
    return {
        "seconds": statistics.median(samples),
        "queries": len(captured),
        "bytes": len(response.content),
        "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
        "slowest": (float(slowest["time"]) * 1000, slowest["sql"]),
    }


# --page: the pages measured (and the trivial page, which every ratio is read against); empty: every page.
ONLY: set[str] = set()


def run_size(organizations: int, repeat: int) -> tuple[dict, object, float]:
    from django.test import Client

    started = time.perf_counter()
    data = dataset.build(organizations)
    built = time.perf_counter() - started
    client = Client()
    client.force_login(data.staff)
    chosen = [(name, url) for name, url in pages(data) if not ONLY or name in ONLY or name == "trivial page"]
    if ONLY - {name for name, _url in chosen}:
        raise SystemExit(f"no page named {sorted(ONLY - {n for n, _u in chosen})}: {[n for n, _u in pages(data)]}")
    results = {name: measure(client, url, repeat) for name, url in chosen}
    return results, data, built


def cpu_table(client, chosen, repeat: int, rounds: int) -> None:
    """--cpu: CPU (time.process_time: this process's user + sys) and wall time a request of each page, medians of
    `rounds` × `repeat` requests taken round-robin (a load change moves every page alike), × the trivial page's."""
    samples = {name: ([], []) for name, _url in chosen}
    for _name, url in chosen:
        client.get(url)  # warm-up
    for _ in range(rounds):
        for name, url in chosen:
            for _ in range(repeat):
                cpu, wall = time.process_time(), time.perf_counter()
                client.get(url)
                samples[name][0].append(time.process_time() - cpu)
                samples[name][1].append(time.perf_counter() - wall)
    medians = {name: (statistics.median(c), statistics.median(w)) for name, (c, w) in samples.items()}
    base_cpu, base_wall = medians["trivial page"]
    print(f"median of {rounds} × {repeat} requests a page; today {dataset.TODAY:%d/%m/%Y}")
    print(f"{'page':<28} {'CPU ms':>8} {'wall ms':>8} {'× trivial CPU':>14} {'× trivial wall':>15}")
    for name, (cpu, wall) in medians.items():
        print(f"{name:<28} {cpu * 1000:>8.2f} {wall * 1000:>8.2f} {cpu / base_cpu:>14.2f} {wall / base_wall:>15.2f}")
    others = [(c / base_cpu, w / base_wall) for name, (c, w) in medians.items() if name != "trivial page"]
    print(
        f"median page × trivial: CPU {statistics.median(c for c, _w in others):.2f}, wall "
        f"{statistics.median(w for _c, w in others):.2f}; worst CPU {max(c for c, _w in others):.2f}, wall "
        f"{max(w for _c, w in others):.2f}; trivial page {base_cpu * 1000:.2f} ms CPU, {base_wall * 1000:.2f} ms wall"
    )


def profile(args, tmp) -> None:
    """cProfile of the named pages at args.small organisations: calls and CPU a request, and where it goes (or,
    with --cpu, the CPU table of every page without the profiler)."""
    import cProfile
    import pstats

    from django.test import Client

    def run(organizations: int, repeat: int):
        data = dataset.build(organizations)
        client = Client()
        client.force_login(data.staff)
        if args.cpu:
            return cpu_table(client, pages(data), repeat, args.rounds)
        chosen = [(n, u) for n, u in pages(data) if "all" in args.profile or n in args.profile]
        if not chosen:
            raise SystemExit(f"no page named {args.profile}: {[n for n, _u in pages(data)]}")
        for name, url in chosen:
            client.get(url)  # warm-up
            profiler = cProfile.Profile()
            started = time.process_time()
            profiler.enable()
            for _ in range(repeat):
                client.get(url)
            profiler.disable()
            cpu = (time.process_time() - started) / repeat
            stats = pstats.Stats(profiler)
            if args.profile_dir:
                stats.dump_stats(Path(args.profile_dir) / f"{name.replace(' ', '_').replace('?', '')}.prof")
            print(f"=== {name} ({url}): {stats.total_calls / repeat:,.0f} calls, {cpu * 1000:.1f} ms CPU a request")
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)
        return None

    args.large = 0  # one size only
    import time_machine
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    clock = time_machine.travel(dataset.TODAY, tick=True)
    clock.start()
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        run(args.small, args.repeat)
    finally:
        clock.stop()
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=74)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--slowest", action="store_true", help="print each page's slowest SQL query")
    parser.add_argument("--use-database-url", action="store_true", help="Django's test database on DATABASE_URL")
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        action="append",
        help="instead of the table: cProfile of PAGE (a name of the table, e.g. 'document register'; repeatable, "
        "'all' for every page) at --small organisations, --repeat requests after a warm-up",
    )
    parser.add_argument("--profile-dir", help="with --profile: also save each page's stats there (PAGE.prof)")
    parser.add_argument("--top", type=int, default=30, help="with --profile: functions listed (by own time)")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="instead of the table: CPU and wall ms a request of every page at --small organisations, no "
        "profiler, --rounds × --repeat requests round-robin, and the ratios to the trivial page",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --cpu: rounds over every page")
    parser.add_argument(
        "--page",
        metavar="NAME",
        action="append",
        default=[],
        help="only this page of the table and the trivial page (repeatable): a shorter run, so less load drift "
        "between the two sizes' phases for the pages being worked on",
    )
    args = parser.parse_args()
    ONLY.update(args.page)
    tmp = dataset.configure(args.use_database_url)
    if args.profile or args.cpu:
        profile(args, tmp)
        return

    from django.db import connection

    (small, small_data, small_built), (large, large_data, large_built) = dataset.run_two_sizes(args, run_size, tmp)

    for size, data, built in ((args.small, small_data, small_built), (args.large, large_data, large_built)):
        print(
            f"{connection.vendor}: {size} organisations, {data.members} members, {data.registrations} "
            f"registrations, {data.notifications} notifications, {data.documents} documents (built in {built:.1f} s)"
        )
    from dukportal.core import figures_cache

    # FIGURES_CACHE_SECONDS=3600 in the environment turns the figures cache on (local memory, in this process), as
    # a server with Redis runs: the pages' cached figures are then hits after the warm-up request.
    cache_state = f"on ({figures_cache.seconds()} s)" if figures_cache.enabled() else "off"
    print(
        f"median of {args.repeat} requests after a warm-up; today {dataset.TODAY:%d/%m/%Y}; figures cache {cache_state}"
    )
    s, l_ = args.small, args.large
    print(
        f"{'page':<28} {f'ms {s}':>9} {f'ms {l_}':>9} {f'{l_}/{s}':>9} {'÷ trivial':>10} {'× trivial':>10} "
        f"{f'q {s}':>6} {f'q {l_}':>6} {f'KiB {l_}':>9} {f'SQL ms {s}':>10} {f'SQL ms {l_}':>10}"
    )
    base_small, base_large = small["trivial page"]["seconds"], large["trivial page"]["seconds"]
    ratios, normalised, trivial = [], [], []
    for name, a in small.items():
        b = large[name]
        ratio = b["seconds"] / a["seconds"]
        # The same ratio with each size's time over its own trivial page: a load change between the two
        # phases of the run (other work on the machine) moves both and cancels out.
        steady = (b["seconds"] / base_large) / (a["seconds"] / base_small)
        versus = a["seconds"] / base_small
        if name != "trivial page":
            ratios.append(ratio)
            normalised.append(steady)
            trivial.append(versus)
        flag = "" if a["queries"] == b["queries"] else "  queries differ"
        print(
            f"{name:<28} {a['seconds'] * 1000:>9.1f} {b['seconds'] * 1000:>9.1f} {ratio:>9.2f} {steady:>10.2f} "
            f"{versus:>10.1f} "
            f"{a['queries']:>6} {b['queries']:>6} {b['bytes'] / 1024:>9.0f} {a['sql_ms']:>10.1f} {b['sql_ms']:>10.1f}{flag}"
        )
    if args.slowest:
        print(f"slowest query of each page at {l_} organisations (one request, ms):")
        for name, b in large.items():
            print(f"  {name:<28} {b['slowest'][0]:>7.1f}  {b['slowest'][1][:160]}")
    print(
        f"worst {l_}/{s}: {max(ratios):.2f} ({max(normalised):.2f} ÷ trivial); median page × trivial: {statistics.median(trivial):.1f}, worst "
        f"{max(trivial):.1f}; trivial page {base_small * 1000:.1f} ms at {s}, {base_large * 1000:.1f} ms at {l_}"
    )


if __name__ == "__main__":
    main()

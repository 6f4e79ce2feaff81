"""Compare two trees' CPU a request on the same pages with both alive at once, asked for batches in turn.

    DATABASE_URL=postgres://… .venv/bin/python bench/pair.py --base /tmp/base-worktree [--rounds 10] [--batch 20] [PAGE…]

On a machine that others load, two runs of the same code one after the other move by ±30 % (bench/README.md,
"Branch page8"); here one process per tree (this script's tree and --base, each with its own code, this venv)
serves the same pages from the same database (bench/load.py's seeded `<name>_load`, as `--profile` uses it,
through Django's test client rendering as production does), and the two answer batches of `--batch` requests in
turn, the order swapped every round, so a load change falls on both alike. Prints the median and best batch of
each page on each side (this process's CPU, PostgreSQL's not in it) and the Python function calls a request
(cProfile's count: the load does not move it), with the load average at the start and the end."""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PAGES = [
    "trivial (officer)",
    "trivial (staff)",
    "land page",
    "registration list (officer)",
    "campaigns (officer)",
    "organisation list (staff)",
    "member list (staff)",
    "QCDC plans sent (staff)",
    "bright spots (staff)",
    "document list (staff)",
    "notifications (staff)",
]


def serve() -> None:
    """One tree's side: the pages by name; reads 'NAME|n' (CPU ms a request of n requests) or 'calls|NAME|n'."""
    import cProfile
    import pstats

    sys.path.insert(0, os.getcwd())
    from bench import load

    load.prepare_database(os.environ["DATABASE_URL"], organizations=74, users=2, reuse=True)
    import time_machine
    from django.conf import settings
    from django.template import Template
    from django.test import Client
    from django.test.utils import _TestState, setup_test_environment
    from django.urls import reverse

    from bench import dataset
    from democracy_regs.models import DemocracyCycle
    from models_danvan.models import Campaign
    from organizations.models import BaseOrganization, User

    setup_test_environment(debug=False)
    settings.CURRENT_BLOC_CACHE = True
    if not os.environ.get("PAIR_AS_TESTS"):
        Template._render = _TestState.saved_data.template_render  # as bench/load.py --profile: no instrumentation
    time_machine.travel(dataset.TODAY, tick=True).start()
    officer = User.objects.get(username="load-officer-0001")
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    officers, staffs = Client(), Client()
    officers.force_login(officer)
    staffs.force_login(staff)
    campaign = Campaign.objects.order_by("-year").first().pk
    cycle = DemocracyCycle.objects.order_by("-year").first().pk
    first = BaseOrganization.objects.order_by("code").first().pk
    pages = {
        "trivial (officer)": (officers, reverse("password_change_done")),
        "trivial (staff)": (staffs, reverse("password_change_done")),
        "land page": (officers, reverse("organizations:detail", args=[officer.organization_id])),
        "registration list (officer)": (officers, reverse("models_danvan:registrations", args=[campaign])),
        "campaigns (officer)": (officers, reverse("models_danvan:campaigns")),
        "organisation list (staff)": (staffs, reverse("organizations:list")),
        "member list (staff)": (staffs, reverse("organizations:members", args=[first])),
        "QCDC plans sent (staff)": (staffs, reverse("democracy_regs:cycle_submissions", args=[cycle]) + "?loai=plan"),
        "bright spots (staff)": (staffs, reverse("democracy_regs:bright_spots", args=[cycle])),
        "document list (staff)": (staffs, reverse("reports:documents")),
        "notifications (staff)": (staffs, reverse("notifications:list")),
    }
    for client, url in pages.values():
        for _ in range(5):  # warm-up: compiled queries, templates, caches
            assert client.get(url).status_code == 200, url
    print("ready", flush=True)
    for line in sys.stdin:
        *calls, name, count = line.rstrip("\n").split("|")
        client, url = pages[name]
        if calls:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(int(count)):
                client.get(url)
            profile.disable()
            print(pstats.Stats(profile).total_calls / int(count), flush=True)
            continue
        started = time.process_time()
        for _ in range(int(count)):
            client.get(url)
        print((time.process_time() - started) / int(count) * 1000, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the other tree (e.g. a git worktree of the base commit)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--batch", type=int, default=20, help="requests a batch")
    parser.add_argument(
        "--as-tests",
        action="store_true",
        help="render as the test suite does (each template rendered sends a signal the test client copies the context for)",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("pages", nargs="*", help=f"default: all ({', '.join(PAGES)})")
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    if not args.base:
        parser.error("--base is required")
    pages = args.pages or PAGES
    trees = {"base": Path(args.base).resolve(), "branch": HERE}
    command = [sys.executable, str(Path(__file__).resolve()), "--serve"]
    env = {**os.environ, "PAIR_AS_TESTS": "1" if args.as_tests else ""}
    sides = {
        side: subprocess.Popen(command, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for side, tree in trees.items()
    }

    def ask(side: str, line: str) -> float:
        sides[side].stdin.write(line + "\n")
        sides[side].stdin.flush()
        return float(sides[side].stdout.readline())

    try:
        for process in sides.values():
            while process.stdout.readline().strip() != "ready":
                if process.poll() is not None:
                    raise SystemExit("a side stopped before it was ready")
        load = lambda: " ".join(f"{x:.2f}" for x in os.getloadavg())  # noqa: E731
        print(f"start {time.strftime('%H:%M:%S')} load average {load()}")
        batches: dict[str, dict[str, list[float]]] = {page: {side: [] for side in trees} for page in pages}
        for number in range(args.rounds):
            for page in pages:
                for side in list(trees) if number % 2 == 0 else list(reversed(trees)):
                    batches[page][side].append(ask(side, f"{page}|{args.batch}"))
        calls = {page: {side: ask(side, f"calls|{page}|10") for side in trees} for page in pages}
        print(f"end {time.strftime('%H:%M:%S')} load average {load()}")
    finally:
        for process in sides.values():
            process.stdin.close()
            process.wait()
    rendering = "as the test suite renders" if args.as_tests else "as production renders"
    print(
        f"CPU ms a request ({rendering}), {args.rounds} batches of {args.batch} a side; base {trees['base']}, branch {HERE}"
    )
    print(
        f"{'page':30} {'base':>7} {'branch':>7} {'change':>7} {'best b':>7} {'best br':>7} {'calls base':>11} {'branch':>8}"
    )
    for page in pages:
        base, branch = batches[page]["base"], batches[page]["branch"]
        median_base, median_branch = statistics.median(base), statistics.median(branch)
        print(
            f"{page:30} {median_base:7.2f} {median_branch:7.2f} {100 * (median_branch / median_base - 1):+6.0f}% "
            f"{min(base):7.2f} {min(branch):7.2f} {calls[page]['base']:11.0f} {calls[page]['branch']:8.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""bench/load.py runs end to end: gunicorn on 127.0.0.1 with DEBUG off, three officers signing in, opening
their organisation's page, the registration list and their registration, saving and sending drafts, with no
error, and the report names every kind of request (issue 13). PostgreSQL only: the server's workers read the
test database, so its rows are committed (transactional_db) and flushed after. About 10 s."""

import os
import time

import time_machine
from django.db import connection

from bench import dataset, load
from tests import forked


def test_three_officers_click_through_without_errors(postgres_only, transactional_db):
    with time_machine.travel(dataset.TODAY, tick=True):
        dataset.build(organizations=3, years=1, members=5)
    load.ensure_officers(4)  # three officers and the one of the single-request baseline
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    connection.close()  # the script and its server open their own
    started = time.monotonic()
    result = forked.run(  # the script in a warm process; the gunicorn it starts is a new one
        [
            "bench/load.py",
            "--users",
            "3",
            "--duration",
            "2",
            "--think",
            "0.1-0.3",
            "--ramp",
            "0.3",
            "--repeat",
            "1",
            "--suffix",
            "",
            "--no-manifest",
            "--timeout",
            "20",
        ],  # fmt: skip
        # Without REDIS_URL the server runs its tasks in-process (SINGLE_PROCESS): nothing is left queued in a
        # Redis that another test's worker might read.
        env={**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "DATABASE_URL": database_url},
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "3 officers" in output and ", 0 errors;" in output, output
    assert "tracebacks in its log: 0" in output, output
    for kind in ("land page", "registration list", "registration", "edit form", "save draft", "send", "new draft"):
        assert f"\n{kind} " in output, (kind, output)
    assert time.monotonic() - started < 60, "the smoke run should stay short"


def test_the_server_cpu_keeps_a_recycled_workers_time():
    """gunicorn recycles a worker after max_requests: the CPU it used goes on counting in the master's tree (its
    reaped children's time), so the load run's CPU a request never shrinks, or turns negative, when one exits."""
    import subprocess
    import sys

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    end = time.process_time() + 0.4\n"
            "    while time.process_time() < end: pass\n"
            "    os._exit(0)\n"
            "os.waitpid(pid, 0)\n"
            "print('reaped', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "reaped"
        assert load.tree_cpu(parent.pid) >= 0.35
    finally:
        parent.kill()
        parent.wait()


def test_the_server_gets_the_runs_redis_even_after_the_seed_dropped_it(monkeypatch):
    """The seed runs in this process with eager tasks (bench/dataset.configure drops REDIS_URL from the
    environment); gunicorn must still get the run's Redis, as production has it, and run single-process only
    when the run has none."""
    monkeypatch.delenv("REDIS_URL", raising=False)  # as after the seed
    with_redis = load.server_environment("postgres://db/x", "/tmp/static", 8123, "redis://127.0.0.1:6379/50")
    assert with_redis["REDIS_URL"] == "redis://127.0.0.1:6379/50" and "SINGLE_PROCESS" not in with_redis
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")  # a stale one in the environment is not used
    without = load.server_environment("postgres://db/x", "/tmp/static", 8123, "")
    assert "REDIS_URL" not in without and without["SINGLE_PROCESS"] == "true"

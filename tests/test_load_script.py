"""bench/load.py runs end to end: gunicorn on 127.0.0.1 with DEBUG off and, with Redis, one real Celery worker
beside it, three officers signing in, opening their organisation's page, the registration list and their
registration, saving and sending drafts, with no error; the report names every kind of request and the worker's
CPU and tasks (issue 13). PostgreSQL only: the server's workers read the test database, so its rows are committed
(transactional_db) and flushed after. About 10 s."""

import os
import time
from pathlib import Path

import redis
import time_machine
from django.core.cache import cache
from django.db import connection

from bench import dataset, load
from dukportal.core.models import OutboxMessage, OutboxStatus
from dukportal.notifications.models import Notification
from tests import forked


def _redis_url() -> str:
    """This test process's own broker database (tests/conftest.py: one per xdist worker), if Redis answers."""
    url = os.environ.get("REDIS_URL", "")
    try:
        return url if url and redis.Redis.from_url(url, socket_connect_timeout=1).ping() else ""
    except redis.exceptions.RedisError:
        return ""


def _processes_on(database_url: str) -> list[int]:
    """Processes still running with this DATABASE_URL in their environment (the script's server and worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                environment = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"DATABASE_URL={database_url}".encode() in environment:
                found.append(int(entry.name))
    return found


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
    redis_url = _redis_url()
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
            "--worker-concurrency",
            "1",
        ],  # fmt: skip
        # With Redis: this test process's own broker and cache databases, and one real Celery worker; the script
        # waits until the worker has run every task the sends queued, so nothing is left in the queue. Without
        # Redis the server runs its tasks in-process (SINGLE_PROCESS).
        env={**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, "DATABASE_URL": database_url}
        | ({"REDIS_URL": redis_url} if redis_url else {}),
        timeout=120,
    )
    output = result.stdout + result.stderr
    if redis_url:
        cache.clear()  # what the server kept in this process's cache database (the bloc, the figures)
    assert result.returncode == 0, output
    assert not _processes_on(database_url), "the script stops the server and the worker it started"
    assert "3 officers" in output and ", 0 errors;" in output, output
    assert "tracebacks in its log: 0" in output, output
    for kind in ("land page", "registration list", "registration", "edit form", "save draft", "send", "new draft"):
        assert f"\n{kind} " in output, (kind, output)
    assert time.monotonic() - started < 60, "the smoke run should stay short"
    sends = OutboxMessage.objects.filter(task="notifications.submission_received")
    assert sends.exists() and not sends.exclude(status=OutboxStatus.DONE).exists(), "every send's staff notice ran"
    assert Notification.objects.filter(title__startswith="Hôm nay").exists()
    if redis_url:
        assert "tasks: Redis broker, one Celery worker;" in output, output
        line = next(line for line in output.splitlines() if line.startswith("Celery worker in the steady phase:"))
        assert " 0 failed; " in line and "stopped (exit 0), tracebacks in its log: 0" in line, line
        assert " 0 left queued at its end" in line or "run within" in line, line


def test_the_workers_cpu_and_tasks_are_reported_beside_gunicorns():
    """The worker's CPU a request is its share of the same steady-phase requests; what it ran is the outbox
    messages that finished in the phase, what is left those still pending or running at its end."""
    tasks = {
        "before": {"pending": 2, "running": 0, "done": 10, "failed": 1},
        "after": {"pending": 3, "running": 1, "done": 40, "failed": 1},
        "drained": {"pending": 0, "running": 0, "done": 44, "failed": 1},
        "waited": 1.25,
    }
    line = load.worker_report(8.0, 2.0, 1000, tasks, 0, "")
    assert line == (
        "Celery worker in the steady phase: 2.0 s of CPU (2.0 ms a request; gunicorn and worker 10.0 ms a request), "
        "30 tasks run (66.7 ms a task), 0 failed; 4 left queued at its end, run within 1.2 s after it; "
        "stopped (exit 0), tracebacks in its log: 0"
    )
    tasks["drained"] = {"pending": 2, "running": 0, "done": 42, "failed": 1}
    tasks["waited"] = 60.0
    assert "4 left queued at its end, 2 still queued 60 s after it; stopped (exit -9)" in load.worker_report(
        8.0, 2.0, 1000, tasks, -9, ""
    )


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

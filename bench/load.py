"""Load test: N officers clicking through the portal at once, against gunicorn on 127.0.0.1 (issue 13).

    DATABASE_URL=postgres://… REDIS_URL=redis://…/N .venv/bin/python bench/load.py \
        [--users 200] [--duration 60] [--think 1-3] [--organizations 74] [--max-requests 60000] [--keep] [--reuse]
    DATABASE_URL=postgres://… .venv/bin/python bench/load.py --profile      # cProfile of the three officer pages

What it does, in one run:
1. creates the database `<DATABASE_URL's name>_load` (dropped at the end unless --keep; --reuse keeps a seeded
   one from an earlier --keep run), migrates it and seeds bench/dataset.py's bloc (74 organisations × 10 years by
   default) plus one officer account per simulated user (organisations taken in turn);
2. collects the static files and starts gunicorn with gunicorn.conf.py on a free port of 127.0.0.1 with the
   settings production has: DEBUG off, PostgreSQL, Redis (REDIS_URL; else SINGLE_PROCESS), the static manifest
   served by WhiteNoise, HTTPS as seen behind the TLS proxy (TRUST_PROXY_HEADERS + X-Forwarded-Proto: https);
   with REDIS_URL also one Celery worker as docker-compose's (`celery -A dukportal worker -l info`, the same
   environment; --worker-concurrency, --no-worker), so the tasks the sends queue run on the same cores;
3. measures the single-request baseline: one signed-in officer alone clicks every kind of request 15 times;
4. starts N officers (asyncio, one HTTP/1.1 keep-alive connection each, as browsers keep one alive). Each signs in through
   the login form, makes its own draft, then loops: its organisation's page (the officer's landing page) → the
   campaign's registration list → its registration → the edit form → save the draft (→ the registration
   again, the redirect) and every third round sends it (POST “Gửi”) and starts a new draft, with a random think
   time (1–3 s) between clicks. The run stops after --duration seconds of the steady phase or --max-requests.
5. reports requests/s, p50/p95/p99/max and errors per kind of request, for the steady phase (from the moment
   the last officer signed in), the sign-in separately, and p95 over the baseline's median (goal: ≤ 10); the
   CPU of gunicorn, of the worker (and the tasks it ran, those left queued) and of this generator in that phase.
   The worker then gets --drain seconds to run what is left, and is stopped (warm shutdown).

An error is a transport failure, a timeout (--timeout, 30 s) or a status other than the expected 200/302.
Only processes this script started are stopped at the end (gunicorn and the worker by their pids)."""

import argparse
import asyncio
import html
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "DanVanKheo@2024"
KINDS = ("land page", "registration list", "registration", "edit form", "save draft", "send", "new draft")


# --- the database ---------------------------------------------------------------------------------------------


def _server_and_name(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _psql(server_url: str, sql: str) -> list:
    import psycopg2

    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def load_database_url(database_url: str, suffix: str) -> str:
    name = _server_and_name(database_url)[1]
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}{suffix}"))


def prepare_database(database_url: str, *, organizations: int, users: int, reuse: bool, suffix: str = "_load") -> dict:
    """Create, migrate and seed `<name>_load`; return the run's facts (URLs of the officers' pages). Runs Django
    in this process (the seed), with the clock at dataset.TODAY as bench/dataset.py needs."""
    server, name = _server_and_name(database_url)
    load_name = f"{name}{suffix}"  # an empty suffix: DATABASE_URL's own database, migrated, kept as it is
    load_url = load_database_url(database_url, suffix)
    exists = bool(_psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{load_name}'"))
    reuse = reuse or not suffix
    if exists and not reuse:
        _psql(server, f'DROP DATABASE "{load_name}"')
        exists = False
    if not exists:
        _psql(server, f'CREATE DATABASE "{load_name}"')
    os.environ["DATABASE_URL"] = load_url
    from bench import dataset

    dataset.configure(use_database_url=True)
    import time_machine
    from django.core.management import call_command

    from organizations.models import User

    seeded = exists and User.objects.filter(username="load-officer-0001").exists()
    if not seeded:
        started = time.perf_counter()
        if suffix:
            call_command("migrate", verbosity=0)
        with time_machine.travel(dataset.TODAY, tick=True):
            data = dataset.build(organizations)
        print(f"seeded {load_name}: {data.organizations} organisations, {data.members} members, "
              f"{data.registrations} registrations in {time.perf_counter() - started:.1f} s")  # fmt: skip
    from models_danvan.models import Campaign

    campaign = Campaign.objects.order_by("-year").first()
    ensure_officers(users)
    from django.db import connections

    connections.close_all()
    facts = {"database_url": load_url, "database": load_name, "server": server, "campaign": campaign.pk}
    return {**facts, "owned": bool(suffix)}


def ensure_officers(count: int) -> None:
    """Officer accounts load-officer-0001… up to `count`, the organisations (by code) taken in turn."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from organizations.models import BaseOrganization, Role, User

    organization_ids = list(BaseOrganization.objects.order_by("code").values_list("pk", flat=True))
    existing = User.objects.filter(username__startswith="load-officer-").count()
    if existing >= count:
        return
    # Django's default hasher, as the server has it (whatever PASSWORD_HASHERS this process runs with: the test
    # suite's is MD5), computed once: the same hash for every account, each sign-in still checks it.
    hasher = PBKDF2PasswordHasher()
    hashed = hasher.encode(PASSWORD, hasher.salt())
    User.objects.bulk_create(
        User(
            username=f"load-officer-{number:04d}",
            role=Role.OFFICER,
            organization_id=organization_ids[(number - 1) % len(organization_ids)],
            password=hashed,
            email=f"load-officer-{number:04d}@example.vn",
        )
        for number in range(existing + 1, count + 1)
    )


def drop_database(facts: dict) -> None:
    if not facts["owned"]:
        return  # DATABASE_URL's own database (--suffix ''): never dropped
    _psql(facts["server"], f'DROP DATABASE IF EXISTS "{facts["database"]}" WITH (FORCE)')


# --- gunicorn -------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database_url: str, static_root: str, port: int, redis_url: str = "") -> dict:
    """What production sets (README “Configuration”), for 127.0.0.1 behind an imagined TLS proxy. `redis_url`: the
    run's REDIS_URL as given (the seed in this process drops it from the environment: bench/dataset.configure);
    without one the server runs single-process (tasks in the request)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_BIND", "DJANGO_", "REDIS_URL"))}
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        DEBUG="false",
        SECRET_KEY="load-test-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=static_root,
        SECURE_SSL_REDIRECT="false",
        TRUST_PROXY_HEADERS="true",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        EMAIL_URL="memorymail://",
    )
    if not env.get("REDIS_URL"):
        env["SINGLE_PROCESS"] = "true"
    return env


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "DEBUG": "true", "STATIC_MANIFEST": "true"},
        check=True,
    )


# gunicorn run in a Python that first sets the clock to the data set's "today" (bench/dataset.py: 10/12/2024,
# ticking), so the officers see the year the data describes (its deadlines, reminders, open campaign) as they
# would on that day; the workers are forked from this process and keep the clock.
_LAUNCHER = """
import sys, time_machine
from bench import dataset
time_machine.travel(dataset.TODAY, tick=True).start()
from gunicorn.app.wsgiapp import run
sys.argv = ["gunicorn", *sys.argv[1:]]
run()
"""


def start_gunicorn(env: dict, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, "-c", "gunicorn.conf.py", "--access-logfile", "-", "dukportal.wsgi"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its workers are its children: stopped with it
    )


def wait_until_up(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/health/?checks=database", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (gunicorn's master and workers),
    read from /proc; 0 where /proc is missing. The master's own count includes the children it has reaped
    (cutime, cstime): a worker recycled by max_requests during the run keeps counting."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid:  # fields[11:15]: utime, stime, cutime, cstime
            total += sum(int(value) for value in fields[11:15]) / tick
        elif int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def tree_run_ns(pid: int) -> int:
    """Nanoseconds on a CPU so far of every thread of a process and its children (/proc/<pid>/task/*/schedstat:
    the scheduler's own account, exact where /proc/<pid>/stat counts 10 ms ticks); threads that exited are not
    counted (gthread's pool threads live as long as their worker)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if int(entry.name) != pid and parent != pid:
            continue
        try:
            total += sum(int((task / "schedstat").read_text().split()[0]) for task in (entry / "task").iterdir())
        except OSError:
            continue  # the process or one of its threads ended meanwhile
    return total


# The Celery worker as docker-compose's `worker` service runs it (`celery -A dukportal worker -l info`, the same
# settings and broker as the web), in a Python that first sets the clock to the data set's day as the server's
# launcher does (the staff notice counts "today's" sendings); it writes `ready` (argv[1]) when it consumes.
_WORKER_LAUNCHER = """
import sys, time_machine
from pathlib import Path
from bench import dataset
time_machine.travel(dataset.TODAY, tick=True).start()
from celery import signals
ready = Path(sys.argv[1])
signals.worker_ready.connect(lambda **kwargs: ready.write_text("ready"), weak=False)
from celery.bin.celery import main
sys.argv = ["celery", *sys.argv[2:]]
main()
"""


def worker_command(ready_path: Path, concurrency: int = 0) -> list[str]:
    """The worker's command line: compose's (prefork, one process per core) unless `concurrency` is given.
    Without mingle: the start-up exchange of state with the cluster's other workers (there are none here) costs
    about a second before the worker consumes, and nothing afterwards."""
    command = [sys.executable, "-c", _WORKER_LAUNCHER, str(ready_path), "-A", "dukportal", "worker", "-l", "info"]
    command.append("--without-mingle")
    return [*command, f"--concurrency={concurrency}"] if concurrency else command


def start_worker(env: dict, log_path: Path, concurrency: int = 0) -> subprocess.Popen:
    """One real Celery worker on the server's environment (its REDIS_URL broker, database and settings)."""
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    ready = log_path.with_suffix(".ready")
    ready.unlink(missing_ok=True)
    return subprocess.Popen(
        worker_command(ready, concurrency),
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its pool processes are its children: stopped with it
    )


def wait_until_consuming(process: subprocess.Popen, log_path: Path, timeout: float = 90) -> None:
    ready = log_path.with_suffix(".ready")
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if process.poll() is not None:
            raise SystemExit(f"the Celery worker exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise SystemExit(f"the Celery worker was not ready within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.05)


def stop_worker(process: subprocess.Popen, timeout: float = 40, *, told: bool = False) -> int:
    """Celery's warm shutdown (SIGTERM: the task in hand is finished, nothing more is taken; `told`: sent
    already); SIGKILL to its process group only if it does not exit in time. Returns its exit status."""
    if process.poll() is None:
        if not told:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def last_outbox_id(database_url: str) -> int:
    return _psql(database_url, "SELECT COALESCE(MAX(id), 0) FROM core_outboxmessage")[0][0]


def outbox_counts(database_url: str, after: int) -> dict[str, int]:
    """This run's outbox messages (ids above `after`) by status (pending, running, done, failed): every task the
    portal queues is one (dukportal.core.outbox), so the done ones are the tasks a worker ran and the pending ones
    those still queued. An earlier run's leftovers (a --no-worker run on a kept data set) are not counted."""
    sql = f"SELECT status, COUNT(*) FROM core_outboxmessage WHERE id > {int(after)} GROUP BY status"
    return {"pending": 0, "running": 0, "done": 0, "failed": 0, **dict(_psql(database_url, sql))}


def wait_for_drain(database_url: str, after: int, timeout: float) -> tuple[dict, float]:
    """Wait until none of this run's messages is pending or running (the worker has caught up), at most
    `timeout` seconds."""
    started = time.monotonic()
    while True:
        counts = outbox_counts(database_url, after)
        waited = time.monotonic() - started
        if counts["pending"] + counts["running"] == 0 or waited >= timeout:
            return counts, waited
        time.sleep(0.25)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- an officer -----------------------------------------------------------------------------------------------


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')
_INPUT = re.compile(r"<input\b([^>]*)>", re.I)
_TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)
_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
_OPTION = re.compile(r"<option\b([^>]*)>", re.I)
_BUTTON = re.compile(r"<button\b([^>]*)>", re.I)


def _attrs(text: str) -> dict:
    return {name.lower(): html.unescape(value or "") for name, value in _ATTR.findall(text)}


def form_fields(page: str, button: str) -> dict:
    """The fields of the POST form that has a submit button of value `button`, as a browser would send them
    (file inputs left out). Regular expressions over Django's own markup rather than an HTML parser: the
    generator shares the 2 cores with the server, and parsing each 40 KB page cost it several ms."""
    for form_attrs, body in _FORM.findall(page):
        if _attrs(form_attrs).get("method", "").lower() != "post":
            continue
        buttons = [_attrs(b) for b in _BUTTON.findall(body)]
        buttons += [a for a in map(_attrs, _INPUT.findall(body)) if a.get("type") == "submit"]
        if not any(b.get("value") == button for b in buttons):
            continue
        fields = {}
        for a in map(_attrs, _INPUT.findall(body)):
            kind = a.get("type", "text").lower()
            if not a.get("name") or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio") and "checked" not in a:
                continue
            fields[a["name"]] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        for attrs, text in _TEXTAREA.findall(body):
            if name := _attrs(attrs).get("name"):
                fields[name] = html.unescape(text.removeprefix("\n"))
        for attrs, options in _SELECT.findall(body):
            if name := _attrs(attrs).get("name"):
                choices = [_attrs(o) for o in _OPTION.findall(options)]
                chosen = [o for o in choices if "selected" in o] or choices[:1]
                fields[name] = chosen[0].get("value", "") if chosen else ""
        return fields
    raise ValueError(f"no form with a “{button}” button")


class Officer:
    """One browser: its own connection and cookies. Cookies are Secure (DEBUG off); the TLS proxy is imagined,
    so the client keeps them itself and sends them over the plain connection to 127.0.0.1."""

    def __init__(self, client, base: str, username: str, record):
        self.client, self.base, self.username, self.record = client, base, username, record
        self.cookies: dict[str, str] = {}
        self.organization_url = self.registration_url = ""
        self.stale = False  # after a failed click: the draft may have been sent meanwhile

    async def request(self, kind: str, method: str, path: str, *, data=None, expect=(200, 302)):
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{urlsplit(self.base).netloc}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            response = await self.client.request(method, self.base + path, data=data, headers=headers)
        except Exception as exc:  # timeout, reset, refused: an error of this request
            self.record(kind, started, time.perf_counter() - started, f"{type(exc).__name__}")
            raise _Failed from exc
        elapsed = time.perf_counter() - started
        for name, value in response.cookies:
            if value is None:
                self.cookies.pop(name, None)  # deleted (the messages cookie once shown), as a browser drops it
            else:
                self.cookies[name] = value
        error = None if response.status_code in expect else f"HTTP {response.status_code}"
        self.record(kind, started, elapsed, error)
        if error:
            if os.environ.get("LOAD_DUMP"):
                Path(os.environ["LOAD_DUMP"]).write_text(response.text)
            raise _Failed(error)
        return response

    async def click(self, kind: str, method: str, path: str, *, data=None, follow_as: str = ""):
        """One click: the request and, for a POST answered by a redirect, the page it leads to."""
        response = await self.request(kind, method, path, data=data)
        if response.status_code == 302 and follow_as:
            location = urlsplit(response.headers["location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            response = await self.request(follow_as, "GET", target, expect=(200,))
        return response

    async def sign_in(self):
        page = await self.request("login", "GET", "/dang-nhap/", expect=(200, 302))
        if page.status_code == 302:
            # Signed in already: an earlier attempt timed out here but the server had finished it.
            response = page
        else:
            fields = _login_fields(page.text)
            fields.update(username=self.username, password=PASSWORD)
            response = await self.request("login", "POST", "/dang-nhap/", data=fields, expect=(302,))
        landing = await self.request("login", "GET", urlsplit(response.headers["location"]).path, expect=(302,))
        self.organization_url = urlsplit(landing.headers["location"]).path

    async def new_draft(self, campaign: int, number: int):
        path = f"/dan-van-kheo/dot/{campaign}/dang-ky/moi/"
        page = await self.request("new draft", "GET", path, expect=(200,))
        fields = form_fields(page.text, "save")
        fields.update(
            action="save",
            category=fields.get("category") or "economy",
            name=f"Mô hình thử tải {self.username} số {number}",
            aims="Nâng cao chất lượng công tác dân vận.",
            content="Tổ chức các buổi đối thoại với nhân dân hằng quý.",
            expected_results="Người dân hài lòng hơn.",
            person_in_charge="Nguyễn Văn An",
            start_date="01/06/2024",
            end_date="30/11/2024",
        )
        response = await self.request("new draft", "POST", path, data=fields, expect=(302,))
        self.registration_url = urlsplit(response.headers["location"]).path


class _Failed(Exception):
    pass


def _login_fields(html: str) -> dict:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return {"csrfmiddlewaretoken": token.group(1) if token else ""}


async def officer_round(officer: Officer, campaign: int, round_number: int, think) -> None:
    await officer.click("land page", "GET", officer.organization_url)
    await think()
    await officer.click("registration list", "GET", f"/dan-van-kheo/dot/{campaign}/dang-ky/")
    await think()
    await officer.click("registration", "GET", officer.registration_url)
    await think()
    edit = f"{officer.registration_url}sua/"
    page = await officer.click("edit form", "GET", edit)
    await think()
    fields = form_fields(page.text, "save")
    fields["aims"] = f"Nâng cao chất lượng công tác dân vận (lần {round_number})."
    if round_number % 3 == 2:
        fields["action"] = "submit"
        await officer.click("send", "POST", edit, data=fields, follow_as="registration")
        await think()
        await officer.new_draft(campaign, round_number)
    else:
        fields["action"] = "save"
        await officer.click("save draft", "POST", edit, data=fields, follow_as="registration")
    await think()


# --- the run --------------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.samples: list[tuple[str, float, float, str | None]] = []
        self.steady_from = float("inf")

    def __call__(self, kind, started, elapsed, error):
        self.samples.append((kind, started, elapsed, error))


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class _Response:
    __slots__ = ("body", "cookies", "headers", "status_code")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")  # the portal's pages are UTF-8


class _Connection:
    """One HTTP/1.1 keep-alive connection, as a browser holds one to the portal: a request, its response read by
    Content-Length (or chunks, or to the end), its Set-Cookie headers as (name, value or None when deleted).
    In place of httpx, which cost this generator ~4.6 ms of CPU a request in the quiet run of 03/12/2026 — CPU
    taken from the 2 cores gunicorn and PostgreSQL share with it (a browser's is its own)."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.reader = self.writer = None

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method: str, url: str, *, data=None, headers=None) -> _Response:
        try:
            return await asyncio.wait_for(self._request(method, url, data, headers or {}), self.timeout)
        except BaseException:
            self.close()  # a half-read response would poison the next request on this connection
            raise

    async def _request(self, method, url, data, headers) -> _Response:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urlencode(data).encode() if data is not None else b""
        head = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Accept: text/html"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if data is not None:
            head.append("Content-Type: application/x-www-form-urlencoded")
        if data is not None or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        for attempt in range(2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection(parts.hostname, parts.port)
            try:
                self.writer.write(message)
                await self.writer.drain()
                status = await self.reader.readline()
                if not status:
                    raise ConnectionResetError("closed by the server")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if reused and attempt == 0:
                    continue  # the server closed the idle connection before reading this request: once more
                raise
            return await self._response(status)
        raise AssertionError("unreachable")

    async def _response(self, status: bytes) -> _Response:
        response = _Response()
        response.status_code = int(status.split()[1])
        response.headers, response.cookies = {}, []
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                pair, *attributes = value.split(";")
                cookie, _, cookie_value = pair.partition("=")
                deleted = any(a.strip().lower() in ("max-age=0", 'max-age="0"') for a in attributes)
                response.cookies.append((cookie.strip(), None if deleted else cookie_value.strip()))
            response.headers[name] = value
        if "content-length" in response.headers:
            response.body = await self.reader.readexactly(int(response.headers["content-length"]))
        elif response.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            response.body = b"".join(chunks)
        elif response.status_code in (204, 304):
            response.body = b""
        else:
            response.body = await self.reader.read()
            self.close()
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response


def _client(timeout: float) -> _Connection:
    return _Connection(timeout)


async def baseline(base: str, campaign: int, username: str, repeat: int, timeout: float) -> dict:
    """One officer alone: the median of each kind of request (the 'single request')."""
    recorder = Recorder()
    async with _client(timeout) as client:
        officer = Officer(client, base, username, recorder)
        await officer.sign_in()
        await officer.new_draft(campaign, 0)

        async def no_think():
            return None

        for number in range(repeat):
            await officer_round(officer, campaign, number, no_think)
    by_kind = defaultdict(list)
    for kind, _, elapsed, error in recorder.samples:
        if error is None:
            by_kind[kind].append(elapsed)
    return {kind: statistics.median(values) for kind, values in by_kind.items()}


async def server_cpu(base: str, campaign: int, username: str, repeat: int, timeout: float, pid: int, only=None) -> list:
    """One officer alone, each kind of request `repeat` times in a row, nothing else asking: gunicorn's CPU
    (master and workers, every thread) a request of that kind, in ms — what the load run's "CPU in the steady
    phase" divides among its requests, split by kind and without the contention of 200 officers."""
    recorder = Recorder()
    cpu: dict[str, list[float]] = defaultdict(list)
    async with _client(timeout) as client:
        officer = Officer(client, base, username, recorder)
        await officer.sign_in()
        await officer.new_draft(campaign, 0)
        edit = f"{officer.registration_url}sua/"
        fields = form_fields((await officer.request("edit form", "GET", edit)).text, "save")
        counter = [0]

        async def timed(kind, method, path, **kwargs):
            started = tree_run_ns(pid)
            response = await officer.request(kind, method, path, **kwargs)
            cpu[kind].append((tree_run_ns(pid) - started) / 1e6)
            return response

        async def save_draft():
            counter[0] += 1  # a changed field and a fresh one-time token each time, as a round's save
            data = {**fields, "aims": f"Mục tiêu (lần {counter[0]})", "action": "save", "form_token": str(uuid.uuid4())}
            await timed("save draft", "POST", edit, data=data)

        async def send():
            nonlocal edit, fields
            counter[0] += 1
            data = {
                **fields,
                "aims": f"Mục tiêu (lần {counter[0]})",
                "action": "submit",
                "form_token": str(uuid.uuid4()),
            }
            await timed("send", "POST", edit, data=data)
            page = await timed("new draft", "GET", f"/dan-van-kheo/dot/{campaign}/dang-ky/moi/", expect=(200,))
            data = {**form_fields(page.text, "save"), "name": f"Mô hình {username} số {counter[0]}", "action": "save"}
            data.update(aims="Mục tiêu", content="Nội dung", expected_results="Kết quả", person_in_charge="Nguyễn Văn An",
                        start_date="01/06/2024", end_date="30/11/2024", category=data.get("category") or "economy")  # fmt: skip
            response = await timed("new draft", "POST", f"/dan-van-kheo/dot/{campaign}/dang-ky/moi/", data=data)
            officer.registration_url = urlsplit(response.headers["location"]).path
            edit = f"{officer.registration_url}sua/"
            fields = form_fields((await officer.request("edit form", "GET", edit)).text, "save")

        kinds = {
            # gunicorn's own share: the health answer comes from the second middleware, before sessions and views
            # 503 with Redis: no beat runs, so the worker heartbeat check fails (the answer costs the same)
            "health (no checks)": lambda: timed("health (no checks)", "GET", "/health/", expect=(200, 503)),
            "trivial page": lambda: timed("trivial page", "GET", "/doi-mat-khau/xong/"),
            "land page": lambda: timed("land page", "GET", officer.organization_url),
            "registration list": lambda: timed("registration list", "GET", f"/dan-van-kheo/dot/{campaign}/dang-ky/"),
            "registration": lambda: timed("registration", "GET", officer.registration_url),
            "edit form": lambda: timed("edit form", "GET", edit),
            "save draft": save_draft,
            "send": send,
        }
        rows = []
        for kind, call in kinds.items():
            if only and kind not in only:
                continue
            for _ in range(3):
                await call()  # warm-up
            cpu.clear()
            for _ in range(repeat):
                await call()
            for name in ("send", "new draft") if kind == "send" else (kind,):
                # ms a request: the mean and the median (new draft: its GET and its POST, two requests a send)
                rows.append((name, sum(cpu[name]) / len(cpu[name]), statistics.median(cpu[name]), len(cpu[name])))
    return rows


async def load(
    base, campaign, users, duration, think_range, max_requests, timeout, ramp, on_steady=lambda: None, seed=13
) -> Recorder:
    recorder = Recorder()
    rng = random.Random(seed)
    signed_in = 0
    all_in = asyncio.Event()
    stop_at = [float("inf")]

    async def think():
        await asyncio.sleep(rng.uniform(*think_range))

    def done() -> bool:
        return time.perf_counter() >= stop_at[0] or len(recorder.samples) >= max_requests

    async def one(number: int):
        nonlocal signed_in
        async with _client(timeout) as client:
            officer = Officer(client, base, f"load-officer-{number:04d}", recorder)
            # Officers arrive over `ramp` seconds, as a morning does: a sign-in checks the password hash (PBKDF2,
            # about 0.3 s of CPU by design), so 200 at the same instant are a queue of a minute on 2 cores.
            await asyncio.sleep(ramp * (number - 1) / users + rng.uniform(0, think_range[1]))
            try:
                for attempt in range(3):
                    try:
                        await officer.sign_in()
                        await officer.new_draft(campaign, 0)
                        break
                    except _Failed:
                        if attempt == 2:
                            return
                        await think()
            finally:
                signed_in += 1
                if signed_in == users:
                    recorder.steady_from = time.perf_counter()
                    stop_at[0] = recorder.steady_from + duration
                    on_steady()
                    all_in.set()
            round_number = 0
            while not done():
                round_number += 1
                try:
                    if officer.stale:
                        await officer.new_draft(campaign, round_number)
                        officer.stale = False
                    await officer_round(officer, campaign, round_number, think)
                except _Failed:
                    # A failed click (a timeout whose request the server may still have completed, e.g. the
                    # draft sent): the officer starts again after a while, from a new draft.
                    officer.stale = True
                    await think()

    await asyncio.gather(*(one(number) for number in range(1, users + 1)))
    return recorder


def report(recorder: Recorder, single: dict, users: int) -> None:
    steady = [s for s in recorder.samples if s[1] >= recorder.steady_from]
    logins = [s for s in recorder.samples if s[0] in ("login",) or s[1] < recorder.steady_from]
    span = max((s[1] + s[2] for s in steady), default=0) - recorder.steady_from
    errors = [s for s in steady if s[3]]
    print(
        f"steady phase: {users} officers, {len(steady)} requests in {span:.1f} s = {len(steady) / span if span else 0:.1f} "
        f"requests/s, {len(errors)} errors; sign-in phase before it: {len(logins)} requests, "
        f"{sum(1 for s in logins if s[3])} errors"
    )
    print(
        f"{'request':<20} {'n':>6} {'err':>4} {'single ms':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'p95/single':>11}"
    )
    kinds = [k for k in KINDS if any(s[0] == k for s in steady)]
    rows = [(kind, [s for s in steady if s[0] == kind]) for kind in kinds]
    rows.append(("all (steady)", steady))
    rows.append(("sign-in phase", logins))
    for kind, samples in rows:
        ok = [s[2] for s in samples if not s[3]]
        base = single.get(kind)
        if kind == "all (steady)":
            known = [single[k] for k in kinds if k in single]
            base = statistics.median(known) if known else None  # no steady request (every sign-in failed)
        p95 = _pct(ok, 95)
        ratio = f"{p95 / base:>11.1f}" if base else f"{'':>11}"
        print(
            f"{kind:<20} {len(samples):>6} {sum(1 for s in samples if s[3]):>4} "
            f"{(base or float('nan')) * 1000:>10.1f} {_pct(ok, 50) * 1000:>8.1f} {p95 * 1000:>8.1f} "
            f"{_pct(ok, 99) * 1000:>8.1f} {max(ok, default=float('nan')) * 1000:>8.1f}{ratio}"
        )
    kinds_of_errors = defaultdict(int)
    for s in recorder.samples:
        if s[3]:
            kinds_of_errors[(s[0], s[3])] += 1
    for (kind, error), count in sorted(kinds_of_errors.items()):
        print(f"  error: {kind}: {error} × {count}")


def run_load(args) -> int:
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")  # before prepare_database's seed drops it
    if not database_url.startswith("postgres"):
        raise SystemExit(
            "bench/load.py needs DATABASE_URL=postgres://… (the database server to create the run's database on)"
        )
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min), {os.cpu_count()} CPUs")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        # The server's environment (the seed below changes only what it filters out: REDIS_URL, DJANGO_*, and
        # DATABASE_URL, which it sets to the same run's database).
        env = server_environment(load_database_url(database_url, args.suffix), f"{tmp}/static", port, redis_url)
        if args.no_manifest:
            env["STATIC_MANIFEST"] = "false"  # plain static storage: no collectstatic (the smoke test's shortcut)
        # One real Celery worker beside gunicorn, as production runs one (docker-compose's `worker`): the tasks the
        # officers' sends queue run on the same cores, their CPU counted beside gunicorn's. Started first: it
        # imports while the data set is seeded (it reads the database only when a task comes).
        worker_log = Path(tmp) / "worker.log"
        worker = start_worker(env, worker_log, args.worker_concurrency) if redis_url and not args.no_worker else None
        worker_status = None
        tasks: dict = {}
        process = None
        try:
            facts = prepare_database(
                database_url, organizations=args.organizations, users=args.users + 1, reuse=args.reuse,
                suffix=args.suffix,
            )  # fmt: skip
            if not args.no_manifest:
                collectstatic(env)
            log_path = Path(tmp) / "gunicorn.log"
            process = start_gunicorn(env, log_path)
            first = last_outbox_id(facts["database_url"]) if worker else 0  # this run's messages come after it
            wait_until_up(base, process, log_path)
            if worker:
                wait_until_consuming(worker, worker_log)
            if args.server_cpu:
                worker_started = (
                    (tree_run_ns(worker.pid), outbox_counts(facts["database_url"], first)) if worker else None
                )
                time.sleep(1)
                idle = tree_run_ns(process.pid)
                time.sleep(2)
                idle = (tree_run_ns(process.pid) - idle) / 2e6  # ms a second that gunicorn spends doing nothing
                rows = asyncio.run(
                    server_cpu(base, facts["campaign"], f"load-officer-{args.users + 1:04d}", args.repeat,
                               args.timeout, process.pid, args.only)
                )  # fmt: skip
                print(f"gunicorn's CPU a request, one officer alone, {args.repeat} requests a kind (idle: {idle:.2f} ms/s), "
                      f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
                print(f"{'request':<20} {'mean ms':>8} {'median':>8} {'n':>4}")
                for name, mean, median, n in rows:
                    print(f"{name:<20} {mean:>8.1f} {median:>8.1f} {n:>4}")
                if worker:
                    print(worker_summary(*_worker_steady(facts, worker, worker_started, first, args.drain)))
                return 0
            single = asyncio.run(
                baseline(base, facts["campaign"], f"load-officer-{args.users + 1:04d}", args.repeat, args.timeout)
            )
            started = time.perf_counter()
            cpu = {}

            def steady_starts():
                cpu["server"], cpu["client"] = tree_cpu(process.pid), time.process_time()
                if worker:
                    cpu["worker"], tasks["before"] = tree_cpu(worker.pid), outbox_counts(facts["database_url"], first)

            recorder = asyncio.run(
                load(
                    base,
                    facts["campaign"],
                    args.users,
                    args.duration,
                    args.think,
                    args.max_requests,
                    args.timeout,
                    args.ramp if args.ramp is not None else args.users * 0.25,
                    steady_starts,
                )
            )
            elapsed = time.perf_counter() - started
            if cpu:
                cpu["server"] = tree_cpu(process.pid) - cpu["server"]
                cpu["client"] = time.process_time() - cpu["client"]
                if worker:
                    cpu["worker"] = tree_cpu(worker.pid) - cpu["worker"]
                    tasks["after"] = outbox_counts(facts["database_url"], first)
                    # What the steady phase left queued, given time to run: the queue is empty when the run ends.
                    tasks["drained"], tasks["waited"] = wait_for_drain(facts["database_url"], first, args.drain)
        finally:
            if worker and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)  # its warm shutdown (~1–2 s) while gunicorn stops
            if process:
                stop_gunicorn(process)
            if worker:
                worker_status = stop_worker(worker, told=True)
            log = log_path.read_text() if process and log_path.exists() else ""
            worker_text = worker_log.read_text() if worker_log.exists() else ""
        tracebacks = log.count("Traceback")
    print(f"gunicorn: {os.environ.get('GUNICORN_WORKERS', 'conf')} workers × {os.environ.get('GUNICORN_THREADS', 'conf')} threads "
          f"(gunicorn.conf.py unless GUNICORN_* set); tasks: {tasks_mode(redis_url, worker)}; "
          f"run {elapsed:.1f} s; tracebacks in its log: {tracebacks}")  # fmt: skip
    report(recorder, single, args.users)
    steady = [x for x in recorder.samples if x[1] >= recorder.steady_from]
    if cpu and steady:
        print(
            f"CPU in the steady phase: gunicorn {cpu['server']:.1f} s ({cpu['server'] / len(steady) * 1000:.1f} ms a "
            f"request), this load generator {cpu['client']:.2f} s ({cpu['client'] / len(steady) * 1000:.1f} ms a request); "
            "PostgreSQL's share is not counted"
        )
        if worker and "after" in tasks:
            print(worker_report(cpu["server"], cpu["worker"], len(steady), tasks, worker_status, worker_text))
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.keep:
        drop_database(facts)
    return 1 if any(s[3] for s in recorder.samples) else 0


def tasks_mode(redis_url: str, worker) -> str:
    if not redis_url:
        return "in the request (no REDIS_URL)"
    return "Redis broker, one Celery worker" if worker else "Redis broker, no worker (queued, never run)"


def worker_report(server: float, worker: float, requests: int, tasks: dict, status, log: str) -> str:
    """The Celery worker's line: its CPU in the steady phase (master and pool, reaped children counted) a
    request, gunicorn's and its together, the tasks it ran and what the steady phase left queued, and how it
    stopped."""
    before, after, drained = tasks["before"], tasks["after"], tasks["drained"]
    ran = after["done"] + after["failed"] - before["done"] - before["failed"]
    left = after["pending"] + after["running"]
    still = drained["pending"] + drained["running"]
    drain = (
        f"run within {tasks['waited']:.1f} s after it"
        if not still
        else f"{still} still queued {tasks['waited']:.0f} s after it"
    )
    return (
        f"Celery worker in the steady phase: {worker:.1f} s of CPU ({worker / requests * 1000:.1f} ms a request; "
        f"gunicorn and worker {(server + worker) / requests * 1000:.1f} ms a request), {ran} tasks run "
        f"({worker / ran * 1000 if ran else float('nan'):.1f} ms a task), {after['failed'] - before['failed']} failed; "
        f"{left} left queued at its end, {drain}; stopped (exit {status}), tracebacks in its log: {log.count('Traceback')}"
    )  # fmt: skip


def _worker_steady(facts: dict, worker, started: tuple, first: int, drain: float) -> tuple:
    counts, _ = wait_for_drain(facts["database_url"], first, drain)
    ran = counts["done"] + counts["failed"] - started[1]["done"] - started[1]["failed"]
    return (tree_run_ns(worker.pid) - started[0]) / 1e6, ran


def worker_summary(cpu_ms: float, ran: int) -> str:
    return f"Celery worker, the same requests: {ran} tasks run, {cpu_ms / ran if ran else float('nan'):.1f} ms of CPU a task (idle time included)"


# --- profiles -------------------------------------------------------------------------------------------------


def run_profile(args) -> None:
    """cProfile of the officer's three requests (land page, registration list, send) through Django's test client,
    in this process, on the seeded database; prints the query count and the top functions of each."""
    import cProfile
    import pstats

    facts = prepare_database(
        os.environ["DATABASE_URL"], organizations=args.organizations, users=2, reuse=True, suffix=args.suffix
    )
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench import dataset
    from organizations.models import User

    setup_test_environment(debug=False)
    from django.conf import settings

    # The bloc header cache as production has it with Redis (bench/dataset.py runs this process without Redis:
    # its version lives in local memory here, which this one process may trust; a Redis GET is ~0.15 ms more).
    settings.CURRENT_BLOC_CACHE = True
    # Render templates as production does: the test environment's instrumented render sends a signal per template
    # and the test client copies each context for response.context, which inflated the template-heavy pages
    # (the edit form renders ~80 templates) by a third in earlier profiles.
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render
    time_machine.travel(dataset.TODAY, tick=True).start()  # the day the data describes, as the server has it
    officer = User.objects.get(username="load-officer-0001")
    client = Client()
    client.force_login(officer)
    campaign = facts["campaign"]
    base = f"/dan-van-kheo/dot/{campaign}/dang-ky/moi/"
    form = {
        "category": "economy", "name": "", "aims": "Mục tiêu", "content": "Nội dung", "expected_results": "Kết quả",
        "person_in_charge": "Nguyễn Văn An", "start_date": "01/06/2024", "end_date": "30/11/2024",
    }  # fmt: skip
    counter = [0]

    def shown():
        # The page the POST redirects to shows its message and drops the cookie (the load test follows it): without
        # this each save's "Đã lưu" piled up in the cookie, which every later post decoded and encoded again.
        client.cookies.pop("messages", None)

    def send():
        counter[0] += 1
        response = client.post(base, {**form, "name": f"Mô hình hồ sơ {counter[0]}", "action": "submit"})
        assert response.status_code == 302, response.status_code
        shown()

    def send_without_worker():
        # As gunicorn sends: the staff notice's outbox row is handed to the broker (here Celery's in-memory one) after
        # the commit, and a worker elsewhere runs it; "send" above runs it in this request (eager), as without Redis.
        from dukportal.celery import app

        app.conf.task_always_eager = False
        try:
            send()
        finally:
            app.conf.task_always_eager = True

    from models_danvan.models import Registration

    # The officer's own draft, as in the load test (a sent one would answer the edit form with 403).
    draft = client.post(base, {**form, "name": "Mô hình hồ sơ nháp", "action": "save"})
    assert draft.status_code == 302, draft.status_code
    mine = Registration.objects.filter(organization_id=officer.organization_id, status="draft").order_by("-pk").first()

    def save_draft():
        # As the load test's click: the edit form's fields with a fresh one-time token, saved as a draft.
        counter[0] += 1  # a changed field each time, as the load test's rounds: an unchanged draft saves nothing
        fields = {**form, "name": "Mô hình hồ sơ nháp", "aims": f"Mục tiêu (lần {counter[0]})", "action": "save"}
        fields["form_token"] = str(uuid.uuid4())
        response = client.post(f"/dan-van-kheo/dang-ky/{mine.pk}/sua/", fields)
        assert response.status_code == 302, response.status_code
        shown()

    requests = {
        "trivial page": lambda: client.get("/doi-mat-khau/xong/"),
        "land page": lambda: client.get(f"/to-chuc/{officer.organization_id}/"),
        "registration": lambda: client.get(f"/dan-van-kheo/dang-ky/{mine.pk}/"),
        "edit form": lambda: client.get(f"/dan-van-kheo/dang-ky/{mine.pk}/sua/"),
        "registration list": lambda: client.get(f"/dan-van-kheo/dot/{campaign}/dang-ky/"),
        "save draft": save_draft,
        "send": send,
        "send, no worker": send_without_worker,
    }
    summary: list[tuple[str, float, float, int]] = []
    for name, call in requests.items():
        if args.only and name not in args.only:
            continue
        for _ in range(3):
            call()  # warm-up
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            call()
        if args.sql:
            print(f"\n=== {name}: {len(queries)} statements ===")
            for number, sql in enumerate(queries, 1):
                print(f"{number:>3}. {sql[: args.sql]}")
        # Unprofiled: this process's CPU (Django, templates, the driver; PostgreSQL's own work is not in it) and
        # the wall time, per request: the figures to compare before/after (the profiler's overhead is not in them).
        # The best of three batches: the machine is shared, and a batch only gets slower with others' load.
        batches = []
        for _ in range(3):
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            for _ in range(args.repeat):
                call()
            batches.append(
                ((time.process_time() - cpu_started) / args.repeat, (time.perf_counter() - wall_started) / args.repeat)
            )
        cpu, wall = min(batches)
        summary.append((name, cpu, wall, len(queries)))
        # --cpu: the profile counts this process's CPU time, not the wall clock (which counts waits on PostgreSQL).
        profile = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.repeat):
            call()
        profile.disable()
        each = (time.perf_counter() - started) / args.repeat
        print(f"\n=== {name}: {each * 1000:.1f} ms a request (profiled), {len(queries)} queries ===")
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            profile.dump_stats(Path(args.dump) / f"{name.replace(' ', '_')}.pstats")
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.top)
        # The portal's own functions by the time spent in them and what they call.
        stats.sort_stats("cumulative").print_stats(
            r"/(dukportal|organizations|models_danvan|democracy_regs)/", args.top
        )
    print(f"\nunprofiled, {args.repeat} requests each, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'request':<20} {'CPU ms':>8} {'wall ms':>8} {'queries':>8}   (best of 3 batches)")
    for name, cpu, wall, queries in summary:
        print(f"{name:<20} {cpu * 1000:>8.1f} {wall * 1000:>8.1f} {queries:>8}")
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds of the steady phase")
    parser.add_argument("--think", default="1-3", help="seconds between clicks, min-max")
    parser.add_argument("--organizations", type=int, default=74)
    parser.add_argument("--max-requests", type=int, default=60000)
    parser.add_argument("--repeat", type=int, default=15, help="rounds of the single-officer baseline")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--ramp", type=float, help="seconds over which the officers sign in (default users × 0.25)")
    parser.add_argument("--suffix", default="_load", help="the run's database is DATABASE_URL's name + this")
    parser.add_argument("--no-manifest", action="store_true", help="skip collectstatic (static files unhashed)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database for a later --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse the seeded database of an earlier --keep run")
    parser.add_argument("--profile", action="store_true", help="cProfile the officer's requests instead")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", help="with --profile: also write each request's pstats file to this folder")
    parser.add_argument(
        "--only", action="append", help="with --profile or --server-cpu: only this request (repeatable)"
    )
    parser.add_argument("--cpu", action="store_true", help="with --profile: profile CPU time instead of wall time")
    parser.add_argument(
        "--server-cpu",
        action="store_true",
        help="instead of the load: gunicorn's CPU a request by kind, one officer alone (keeps the database)",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="with REDIS_URL: start no Celery worker (tasks stay queued)"
    )
    parser.add_argument(
        "--worker-concurrency", type=int, default=0, help="the worker's pool processes (default: Celery's, the cores)"
    )
    parser.add_argument(
        "--drain", type=float, default=60, help="seconds the worker gets after the steady phase to run what is queued"
    )
    parser.add_argument("--sql", type=int, default=0, help="with --profile: print each statement, cut to this length")
    args = parser.parse_args()
    low, high = (float(x) for x in args.think.split("-"))
    args.think = (low, high)
    if args.profile:
        run_profile(args)
        return 0
    return run_load(args)


if __name__ == "__main__":
    sys.exit(main())

"""Run `python manage.py …`, `python -c …` or `python script.py …` as a new process, forked from a warm one.

The settings tests start the portal in a process of its own, with the environment they give: settings are read
from the environment once, at import. A new interpreter pays 1.5–2 s for that, most of it importing the
libraries (Django, Celery, python-docx, openpyxl…) and, where PYTHONDONTWRITEBYTECODE leaves no .pyc, compiling
the portal's own sources. Here one server process imports those libraries and compiles the portal's sources
once; each command runs in a child forked from it that has imported nothing of the portal: it gets the
environment, working directory and argv given, imports the settings and apps itself and exits as the
interpreter does (waits for its threads, runs the atexit handlers, flushes its output; it skips tearing down
the inherited modules, 0.5 s of CPU), its exit status and output collected as `subprocess.run` gives them. Django's settings are never configured in the server (it has no DJANGO_SETTINGS_MODULE), so no
child inherits another's.

Commands that are about a real program (gunicorn, the load script's server) still start one."""

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The libraries a portal process imports, preloaded by the server; a name that fails to import is skipped.
PRELOAD = (
    "django.core.management",
    "django.core.management.base",
    "django.core.management.commands.check",
    "django.core.management.commands.shell",
    "django.core.checks",
    "django.db.models",
    "django.db.models.sql",
    "django.urls",
    "django.http",
    "django.forms",
    "django.template.loader",
    "django.template.defaulttags",
    "django.template.loader_tags",
    "django.core.serializers.json",
    "django.core.mail",
    "django.core.cache.backends.redis",
    "django.db.backends.postgresql.base",
    "django.db.backends.sqlite3.base",
    "django.db.migrations.executor",
    "django.contrib.admin",
    "django.contrib.auth.hashers",
    "django.contrib.staticfiles.storage",
    "django.views.generic",
    "django.test",
    "celery",
    "celery.app",
    "celery.schedules",
    "celery.utils.nodenames",
    "kombu",
    "kombu.transport.redis",
    "amqp",
    "billiard",
    "vine",
    "redis",
    "redis.asyncio",
    "docx",
    "openpyxl",
    "openpyxl.styles",
    "PIL.Image",
    "lxml.etree",
    "yaml",
    "magic",
    "sqlparse",
    "environ",
    "psycopg2",
    "sentry_sdk",
    "sentry_sdk.integrations.django",
    "sentry_sdk.integrations.celery",
    "csp",
    "python_calamine",
    "brotli",
    "whitenoise",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "storages",
    "storages.backends.s3",
    "boto3",
    "time_machine",
)
# The portal's own packages, compiled once by the server (their sources are compared before a code is reused).
SOURCES = ("dukportal", "reports", "organizations", "indicators", "models_danvan", "democracy_regs", "bench")
SOURCES_OF_TESTS = ("__init__.py", "settings.py", "throwaway_kind")  # what tests.settings loads


def run(args, *, env, cwd=ROOT, timeout=120) -> subprocess.CompletedProcess:
    """As `subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
    timeout=timeout)`; args start with a script path or "-c"."""
    with _lock:
        global _server
        if _server is None or _server.poll() is not None:
            _server = _start()
        with tempfile.TemporaryDirectory(prefix="forked-") as tmp:
            request = {"args": list(args), "env": dict(env), "cwd": str(cwd), "out": f"{tmp}/out", "err": f"{tmp}/err"}
            os.write(_server.stdin.fileno(), json.dumps(request).encode() + b"\n")
            pid = _reply(_server, 30)["pid"]
            try:
                reply = _reply(_server, timeout)
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                _reply(_server, 30)
                raise subprocess.TimeoutExpired([sys.executable, *args], timeout) from None
            stdout, stderr = (Path(tmp, name).read_text(errors="replace") for name in ("out", "err"))
    result = subprocess.CompletedProcess([sys.executable, *args], reply["returncode"], stdout, stderr)
    result.cpu_seconds = reply["cpu"]
    return result


_lock = threading.Lock()
_server: subprocess.Popen | None = None


def _start() -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's, for as long as it runs
    server = subprocess.Popen(
        [sys.executable, __file__], cwd=ROOT, env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log
    )
    server.log = log
    server.buffer = b""
    _reply(server, 120)  # ready
    atexit.register(_stop, server)
    return server


def _stop(server):
    server.stdin.close()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def _reply(server, timeout) -> dict:
    """The server's next line, as JSON."""
    fd = server.stdout.fileno()
    while b"\n" not in server.buffer:
        if not select.select([fd], [], [], timeout)[0]:
            raise TimeoutError
        chunk = os.read(fd, 65536)
        if not chunk:
            server.log.seek(0)
            raise RuntimeError("the fork server stopped:\n" + server.log.read().decode(errors="replace"))
        server.buffer += chunk
    line, server.buffer = server.buffer.split(b"\n", 1)
    return json.loads(line)


# The server: runs as a script, reads one request a line on stdin, answers on stdout.


def _serve():
    import gc
    import importlib
    from importlib.machinery import SourceFileLoader

    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # a stray print of a library goes to the log, not into the replies
    del sys.path[0]  # this file's folder: a child sets its own first entry

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - only a head start; the child imports what it needs
            continue
    codes = {}
    paths = [path for package in SOURCES for path in (ROOT / package).rglob("*.py")]
    for name in SOURCES_OF_TESTS:
        paths += [ROOT / "tests" / name] if name.endswith(".py") else (ROOT / "tests" / name).rglob("*.py")
    for path in paths:
        source = path.read_bytes()
        codes[str(path)] = (source, compile(source, str(path), "exec", dont_inherit=True))
    source_to_code = SourceFileLoader.source_to_code

    def cached_source_to_code(self, data, path, *, _optimize=-1):
        source, code = codes.get(path, (None, None))
        if source == data and _optimize == -1:
            return code
        return source_to_code(self, data, path, _optimize=_optimize)

    SourceFileLoader.source_to_code = cached_source_to_code

    def answer(reply):
        os.write(replies, json.dumps(reply).encode() + b"\n")

    gc.freeze()  # a child's collections leave the server's objects alone (no copy of their pages)
    answer({"ready": True})
    pending = b""
    while True:
        while b"\n" not in pending:
            chunk = os.read(requests, 65536)
            if not chunk:
                return
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(requests)
            os.close(replies)
            _child(request)  # never returns
        answer({"pid": pid})
        _, status, usage = os.wait4(pid, 0)
        answer({"returncode": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime})


def _child(request):
    import runpy

    for fd, name in ((1, "out"), (2, "err")):
        os.dup2(os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - for the life of the process
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    try:
        _run_as_main(request["args"])
        code = 0
    except SystemExit as exit:
        code = exit.code
    except BaseException:
        kind, error, traceback = sys.exc_info()
        while traceback and traceback.tb_frame.f_code.co_filename in (__file__, runpy.__file__):
            traceback = traceback.tb_next  # the frames a new interpreter would not have
        sys.excepthook(kind, error.with_traceback(traceback), traceback)
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    # What the interpreter does at exit, without tearing down the modules inherited from the server.
    threading._shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code & 0xFF)


def _run_as_main(args):
    import runpy
    import types

    if args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        sys.path.insert(0, "")
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        exec(compile(args[1], "<string>", "exec"), main.__dict__)  # noqa: S102 - what `python -c` does
    else:
        script = os.path.abspath(args[0])
        sys.argv = list(args)
        sys.path.insert(0, os.path.dirname(os.path.realpath(script)))
        runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    _serve()

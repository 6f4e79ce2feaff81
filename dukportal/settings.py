"""Settings for DUK Portal, all from the environment.

With nothing set the portal runs for a newcomer: SQLite file, Celery eager, e-mail to the console, DEBUG on.
DATABASE_URL selects PostgreSQL, REDIS_URL a real Celery broker and a Redis cache.
With DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be given and HTTPS-only cookies and HSTS are on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from dukportal.core import logging as portal_logging

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY or not ALLOWED_HOSTS:
        raise ImproperlyConfigured("SECRET_KEY và ALLOWED_HOSTS là bắt buộc khi DEBUG tắt.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "dukportal.core",
    "dukportal.submissions",
    "dukportal.notifications",
    "dukportal.dashboard",
    "organizations",
    "models_danvan",
    "democracy_regs",
    "indicators",
    "reports",
    "csp",  # Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
]

MIDDLEWARE = [
    "dukportal.core.logging.RequestIdMiddleware",  # first: every later log line carries the request id
    "dukportal.core.health.HealthCheckMiddleware",  # before the host check and https redirect (see health.py)
    # Before anything that reads the body (WhiteNoise, sessions, the multipart parser): refuse an over-cap one.
    "dukportal.core.middleware.RequestSizeLimitMiddleware",
    "dukportal.core.middleware.ControlCharacterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dukportal.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dukportal.core.middleware.CSPMiddleware",  # django-csp's, its default policy built once per process
]

ROOT_URLCONF = "dukportal.urls"
WSGI_APPLICATION = "dukportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL (`DATABASE_URL= manage.py …`) means unset, as an empty REDIS_URL does.
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keep a worker's connection between requests (opening one costs 8–10 ms a page); checked before reuse, so
    # a connection dropped by a database restart is replaced instead of failing the request. 0 closes it after
    # each request, as Django's default.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    # No JIT compilation unless asked (POSTGRES_JIT=1): the tracking page's and the matrix's aggregates (one
    # UNION ALL part per deadline, with the timeline's subqueries) are estimated above PostgreSQL's
    # jit_above_cost, and compiling one took 1.3–3.6 s for 40–90 ms of execution at 1,000 organisations
    # (bench/README.md, "Statistics and cache", branch trackdash). No query of the portal runs long enough to pay.
    if not env.bool("POSTGRES_JIT", default=False):
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's validators with Vietnamese messages of our own (its catalogue leaves some in English).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "organizations.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "organizations.password_validation.MinimumLengthValidator"},
    {"NAME": "organizations.password_validation.CommonPasswordValidator"},
    {"NAME": "organizations.password_validation.NumericPasswordValidator"},
]

# Vietnamese everywhere; dates dd/mm/yyyy through our own format module.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dukportal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))  # the image fills it at build
STATICFILES_DIRS = [BASE_DIR / "static"]
# Manifest storage needs collectstatic; keep plain storage for local runs and tests.
_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env.bool("STATIC_MANIFEST", default=not DEBUG)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# Uploaded files live outside the public static path and have no public URL: a view checks access first.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
# Media on S3-compatible object storage (AWS, MinIO, Viettel/FPT object storage…) when a bucket is named: objects
# private, no public URL, overwrite never (an issue's file name is not unique until the number is taken); the
# permission-checked views stream them through Django as before.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=10) * 1024 * 1024

# A draft's PDF or Word download is rendered in the request up to this size (paragraphs + table rows,
# OfficialDocument.size_estimate); a longer one becomes a render job with progress (issue 12: nothing over ~2 s
# in a request). About 100 ms per PDF page and ~10 units a page: 250 units ≈ 25 pages ≈ 2 s; python-docx writes
# ~6,000 table rows a second.
DOCUMENT_INLINE_RENDER_MAX_SIZE = {
    "pdf": env.int("DOCUMENT_INLINE_PDF_MAX_SIZE", default=250),
    "docx": env.int("DOCUMENT_INLINE_DOCX_MAX_SIZE", default=4000),
}
# One request's whole body: an upload plus its form fields. Larger is refused with 413 before the body is read
# (dukportal.core.middleware.RequestSizeLimitMiddleware); the proxy in front has the same cap (README,
# "Request body size": nginx client_max_body_size 11m for the default 10 MB).
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
# Form fields without files may use the whole request (a long document edited in the browser).
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
# An uploaded file above this goes to a temporary file rather than memory; at most REQUEST_MAX_BYTES does.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

REDIS_URL = env.str("REDIS_URL", default="")


def _redis_db(url: str, offset: int) -> str:
    """The same Redis server, database number + offset: the broker's queues and the cache never share a
    database, so cache.clear() cannot delete queued work."""
    base, _sep, db = url.rstrip("/").rpartition("/")
    if not db.isdigit():  # no database number in the URL: db 0
        base, db = url.rstrip("/"), "0"
    return f"{base}/{int(db) + offset}"


# Two installations can share one Redis server: each has its own key prefix and queue names.
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="dukportal")
CACHE_URL = env.str("CACHE_URL", default=_redis_db(REDIS_URL, 1) if REDIS_URL else "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's Redis cache with its redis-py client built once per pool, not per call (dukportal/core/cache.py).
            "BACKEND": "dukportal.core.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX}}
# Seconds a dashboard, statistics, tracking or matrix figure stays cached (dukportal/core/figures_cache.py; any
# service write makes the next read fresh whatever this is). 0: no caching — the default without a shared
# cache: a local-memory cache is per process, and a write in one gunicorn worker would not reach the others.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=3600 if CACHE_URL else 0)
# The bloc's names in every page's header kept per process, checked against a version in the shared cache on each
# page (organizations/bloc_cache.py). Off without a shared cache, for the same reason as above.
CURRENT_BLOC_CACHE = env.bool("CURRENT_BLOC_CACHE", default=bool(CACHE_URL))

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or "memory://localhost/"  # eager: never used
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="dukportal")
# Fail fast when Redis is down so a user's request never hangs on the broker. Every broker key (queues,
# unacknowledged messages) carries the queue name as prefix, so two installations keep apart.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "global_keyprefix": f"{CELERY_TASK_DEFAULT_QUEUE}:",
}
# Every task has limits (each task also sets its own); a stuck task is killed and its outbox row retried.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=840)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# With acks_late a worker holds one message at a time: a long export does not sit on others' messages.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {}

# /health/ (dukportal/core/health.py): beat queues the heartbeat every minute, the worker stamps it.
HEALTH_WORKER_STALE_MINUTES = env.int("HEALTH_WORKER_STALE_MINUTES", default=5)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {"task": "core.worker_heartbeat", "schedule": 60.0}

# Deadline reminders (dukportal.notifications): each organisation still owing is reminded these many days
# before the due date, on the due date, and sent a late notice these many days after it.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[7, 1])
REMINDER_DAYS_AFTER = env.list("REMINDER_DAYS_AFTER", cast=int, default=[1, 7, 14])
_reminder_hour, _reminder_minute = (int(part) for part in env.str("REMINDER_TIME", default="07:00").split(":"))
CELERY_BEAT_SCHEDULE["deadline-reminders-daily"] = {
    "task": "notifications.send_due_reminders",
    "schedule": crontab(hour=_reminder_hour, minute=_reminder_minute),  # in CELERY_TIMEZONE (Asia/Ho_Chi_Minh)
}
# Absolute links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Axes first: it refuses a locked-out sign-in before any password is checked. The second loads the user with
# the bell's unread count in the same query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "dukportal.notifications.auth.UnreadCountBackend"]

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ban Tuyên giáo Đảng ủy Khối <no-reply@localhost>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Django's database sessions, the per-request read prepared and the signature checked once per process
# (dukportal/core/sessions.py).
SESSION_ENGINE = "dukportal.core.sessions"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

# One format for Django, gunicorn (gunicorn.conf.py) and Celery (dukportal/celery.py): Asia/Ho_Chi_Minh time with
# its offset, level, logger, request id; LOG_FORMAT=json for one JSON object a line (dukportal/core/logging.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = portal_logging.logging_config(level=env.str("LOG_LEVEL", default="INFO"), fmt=LOG_FORMAT)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting: only when SENTRY_DSN is set; no personal data is sent (send_default_pii off).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    portal_logging.init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production" if not DEBUG else "development"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Sign-in lockout (django-axes): 5 wrong passwords for one account from one client lock that pair for 15 minutes,
# counted from the lockout (further tries do not extend it). Staff unlock in the data admin (deleting the
# "Lần đăng nhập sai" row, core.SignInLockout, is audited) or with `manage.py axes_reset_username <tên đăng nhập>`.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: it turns the lockout flag into the lockout page
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "organizations.auth_views.lockout"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins and sign-outs are in our own audit log
AXES_ENABLE_ADMIN = False  # dukportal.core.admin shows the attempts in Vietnamese, with auditing
# The client address is REMOTE_ADDR unless the portal sits behind a known number of proxies that set
# X-Forwarded-For; otherwise any client could pick its own address and escape the lockout.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Password reset e-mails asked for, per address and per client, in an hour from the first request (cache counters).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)
PASSWORD_RESET_WINDOW_SECONDS = 3600
# A Vietnamese page when a form's CSRF token is missing or stale.
CSRF_FAILURE_VIEW = "dukportal.core.views.csrf_failure"
# The outbox (dukportal.core.outbox): background work is written with the change that asks for it, retried
# with doubling waits, and put back by the sweeper when a worker died holding it for longer than the lease.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_BACKOFF = env.int("OUTBOX_RETRY_BACKOFF", default=10)  # seconds before the 2nd attempt, then doubled
OUTBOX_RETRY_BACKOFF_MAX = env.int("OUTBOX_RETRY_BACKOFF_MAX", default=600)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
CELERY_BEAT_SCHEDULE["outbox-relay"] = {"task": "core.outbox_relay", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {"task": "core.outbox_sweep", "schedule": 300.0}

# With DEBUG off, a missing database or broker is a mistake, not a reason to fall back to SQLite and in-process
# tasks, unless single-process mode is said to be intended.
SINGLE_PROCESS = env.bool("SINGLE_PROCESS", default=False)
if (
    not DEBUG
    and not SINGLE_PROCESS
    and not (env.str("DATABASE_URL", default="") and (REDIS_URL or env.str("CELERY_BROKER_URL", default="")))
):
    raise ImproperlyConfigured(
        "DATABASE_URL và REDIS_URL là bắt buộc khi DEBUG tắt (nếu cố ý chạy một tiến trình với SQLite và "
        "tác vụ chạy ngay trong tiến trình web, đặt SINGLE_PROCESS=true)."
    )
# X-Forwarded-Proto decides whether a request counts as HTTPS (secure cookies, the https redirect, CSRF's
# origin check). Any client can send the header, so it is believed only when TRUST_PROXY_HEADERS says the
# portal is reachable solely through a proxy that overwrites it (README, "Configuration").
TRUST_PROXY_HEADERS = env.bool("TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4: one CONTENT_SECURITY_POLICY dict). Everything is served from 'self':
# Bootstrap, Chart.js and htmx are vendored, and page scripts are static files (static/js/), so no script
# runs inline; a template that needs one gives it nonce="{{ request.csp_nonce }}".
# - style-src has no 'unsafe-inline': htmx's injected indicator <style> is turned off (htmx-config meta in
#   base.html, its rules are in portal.css) and the document preview's <style> carries the nonce.
# - style-src-attr 'unsafe-inline': progress bars and a few layout tweaks use style="width: 40%" attributes
#   whose values the server computes; an attribute cannot load or run anything, and moving each width into
#   JS would draw the bars empty until it ran.
# - img-src data:: Bootstrap's CSS draws its icons (select arrow, close button, toggler) as data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

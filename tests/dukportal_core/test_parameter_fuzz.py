"""Every page that takes query parameters survives hostile values: never a 500, but 400 (control characters) or
the page with a message (a bad date, a number out of range, an unknown choice, a very long search).

The pages are found as users find them: on the demo bloc, as staff, leader and officer, starting from every
URL of the URLconf that needs no argument and following the links each page shows (one page per URL name and
role). The parameters fuzzed on a page are those its GET forms and its links use, plus the names the views read.
"""

from datetime import datetime
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from organizations.models import User

# The figures cache on (tests/conftest.py figures_cache_off): every view parses its parameters before it looks up a
# figure, and the key holds what it parsed (or the raw value it passes on), so a figure is computed afresh for every
# new parsed input; a hit is a figure already computed from the same input (most hostile values fall back to the
# default figures, which the crawl computed). The cache is cleared before each role, which computes its own.
pytestmark = pytest.mark.figures_cache

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# Names the views read from request.GET (grep "request.GET"), fuzzed on every page whatever its forms show.
READ_BY_VIEWS = ["q", "ngay", "page", "status", "nam", "khoi", "kind", "loai", "period", "sector", "category"]
READ_BY_VIEWS += ["doc_type", "format", "deadline", "campaign", "cycle"]

CONTROL_VALUES = ["\x00", "Hà\x00Nội", "\x1b[2J", "\x08"]
HOSTILE_VALUES = [
    "' OR '1'='1' --%00",
    "<script>alert(1)</script>",
    "Đảng bộ " * 700,  # ~5,600 characters
    "31/02/2024",
    "01/01/0001",
    "31/12/9999",
    "-1",
    "99999999999999999999",
    "２０２４",  # full-width digits: int() takes them
]
# A download (Excel) reads its parameters through the same helpers as its page; three values cover the kinds.
DOWNLOAD_VALUES = ["01/01/0001", "99999999999999999999", "<script>alert(1)</script>"]
# Links not to follow: they change state on GET, leave the session, or are other sites'.
NOT_FOLLOWED = {"logout"}
# GET URLs with arguments that no page links to (they need a token from an e-mail).
UNREACHABLE = {"password_reset_confirm"}
# GET views the demo has nothing for: it issues no document and runs no export, stores no attachment file, and
# the demo officer has already sent its plan and report (their "create" pages take no query parameter).
NOT_IN_DEMO = {
    # The demo officer keeps no draft or returned periodic report (all of its reports were sent and accepted).
    "indicators:report_edit",
    "reports:document",
    "reports:document_download",
    "reports:document_edit",
    "reports:document_preview",
    "reports:document_tables_xlsx",
    # Reached from an issued document (its page, the inbox's rows): the demo issues none. Its inbox is fuzzed.
    "reports:document_requests",
    "reports:inbox_document",
    "reports:inbox_download",
    # An organisation's reply to a request of an issued dispatch (none in the demo).
    "reports:reply_create",
    "reports:reply",
    "reports:reply_edit",
    "reports:export_job",
    "reports:export_download",
    "submissions:attachment",
    "democracy_regs:plan_create",
    "democracy_regs:report_create",
    # The demo has no "Không phát sinh" answer, and its self-inspection deadline is met or past for everyone.
    "submissions:nil_return",
    "submissions:nil_return_create",
}


class PageLinks(HTMLParser):
    """The links of a page, and the field names of its GET forms."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.form_fields: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form and attrs.get("name"):
            self.form_fields.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _get_patterns(resolver=None, namespace=""):
    """(name, pattern) of every URL in the URLconf outside the data admin."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _get_patterns(entry, f"{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo bloc seeded once for the module, rolled back after it (each test nests in the transaction)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True), time_machine.travel(NOW, tick=False):
            call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _client_for(username: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not the end of the run
    client.force_login(User.objects.get(username=username))
    return client


def _crawl(client: Client, reached: set[str]) -> dict[str, tuple[str, set[str], str]]:
    """One page per URL name this client may open (200): {url name: (path, parameter names)}. Pages it may not
    open (403, 404, 405, a redirect) are not fuzzed: they answer before reading any parameter."""
    queue = []
    for name, _pattern in _get_patterns():
        try:
            queue.append(reverse(name))
        except NoReverseMatch:
            continue  # needs an argument: found through the links
    pages: dict[str, tuple[str, set[str], str]] = {}
    seen: set[str] = set()  # URL names requested, whatever the answer (a redirect, 403…)
    while queue:
        path = queue.pop(0)
        name = _url_name(urlsplit(path).path)
        if name is None or name in seen or name in NOT_FOLLOWED:
            continue
        response = client.get(path)
        assert response.status_code < 500, f"{path}: {response.status_code} before any fuzzing"
        seen.add(name)
        if response.status_code != 200:
            continue
        params = {key for key, _ in parse_qsl(urlsplit(path).query)}
        is_html = "text/html" in response.get("Content-Type", "")
        pages[name] = (urlsplit(path).path, params, "page" if is_html else "download")
        if not is_html:
            continue
        parser = PageLinks()
        parser.feed(response.content.decode())
        params |= parser.form_fields
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/quan-tri/"):
                continue
            linked = _url_name(parts.path)
            if linked == name:
                params |= {key for key, _ in parse_qsl(parts.query)}
            elif linked and linked not in seen:
                queue.append(href)
    reached |= seen
    return pages


def _fuzz(client: Client, pages: dict[str, tuple[str, set[str], str]], who: str) -> tuple[list[str], int]:
    failures, sent = [], 0
    for index, (name, (path, seen_params, kind)) in enumerate(sorted(pages.items())):
        names = sorted(seen_params | set(READ_BY_VIEWS))
        # Each request sets every parameter, each to a different hostile value, so that every parameter meets
        # every value in len(values) requests per page.
        values = DOWNLOAD_VALUES if kind == "download" else HOSTILE_VALUES
        for shift in range(len(values)):
            query = {key: values[(i + shift) % len(values)] for i, key in enumerate(names)}
            response = client.get(path, query)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{who} {name} {path}?{urlencode(query)[:300]} → {response.status_code}")
        # The guard is a middleware that runs before any view, the same code whatever the page: one request a
        # page proves it is in front of this page; the values and keys turn from page to page, so that each
        # value meets both a page's own parameter and "q" (all values on one page: test_request_guard.py).
        value = CONTROL_VALUES[index % len(CONTROL_VALUES)]
        key = [names[0], "q"][index // len(CONTROL_VALUES) % 2]
        response = client.get(path, {key: value})
        sent += 1
        if response.status_code != 400:
            failures.append(f"{who} {name} {path} {key}={value!r} → {response.status_code}, not 400")
    return failures, sent


@pytest.mark.django_db
def test_every_filter_and_search_page_survives_hostile_parameters(demo, frozen):
    """No 500 anywhere; control characters get 400; every page was reached by some role."""
    reached: set[str] = set()
    failures: list[str] = []
    sent = 0
    staff_pages: set[str] = set()
    for who, username in [("staff", "bantuyengiao"), ("leader", "lanhdao"), ("officer", "coso001")]:
        cache.clear()
        client = _client_for(username)
        pages = _crawl(client, reached)
        if who == "staff":
            staff_pages = set(pages)
        elif who == "leader":
            # The leader reads the staff's pages through the same code; fuzz what is his own.
            pages = {name: page for name, page in pages.items() if name not in staff_pages}
        found, count = _fuzz(client, pages, who)
        failures += found
        sent += count
    get_names = {
        name
        for name, pattern in _get_patterns()
        if "get" in getattr(getattr(pattern.callback, "view_class", None), "http_method_names", ["get"])
        and hasattr(getattr(pattern.callback, "view_class", None), "get")
    }
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
    missing = get_names - reached - UNREACHABLE - NOT_FOLLOWED - NOT_IN_DEMO
    assert not missing, f"GET views no role reached: {sorted(missing)}"


@pytest.mark.django_db
def test_a_bad_reference_date_shows_the_page_with_a_vietnamese_message(demo, frozen):
    client = _client_for("bantuyengiao")
    for path in ["/theo-doi-han-nop/", "/theo-doi-han-nop/ma-tran/", "/tong-quan/", "/to-chuc/"]:
        for value in ["31/02/2024", "abc", "<script>"]:
            response = client.get(path, {"ngay": value})
            assert response.status_code == 200, path
            page = response.content.decode()
            assert "Ngày không hợp lệ" in page, path
            assert "<script>" not in page, path  # what was typed is shown escaped

"""Every page that takes query parameters survives hostile values: never a 500, but 400 (control characters) or
the page with a message (a bad date, a number out of range, an unknown choice, a very long search).

The pages are found as users find them: on the demo bloc, as staff, leader and officer, starting from every
URL of the URLconf that needs no argument and following the links each page shows (one page per URL name and
role). The parameters fuzzed on a page are those its GET forms and its links use, plus the names the views read.
A page whose code reads nothing of the query string (QueryReads) is sent one hostile request, not one per value.
"""

from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.test import Client, RequestFactory, override_settings
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from lxml import etree
from lxml import html as lxml_html

from organizations.models import User
from tests import demo_database

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


class QueryReads:
    """Whether a page's own code (its view, the templates it renders, their context processors and tags) read
    anything of the query string: any use of request.GET, or of META's QUERY_STRING (request.get_full_path()).

    A page that read none of it on a request carrying every fuzzed parameter cannot answer another request
    differently for other values: its code never saw them. What did see them (Django's parsing of the query
    string, the middleware, the response's way out) is the same code on every page, and meets every value on
    the pages that do read the query string. Such a page is sent one hostile request, not one per value
    (the middleware's control-character guard is still proved on it: `_fuzz`)."""

    # Installed last, so that only what runs inside the view call (rendering included: Django renders a
    # TemplateResponse before handing it back through the middleware) is recorded.
    path = f"{__name__}.QueryReads"
    recording = False  # only while the view runs
    read = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        QueryReads.read = False
        request.headers  # noqa: B018 — built from META once (cached), never from the query string
        request.GET = _RecordingQueryDict.of(request.GET)
        request.META = _RecordingMeta(request.META)
        QueryReads.recording = True
        try:
            return self.get_response(request)
        finally:
            QueryReads.recording = False


def _note_read() -> None:
    if QueryReads.recording:
        QueryReads.read = True


class _RecordingQueryDict(QueryDict):
    """request.GET noting any use of it: every attribute and the operators that bypass __getattribute__."""

    @classmethod
    def of(cls, query: QueryDict) -> "_RecordingQueryDict":
        recording = query.copy()
        recording._mutable = False
        recording.__class__ = cls
        return recording

    def __getattribute__(self, name):
        if name != "__class__":
            _note_read()
        return super().__getattribute__(name)

    def __getitem__(self, key):
        _note_read()
        return super().__getitem__(key)

    def __contains__(self, key):
        _note_read()
        return super().__contains__(key)

    def __iter__(self):
        _note_read()
        return super().__iter__()

    def __len__(self):  # bool(request.GET) too
        _note_read()
        return super().__len__()

    def __eq__(self, other):
        _note_read()
        return super().__eq__(other)

    __hash__ = None

    def __repr__(self):
        _note_read()
        return super().__repr__()

    def __copy__(self):
        _note_read()
        return super().__copy__()

    def __deepcopy__(self, memo):
        _note_read()
        return super().__deepcopy__(memo)

    def __reduce_ex__(self, protocol):
        _note_read()
        return super().__reduce_ex__(protocol)


class _RecordingMeta(dict):
    """request.META noting a read of QUERY_STRING, or any use of the whole of it (copied, iterated)."""

    def __getitem__(self, key):
        if key == "QUERY_STRING":
            _note_read()
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "QUERY_STRING":
            _note_read()
        return super().get(key, default)

    def __contains__(self, key):
        if key == "QUERY_STRING":
            _note_read()
        return super().__contains__(key)

    def __iter__(self):
        _note_read()
        return super().__iter__()

    def items(self):
        _note_read()
        return super().items()

    def values(self):
        _note_read()
        return super().values()

    def copy(self):
        _note_read()
        return super().copy()


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


def page_links(html: str) -> tuple[list[str], set[str]]:
    """PageLinks' links and GET form field names, read with lxml's C parser (Python's html.parser was a third of
    the crawl's parsing CPU): the same as PageLinks on the pages (test_page_links_reads_what_html_parser_reads).
    As PageLinks, a field counts when it comes after a GET form's start and before its end in the text, so
    fields left outside the form element by the markup's repair are still found by position."""
    links: list[str] = []
    fields: set[str] = set()
    if not html.strip():
        return links, fields
    in_get_form = False
    for event, element in etree.iterwalk(lxml_html.document_fromstring(html), events=("start", "end")):
        tag = element.tag
        if event == "end":
            if tag == "form":
                in_get_form = False
            continue
        if tag == "a" and element.get("href"):
            links.append(element.get("href"))
        elif tag == "form":
            in_get_form = (element.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and in_get_form and element.get("name"):
            fields.add(element.get("name"))
    return links, fields


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
    """The demo bloc seeded once for the module, rolled back after it (each test nests in the transaction);
    copied from the demo kept for these sources where there is one (tests/demo_database.py)."""
    with demo_database.seeded_once(django_db_blocker, NOW):
        yield


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
        html = response.content.decode()
        links, fields = page_links(html)
        params |= fields
        for href in links:
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


def _fuzz(
    client: Client, pages: dict[str, tuple[str, set[str], str]], who: str, blind: set[str]
) -> tuple[list[str], int]:
    """Fuzz the pages; the names of those whose code read nothing of the query string go into `blind`."""
    failures, sent = [], 0
    for index, (name, (path, seen_params, kind)) in enumerate(sorted(pages.items())):
        names = sorted(seen_params | set(READ_BY_VIEWS))
        # Each request sets every parameter, each to a different hostile value, so that every parameter meets
        # every value in len(values) requests per page; unless the first request shows that the page's code does
        # not read the query string at all (QueryReads: the other values would take the same path).
        values = DOWNLOAD_VALUES if kind == "download" else HOSTILE_VALUES
        for shift in range(len(values)):
            query = {key: values[(i + shift) % len(values)] for i, key in enumerate(names)}
            response = client.get(path, query)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{who} {name} {path}?{urlencode(query)[:300]} → {response.status_code}")
            if shift == 0 and not QueryReads.read:
                blind.add(name)
                break
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
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, QueryReads.path]):
        _fuzz_every_role()


def _fuzz_every_role():
    reached: set[str] = set()
    blind: set[str] = set()
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
        found, count = _fuzz(client, pages, who, blind)
        failures += found
        sent += count
    get_names = {
        name
        for name, pattern in _get_patterns()
        if "get" in getattr(getattr(pattern.callback, "view_class", None), "http_method_names", ["get"])
        and hasattr(getattr(pattern.callback, "view_class", None), "get")
    }
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
    # The recorder sees the readers (else every page would be sent one request and the fuzz would prove little):
    # these pages read their filters through a form, a helper and request.GET.get.
    assert not blind & {"organizations:list", "notifications:tracking", "dashboard:index"}, sorted(blind)
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


# Markup the pages hold: links with and without href, GET and POST forms (the method in capitals, or none),
# fields of every kind, a form the parser's repair closes early (inside a table), a field after a form.
PAGE_LINKS_SAMPLES = [
    '<a href="/to-chuc/?q=x&amp;page=2">Trang 2</a><a name="top">Đầu</a><a href="">Rỗng</a>'
    '<form method="GET"><input name="q"><select name="khoi"><option>1</option></select><textarea name="ghi">'
    '</textarea><input type="submit"></form><form method="post"><input name="csrfmiddlewaretoken"></form>'
    '<input name="ngoai">',
    '<table><tr><form><td><input name="ngay"></td><td><a href="/theo-doi-han-nop/">Theo dõi</a></td></form>'
    '</tr></table><form><input name="nam"><form method="post"><input name="sau"></form>',
    "",
]


def test_page_links_reads_what_html_parser_reads():
    """page_links (lxml) finds what PageLinks (html.parser) finds; the two agreed on every page of the crawl
    when the fuzz moved to lxml."""
    for html in PAGE_LINKS_SAMPLES:
        parser = PageLinks()
        parser.feed(html)
        assert page_links(html) == (parser.links, parser.form_fields), html
    assert page_links(PAGE_LINKS_SAMPLES[0]) == (["/to-chuc/?q=x&page=2"], {"q", "khoi", "ghi"})


def _answer_of(view) -> bool:
    """Whether QueryReads saw `view` read the query string of a request carrying a parameter."""
    QueryReads(view)(RequestFactory().get("/", {"q": "x"}))
    return QueryReads.read


def test_the_query_string_recorder_sees_every_way_of_reading_it():
    """The fuzz sends one request to a page whose code read nothing: every way of reading must be seen."""

    def view_that(read):
        def view(request):
            read(request)
            return HttpResponse()

        return view

    assert not _answer_of(
        view_that(lambda request: (request.path, request.method, request.headers.get("Accept"), request.get_host()))
    )
    for read in [
        lambda request: request.GET.get("q"),
        lambda request: request.GET["q"],
        lambda request: "q" in request.GET,
        lambda request: bool(request.GET),
        lambda request: list(request.GET),
        lambda request: dict(request.GET),
        lambda request: request.GET.copy(),
        lambda request: request.GET.urlencode(),
        lambda request: request.get_full_path(),
        lambda request: request.build_absolute_uri(),
        lambda request: request.META["QUERY_STRING"],
        lambda request: dict(request.META),
    ]:
        assert _answer_of(view_that(read)), read

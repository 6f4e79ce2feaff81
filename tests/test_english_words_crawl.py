"""Everything a Vietnamese user reads is Vietnamese: a crawl of every page as each role (and of the data admin as
a superuser and as staff) fails on common English interface words in the visible text."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse
from lxml import html as lxml_html

from tests import crawl as crawl_module
from tests.crawl import build_portal, crawl, known_urls
from tests.factories import BlocFactory

pytestmark = pytest.mark.django_db

# Capitalised interface words as Django, Bootstrap widgets and English templates print them (case-sensitive, whole
# words; none of them is a Vietnamese word). Loanwords Vietnamese offices use as they are (Email, Excel, PDF,
# menu) are not listed.
WORDS = [
    "Save", "Delete", "Add", "Change", "Changed", "History", "Search", "Filter", "Filters", "Home", "Password",
    "Username", "Action", "Actions", "Go", "Yes", "No", "Cancel", "Select", "Submit", "Edit", "View", "Close",
    "Next", "Previous", "Page", "Show", "Hide", "Details", "Name", "Status", "Date", "Error", "Required",
    "Welcome", "Login", "Logout", "Log", "Clear", "Toggle", "Theme", "Skip", "Today", "Now", "Choose", "Remove",
    "Upload", "Download", "Export", "Import", "Back", "Continue", "Confirm", "Reset", "Help", "Settings",
    "Profile", "User", "Users", "Groups", "Group", "Permissions", "Permission", "Sort", "Ascending", "Descending",
    "All", "None", "Unknown", "Total", "Loading", "Recent", "Documentation", "Administration", "Site",
    "Authentication", "Authorization", "Staff", "Superuser", "Active", "Inactive", "Created", "Updated",
    "Modified", "Object", "Objects", "Selected", "Run", "First", "Last", "Calendar", "Midnight", "Noon", "Morning",
    "Evening", "Clock", "Time", "Note", "Notes", "Warning", "Success", "Info", "Sorting", "Expand", "Collapse",
    "Navigation", "Sidebar", "Main", "Content", "Start", "Enter", "Please", "Sorry", "Forbidden", "Found",
    "Server", "Unknown", "Empty", "Results", "Result", "Hour", "Minute",
]  # fmt: skip
# Lower-case phrases that only English text contains.
PHRASES = [
    "log out", "view site", "and continue editing", "add another", "change password", "recent actions",
    "my actions", "select all", "clear selection", "show all", "none available", "this field", "is required",
    "are you sure", "not found", "of ", " the ", " and ", " or ", " to ", "you ",
]  # fmt: skip
PHRASES = [p for p in PHRASES if p.strip() not in {"to", "or"}]  # "to" (big) and "or"-like syllables are Vietnamese
_WORD = re.compile(r"(?<![\w@./-])(" + "|".join(WORDS) + r")(?![\w@./-])")
_CODE_LIKE = re.compile(r"\S*[\d_@/\\=<>{}]\S*|\S+\.\S+")  # usernames, e-mails, codes, dates, paths
ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
HIDDEN_TAGS = {"script", "style", "template", "noscript"}


class _VisibleText(HTMLParser):
    """The visible text as Python's html.parser reads it: the reference visible_text must agree with."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden += 1
            return
        values = dict(attrs)
        self.parts += [values[name] for name in ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text_by_html_parser(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _visible_parts(element, parts: list[str]) -> None:
    """_VisibleText's parts of `element` and what follows it, in document order: its attributes a user reads,
    a button's value, its text and its children's, unless it is a hidden tag (nothing inside it); a comment
    gives only the text after it."""
    tag = element.tag
    if isinstance(tag, str) and tag not in HIDDEN_TAGS:
        values = element.attrib
        parts += [values[name] for name in ATTRIBUTES if values.get(name)]
        if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
            parts.append(values["value"])
        if element.text:
            parts.append(element.text)
        for child in element:
            _visible_parts(child, parts)
    if element.tail:
        parts.append(element.tail)


def visible_text(html: str) -> str:
    """The text a user reads on the page (whitespace collapsed), read with lxml's C parser: the same text as
    visible_text_by_html_parser (Python's html.parser: 12 % of this module's CPU; the two agreed on every page of
    the crawls when it was changed, and test_visible_text_reads_what_html_parser_reads holds them together)."""
    root = lxml_html.document_fromstring(html) if html.strip() else None
    parts: list[str] = []
    if root is not None:
        _visible_parts(root, parts)
    return " ".join(" ".join(parts).split())


def english_in(html: str) -> list[str]:
    text = _CODE_LIKE.sub(" ", visible_text(html))
    found = _WORD.findall(text)
    lowered = f" {text.lower()} "
    found += [phrase.strip() for phrase in PHRASES if phrase in lowered]
    return sorted(set(found))


def _fetcher(client: Client, problems: dict, *, statuses=(200,)):
    def fetch(path):
        response = client.get(path, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            return None
        html = response.content.decode()
        _PAGES[path] = html
        english = english_in(html)
        if english:
            problems[path] = english
        if response.status_code not in statuses:
            problems[path] = [f"HTTP {response.status_code}"] + english
        return html

    return fetch


_PAGES: dict = {}


def _context(problems: dict) -> str:
    """Each English word with the text around it, on the first page it was found."""
    lines, shown = [], set()
    for path, words in problems.items():
        text = _CODE_LIKE.sub(" ", visible_text(_PAGES.get(path, "")))
        for word in words:
            if word in shown:
                continue
            shown.add(word)
            at = text.find(word)
            lines.append(f"{path}: {word!r} in …{text[max(0, at - 60) : at + 60]}…")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """The portal built once for the module (the tests only read it), rolled back after it; each test nests in
    the transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        BlocFactory()  # the conftest `bloc` the portal was built beside when it was built per test
        yield build_portal()
        transaction.set_rollback(True)


def test_visible_text_reads_what_html_parser_reads():
    """lxml's reading is html.parser's on what pages hold: hidden tags (nested, in the head), comments, a
    button's value, the attributes a user reads, entities, text around inline tags and after the body."""
    pages = [
        "<p>Save and continue editing</p>",
        "<!DOCTYPE html><html><head><title>Trang &amp; chủ</title><style>p{}</style>"
        '<noscript><p>Bật JavaScript</p></noscript></head><body><!-- Save --><a href="/" title="Về trang chủ">'
        "Trang<b>chủ</b>&nbsp;mới</a><template><p>Delete</p><script>var x = '<p>';</script></template>"
        '<input type="submit" value="Lưu"><input type="text" value="Search" placeholder="Tìm">'
        '<img alt="Ảnh" src="/a.png"><select aria-label="Chọn"><option>Một</option></select>'
        "<script>var Save = 1;</script>sau<br>dòng</body></html>",
        "<table><tr><td>Ô 1<form><td>Ô 2</table>rồi <p>đoạn <p>khác",
        "",
        "   ",
    ]
    for html in pages:
        assert visible_text(html) == visible_text_by_html_parser(html), html
    assert visible_text(pages[1]) == ("Trang & chủ Về trang chủ Trang chủ mới Lưu Tìm Ảnh Chọn Một sau dòng")


def test_crawl_links_read_what_html_parser_reads():
    pages = [
        '<a href="/a/">A</a><a href="#top">B</a><a href="mailto:x@y.vn">C</a><a>D</a><a href="tel:1">E</a>'
        '<table><tr><a href="/b/?q=1&amp;x=2">F</a><td><a href="javascript:void(0)">G</a><a href=/c/>H</a>',
        "",
    ]
    for html in pages:
        assert crawl_module.hrefs_in(html) == crawl_module.hrefs_by_html_parser(html), html
    assert crawl_module.hrefs_in(pages[0]) == ["/a/", "/b/?q=1&x=2", "/c/"]


def test_english_words_list_catches_django_english():
    assert english_in("<p>Save and continue editing</p>") == ["Save", "and", "and continue editing"]
    assert english_in('<input type="search" placeholder="Search"><b>Nguyễn Văn An</b> canbo@so.vn DV000123') == [
        "Search"
    ]
    assert english_in("<script>var Save = 1;</script><p>Lưu và gửi</p>") == []


@pytest.mark.parametrize("role", ["staff", "leader", "officer"])
def test_every_portal_page_speaks_vietnamese(portal, role):
    client = Client()
    client.force_login(portal[role])
    problems: dict = {}
    visited = crawl(_fetcher(client, problems), ["/", *known_urls(portal, role)])
    assert len(visited) >= (8 if role == "officer" else 20), visited
    assert problems == {}, _context(problems)


def test_signed_out_and_error_pages_speak_vietnamese(portal):
    client = Client()
    problems: dict = {}
    for path in [reverse("login"), reverse("password_reset"), reverse("password_reset_done")]:
        _fetcher(client, problems)(path)
    client.force_login(portal["officer"])
    fetch = _fetcher(client, problems, statuses=(403, 404))
    fetch("/khong-co-trang-nay/")  # 404
    fetch(reverse("organizations:detail", args=[portal["other"].pk]))  # another organisation's page: 404
    fetch(reverse("organizations:list"))  # staff only: 403
    assert problems == {}
    assert english_in(render_to_string("500.html")) == []
    assert english_in(render_to_string("404.html")) == []
    assert english_in(render_to_string("403.html")) == []


def _admin_urls(portal) -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
        urls.append(reverse(f"{prefix}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"{prefix}_add"))
        first = model_admin.get_queryset(_request(portal["superuser"])).order_by("pk").first()
        if first is not None:
            urls += [reverse(f"{prefix}_{view}", args=[first.pk]) for view in ("change", "history", "delete")]
    return urls


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("role", ["superuser", "staff"])
def test_data_admin_speaks_vietnamese(portal, role):
    client = Client()
    client.force_login(portal[role])
    problems: dict = {}
    fetch = _fetcher(client, problems, statuses=(200, 403, 404))  # staff lack some apps' permissions
    urls = sorted(set(_admin_urls(portal)))
    for path in urls:
        fetch(path)
        # the changelist's search, filters and empty result too
        if path.endswith("/") and path.count("/") == 4:
            fetch(path + "?q=khongcoai")
    assert len(urls) > 30
    assert problems == {}, _context(problems)

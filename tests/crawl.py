"""A small but complete portal to crawl (every kind of page has at least one row to show) and the crawl rules the
accessibility and language crawls share: same-origin GET links from the home page, one page per URL shape."""

import re
from collections import deque
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import reverse
from lxml import html as lxml_html

from dukportal.notifications.models import Notification
from dukportal.submissions import services as submissions
from dukportal.submissions.models import Deadline
from models_danvan import obligations
from tests.factories import (
    BlocFactory,
    CellFactory,
    MemberFactory,
    OrganizationFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.notifications.factories import campaign_with_deadlines

# Never followed: leaving the session, files, the data admin (crawled on its own by the language test), static.
SKIP = re.compile(
    r"^/(dang-xuat|quan-tri|static|media)/"
    r"|\.(xlsx|docx|pdf|csv)$"
    r"|/(tai-ve|tep|excel|xem-truoc)(/|\.|$)"
    r"|/ho-so/tep/"
)


def build_portal() -> dict:
    """Two organisations (one with a cell), members, the three roles, a campaign with a sent, a draft and a
    returned registration, a QCDC cycle with a plan, an issuing body with a draft document, and a notice."""
    from democracy_regs.models import DemocracyCycle
    from reports import services as reports
    from reports.models import DocumentKind
    from tests.democracy_regs.factories import BrightSpotFactory, PlanFactory, open_cycle
    from tests.reports.factories import IssuingBodyFactory, TermFactory

    bloc = BlocFactory()
    own = OrganizationFactory(name="Đảng bộ Sở Tài chính", code="SOTC")
    other = OrganizationFactory(name="Đảng bộ Sở Y tế", code="SOYT")
    cell = CellFactory(organization=own, name="Chi bộ Phòng Ngân sách")
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]):
        MemberFactory(full_name=name, organization=own, cell=cell if i % 2 else None)
    MemberFactory(full_name="Vũ Thị Hoa", organization=other)
    staff = UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")
    leader = UserFactory(username="lanhdao", role="leader", first_name="Hùng", last_name="Trần Quốc")
    officer = UserFactory(username="canbo", role="officer", organization=own, first_name="Lan", last_name="Lê Thị")
    superuser = UserFactory(username="quantri", role="staff", is_superuser=True, is_staff=True)

    year = date.today().year
    campaign = campaign_with_deadlines(year, created_by=staff)
    sent = RegistrationFactory(campaign=campaign, organization=own, status="submitted", created_by=officer)
    draft = RegistrationFactory(
        campaign=campaign, organization=own, status="draft", name="Mô hình nháp", created_by=officer
    )
    returned = RegistrationFactory(campaign=campaign, organization=other, status="submitted", created_by=staff)
    submissions.submission_return(actor=staff, submission=returned, comment="Bổ sung bản có chữ ký")

    cycle = open_cycle(staff, year=year)
    assert isinstance(cycle, DemocracyCycle)
    PlanFactory(cycle=cycle, organization=own, created_by=officer)
    BrightSpotFactory(cycle=cycle, organization=own, created_by=officer)

    body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    document = reports.document_create(
        actor=staff,
        kind=DocumentKind.REMINDER,
        issuing_body=body,
        deadline=Deadline.objects.get(kind=obligations.REGISTRATION, source_id=campaign.pk),
    )
    Notification.objects.create(
        recipient=officer, category=Notification._meta.get_field("category").choices[0][0], title="Hồ sơ bị trả lại"
    )
    return {
        "bloc": bloc,
        "own": own,
        "other": other,
        "cell": cell,
        "staff": staff,
        "leader": leader,
        "officer": officer,
        "superuser": superuser,
        "campaign": campaign,
        "registration": sent,
        "draft": draft,
        "cycle": cycle,
        "document": document,
    }


def known_urls(data: dict, role: str) -> list[str]:
    """Pages a crawl from the home page might miss (reached from a form or a button), per role."""
    own, campaign, registration = data["own"], data["campaign"], data["registration"]
    urls = [
        reverse("organizations:detail", args=[own.pk]),
        reverse("organizations:members", args=[own.pk]),
        reverse("organizations:cell", args=[data["cell"].pk]),
        reverse("organizations:member_search") + "?q=nguyen",
        reverse("organizations:member_search") + "?q=khongcoai",
        reverse("models_danvan:campaign", args=[campaign.pk]),
        reverse("models_danvan:registrations", args=[campaign.pk]),
        reverse("models_danvan:registration", args=[registration.pk]),
        reverse("democracy_regs:cycle", args=[data["cycle"].pk]),
        reverse("notifications:list"),
        reverse("password_change"),
    ]
    if role == "officer":
        urls += [
            reverse("models_danvan:registration_create", args=[campaign.pk]),
            reverse("models_danvan:registration_edit", args=[data["draft"].pk]),
        ]
    else:
        urls += [
            reverse("dashboard:index"),
            reverse("organizations:list"),
            reverse("notifications:tracking"),
            reverse("notifications:matrix"),
            reverse("reports:documents"),
            reverse("reports:document", args=[data["document"].pk]),
            reverse("reports:register"),
            reverse("democracy_regs:statistics", args=[data["cycle"].pk]),
            reverse("democracy_regs:bright_spots", args=[data["cycle"].pk]),
            reverse("models_danvan:statistics_latest"),
            reverse("models_danvan:statistics_organizations", args=[campaign.pk]),
            reverse("models_danvan:statistics_organizations", args=[campaign.pk]) + "?muc=da-gui",
        ]
    if role == "staff":
        urls += [
            reverse("organizations:import"),
            reverse("models_danvan:campaign_create"),
            reverse("models_danvan:campaign_edit", args=[campaign.pk]),
            reverse("democracy_regs:cycle_create"),
            reverse("reports:document_create"),
            reverse("reports:document_edit", args=[data["document"].pk]),
        ]
    return urls


_NOT_PAGES = ("#", "mailto:", "tel:", "javascript:")


def hrefs_in(html: str) -> list[str]:
    """The href of every link (`<a href>`) of the page in document order, but anchors, mailto:, tel: and
    javascript: links; read with lxml's C parser (the same links as html.parser's reading: hrefs_by_html_parser,
    held together by tests/test_english_words_crawl.py)."""
    if not html.strip():
        return []
    return [
        href
        for href in (a.get("href") for a in lxml_html.document_fromstring(html).iter("a"))
        if href and not href.startswith(_NOT_PAGES)
    ]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(_NOT_PAGES):
            self.hrefs.append(href)


def hrefs_by_html_parser(html: str) -> list[str]:
    """hrefs_in as Python's html.parser reads the page: the reference hrefs_in must agree with."""
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def links_in(html: str, base: str) -> list[str]:
    """Same-origin paths (with their query) linked from a page."""
    origin = urlsplit(base)
    found = []
    for href in hrefs_in(html):
        url = urlsplit(urljoin(base, href))
        if url.netloc and url.netloc != origin.netloc:
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def shape(path: str) -> str:
    """One page per URL shape: ids and query values do not make a new kind of page."""
    path, _, query = path.partition("?")
    keys = sorted({part.split("=")[0] for part in query.split("&") if part})
    return re.sub(r"/\d+(?=/|$|\.)", "/N", path) + ("?" + "&".join(keys) if keys else "")


def crawl(fetch, start: list[str], *, max_pages: int = 80, max_depth: int = 3) -> list[str]:
    """Breadth-first from `start`; `fetch(path)` returns the page's HTML (or None for a non-page) and the crawl
    follows its links. Returns the paths visited."""
    queue = deque((path, 0) for path in start)
    seen_shapes: set[str] = set()
    visited: list[str] = []
    while queue and len(visited) < max_pages:
        path, depth = queue.popleft()
        if SKIP.search(path.split("?")[0]) or shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        html = fetch(path)
        if html is None:
            continue
        visited.append(path)
        if depth < max_depth:
            queue.extend((link, depth + 1) for link in links_in(html, f"http://testserver{path}"))
    return visited

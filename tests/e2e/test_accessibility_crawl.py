"""WCAG 2.1 AA on every page the portal renders outside the data admin: a crawl from the home page (plus the pages
only a form or a button leads to) as staff, leader and officer, at 1366×768 and 375×812, runs axe-core on each
page and fails on any serious or critical violation, and on a page that scrolls sideways."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.crawl import build_portal, crawl, known_urls

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# Loaded once per browser context as an init script (sending axe's 650 kB with every page cost as much as running
# it), and only into the top frame, as a script tag put it: axe checks the frames in which it is loaded too.
AXE_IN_TOP_FRAME = f"if (window === window.top) {{\n{AXE.read_text()}\n}}"
WIDTHS = [(1366, 768), (375, 812)]
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
    `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 6).map(n => n.target.join(" ")
      + (n.any[0] ? ` [${n.any[0].message}]` : "")).join("; "));
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _axe_context(browser, **options):
    """A browser context whose pages all load axe-core before their own scripts. The portal's
    Content-Security-Policy would rightly refuse the injected script: the context bypasses it."""
    context = browser.new_context(bypass_csp=True, **options)
    context.add_init_script(script=AXE_IN_TOP_FRAME)
    return context


def _signed_in_context(browser, live_server, user):
    """One browser context per role, signed in through the session cookie (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    context = _axe_context(browser, viewport={"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    return context


def _check(page, live_server, path, problems: dict, width: int, *, html: bool = True) -> str | None:
    """Load `path`, note its problems at this width, and return its HTML for the crawl (unless `html` is false:
    the narrow pass only re-checks the pages the crawl found)."""
    response = page.goto(f"{live_server.url}{path}")
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return None
    found = []
    if response.status != 200:
        found.append(f"HTTP {response.status}")
    found += page.evaluate(RUN_AXE)
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        found.append(f"scrolls sideways by {overflow}px")
    if found:
        problems[f"{width}px {path}"] = found
    return page.content() if html else None


def crawl_as(browser, live_server, role):
    """The crawl of one role at every width; the staff's (the longest, ~90 s) runs in a module of its own,
    test_accessibility_crawl_staff.py, so that xdist can give it to the other worker (--dist loadfile)."""
    data = build_portal()
    context = _signed_in_context(browser, live_server, data[role])
    page = context.new_page()
    problems: dict = {}
    width = WIDTHS[0][0]
    visited = crawl(lambda path: _check(page, live_server, path, problems, width), ["/", *known_urls(data, role)])
    assert len(visited) >= (8 if role == "officer" else 20), visited
    for width, height in WIDTHS[1:]:
        page.set_viewport_size({"width": width, "height": height})
        for path in visited:
            _check(page, live_server, path, problems, width, html=False)
    context.close()
    assert problems == {}, "\n".join(f"{where}: {what}" for where, what in problems.items())


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_every_page_passes_axe_and_fits_the_screen(browser, live_server, role):
    crawl_as(browser, live_server, role)


def test_signed_out_pages_pass_axe(browser, live_server):
    build_portal()
    context = _axe_context(browser)
    page = context.new_page()
    problems: dict = {}
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for path in ["/dang-nhap/", "/quen-mat-khau/", "/quen-mat-khau/da-gui/"]:
            _check(page, live_server, path, problems, width)
    context.close()
    assert problems == {}, "\n".join(f"{where}: {what}" for where, what in problems.items())

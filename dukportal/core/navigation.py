"""The main navigation bar, declared by the apps that own the pages and rendered by templates/partials/
_nav_items.html, which names no app. It lives in core, the lowest layer, so every app (organizations, the
shared submission packages, the feature apps, reports, the dashboard) can register its entries in
AppConfig.ready():

    navigation.register(Entry(key="qcdc.cycles", label="Dân chủ cơ sở", url_name="democracy_regs:cycles",
                              audience=navigation.EVERYONE, order=40))

Two audiences see two different bars: readers (committee staff and leaders, `user.reads_everything`) and the
officers of base organisations (everyone else). Entries sharing a `group` make one dropdown, placed where its
first entry's order puts it. The bars' shape is built once per process (after the apps are ready); a request
only filters it by the user's flags and reverses the URL names: no query."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.translation import get_language

from dukportal.core.links import url, url_with_pk

READERS, OFFICERS, EVERYONE = "readers", "officers", "everyone"
# A dropdown two apps share: deadline tracking and the periodic reports.
DEADLINES_GROUP = "Hạn nộp, báo cáo"


@dataclass(frozen=True)
class Entry:
    key: str  # stable and unique: "<app>.<page>"
    label: str  # Vietnamese, as the bar shows it
    url_name: str  # "app:name"
    audience: str = READERS  # READERS, OFFICERS or EVERYONE
    order: int = 100  # position in the bar (and within its dropdown)
    group: str = ""  # a dropdown's label; empty: a link of its own on the bar
    # The URL takes the user's own organisation id: shown only to users attached to one.
    own_organization: bool = False
    # A narrower rule on the user's flags (never a query), e.g. committee staff only.
    visible: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str


@dataclass(frozen=True)
class ShownItem:
    """One item of the bar as a user sees it: a link (`url`), or a dropdown (`label` and `links`)."""

    label: str
    url: str = ""
    links: tuple[ShownLink, ...] = ()


_REGISTRY: dict[str, Entry] = {}


# The bar's HTML by its shape (bar_html): a handful of entries per process (two audiences, the flags' few
# combinations, and the organisation id only where an entry links to the user's own organisation).
_HTML: dict[tuple, str] = {}


def register(entry: Entry) -> None:
    _REGISTRY[entry.key] = entry
    _bars.cache_clear()
    _HTML.clear()


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)
    _bars.cache_clear()
    _HTML.clear()


def entries() -> list[Entry]:
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


@cache
def _bars() -> dict[str, tuple[tuple[str, tuple[Entry, ...]], ...]]:
    """Per audience, the bar's items in order: (dropdown label or "", its entries), each entry in one item."""
    bars = {}
    for audience in (READERS, OFFICERS):
        items: dict[str, list[Entry]] = {}  # insertion order: a group where its first entry comes
        for entry in entries():
            if entry.audience not in (audience, EVERYONE):
                continue
            items.setdefault(entry.group or f"\0{entry.key}", []).append(entry)
        bars[audience] = tuple(("" if key.startswith("\0") else key, tuple(group)) for key, group in items.items())
    return bars


def _shown(entry: Entry, user: Any) -> bool:
    if entry.own_organization and not user.organization_id:
        return False
    return entry.visible is None or entry.visible(user)


def _url(entry: Entry, user: Any) -> str:
    # Reversed once per process (dukportal.core.links): the bar is on every page.
    return url_with_pk(entry.url_name, user.organization_id) if entry.own_organization else url(entry.url_name)


def bar_for(user: Any) -> list[ShownItem]:
    """The bar `user` sees: readers' or officers', without the entries their flags leave out (a dropdown left
    empty disappears)."""
    if not getattr(user, "is_authenticated", False):
        return []
    shown = []
    for group, group_entries in _bars()[READERS if user.reads_everything else OFFICERS]:
        visible = [entry for entry in group_entries if _shown(entry, user)]
        if not visible:
            continue
        if group:
            links = tuple(ShownLink(label=e.label, url=_url(e, user)) for e in visible)
            shown.append(ShownItem(label=group, links=links))
        else:
            shown.append(ShownItem(label=visible[0].label, url=_url(visible[0], user)))
    return shown


def where() -> tuple:
    """What a reversed address depends on besides its route: the language, the script prefix, the URL configuration."""
    return (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def bar_html(user: Any, at: tuple | None = None) -> str:
    """The bar's items as HTML (what templates/partials/_nav_items.html writes between its <ul> tags), made once per
    process for each shape of bar: the entries `user`'s flags show, their organisation id where an entry takes it,
    the language and the URL configuration. The header is on every page: rendering the items through the template
    engine cost ~0.2 ms a page (issue 13), this lookup a few µs. `at`: `where()`, when the caller has it."""
    if not getattr(user, "is_authenticated", False):
        return ""
    audience = READERS if user.reads_everything else OFFICERS
    shown = tuple(
        entry.key for _group, group_entries in _bars()[audience] for entry in group_entries if _shown(entry, user)
    )
    own = user.organization_id if any(_REGISTRY[key].own_organization for key in shown) else None
    key = (audience, shown, own, at or where())
    html = _HTML.get(key)
    if html is None:
        html = _HTML[key] = _items_html(bar_for(user))
    return html


def _items_html(items: list[ShownItem]) -> str:
    # The same text as the template's loop, each value escaped as {{ }} escapes it.
    parts = []
    for item in items:
        if item.links:
            parts.append(
                '\n  <li class="nav-item dropdown">\n    <a class="nav-link dropdown-toggle" href="#" role="button" '
                f'data-bs-toggle="dropdown" aria-expanded="false">{escape(item.label)}</a>\n    <ul class="dropdown-menu">'
            )
            parts.extend(
                f'\n      <li><a class="dropdown-item" href="{escape(link.url)}">{escape(link.label)}</a></li>'
                for link in item.links
            )
            parts.append("\n    </ul>\n  </li>")
        else:
            parts.append(
                f'\n  <li class="nav-item"><a class="nav-link" href="{escape(item.url)}">{escape(item.label)}</a></li>'
            )
    return "".join(parts)

"""The page header's menus: the main bar (dukportal.core.navigation), the notification bell and the user's menu.

`{% main_menu %}` writes what base.html's `{% if user.is_authenticated %}` block wrote through two includes, nine
`{% if %}`, five `{% link %}` and `{% csrf_token %}`: the same text, in Python, its constant parts once per
process. The header is on every page; through the template engine it cost ~1 ms of the trivial page's ~4 ms of
CPU (issue 13, bench/README.md "Branch page8"). tests/dukportal_core/test_layout_html.py compares it with the
templates it replaced for every kind of user."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.functional import LazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dukportal.core import links, navigation

from .portal_links import current_app_of

register = template.Library()

UNREAD_SHOWN = 99  # the bell shows "99+" (and "hơn 99" to screen readers) above this


@register.simple_tag(takes_context=True)
def navigation_bar(context):
    """The main bar's items for the page's user, as the apps registered them (dukportal.core.navigation)."""
    return navigation.bar_for(context.get("user"))


@register.simple_tag(takes_context=True)
def navigation_items(context) -> SafeString:
    """The main bar's items as HTML (templates/partials/_nav_items.html)."""
    return mark_safe(navigation.bar_html(context.get("user")))  # noqa: S308 (escaped by bar_html)


def bell_html(count, address: str) -> str:
    """The bell (a link to the notifications) with the unread count the user was loaded with
    (dukportal.notifications.auth): nothing past "Thông báo" when there is none, "99+" past 99."""
    if not count:
        return (
            f'<a class="nav-link" href="{address}" id="notification-bell" title="Thông báo"\n   aria-label="Thông báo">\n'
            '  <i class="bi bi-bell-fill"></i>\n</a>\n'
        )
    spoken, shown = ("hơn 99", "99+") if count > UNREAD_SHOWN else (count, count)
    return (
        f'<a class="nav-link" href="{address}" id="notification-bell" title="Thông báo"\n'
        f'   aria-label="Thông báo: {spoken} chưa đọc">\n  <i class="bi bi-bell-fill"></i>\n'
        f'  <span class="badge rounded-pill text-bg-warning" id="unread-count">{shown}</span>\n</a>\n'
    )


_ROLES: dict[tuple, str] = {}  # (role, language) -> the escaped label
_ADDRESSES: dict[tuple, str] = {}  # (route, where, current app) -> the escaped address


def _role(user, language) -> str:
    key = (user.role, language)
    label = _ROLES.get(key)
    if label is None:
        label = _ROLES[key] = escape(user.get_role_display())
    return label


def _address(name: str, at: tuple, current_app) -> str:
    key = (name, at, current_app)
    found = _ADDRESSES.get(key)
    if found is None:
        found = _ADDRESSES[key] = escape(links.url(name, current_app=current_app))
    return found


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The header's menus for a signed-in user (nothing for anyone else): the bar, the bell and the user's menu."""
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return mark_safe("")
    if isinstance(user, LazyObject):
        user = user._wrapped  # set up by is_authenticated: each attribute below without the proxy
    at = navigation.where()
    current_app = current_app_of(context)
    name = escape(user.get_full_name() or user.username)
    role = _role(user, at[0])
    bell = bell_html(getattr(user, "unread_notification_count", None), _address("notifications:list", at, current_app))
    admin = (
        f'<li><a class="dropdown-item" href="{_address("admin:index", at, current_app)}">Trang quản trị dữ liệu</a></li>'
        if user.is_staff
        else ""
    )
    password, logout = _address("password_change", at, current_app), _address("logout", at, current_app)
    csrf = CsrfTokenNode().render(context)
    return mark_safe(  # noqa: S308 (every value escaped above)
        "\n"
        '    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainnav"\n'
        '            aria-controls="mainnav" aria-expanded="false" aria-label="Mở menu">\n'
        '      <span class="navbar-toggler-icon"></span>\n'
        "    </button>\n"
        '    <div class="collapse navbar-collapse" id="mainnav">\n'
        '      <ul class="navbar-nav me-auto">\n'
        f"        {navigation.bar_html(user, at)}\n"
        "\n"
        "      </ul>\n"
        '      <ul class="navbar-nav">\n'
        f'        <li class="nav-item">{bell}</li>\n'
        '        <li class="nav-item dropdown">\n'
        '          <a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" '
        'aria-expanded="false">\n'
        f'            <i class="bi bi-person-circle" aria-hidden="true"></i> <span class="user-name" title="{name}">'
        f"{name}</span>\n"
        f'            <span class="badge text-bg-light role-badge">{role}</span>\n'
        "          </a>\n"
        '          <ul class="dropdown-menu dropdown-menu-end">\n'
        f'            <li><span class="dropdown-item-text small text-muted">{role}</span></li>\n'
        f'            <li><a class="dropdown-item" href="{password}">Đổi mật khẩu</a></li>\n'
        f"            {admin}\n"
        '            <li><hr class="dropdown-divider"></li>\n'
        "            <li>\n"
        f'              <form method="post" action="{logout}">{csrf}\n'
        '                <button type="submit" class="dropdown-item">Đăng xuất</button>\n'
        "              </form>\n"
        "            </li>\n"
        "          </ul>\n"
        "        </li>\n"
        "      </ul>\n"
        "    </div>\n"
        "    "
    )

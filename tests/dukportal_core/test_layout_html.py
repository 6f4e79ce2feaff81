"""The page layout written in Python ({% main_menu %}, the bar's items, {% asset %}) gives the same HTML, byte for
byte, as the templates it replaced (kept in layout_reference/: base.html, partials/_nav_items.html and
notifications/_bell.html as they were at f25b5a6), for every kind of user, count of unread notifications and name
that needs escaping; and the per-process shapes follow the registry, the user's organisation and the settings."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve, reverse

from dukportal.core import navigation
from organizations.models import User

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "layout_reference"
TOKEN = "kGZ3cVb0mXtYqW1rP9sLdE4fH7jN2uA8oI5yT6eR0wQzCxVbMnLkJhGfDsAaPpOo"
CONTENT = "{% block title %}Trang thử{% endblock %}{% block content %}<p>Nội dung</p>{% endblock %}"


def reference_base():
    """The old base.html with its two includes in place (an include writes its template's text as it stands)."""
    text = (REFERENCE / "base.html").read_text()
    text = text.replace('{% include "partials/_nav_items.html" %}', (REFERENCE / "_nav_items.html").read_text())
    text = text.replace('{% include "notifications/_bell.html" %}', (REFERENCE / "_bell.html").read_text())
    assert "{% include" not in text
    return engines["django"].from_string(text).template


def user(username="canbo", role="officer", organization_id=None, unread=0, **fields):
    found = User(username=username, role=role, organization_id=organization_id, **fields)
    if unread is not None:
        found.unread_notification_count = unread  # as dukportal.notifications.auth loads it
    return found


def cases(organization):
    staff = {"role": "staff", "is_staff": True, "last_name": "Nguyễn Văn", "first_name": "An"}
    yield "staff, none unread", user("bantuyengiao", **staff)
    for unread in (1, 9, 99, 100, 1234):
        yield f"staff, {unread} unread", user("bantuyengiao", unread=unread, **staff)
    yield "staff, count not loaded", user("bantuyengiao", unread=None, **staff)
    yield "leader", user("lanhdao", role="leader", last_name="Trần Thị", first_name="Bình", unread=3)
    yield "superuser leader", user("admin", role="leader", is_staff=True, is_superuser=True)
    yield "officer", user(organization_id=organization.pk, last_name="Lê", first_name="Cường", unread=100)
    yield "officer without organisation", user("chuagan")
    yield "inactive staff", user("nghi", role="staff", is_staff=True, is_active=False)
    yield "name to escape", user("a&b", organization_id=organization.pk, last_name='<b>"Đỗ"</b>', first_name="O'Neil")
    yield "no name: the username", user("ten<dang>nhap&", organization_id=organization.pk)
    yield "anonymous", AnonymousUser()


def render_both(person, path="/doi-mat-khau/xong/", current=None):
    request = RequestFactory().get(path)
    request.user = person
    if current:
        request.resolver_match = resolve(current)
    context = {"base": reference_base(), "csrf_token": TOKEN}
    old = engines["django"].from_string("{% extends base %}" + CONTENT).render(context, request)
    new = engines["django"].from_string('{% extends "base.html" %}' + CONTENT).render(context, request)
    return old, new


def test_every_user_sees_the_same_page_as_with_the_templates(bloc, organization):
    for label, person in cases(organization):
        old, new = render_both(person)
        assert new == old, label
        if person.is_authenticated:
            assert TOKEN in new and 'id="notification-bell"' in new, label


def test_the_same_page_inside_a_namespaced_view(bloc, organization):
    # {% link %} reverses with the request's namespace as its current app; the menu does the same.
    for _label, person in cases(organization):
        old, new = render_both(person, current=reverse("notifications:list"))
        assert new == old


def test_the_bar_alone_is_the_same_as_its_template(organization):
    for label, person in cases(organization):
        context = {"user": person}
        old = engines["django"].from_string((REFERENCE / "_nav_items.html").read_text()).render(context)
        assert render_to_string("partials/_nav_items.html", context) == old, label


def test_the_bar_is_made_once_per_shape_and_follows_the_registry(organization, other_organization):
    staff = user("bantuyengiao", role="staff", is_staff=True)
    before = navigation.bar_html(staff)
    assert navigation.bar_html(staff) is before  # the second page reads the first one's
    navigation.register(
        navigation.Entry("tests.layout", "Mục thử", "notifications:matrix", order=52, group=navigation.DEADLINES_GROUP)
    )
    try:
        added = navigation.bar_html(staff)
        assert "Mục thử" in added and added != before
    finally:
        navigation.unregister("tests.layout")
    assert navigation.bar_html(staff) == before

    # An officer's bar links to their own organisation: two officers, two bars.
    mine = navigation.bar_html(user(organization_id=organization.pk))
    theirs = navigation.bar_html(user("khac", organization_id=other_organization.pk))
    assert reverse("organizations:detail", args=[organization.pk]) in mine
    assert reverse("organizations:detail", args=[other_organization.pk]) in theirs
    assert reverse("organizations:detail", args=[organization.pk]) not in theirs


ASSET = "{% load portal_links %}{% asset 'css/portal.css' %}|{% asset 'js/forms.js' %}"
STATIC = "{% load static %}{% static 'css/portal.css' %}|{% static 'js/forms.js' %}"


def test_asset_is_static_and_follows_the_settings(settings):
    render = lambda source: engines["django"].from_string(source).render({})  # noqa: E731
    assert render(ASSET) == render(STATIC)
    settings.STATIC_URL = "/tinh-tai/"
    assert render(ASSET) == render(STATIC)
    assert render(ASSET).startswith("/tinh-tai/")


HTMX_ONCE = "{% load portal_links %}{% htmx_script_once %}"
HTMX = "{% load django_htmx %}{% htmx_script %}"


def test_htmx_script_once_is_htmx_script_and_follows_the_settings(settings):
    render = lambda source, **context: engines["django"].from_string(source).render(context)  # noqa: E731
    for debug in (False, True, False):  # DEBUG adds django-htmx's own script
        settings.DEBUG = debug
        assert render(HTMX_ONCE) == render(HTMX)
        assert ("django-htmx.js" in render(HTMX_ONCE)) is debug
    assert render(HTMX_ONCE, csp_nonce="n0nce") == render(HTMX, csp_nonce="n0nce")
    assert 'nonce="n0nce"' in render(HTMX_ONCE, csp_nonce="n0nce")

"""The main bar is read from the navigation registry (dukportal.core.navigation): each app registers its own
entries, the template names none, staff and officers see the bar they saw before, and an entry registered by
any app appears for the users it is meant for only — without a query."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from dukportal.core import navigation
from organizations.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bar(user):
    """The bar as (label, url) for links and (label, [(label, url)…]) for dropdowns."""
    return [
        (item.label, [(link.label, link.url) for link in item.links]) if item.links else (item.label, item.url)
        for item in navigation.bar_for(user)
    ]


@pytest.fixture
def users(organization):
    return {
        "staff": UserFactory(username="bantuyengiao", role="staff"),
        "leader": UserFactory(username="lanhdao", role="leader"),
        "officer": UserFactory(username="canbo", role="officer", organization=organization),
    }


def test_staff_see_every_section_with_its_dropdowns(users):
    assert bar(users["staff"]) == [
        ("Tổng quan", "/tong-quan/"),
        (
            "Tổ chức, đảng viên",
            [
                ("Tổ chức cơ sở đảng", reverse("organizations:list")),
                ("Tra cứu đảng viên", reverse("organizations:member_search")),
                ("Nhập/xuất Excel", reverse("organizations:import")),
            ],
        ),
        (
            "“Dân vận khéo”",
            [
                ("Các đợt đăng ký", reverse("models_danvan:campaigns")),
                ("Thống kê “Dân vận khéo”", reverse("models_danvan:statistics_latest")),
            ],
        ),
        ("Dân chủ cơ sở", reverse("democracy_regs:cycles")),
        (
            "Hạn nộp, báo cáo",
            [
                ("Theo dõi hạn nộp", reverse("notifications:tracking")),
                ("Báo cáo định kỳ", reverse("indicators:definitions")),
            ],
        ),
        ("Văn bản", reverse("reports:documents")),
    ]


def test_leaders_read_everything_but_do_not_import(users):
    organizations_menu = dict(bar(users["leader"]))["Tổ chức, đảng viên"]
    assert [label for label, _url in organizations_menu] == ["Tổ chức cơ sở đảng", "Tra cứu đảng viên"]


def test_officers_see_their_own_unit_and_its_inbox_first(users, organization):
    assert bar(users["officer"]) == [
        ("Đơn vị của tôi", reverse("organizations:detail", args=[organization.pk])),
        ("Văn bản đến", reverse("reports:inbox", args=[organization.pk])),
        ("“Dân vận khéo”", reverse("models_danvan:campaigns")),
        ("Dân chủ cơ sở", reverse("democracy_regs:cycles")),
        ("Báo cáo định kỳ", reverse("indicators:definitions")),
    ]
    unattached = User(username="chuagan", role="officer")  # the database refuses one; the bar copes anyway
    assert [label for label, _url in bar(unattached)] == ["“Dân vận khéo”", "Dân chủ cơ sở", "Báo cáo định kỳ"]


@pytest.fixture
def registered():
    """Entries an app would register in its ready(): one in the staff's deadlines dropdown for committee staff
    only, one link for officers."""
    added = [
        navigation.Entry(
            "tests.inspections",
            "Đợt kiểm tra (thử)",
            "notifications:matrix",
            order=52,
            group=navigation.DEADLINES_GROUP,
            visible=lambda user: user.is_committee_staff,
        ),
        navigation.Entry(
            "tests.own_reports", "Báo cáo của đơn vị (thử)", "home", audience=navigation.OFFICERS, order=45
        ),
    ]
    for entry in added:
        navigation.register(entry)
    yield added
    for entry in added:
        navigation.unregister(entry.key)


def test_a_registered_entry_appears_for_the_users_it_is_meant_for_only(users, registered, client):
    staff_deadlines = dict(bar(users["staff"]))["Hạn nộp, báo cáo"]
    assert staff_deadlines[-1] == ("Đợt kiểm tra (thử)", reverse("notifications:matrix"))
    assert "Đợt kiểm tra (thử)" not in str(bar(users["leader"]))
    officer = [label for label, _url in bar(users["officer"])]
    assert officer[-2:] == ["Báo cáo của đơn vị (thử)", "Báo cáo định kỳ"]  # order 45, before order 50
    assert "Báo cáo của đơn vị (thử)" not in str(bar(users["staff"]))

    # On a real page: the staff's bar carries the entry, the officer's the other one.
    client.force_login(users["staff"])
    page = client.get(reverse("dashboard:index")).content.decode()
    assert f'<a class="dropdown-item" href="{reverse("notifications:matrix")}">Đợt kiểm tra (thử)</a>' in page
    assert "Báo cáo của đơn vị (thử)" not in page
    client.force_login(users["officer"])
    page = client.get(reverse("models_danvan:campaigns")).content.decode()
    assert '<a class="nav-link" href="/">Báo cáo của đơn vị (thử)</a>' in page
    assert "Đợt kiểm tra (thử)" not in page


def test_an_unregistered_entry_is_gone(users, registered):
    navigation.unregister("tests.inspections")
    assert "Đợt kiểm tra (thử)" not in str(bar(users["staff"]))


def test_the_bar_costs_no_query(users, django_assert_num_queries):
    for user in users.values():
        with django_assert_num_queries(0):
            html = render_to_string("partials/_nav_items.html", {"user": user})
        assert 'class="nav-link' in html


def test_the_bar_template_names_no_page_of_any_app():
    source = (settings.BASE_DIR / "templates" / "partials" / "_nav_items.html").read_text()
    assert "{% url" not in source
    apps = ("organizations", "models_danvan", "democracy_regs", "indicators", "notifications", "reports", "dashboard")
    assert not [app for app in apps if app in source]

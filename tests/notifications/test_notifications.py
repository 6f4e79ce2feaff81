"""In-app notifications: the bell with the unread count on every page, the list, marking read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, n=1, **fields):
    return [
        Notification.objects.create(recipient=user, category="reminder", title=f"Nhắc hạn số {i}", **fields)
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count_on_every_page(officer_client, officer_user, organization):
    notify(officer_user, 3)
    Notification.objects.filter(pk=notify(officer_user)[0].pk).update(read_at="2024-05-01T08:00:00+07:00")
    notify(UserFactory(role="staff"), 5)  # someone else's
    html = officer_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert '<span class="badge rounded-pill text-bg-warning" id="unread-count">3</span>' in html
    assert 'aria-label="Thông báo: 3 chưa đọc"' in html


def test_no_badge_when_everything_is_read(officer_client, officer_user):
    html = officer_client.get(reverse("notifications:list")).content.decode()
    assert 'id="notification-bell"' in html and 'id="unread-count"' not in html
    assert "Chưa có thông báo nào." in html


def test_the_bell_costs_no_extra_query(officer_client, officer_user):
    url = reverse("password_change")
    with CaptureQueriesContext(connection) as without:
        officer_client.get(url)
    notify(officer_user, 4)
    with CaptureQueriesContext(connection) as with_unread:
        response = officer_client.get(url)
    assert len(with_unread) == len(without)
    assert 'id="unread-count">4<' in response.content.decode()
    # The count arrives with the user row itself.
    assert "notifications_notification" in with_unread.captured_queries[1]["sql"]


def test_list_shows_own_notifications_newest_first_and_marking_read_lowers_the_count(officer_client, officer_user):
    first, second = notify(officer_user, 2, url="/to-chuc/")
    notify(UserFactory(role="staff"), 1, body="Không phải của bạn")
    response = officer_client.get(reverse("notifications:list"))
    assert [n.pk for n in response.context["page"]] == [second.pk, first.pk]
    assert "Không phải của bạn" not in response.content.decode()

    response = officer_client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/to-chuc/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'id="unread-count">1<' in officer_client.get(reverse("notifications:list")).content.decode()

    officer_client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=officer_user, read_at__isnull=True).exists()


def test_another_users_notification_is_404_and_stays_unread(client, officer_user, other_officer_user):
    [foreign] = notify(other_officer_user)
    client.force_login(officer_user)
    assert client.post(reverse("notifications:read", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_anonymous_is_sent_to_login(client):
    for url in (reverse("notifications:list"), reverse("notifications:read_all")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("notifications:read", args=[1])).status_code == 302


def test_the_list_costs_the_same_queries_for_three_or_thirty_notifications(
    officer_client, officer_user, django_assert_num_queries
):
    notify(officer_user, 3)
    # session, user (with the unread count), page count, page rows, the bloc's name in the page header
    with django_assert_num_queries(5):
        officer_client.get(reverse("notifications:list"))
    notify(officer_user, 27)
    with django_assert_num_queries(5):
        response = officer_client.get(reverse("notifications:list"))
    assert len(response.context["page"]) == 30


def test_opening_a_notification_never_leaves_the_portal(officer_client, officer_user):
    [notification] = notify(officer_user, url="//evil.example/")
    response = officer_client.post(reverse("notifications:read", args=[notification.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:list")


def test_the_bell_shows_99_plus_from_100_unread_and_counts_no_further(officer_client, officer_user):
    Notification.objects.bulk_create(
        Notification(recipient=officer_user, category="reminder", title=f"Nhắc hạn số {i}") for i in range(99)
    )
    html = officer_client.get(reverse("notifications:list")).content.decode()
    assert 'id="unread-count">99<' in html and 'aria-label="Thông báo: 99 chưa đọc"' in html
    notify(officer_user, 31)
    with CaptureQueriesContext(connection) as captured:
        html = officer_client.get(reverse("password_change")).content.decode()
    assert 'id="unread-count">99+<' in html and 'aria-label="Thông báo: hơn 99 chưa đọc"' in html
    # Issue 13: the count on every page stops at 100 rows, whatever a staff member has left unread.
    user_query = next(q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"])
    assert "LIMIT 100" in user_query

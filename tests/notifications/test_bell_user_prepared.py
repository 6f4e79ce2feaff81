"""The signed-in user with the bell's unread count (dukportal.notifications.auth.UnreadCountBackend) is the same
user the ORM reads, with the count capped at UNREAD_SHOWN; its query is compiled once per process."""

import pytest
from django.utils import timezone

from dukportal.core import prepared
from dukportal.notifications.auth import UNREAD_SHOWN, UnreadCountBackend
from dukportal.notifications.models import Notification
from organizations.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, count, *, read=False):
    Notification.objects.bulk_create(
        Notification(
            recipient=user, category="decision", title=f"Thông báo {n}", read_at=timezone.now() if read else None
        )
        for n in range(count)
    )


def test_the_user_is_the_orms_with_the_unread_count(officer_user, staff_user, django_assert_num_queries):
    _notify(officer_user, 3)
    _notify(officer_user, 2, read=True)
    _notify(staff_user, UNREAD_SHOWN + 5)
    backend = UnreadCountBackend()
    prepared.clear()
    backend.get_user(officer_user.pk)  # compiles the query for this process
    for user, unread in ((officer_user, 3), (staff_user, UNREAD_SHOWN)):
        with django_assert_num_queries(1):
            loaded = backend.get_user(user.pk)
        orm = User.objects.get(pk=user.pk)
        assert loaded.unread_notification_count == unread
        assert {f.attname: getattr(loaded, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(orm, f.attname) for f in User._meta.concrete_fields
        }
        assert not loaded._state.adding and loaded._state.db == "default"
    assert isinstance(prepared._compiled[("auth.user_with_unread",)], prepared._Compiled)


def test_an_inactive_or_missing_user_is_nobody(bloc):
    inactive = UserFactory(username="danghi", role="officer", is_active=False)
    backend = UnreadCountBackend()
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("không-phải-số") is None


def test_the_bell_shows_the_count(officer_client, officer_user):
    _notify(officer_user, 4)
    page = officer_client.get("/", follow=True).content.decode()
    assert 'id="unread-count">4</span>' in page

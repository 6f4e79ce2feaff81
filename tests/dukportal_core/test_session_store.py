"""The portal's session store (dukportal.core.sessions) reads what Django's database store reads: the same data
for a live session, nothing for an expired or unknown one (the visitor is signed out), in one statement."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from dukportal.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_portal_uses_it():
    assert settings.SESSION_ENGINE == "dukportal.core.sessions"


def test_a_live_session_reads_as_djangos_store_reads_it(django_assert_num_queries):
    django = DjangoStore()
    django.update({"_auth_user_id": "7", "next": "/dan-van-kheo/", "ngày": "03/12/2026"})
    django.save()
    with django_assert_num_queries(1):
        ours = SessionStore(django.session_key).load()
    assert (
        ours
        == DjangoStore(django.session_key).load()
        == {
            "_auth_user_id": "7",
            "next": "/dan-van-kheo/",
            "ngày": "03/12/2026",
        }
    )


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (store.session_key, "khongtontai12345678"):
        expired = SessionStore(key)
        assert expired.load() == {}
        assert expired.session_key is None  # as Django's: the next save makes a new session, not this key


def test_signing_in_and_out_through_the_pages(client, officer_user):
    officer_user.set_password("Mật-khẩu-đủ-dài-2024")
    officer_user.save()
    response = client.post(reverse("login"), {"username": officer_user.username, "password": "Mật-khẩu-đủ-dài-2024"})
    assert response.status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200
    session = Session.objects.get()
    assert session.get_decoded()["_auth_user_id"] == str(officer_user.pk)
    session.expire_date = timezone.now() - timedelta(seconds=1)  # the session runs out: signed out
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]

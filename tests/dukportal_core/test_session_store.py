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


# The signature checked once per process for each signed text (dukportal.core.sessions._verified) ------------------


def test_the_signature_is_checked_once_and_the_data_parsed_afresh(monkeypatch):
    from django.core import signing

    from dukportal.core import sessions

    sessions._verified.cache_clear()
    text = DjangoStore().encode({"_auth_user_id": "7", "danh sách": [1, 2]})
    expected = DjangoStore().decode(text)
    checks = []
    real = signing.loads
    monkeypatch.setattr(sessions.signing, "loads", lambda *a, **k: checks.append(1) or real(*a, **k))
    first = SessionStore().decode(text)
    first["danh sách"].append(3)  # a request's change to its session reaches no other request
    assert SessionStore().decode(text) == expected == {"_auth_user_id": "7", "danh sách": [1, 2]}
    assert len(checks) == 1


def test_tampered_data_reads_empty_and_is_logged_each_time(caplog):
    text = DjangoStore().encode({"_auth_user_id": "7"})
    tampered = text[:-3] + ("aaa" if not text.endswith("aaa") else "bbb")
    for _ in range(2):
        with caplog.at_level("WARNING", logger="django.security.SuspiciousSession"):
            assert SessionStore().decode(tampered) == {} == DjangoStore().decode(tampered)
    assert [r.getMessage() for r in caplog.records].count("Session data corrupted") == 4


def test_a_rotated_secret_key_is_checked_again(settings):
    text = DjangoStore().encode({"_auth_user_id": "7"})
    assert SessionStore().decode(text) == {"_auth_user_id": "7"}  # remembered under the old key
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-" + "k" * 50
    assert SessionStore().decode(text) == {} == DjangoStore().decode(text)  # signed with a key no longer known
    settings.SECRET_KEY_FALLBACKS = [old]
    assert SessionStore().decode(text) == {"_auth_user_id": "7"} == DjangoStore().decode(text)


# What the session means for the user, through the pages ---------------------------------------------------------

PASSWORD = "Mật-khẩu-đủ-dài-2024"


def _signed_in(client, user, *, set_password=True):
    if set_password:
        user.set_password(PASSWORD)
        user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _is_signed_in(client) -> bool:
    return client.get(reverse("password_change_done")).status_code == 200


def test_signing_in_gives_a_new_session_key(client, officer_user):
    client.get(reverse("login"))
    before = SessionStore()
    before["ghi chú"] = "trước"
    before.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    _signed_in(client, officer_user)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()  # the old key is gone
    assert _is_signed_in(client)


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(client, officer_user):
    from django.test import Client

    _signed_in(client, officer_user)
    other = _signed_in(Client(), officer_user, set_password=False)
    assert _is_signed_in(client) and _is_signed_in(other)
    officer_user.refresh_from_db()
    officer_user.set_password("Mật-khẩu-mới-đủ-dài-2025")
    officer_user.save()  # the session's auth hash no longer matches
    assert not _is_signed_in(client) and not _is_signed_in(other)


def test_a_user_made_inactive_is_signed_out(client, officer_user):
    _signed_in(client, officer_user)
    assert _is_signed_in(client)
    officer_user.is_active = False
    officer_user.save(update_fields=["is_active"])
    assert not _is_signed_in(client)

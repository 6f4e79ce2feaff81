"""Each sign-in event is in the audit log, and password reset e-mails are limited per address and per client
without telling anyone whether an address has an account."""

import random
import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from dukportal.core.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Hoa-Sen-Vang#2026"


@pytest.fixture
def ip():
    # A fresh client address and fresh e-mail addresses per test: the reset counters live in the cache.
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 250)}"


def _address():
    return f"canbo-{uuid.uuid4().hex[:10]}@example.vn"


def _entries(action, user=None):
    rows = AuditEntry.objects.filter(action=action)
    return rows.filter(target_type="organizations.user", target_id=str(user.pk)) if user else rows


def test_sign_in_and_sign_out_are_audited(client, ip, db):
    user = UserFactory(username="canbo21")
    client.post(reverse("login"), {"username": "canbo21", "password": PASSWORD}, REMOTE_ADDR=ip)
    entry = _entries("auth.login", user).get()
    assert entry.actor == user and entry.changes == {"ip": ip}
    client.post(reverse("logout"), REMOTE_ADDR=ip)
    assert _entries("auth.logout", user).get().actor == user


def test_failed_sign_in_is_audited_with_the_name_typed_and_no_password(client, ip, db):
    user = UserFactory(username="canbo22")
    client.post(reverse("login"), {"username": "canbo22", "password": "doan-bua-1"}, REMOTE_ADDR=ip)
    client.post(reverse("login"), {"username": "khong-co-ai", "password": "doan-bua-2"}, REMOTE_ADDR=ip)
    known = _entries("auth.login_failed", user).get()
    assert known.actor is None and known.changes == {"username": "canbo22", "ip": ip}
    unknown = AuditEntry.objects.get(action="auth.login_failed", target_type="auth")
    assert unknown.target_repr == "khong-co-ai"
    assert "doan-bua" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_lockout_is_audited(client, ip, db):
    user = UserFactory(username="canbo23")
    for _ in range(5):
        client.post(reverse("login"), {"username": "canbo23", "password": "sai"}, REMOTE_ADDR=ip)
    assert _entries("auth.login_failed", user).count() == 5
    assert _entries("auth.locked_out", user).get().changes == {"username": "canbo23", "ip": ip}


def test_password_change_is_audited(client, ip, db):
    user = UserFactory(username="canbo24")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = _entries("auth.password_change", user).get()
    assert entry.actor == user and entry.changes == {"ip": ip}


def test_password_reset_request_and_completion_are_audited(client, ip, db):
    address = _address()
    user = UserFactory(username="canbo25", email=address)
    response = client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)
    assert response.status_code == 302 and len(mail.outbox) == 1
    request = _entries("auth.password_reset_request", user).get()
    assert request.changes == {"email": address, "ip": ip, "limited": ""}

    link = re.search(r"https?://[^/]+(/dat-lai-mat-khau/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _entries("auth.password_reset", user).get().actor == user


def test_reset_for_an_unknown_address_looks_the_same_and_is_audited(client, ip, db):
    address = _address()
    response = client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []
    assert AuditEntry.objects.get(action="auth.password_reset_request", target_type="auth").target_repr == address


def test_reset_is_limited_to_three_an_hour_per_address(client, ip, db):
    address = _address()
    user = UserFactory(username="canbo26", email=address)
    responses = [
        client.post(reverse("password_reset"), {"email": address.upper()}, REMOTE_ADDR=f"{ip[:-1]}{n}")
        for n in range(4)
    ]
    assert len(mail.outbox) == 3  # the fourth sends nothing…
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}  # …and says so not
    limited = _entries("auth.password_reset_limited", user).get()
    assert limited.changes["limited"] == "address"
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "Nếu địa chỉ thư điện tử có trong hệ thống" in done


def test_reset_is_limited_to_ten_an_hour_per_client(client, ip, db):
    users = [UserFactory(email=_address()) for _ in range(11)]
    for user in users:
        client.post(reverse("password_reset"), {"email": user.email}, REMOTE_ADDR=ip)
    assert len(mail.outbox) == 10
    assert _entries("auth.password_reset_limited", users[-1]).get().changes["limited"] == "ip"
    other = UserFactory(email=_address())
    client.post(
        reverse("password_reset"),
        {"email": other.email},
        REMOTE_ADDR=f"100.64.{random.randrange(256)}.{random.randrange(1, 255)}",
    )
    assert len(mail.outbox) == 11  # another client is not held back

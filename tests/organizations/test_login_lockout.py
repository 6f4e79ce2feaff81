"""Repeated wrong passwords lock the account for that client, with a Vietnamese message; the lock lifts by itself
after the cool-off, and staff can lift it earlier."""

import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOCKED = "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau 15 phút hoặc liên hệ Ban Tuyên giáo."
START = "2026-05-04 08:00 +0700"


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, times, ip="203.0.113.7"):
    for _ in range(times):
        response = _login(client, username, "sai-mat-khau", ip)
        assert response.status_code == 200 and LOCKED not in response.content.decode()


def _lock(client, username, ip="203.0.113.7"):
    _fail(client, username, 4, ip)
    assert _login(client, username, "sai-mat-khau", ip).status_code == 429  # the fifth locks


def test_right_password_is_refused_after_five_failures(client, db):
    user = UserFactory(username="canbo01")
    with time_machine.travel(START, tick=False):
        _fail(client, "canbo01", 4)
        assert _login(client, "canbo01", "sai-mat-khau").status_code == 429  # the fifth locks
        response = _login(client, "canbo01", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and 'name="password"' in page  # the sign-in page, with the message
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).url.startswith(reverse("login"))  # still signed out
    user.refresh_from_db()
    assert user.last_login is None


def test_four_failures_do_not_lock_and_a_success_resets_the_count(client, db):
    UserFactory(username="canbo02")
    _fail(client, "canbo02", 4)
    assert _login(client, "canbo02", PASSWORD).status_code == 302
    client.logout()
    _fail(client, "canbo02", 4)
    assert _login(client, "canbo02", PASSWORD).status_code == 302


def test_lock_lifts_after_fifteen_minutes_even_if_tried_meanwhile(client, db):
    user = UserFactory(username="canbo03")
    with time_machine.travel(START, tick=False) as clock:
        _fail(client, "canbo03", 4)
        _login(client, "canbo03", "sai-mat-khau")
        clock.shift(60 * 10)
        assert _login(client, "canbo03", PASSWORD).status_code == 429  # ten minutes on: still locked
        clock.shift(60 * 5 + 1)
        assert _login(client, "canbo03", PASSWORD).status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_lock_holds_for_the_pair_only(client, db):
    UserFactory(username="canbo04")
    UserFactory(username="canbo05")
    _lock(client, "canbo04")
    assert _login(client, "canbo04", PASSWORD).status_code == 429
    assert _login(client, "canbo05", PASSWORD).status_code == 302  # another account, same client
    client.logout()
    assert _login(client, "canbo04", PASSWORD, ip="198.51.100.9").status_code == 302  # same account elsewhere


def test_forwarded_for_header_does_not_change_the_client(client, db):
    UserFactory(username="canbo06")
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "canbo06", "password": "sai"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = _login(client, "canbo06", PASSWORD)
    assert response.status_code == 429


def test_staff_unlock_with_the_reset_command(client, db):
    UserFactory(username="canbo07")
    _lock(client, "canbo07")
    call_command("axes_reset_username", "canbo07")
    assert _login(client, "canbo07", PASSWORD).status_code == 302


def test_staff_unlock_in_the_data_admin_is_audited(client, db):
    from dukportal.core.models import AuditEntry

    UserFactory(username="canbo08")
    _lock(client, "canbo08")
    attempt = AccessAttempt.objects.get(username="canbo08")
    admin = UserFactory(username="quantri", role="staff", is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:core_signinlockout_changelist")).content.decode()
    assert "canbo08" in listing and "Đang bị khóa" in listing
    url = reverse("admin:core_signinlockout_delete", args=[attempt.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(action="admin.delete", target_type="core.signinlockout")
    assert entry.actor == admin and entry.changes["username"] == "canbo08"
    client.logout()
    assert _login(client, "canbo08", PASSWORD).status_code == 302

"""What a user reads when choosing a password, or when a form's security token has expired, is Vietnamese."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
ENGLISH = re.compile(
    r"\b(password|too|short|common|numeric|similar|characters?|must|CSRF|Forbidden|verification)\b", re.I
)


def _text(response) -> str:
    """Visible text of the page's main content (markup, scripts and attribute values left out)."""
    html = response.content.decode()
    main = html.split("<main", 1)[-1]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize(
    ("new_password", "expected"),
    [
        ("12345", ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự.", "Mật khẩu không được chỉ gồm chữ số."]),
        ("password", ["Mật khẩu này quá phổ biến, dễ bị đoán ra."]),
        ("nguyenvanbinh", ["Mật khẩu quá giống với tên đăng nhập của tài khoản."]),
    ],
)
def test_weak_password_is_refused_in_vietnamese(client, db, new_password, expected):
    user = UserFactory(username="nguyenvanbinh")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    text = _text(response)
    for message in expected:
        assert message.lower() in text.lower()
    assert not ENGLISH.findall(text), ENGLISH.findall(text)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_rules_shown_on_the_form_are_vietnamese(client, db):
    client.force_login(UserFactory())
    text = _text(client.get(reverse("password_change")))
    assert "Mật khẩu phải có ít nhất 8 ký tự." in text
    assert not ENGLISH.findall(text)


def test_post_without_csrf_token_gets_the_vietnamese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "ai-do", "password": "gi-do"})
    assert response.status_code == 403
    text = _text(response)
    assert "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang rồi thử lại." in text
    assert not ENGLISH.findall(text)


def test_signed_in_post_with_a_stale_token_gets_the_vietnamese_page(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()

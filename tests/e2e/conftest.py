import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD


@pytest.fixture
def log_in(page, live_server):
    """Sign in through the real login form and wait until the portal has answered, so the next navigation
    never races the login request."""

    def sign_in(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/dang-nhap/")
        expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        return page

    return sign_in

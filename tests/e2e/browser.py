"""What the browser journeys share: signing in through the real form."""

from tests.factories import PASSWORD


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    return page

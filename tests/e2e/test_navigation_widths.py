"""The navigation bar fits on one line from 1,200 to 1,600 px wide for the role with the most entries (staff), the
user menu stays visible, and the skip link is the first thing the keyboard reaches."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ONE_LINE = """() => {
  const bar = document.querySelector("nav.navbar");
  const items = [...bar.querySelectorAll(".navbar-nav > .nav-item")].filter(li => li.offsetParent !== null);
  const tops = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
  return {items: items.length, rows: tops.size, barOverflow: bar.scrollWidth - bar.clientWidth,
          pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
          barHeight: bar.getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width", [1200, 1280, 1366, 1440, 1600])
def test_navigation_fits_on_one_line_with_the_user_menu_visible(page, live_server, log_in, staff_user, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(staff_user.username)
    page.goto(f"{live_server.url}/tong-quan/")
    expect(page.get_by_role("button", name="Mở menu")).to_be_hidden()  # the full bar, not the collapsed toggler
    user_menu = page.locator("nav .dropdown-toggle", has_text=staff_user.get_full_name())
    expect(user_menu).to_be_visible()
    box = user_menu.bounding_box()
    assert box["x"] + box["width"] <= width
    fit = page.evaluate(ONE_LINE)
    assert fit["items"] >= 8, fit  # six sections, the bell and the user menu
    assert fit["rows"] == 1, fit
    assert fit["barOverflow"] <= 0 and fit["pageOverflow"] <= 0, fit
    user_menu.click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(page, live_server, log_in, staff_user):
    log_in(staff_user.username)
    page.goto(f"{live_server.url}/tong-quan/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus ring shows
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

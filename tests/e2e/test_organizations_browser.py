"""In a real browser: an officer sees their own organisation and cells and is refused another's page;
staff see every organisation."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, CellFactory, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_officer_sees_own_organisation_and_cells_and_is_refused_another(
    page, live_server, officer_user, organization, other_organization
):
    own_cell = CellFactory(organization=organization, name="Chi bộ Phòng Ngân sách")
    MemberFactory(organization=organization, cell=own_cell)
    CellFactory(organization=other_organization, name="Chi bộ Phòng Nghiệp vụ Y")

    sign_in(page, live_server, officer_user.username)

    expect(page.get_by_role("heading", name=organization.name)).to_be_visible()
    expect(page.locator("#cell-table")).to_contain_text("Chi bộ Phòng Ngân sách")
    expect(page.locator("#member-count")).to_have_text("1")

    response = page.goto(f"{live_server.url}/to-chuc/{other_organization.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Chi bộ Phòng Nghiệp vụ Y")
    response = page.goto(f"{live_server.url}/to-chuc/")
    assert response.status == 403


def test_staff_see_every_organisation_with_counts(page, live_server, staff_user, organization, other_organization):
    CellFactory(organization=other_organization, name="Chi bộ Phòng Nghiệp vụ Y")

    sign_in(page, live_server, staff_user.username)

    table = page.locator("#organization-table")
    expect(table).to_contain_text(organization.name)
    expect(table).to_contain_text(other_organization.name)
    expect(page.locator("#totals")).to_contain_text("2 tổ chức cơ sở đảng")
    expect(page.locator("#totals")).to_contain_text("1 chi bộ trực thuộc")
    page.get_by_role("link", name=other_organization.name).click()
    expect(page.locator("#cell-table")).to_contain_text("Chi bộ Phòng Nghiệp vụ Y")

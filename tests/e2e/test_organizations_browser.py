"""In a real browser: an officer sees their own organisation and cells and is refused another's page;
staff see every organisation."""

import pytest
from playwright.sync_api import expect

from tests.factories import CellFactory, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_sees_own_organisation_and_cells_and_is_refused_another(
    page, live_server, log_in, officer_user, organization, other_organization
):
    own_cell = CellFactory(organization=organization, name="Chi bộ Phòng Ngân sách")
    MemberFactory(organization=organization, cell=own_cell)
    CellFactory(organization=other_organization, name="Chi bộ Phòng Nghiệp vụ Y")

    log_in(officer_user.username)

    expect(page.get_by_role("heading", name=organization.name)).to_be_visible()
    expect(page.locator("#cell-table")).to_contain_text("Chi bộ Phòng Ngân sách")
    expect(page.locator("#member-count")).to_have_text("1")

    response = page.goto(f"{live_server.url}/to-chuc/{other_organization.pk}/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Chi bộ Phòng Nghiệp vụ Y")
    response = page.goto(f"{live_server.url}/to-chuc/")
    assert response.status == 403


def test_staff_see_every_organisation_with_counts(
    page, live_server, log_in, staff_user, organization, other_organization
):
    CellFactory(organization=other_organization, name="Chi bộ Phòng Nghiệp vụ Y")

    log_in(staff_user.username)

    expect(page.get_by_role("heading", name="Tổng quan công tác dân vận")).to_be_visible()
    expect(page.locator("#organization-total")).to_have_text("2")
    page.get_by_role("link", name="Danh sách tổ chức").click()
    table = page.locator("#organization-table")
    expect(table).to_contain_text(organization.name)
    expect(table).to_contain_text(other_organization.name)
    expect(page.locator("#totals")).to_contain_text("2 tổ chức cơ sở đảng")
    expect(page.locator("#totals")).to_contain_text("1 chi bộ trực thuộc")
    page.get_by_role("link", name=other_organization.name).click()
    expect(page.locator("#cell-table")).to_contain_text("Chi bộ Phòng Nghiệp vụ Y")

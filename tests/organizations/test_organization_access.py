"""Who sees which organisation: every organisations view that takes an id refuses an officer of another
organisation (404, never the data); staff-only pages refuse leaders and officers (403); anonymous users are
sent to the login page."""

import pytest
from django.urls import URLPattern, reverse

from organizations import urls as organization_urls
from tests.factories import CellFactory, MemberFactory

pytestmark = pytest.mark.django_db

# Every id-taking view, and which object its id names.
ID_VIEWS = {"detail": "organization", "members": "organization", "cell": "cell"}
# (The member export is a job now: tests/organizations/test_excel_export.py checks who may start it.)
STAFF_ONLY_VIEWS = ["import", "import_template"]
READER_VIEWS = ["list"]
# Staff-only pages that take an organisation's id: every officer and leader gets 403 before any lookup
# (tests/organizations/test_reorganization.py checks them).
STAFF_ONLY_ID_VIEWS = {"reorganize": "organization"}


def test_matrix_covers_every_id_taking_view():
    id_taking = {p.name for p in organization_urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters}
    assert id_taking == set(ID_VIEWS) | set(STAFF_ONLY_ID_VIEWS)


@pytest.fixture
def foreign(other_organization):
    cell = CellFactory(organization=other_organization, name="Chi bộ của đơn vị khác")
    MemberFactory(organization=other_organization, cell=cell, full_name="Lường Thị Bí Mật")
    return {"organization": other_organization.pk, "cell": cell.pk}


@pytest.fixture
def own(organization):
    cell = CellFactory(organization=organization, name="Chi bộ Phòng Ngân sách")
    MemberFactory(organization=organization, cell=cell, full_name="Nguyễn Đức Phương")
    return {"organization": organization.pk, "cell": cell.pk}


@pytest.mark.parametrize("name", sorted(ID_VIEWS))
def test_officer_of_another_organisation_gets_404(officer_client, foreign, name):
    response = officer_client.get(reverse(f"organizations:{name}", args=[foreign[ID_VIEWS[name]]]))
    assert response.status_code == 404
    assert "Bí Mật" not in response.content.decode()
    assert "đơn vị khác" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(ID_VIEWS))
def test_officer_reads_own_organisation(officer_client, own, name):
    response = officer_client.get(reverse(f"organizations:{name}", args=[own[ID_VIEWS[name]]]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(ID_VIEWS))
def test_leader_and_staff_read_any_organisation(leader_client, foreign, name):
    response = leader_client.get(reverse(f"organizations:{name}", args=[foreign[ID_VIEWS[name]]]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(ID_VIEWS))
def test_anonymous_is_sent_to_login(client, foreign, name):
    response = client.get(reverse(f"organizations:{name}", args=[foreign[ID_VIEWS[name]]]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", STAFF_ONLY_VIEWS)
def test_staff_only_pages_refuse_leaders_and_officers(client, leader_user, officer_user, name):
    for user in (leader_user, officer_user):
        client.force_login(user)
        assert client.get(reverse(f"organizations:{name}")).status_code == 403
        assert client.post(reverse(f"organizations:{name}")).status_code in (403, 405)


@pytest.mark.parametrize("name", STAFF_ONLY_VIEWS)
def test_staff_open_staff_only_pages(staff_client, name):
    assert staff_client.get(reverse(f"organizations:{name}")).status_code == 200


def test_officer_cannot_list_all_organisations(officer_client, own, foreign):
    assert officer_client.get(reverse("organizations:list")).status_code == 403


def test_member_search_of_an_officer_finds_only_own_members(officer_client, own, foreign):
    page = officer_client.get(reverse("organizations:member_search"), {"q": "thi"}).content.decode()
    everyone = officer_client.get(reverse("organizations:member_search"), {"q": "nguyen duc phuong"}).content.decode()
    assert "Lường Thị Bí Mật" not in page
    assert "Nguyễn Đức Phương" in everyone


def test_officer_home_is_own_organisation(officer_client, organization):
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("organizations:detail", args=[organization.pk])


def test_refusals_are_explained_in_vietnamese(officer_client, foreign):
    not_found = officer_client.get(reverse("organizations:detail", args=[foreign["organization"]]))
    forbidden = officer_client.get(reverse("organizations:list"))
    assert "Không tìm thấy trang" in not_found.content.decode()
    assert "Không có quyền truy cập" in forbidden.content.decode()


def test_user_names_are_shown_family_name_first(staff_client, staff_user):
    page = staff_client.get(reverse("organizations:list")).content.decode()
    assert staff_user.get_full_name() == "Nguyễn Đức Phương"
    assert "Nguyễn Đức Phương" in page

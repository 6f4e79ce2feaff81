"""Every write through the data admin (/quan-tri/) leaves an audit row with each changed field before and after,
and only a superuser can grant or revoke rights."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from dukportal.core.admin import AuditedAdminMixin
from dukportal.core.models import AuditEntry
from organizations.models import MassOrganization, Role, User
from tests.dukportal_core.admin_forms import form_data
from tests.factories import MassOrganizationFactory, MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rows(obj, action):
    return AuditEntry.objects.filter(action=action, target_type=obj._meta.label_lower, target_id=str(obj.pk))


def _change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page, **changes))


@pytest.fixture
def superuser(bloc):
    return UserFactory(username="sieuquantri", role=Role.STAFF, is_superuser=True)


@pytest.fixture
def admin_staff(bloc):
    """A committee staff member with every model permission of the portal's apps, as seed_demo gives, but no
    superuser flag."""
    user = UserFactory(username="canbobtg", role=Role.STAFF)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["organizations", "reports", "core"])
    )
    return user


def test_every_registered_admin_is_audited():
    plain = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert plain == []


def test_staff_cannot_make_themselves_superuser(client, admin_staff):
    client.force_login(admin_staff)
    response = _change(client, admin_staff, is_superuser="on", first_name="Phương")
    assert response.status_code == 302
    admin_staff.refresh_from_db()
    assert not admin_staff.is_superuser and admin_staff.first_name == "Phương"
    assert not _rows(admin_staff, "account.privileges_change").exists()


def test_staff_cannot_grant_rights_to_an_officer(client, admin_staff, organization):
    officer = UserFactory(username="canbo9", role=Role.OFFICER, organization=organization)
    group_permission = Permission.objects.get(codename="change_user")
    client.force_login(admin_staff)
    _change(client, officer, is_superuser="on", is_staff="on", user_permissions=str(group_permission.pk))
    officer.refresh_from_db()
    assert (officer.is_superuser, officer.is_staff, officer.user_permissions.count()) == (False, False, 0)
    response = _change(client, officer, role=Role.STAFF, organization="")
    assert response.status_code == 200  # the staff role is not offered: the form comes back with an error
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER


def test_staff_cannot_edit_or_reset_a_superuser(client, admin_staff, superuser):
    client.force_login(admin_staff)
    url = reverse("admin:organizations_user_change", args=[superuser.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()  # view only
    client.post(url, form_data(page, is_superuser=None, is_active=None))
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    response = client.post(password_url, {"password1": "MatKhauMoi#2026x", "password2": "MatKhauMoi#2026x"})
    assert response.status_code == 403
    delete_url = reverse("admin:organizations_user_delete", args=[superuser.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_staff_cannot_bulk_delete_a_superuser(client, admin_staff, superuser, leader_user):
    client.force_login(admin_staff)
    response = client.post(
        reverse("admin:organizations_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk, leader_user.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert User.objects.filter(pk__in=[superuser.pk, leader_user.pk]).count() == 2
    assert not AuditEntry.objects.filter(action="admin.delete").exists()


def test_superuser_grants_rights_and_the_grant_is_audited(client, superuser, leader_user):
    client.force_login(superuser)
    response = _change(client, leader_user, is_staff="on", is_superuser="on", role=Role.STAFF)
    assert response.status_code == 302
    leader_user.refresh_from_db()
    assert leader_user.is_superuser and leader_user.is_staff and leader_user.role == Role.STAFF
    grant = _rows(leader_user, "account.privileges_change").get()
    assert grant.actor == superuser
    assert grant.changes["is_superuser"] == {"before": False, "after": True}
    assert grant.changes["role"] == {"before": "leader", "after": "staff"}

    _change(client, leader_user, is_superuser=None)  # and the revoke
    revoke = _rows(leader_user, "account.privileges_change").latest("pk")
    assert revoke.changes == {"is_superuser": {"before": True, "after": False}}


def test_password_set_in_the_admin_is_audited_without_the_hash(client, superuser, leader_user):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[leader_user.pk])
    client.post(url, {"password1": "MatKhauMoi#2026x", "password2": "MatKhauMoi#2026x", "usable_password": "true"})
    leader_user.refresh_from_db()
    assert leader_user.check_password("MatKhauMoi#2026x")
    entry = _rows(leader_user, "account.password_set").get()
    assert entry.actor == superuser and "pbkdf2" not in str(entry.changes) and "md5" not in str(entry.changes)


def test_editing_a_mass_organisation_records_before_and_after(client, admin_staff):
    mass = MassOrganizationFactory(email="cu@example.vn")
    client.force_login(admin_staff)
    assert _change(client, mass, email="moi@example.vn").status_code == 302
    entry = _rows(mass, "admin.change").get()
    assert entry.actor == admin_staff
    assert entry.changes == {"email": {"before": "cu@example.vn", "after": "moi@example.vn"}}


def test_editing_an_organisation_and_a_member_through_the_service_is_audited(client, admin_staff):
    organization = OrganizationFactory(secretary_name="Nguyễn Văn An")
    member = MemberFactory(organization=organization, full_name="Trần Thị Bình")
    client.force_login(admin_staff)
    assert _change(client, organization, secretary_name="Lê Văn Cường").status_code == 302
    assert _rows(organization, "admin.change").get().changes["secretary_name"] == {
        "before": "Nguyễn Văn An",
        "after": "Lê Văn Cường",
    }
    assert _rows(organization, "organization.update").exists()  # the service's own row too
    assert _change(client, member, full_name="Trần Thị Bích").status_code == 302
    changes = _rows(member, "admin.change").get().changes
    assert changes["full_name"] == {"before": "Trần Thị Bình", "after": "Trần Thị Bích"}


def test_creating_in_the_admin_is_audited(client, admin_staff, bloc):
    client.force_login(admin_staff)
    url = reverse("admin:organizations_massorganization_add")
    response = client.post(
        url, {"bloc": bloc.pk, "name": "Hội Cựu chiến binh Khối", "kind": "veterans", "valid_from": "01/01/2020"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    mass = MassOrganization.objects.get(name="Hội Cựu chiến binh Khối")
    assert _rows(mass, "admin.create").get().changes["name"] == {"before": None, "after": "Hội Cựu chiến binh Khối"}


def test_delete_and_bulk_delete_are_audited(client, admin_staff, bloc):
    first, second, third = (MassOrganizationFactory(name=f"Đoàn thể {n}") for n in range(3))
    client.force_login(admin_staff)
    client.post(reverse("admin:organizations_massorganization_delete", args=[first.pk]), {"post": "yes"})
    assert _rows(first, "admin.delete").get().changes["name"] == "Đoàn thể 0"
    client.post(
        reverse("admin:organizations_massorganization_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk, third.pk], "post": "yes"},
    )
    assert not MassOrganization.objects.exists()
    for obj in (second, third):
        entry = _rows(obj, "admin.delete").get()
        assert entry.actor == admin_staff and entry.changes["bulk"] is True


def test_list_editable_edits_are_audited(client, admin_staff, monkeypatch):
    mass = MassOrganizationFactory(email="cu@example.vn")
    monkeypatch.setattr(admin.site._registry[MassOrganization], "list_editable", ("email",))
    client.force_login(admin_staff)
    url = reverse("admin:organizations_massorganization_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(mass.pk),
        "form-0-email": "moi@example.vn",
        "_save": "Lưu",
    }
    assert client.post(url, data).status_code == 302
    mass.refresh_from_db()
    assert mass.email == "moi@example.vn"
    assert _rows(mass, "admin.change").get().changes == {
        "email": {"before": "cu@example.vn", "after": "moi@example.vn"}
    }


def test_only_a_superuser_edits_groups(client, admin_staff):
    admin_staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(admin_staff)
    assert client.get(reverse("admin:auth_group_add")).status_code == 403

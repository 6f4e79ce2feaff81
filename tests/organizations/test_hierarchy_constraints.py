"""The organisation hierarchy's invariants hold in the database itself, not only in forms."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organizations.models import BaseOrganizationKind, Cell, Member
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_database_refuses_a_cell_under_a_chi_bo_co_so(bloc):
    chi_bo = OrganizationFactory(kind=BaseOrganizationKind.CELL)
    _refused(lambda: Cell.objects.create(organization=chi_bo, code="CB-X", name="Chi bộ sai cấp"))
    assert not Cell.objects.filter(code="CB-X").exists()


def test_moving_a_cell_under_a_chi_bo_co_so_is_refused(bloc):
    cell = CellFactory()
    chi_bo = OrganizationFactory(kind=BaseOrganizationKind.CELL)
    _refused(lambda: Cell.objects.filter(pk=cell.pk).update(organization=chi_bo))


def test_organisation_with_cells_cannot_become_chi_bo_co_so(bloc):
    cell = CellFactory()
    organization = cell.organization
    _refused(lambda: type(organization).objects.filter(pk=organization.pk).update(kind=BaseOrganizationKind.CELL))
    organization.refresh_from_db()
    assert organization.kind == BaseOrganizationKind.COMMITTEE


def test_member_cell_must_belong_to_the_member_organisation(bloc):
    cell = CellFactory()
    other = OrganizationFactory()
    member = MemberFactory(organization=cell.organization, cell=cell)
    _refused(lambda: Member.objects.filter(pk=member.pk).update(organization=other))


def test_codes_are_unique(bloc):
    OrganizationFactory(code="SOTC")
    _refused(lambda: OrganizationFactory(code="SOTC"))
    CellFactory(code="CB1")
    _refused(lambda: CellFactory(code="CB1"))


def test_validity_end_before_start_is_refused(bloc):
    _refused(lambda: OrganizationFactory(valid_from=date(2020, 1, 1), valid_to=date(2019, 12, 31)))


def test_form_level_validation_explains_the_rule_in_vietnamese(bloc):
    chi_bo = OrganizationFactory(kind=BaseOrganizationKind.CELL)
    cell = Cell(organization=chi_bo, code="CB-Y", name="Chi bộ Y")
    with pytest.raises(ValidationError) as error:
        cell.full_clean()
    assert "chỉ được đặt dưới một đảng bộ cơ sở" in str(error.value.message_dict["organization"])

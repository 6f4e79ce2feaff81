"""Check constraints answered in Python (dukportal.core.constraints) agree with Django's check on the database for
every check constraint of every model, on rows built from the values each condition names, their neighbours and
NULL; a violated constraint still stops a save; a foreign key set by id to a missing row is still refused."""

import itertools
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from democracy_regs.models import DemocracyPlan
from dukportal.core.constraints import UNDECIDED, check_passes, evaluate
from models_danvan.models import Registration
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _names_and_literals(condition: Q, names: set, literals: dict) -> None:
    for child in condition.children:
        if isinstance(child, Q):
            _names_and_literals(child, names, literals)
            continue
        path, value = child
        name = path.split(LOOKUP_SEP)[0]
        names.add(name)
        if isinstance(value, F):
            names.add(value.name)
        elif isinstance(value, list | tuple | set | frozenset):
            literals.setdefault(name, []).extend(value)
        elif not isinstance(value, bool) or not path.endswith("__isnull"):
            literals.setdefault(name, []).append(value)


def _candidates(field: models.Field, literals: list) -> list:
    """NULL, the condition's own values and their neighbours, and a typical value of the field's type."""
    values: list = [None, *literals]
    for value in literals:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            values += [value - 1, value + 1]
        elif isinstance(value, date):
            values += [value - timedelta(days=1), value + timedelta(days=1)]
    if isinstance(field, models.ForeignKey):
        values += [1, 2]
    elif isinstance(field, models.DateTimeField):
        moment = timezone.make_aware(datetime(2024, 6, 1, 8, 0))
        values += [moment, moment + timedelta(hours=1)]
    elif isinstance(field, models.DateField):
        values += [date(2024, 6, 1), date(2024, 6, 2), date(2024, 5, 31)]
    elif isinstance(field, models.BooleanField):
        values += [True, False]
    elif isinstance(field, models.IntegerField | models.DecimalField):
        values += [0, 1, 2, 100]
    elif isinstance(field, models.CharField | models.TextField):
        values += ["", "x", *(choice for choice, _label in field.flatchoices)]
    return list(dict.fromkeys(values))  # keeps order, drops repeats


def _check_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield pytest.param(model, constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.parametrize(("model", "constraint"), list(_check_constraints()))
def test_python_answer_agrees_with_the_database(model, constraint):
    names: set = set()
    literals: dict = {}
    _names_and_literals(Q(constraint.condition), names, literals)
    fields = {field.name: field for field in model._meta.local_concrete_fields}
    assert names <= set(fields) | {"pk"}, names - set(fields)
    columns = sorted(names - {"pk"})
    grid = list(itertools.product(*(_candidates(fields[name], literals.get(name, [])) for name in columns)))
    rows = random.Random(constraint.name).sample(grid, min(len(grid), 250))
    decided = 0
    for row in rows:
        instance = model()
        for name, value in zip(columns, row, strict=True):
            setattr(instance, fields[name].attname, value)
        answer = check_passes(constraint, model, instance, exclude=None)
        try:
            models.CheckConstraint.validate(constraint, model, instance)  # Django's own: a query
            database = True
        except ValidationError:
            database = False
        if answer is not UNDECIDED:
            decided += 1
            assert answer is database, dict(zip(columns, row, strict=True))
    assert decided, "no row was decided in Python"


def test_undecidable_conditions_are_left_to_the_database():
    values = {"name": "Ánh", "start": date(2024, 1, 1), "end": date(2024, 1, 2), "moment": timezone.now()}
    assert evaluate(Q(name__gt="A"), values) is UNDECIDED  # text ordering: the database's collation
    assert evaluate(Q(name__icontains="a"), values) is UNDECIDED
    assert evaluate(Q(start__year=2024), values) is UNDECIDED  # a transform
    assert evaluate(Q(start__lt=F("moment")), values) is UNDECIDED  # a date against a datetime
    assert evaluate(Q(start=1), values) is UNDECIDED  # mixed kinds
    assert evaluate(Q(start__lt=F("end")) ^ Q(name="x"), values) is UNDECIDED
    # SQL's three-valued logic: unknown unless false, NOT unknown is unknown, OR with true is true.
    assert evaluate(Q(end__gte=F("missing_value")), {**values, "missing_value": None}) is None
    assert evaluate(~Q(end__gte=F("start")), {**values, "end": None}) is None
    assert evaluate(~Q(end__gte=F("start")) | Q(name="Ánh"), {**values, "end": None}) is True
    assert evaluate(Q(end__isnull=True) | Q(end__gte=F("start")), {**values, "end": None}) is True


def test_violated_constraint_still_stops_the_save(staff_user):
    registration = RegistrationFactory.build(
        campaign=CampaignFactory(year=2024, created_by=staff_user),
        organization=OrganizationFactory(),
        created_by=staff_user,
        start_date=date(2024, 6, 1),
        end_date=date(2024, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        registration.validate_constraints()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in str(error.value)
    assert "Mô hình cấp cơ sở phải thuộc một tổ chức" not in str(error.value)
    registration.end_date, registration.organization = date(2024, 7, 1), None  # a base-level model of no one
    with pytest.raises(ValidationError) as error:
        registration.validate_constraints()
    assert "Mô hình cấp cơ sở phải thuộc một tổ chức" in str(error.value)


def test_foreign_key_set_by_id_to_a_missing_row_is_refused(staff_user, django_assert_num_queries):
    registration = RegistrationFactory(campaign=CampaignFactory(year=2024, created_by=staff_user))
    held = Registration.objects.select_related("campaign", "organization", "created_by").get(pk=registration.pk)
    with django_assert_num_queries(0):  # the rows it refers to are held: nothing to look up
        held.full_clean()
    held.created_by_id = 10**9  # an id set by hand: the held user is not that one
    with pytest.raises(ValidationError) as error:
        held.full_clean()
    assert "created_by" in error.value.message_dict


def test_a_row_read_from_the_database_is_not_asked_again_what_it_stored(staff_user, django_assert_num_queries):
    """Its stored references and the constraints over its stored values were the database's to check when it
    stored them (what submission_submit relies on for the draft it has just locked); a value changed since is
    checked as before, and once the row is saved the values read no longer vouch for anything."""
    cycle = open_cycle(staff_user)
    first, second = OrganizationFactory(), OrganizationFactory()
    PlanFactory(cycle=cycle, organization=first, created_by=staff_user)
    plan = PlanFactory(cycle=cycle, organization=second, created_by=staff_user, status="draft")
    stored = DemocracyPlan.objects.get(pk=plan.pk)  # nothing held: no select_related
    with django_assert_num_queries(0):  # no SELECT 1 a reference, no query for one-per-cycle
        stored.full_clean()
    stored.organization_id = first.pk  # taken: the unique constraint is asked, and refuses
    with pytest.raises(ValidationError) as error:
        stored.full_clean()
    assert "Đơn vị đã có kế hoạch thực hiện Quy chế dân chủ cho năm này." in str(error.value)
    stored.organization_id = 10**9  # a reference changed by hand to no row: looked up, refused
    with pytest.raises(ValidationError) as error:
        stored.full_clean()
    assert "organization" in error.value.message_dict
    stored.organization_id = second.pk
    stored.save()
    # Saved: the cycle, the organisation and the creator looked up, one-per-cycle asked (a query in a savepoint).
    with django_assert_num_queries(6):
        stored.full_clean()

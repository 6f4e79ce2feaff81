"""The data admin lists QCDC rows read-only: writes go through the portal's services."""

import pytest
from django.urls import reverse

from tests.democracy_regs.factories import MembershipFactory, PlanFactory, open_cycle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MODELS = ["democracycycle", "democracyplan", "steeringcommittee", "steeringcommitteemembership",
          "selfinspectionreport", "brightspot"]  # fmt: skip


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_rows_without_add_or_change(client, staff_user, model):
    cycle = open_cycle(staff_user)
    PlanFactory(cycle=cycle)
    MembershipFactory()
    client.force_login(UserFactory(role="staff", is_superuser=True))
    assert client.get(reverse(f"admin:democracy_regs_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:democracy_regs_{model}_add")).status_code == 403

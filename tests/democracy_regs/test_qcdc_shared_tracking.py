"""QCDC obligations appear in the shared deadline tracking and compliance matrix, which name no kind."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.democracy_regs.factories import PlanFactory, ReportFactory, open_cycle

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_compliance_matrix_has_the_four_qcdc_columns(staff_client, staff_user, organization, other_organization):
    cycle = open_cycle(staff_user, inspected=[organization])
    PlanFactory(cycle=cycle, organization=organization, submitted_at=datetime(2024, 5, 2, tzinfo=HCM))
    ReportFactory(
        cycle=cycle,
        organization=organization,
        kind="inspection_visit",
        period_start=date(2023, 10, 1),
        period_end=date(2024, 9, 30),
        submitted_at=datetime(2024, 8, 20, tzinfo=HCM),
    )
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024})
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("Kế hoạch QCDC", "Ban chỉ đạo QCDC", "Tự kiểm tra QCDC", "Báo cáo đơn vị được kiểm tra"):
        assert label in page

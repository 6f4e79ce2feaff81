"""The report's deadlines reach tracking, the compliance matrix and reminders through the Obligation registry
alone (no line in those modules names this app)."""

from datetime import date
from pathlib import Path

from dukportal.notifications import selectors as tracking
from indicators import services
from indicators.models import AudienceKind, IndicatorKind, PeriodKind
from organizations.models import Sector
from tests.factories import OrganizationFactory

from .conftest import at


def test_tracking_matrix_and_reminders_show_the_round(
    staff_user, officer_user, organization, other_organization, first_half
):
    with at(date(2024, 7, 10)):
        report = services.report_create(
            actor=officer_user, round_=first_half, organization=organization, values={"nhiem_vu": "3"}
        )
        services.report_submit(actor=officer_user, report=report)
    with at(date(2024, 7, 12)):
        progress = tracking.deadline_progress(staff_user, today=date(2024, 7, 12))
    row = next(p for p in progress if p.deadline.kind == "indicators.report")
    assert (row.label, row.ratio_label) == ("Báo cáo định kỳ", "1/2")
    assert [o.organization.pk for o in row.owing] == [other_organization.pk]

    matrix = tracking.compliance_matrix(staff_user, year=2024, on=date(2024, 7, 12))
    [column] = [c for c in matrix.columns if c.deadline.kind == "indicators.report"]
    assert (column.label, column.ratio_label) == ("Báo cáo định kỳ", "1/2")

    [(deadline, kind, owing)] = [
        w for w in tracking.reminders_due(date(2024, 7, 14)) if w[0].kind == "indicators.report"
    ]
    assert kind == "before" and owing == [other_organization.pk]


def test_a_sector_report_is_owed_by_that_sector_only(staff_user, organization):
    enterprise = OrganizationFactory(sector=Sector.ENTERPRISE, name="Đảng bộ Công ty Điện lực")
    definition = services.definition_create(
        actor=staff_user,
        name="Báo cáo sản xuất kinh doanh",
        period_kind=PeriodKind.YEAR,
        audience=AudienceKind.SECTOR,
        sector=Sector.ENTERPRISE,
    )
    services.indicator_add(
        actor=staff_user, definition=definition, code="doanh_thu", label="Doanh thu", kind=IndicatorKind.MONEY
    )
    round_ = services.round_open(actor=staff_user, definition=definition, year=2024)
    assert round_.due_date == date(2025, 1, 15)
    owing = tracking.owing_organizations(services.round_deadline(round_), date(2025, 1, 20))
    assert owing == [enterprise]
    matrix = tracking.compliance_matrix(staff_user, year=2024, on=date(2025, 1, 20))
    cells = {row.organization.pk: row.cells[0] for row in matrix.rows}
    assert cells[organization.pk] is None and cells[enterprise.pk].code == "late"


def test_a_chosen_list_report_is_owed_by_the_list(staff_user, organization, other_organization):
    definition = services.definition_create(
        actor=staff_user,
        name="Báo cáo đơn vị điểm",
        period_kind=PeriodKind.QUARTER,
        audience=AudienceKind.CHOSEN,
        organizations=[other_organization],
    )
    round_ = services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    assert round_.due_date == date(2024, 7, 15)
    assert tracking.owing_organizations(services.round_deadline(round_), date(2024, 7, 1)) == [other_organization]


def test_tracking_matrix_and_reminders_do_not_name_this_app():
    root = Path(__file__).resolve().parents[2] / "dukportal"
    for path in (root / "notifications").rglob("*.py"):
        assert "indicators" not in path.read_text(encoding="utf-8"), path

"""A cycle's figures on a known scenario, modelled on dispatch 1720-CV/ĐUK ("đã có 40/74 chi, đảng bộ cơ sở
xây dựng kế hoạch thực hiện Quy chế dân chủ cơ sở"), the organisations still missing, the Excel export, and a
constant number of queries whatever the size of the bloc (test_qcdc_statistics_queries.py)."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from democracy_regs import selectors
from democracy_regs.models import DemocracyCycle, InspectionReportKind
from tests import module_data
from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    MembershipFactory,
    PlanFactory,
    ReportFactory,
    complete_committee,
    open_cycle,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2024, 10, 1)


def build_scenario(staff_user, size=74):
    """`size` organisations active all year, one dissolved before the year, one set up in June; three chosen
    for the inspection visit. For size=74: 40 plans sent, 15 committees complete, 12 reports, 2 of 3 visits."""
    orgs = [OrganizationFactory(name=f"Đảng bộ đơn vị {n:02d}", phone=f"0216 {n:06d}") for n in range(size)]
    OrganizationFactory(name="Đảng bộ đã giải thể", valid_to=date(2023, 12, 31))
    newcomer = OrganizationFactory(name="Chi bộ thành lập tháng 6", valid_from=date(2024, 6, 1))
    inspected = orgs[:3]
    cycle = open_cycle(staff_user, inspected=inspected)
    k = size * 40 // 74  # plans sent
    for i, org in enumerate(orgs[:k]):
        status = "accepted" if i < 8 else "returned" if i < 10 else "submitted"
        PlanFactory(cycle=cycle, organization=org, status=status, submitted_at=datetime(2024, 5, 1, tzinfo=HCM))
    for org in orgs[k : k + 5]:
        PlanFactory(cycle=cycle, organization=org, status="draft")  # drafts are not counted
    c = size * 20 // 74
    for i, org in enumerate(orgs[:c]):
        CommitteeFactory(cycle=cycle, organization=org, submitted_at=datetime(2024, 5, 2, tzinfo=HCM))
        if i < c * 3 // 4:
            complete_committee(org)
        else:
            MembershipFactory.create_batch(3, organization=org)  # no head: not complete
    for org in orgs[c : c + 3]:
        complete_committee(org)  # complete but never sent: not counted
    for org in orgs[3:13]:
        ReportFactory(cycle=cycle, organization=org, submitted_at=datetime(2024, 9, 20, tzinfo=HCM))
    visit = {
        "kind": InspectionReportKind.INSPECTION_VISIT,
        "period_start": date(2023, 10, 1),
        "period_end": date(2024, 9, 30),
    }
    ReportFactory(cycle=cycle, organization=inspected[0], submitted_at=datetime(2024, 8, 28, tzinfo=HCM), **visit)
    ReportFactory(cycle=cycle, organization=inspected[1], submitted_at=datetime(2024, 9, 5, tzinfo=HCM), **visit)
    ReportFactory(cycle=cycle, organization=inspected[2], status="draft", **visit)
    BrightSpotFactory.create_batch(2, cycle=cycle, organization=orgs[0])
    BrightSpotFactory(cycle=cycle, organization=orgs[1], kind="government", status="accepted")
    BrightSpotFactory(cycle=cycle, organization=orgs[2], kind="government", status="draft")
    return cycle, orgs, newcomer


@pytest.fixture(scope="module")
def scenario_once(django_db_setup, django_db_blocker):
    """Built once for the module (tests/module_data.py)."""
    with module_data.built_once(django_db_blocker, build_scenario) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("scenario_once")


@pytest.fixture
def scenario(scenario_once, db):
    cycle, orgs, newcomer = scenario_once
    return DemocracyCycle.objects.get(pk=cycle.pk), orgs, newcomer


def test_plans_received_40_of_74(scenario):
    cycle, orgs, _ = scenario
    stats = selectors.cycle_summary(cycle, on=TODAY, missing=None)
    assert stats.plans.ratio_label == "40/74"
    assert (stats.plans.accepted, stats.plans.returned) == (8, 2)  # returned plans were received
    assert [row.organization_id for row in stats.plans.missing] == [org.pk for org in orgs[40:]]


def test_committees_count_only_sent_and_complete(scenario):
    cycle, orgs, _ = scenario
    stats = selectors.cycle_summary(cycle, on=TODAY, missing=None)
    assert stats.committees.ratio_label == "15/74"
    incomplete = {row.name: row.label for row in stats.committees.missing if row.code == "incomplete"}
    assert len(incomplete) == 5
    assert incomplete[orgs[19].name] == "Ban chỉ đạo chưa có trưởng ban"


def test_self_inspection_counts_organisations_active_on_its_own_deadline(scenario):
    cycle, orgs, newcomer = scenario
    stats = selectors.cycle_summary(cycle, on=TODAY, missing=None)
    # 10 general reports + 2 sent by inspected units (their report counts as their self-inspection report);
    # the organisation set up in June owes one too, the dissolved one does not.
    assert stats.self_inspections.ratio_label == "12/75"
    assert newcomer.pk in [row.organization_id for row in stats.self_inspections.missing]
    assert stats.self_inspections.due_date == date(2024, 10, 25)


def test_inspected_units_have_their_own_earlier_deadline_and_list(scenario):
    cycle, orgs, _ = scenario
    stats = selectors.cycle_summary(cycle, on=TODAY)
    visits = stats.inspection_visits
    assert (visits.ratio_label, visits.due_date) == ("2/3", date(2024, 9, 1))
    assert visits.sent_late == 1  # sent on 05/9, after 01/9
    [missing] = visits.missing
    assert missing.organization_id == orgs[2].pk
    assert missing.code == "late"  # nothing sent, and 01/9 is past on 01/10


def test_bright_spots_are_counted_by_kind_without_drafts(scenario):
    cycle, *_ = scenario
    counts = {kind: (sent, accepted) for kind, _, sent, accepted in selectors.cycle_summary(cycle).bright_spots}
    assert counts == {"democracy": (2, 0), "government": (1, 1)}


def test_statistics_page_lists_missing_organisations_with_contact(leader_client, scenario):
    cycle, orgs, _ = scenario
    response = leader_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="ratio-qcdcplan">40/74<' in page
    # The first 20 of the 34 missing plans with their contact, then a link to all of them.
    assert orgs[40].name in page and orgs[40].phone in page and "… và 14 đơn vị khác." in page
    everyone = leader_client.get(reverse("democracy_regs:missing", args=[cycle.pk]), {"muc": "plan"}).content.decode()
    assert orgs[73].name in everyone and orgs[73].phone in everyone and "còn <strong>34</strong> đơn vị" in everyone
    assert "Báo cáo của đơn vị được kiểm tra trực tiếp: 2/3" in page
    assert "đã có 40/74 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm 2024" in page


def test_officer_cannot_open_statistics(officer_client, scenario):
    cycle, *_ = scenario
    assert officer_client.get(reverse("democracy_regs:statistics", args=[cycle.pk])).status_code == 403
    assert officer_client.get(reverse("democracy_regs:statistics_xlsx", args=[cycle.pk])).status_code == 403


def test_excel_export_has_the_figures_and_who_is_missing(staff_client, scenario):
    cycle, orgs, _ = scenario
    response = staff_client.get(reverse("democracy_regs:statistics_xlsx", args=[cycle.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    summary = [row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row and row[0]]
    plans_row = next(row for row in summary if row[0] == "Kế hoạch thực hiện QCDC đã gửi")
    assert plans_row[1:5] == ("15/05/2024", 40, 74, "40/74")
    assert workbook.sheetnames == [
        "Tổng hợp", "Kế hoạch QCDC", "Ban chỉ đạo QCDC", "Tự kiểm tra QCDC", "Báo cáo đơn vị được kiểm tra", "Điểm sáng"
    ]  # fmt: skip
    sheet = workbook["Kế hoạch QCDC"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 74
    assert rows[73][1] == orgs[73].name and rows[73][4] in ("Chưa nộp", "Quá hạn")
    # Sent at midnight in Hà Nội (17:00 the day before in UTC): the sheet prints the local day.
    assert rows[0][1] == orgs[0].name and rows[0][6] == "01/05/2024"
    assert workbook["Ban chỉ đạo QCDC"].cell(row=2, column=7).value == "02/05/2024"


def test_the_export_rows_give_each_first_sending_as_the_moment_it_was_sent(scenario):
    """On SQLite as on PostgreSQL: the raw query's first sending (a MIN() of moments, text on SQLite) is read as
    the ORM reads a moment, aware, so the export's "Ngày gửi" prints its day in Hà Nội time."""
    cycle, orgs, _ = scenario
    plans = selectors.cycle_summary(cycle, on=TODAY, missing=0, rows=True).plans
    first, last = plans.rows[0], plans.rows[-1]
    assert first.name == orgs[0].name and timezone.is_aware(first.submitted_at)
    assert first.submitted_at == datetime(2024, 5, 1, tzinfo=HCM)
    assert last.name == orgs[73].name and last.submitted_at is None

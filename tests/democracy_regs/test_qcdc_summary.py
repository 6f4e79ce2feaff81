"""The QCDC statistics page, the cycle page, the Excel export and the documents read `selectors.cycle_summary`:
each item's figures counted in SQL, its first MISSING_PREVIEW missing organisations (all of them for the documents)
and every organisation's row for the export, the same as the reference reading (tests/democracy_regs/
qcdc_reference.py) gives them organisation by organisation (held to it on eleven dates of a year built day by day: accepted, returned, withdrawn and late
plans; committees without a head, too small, whose head left; nil returns on time, late, and beaten by a
later real report; the inspected units' own list). The page lists those first organisations with "… và N đơn vị
khác" and links to the item's full list (MissingListView), a page of 100 at a time; the cached figure holds no
organisation instance."""

import pickle
import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from democracy_regs import document_sections, exports, obligations, selectors
from democracy_regs.models import CommitteeRole, DemocracyCycle
from dukportal.core import figures_cache
from dukportal.documents.sections import Draft
from dukportal.documents.text import count
from dukportal.submissions import services as workflow
from dukportal.submissions.models import Deadline
from tests import module_data
from tests.democracy_regs.factories import (
    CommitteeFactory,
    MembershipFactory,
    PlanFactory,
    ReportFactory,
    complete_committee,
    open_cycle,
)
from tests.democracy_regs.qcdc_reference import cycle_statistics
from tests.factories import OrganizationFactory
from tests.timeline import decide

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DECEMBER = date(2024, 12, 10)
DATES = [date(2024, 4, 30), date(2024, 5, 15), date(2024, 5, 16), date(2024, 6, 1), date(2024, 7, 31),
         date(2024, 8, 1), date(2024, 9, 2), date(2024, 10, 22), date(2024, 10, 25), date(2024, 10, 26), DECEMBER]  # fmt: skip
FIGURES = ("kind", "label", "due_date", "expected", "done", "accepted", "returned", "sent_late", "nil_returns")


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


def on_day(day: date):
    return time_machine.travel(at(day), tick=False)


def _build(staff):
    """30 organisations active all year (o[29] dissolved on 31/07: it owed the plan, not the self-inspection),
    one set up on 01/06; o[0..2] chosen for the inspection visit."""
    with on_day(date(2024, 3, 20)):
        orgs = [
            OrganizationFactory(
                name=f"Đảng bộ đơn vị {n:02d}",
                phone=f"0216 {n:06d}",
                danvan_officer_name="" if n % 3 else f"Cán bộ {n}",
                secretary_name=f"Bí thư {n}",
                valid_from=date(2020, 1, 1),
                valid_to=date(2024, 7, 31) if n == 29 else None,
            )
            for n in range(30)
        ]
        OrganizationFactory(name="Chi bộ thành lập tháng 6", valid_from=date(2024, 6, 1))
        cycle = open_cycle(staff, inspected=orgs[:3])
    plans = {}
    for n in range(10):
        plans[n] = PlanFactory(cycle=cycle, organization=orgs[n], submitted_at=at(date(2024, 5, 2)))
    for n in (10, 11, 29):
        plans[n] = PlanFactory(cycle=cycle, organization=orgs[n], submitted_at=at(date(2024, 5, 20)))  # late
    decide(type(plans[0]).objects.filter(pk__in=[plans[n].pk for n in range(4)]), "accepted", at=at(date(2024, 5, 10)))
    decide(type(plans[0]).objects.filter(pk__in=[plans[4].pk, plans[5].pk]), "returned", at=at(date(2024, 5, 12)))
    decide(type(plans[0]).objects.filter(pk=plans[4].pk), "submitted", at=at(date(2024, 5, 18)))  # resent
    with on_day(date(2024, 6, 1)):
        workflow.submission_withdraw(actor=staff, submission=plans[6], comment="Gửi nhầm")
    for n in range(9):
        CommitteeFactory(cycle=cycle, organization=orgs[n], submitted_at=at(date(2024, 5, 5)))
    for n in range(5):
        complete_committee(orgs[n])
    MembershipFactory.create_batch(3, organization=orgs[5])  # no head
    complete_committee(orgs[6], size=2)  # too few
    MembershipFactory(organization=orgs[7], role=CommitteeRole.HEAD, left_on=date(2024, 8, 1))  # head leaves
    MembershipFactory.create_batch(2, organization=orgs[7])
    complete_committee(orgs[8], joined_on=date(2024, 6, 1))  # complete only from June
    complete_committee(orgs[9])  # complete, never sent
    for n in range(3, 9):
        ReportFactory(cycle=cycle, organization=orgs[n], submitted_at=at(date(2024, 10, 20)))
    ReportFactory(cycle=cycle, organization=orgs[9], submitted_at=at(date(2024, 10, 28)))  # late
    self_inspection = Deadline.objects.get(kind=obligations.SELF_INSPECTION, source_id=cycle.pk)
    for n, day in ((10, date(2024, 10, 22)), (11, date(2024, 10, 27)), (12, date(2024, 10, 21))):
        with on_day(day):
            workflow.nil_return_send(actor=staff, deadline=self_inspection, organization=orgs[n], reason="Không có")
    ReportFactory(cycle=cycle, organization=orgs[12], submitted_at=at(date(2024, 10, 28)))  # late, beats its nil
    visit = {"kind": "inspection_visit", "period_start": date(2023, 10, 1), "period_end": date(2024, 9, 30)}
    ReportFactory(cycle=cycle, organization=orgs[0], submitted_at=at(date(2024, 8, 20)), **visit)
    ReportFactory(cycle=cycle, organization=orgs[1], submitted_at=at(date(2024, 9, 5)), **visit)
    return cycle, orgs


@pytest.fixture(scope="module")
def year_once(django_db_setup, django_db_blocker):
    with module_data.built_once(django_db_blocker, _build) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("year_once")


@pytest.fixture
def year(year_once, db):
    cycle, orgs = year_once
    with on_day(DECEMBER):
        yield DemocracyCycle.objects.get(pk=cycle.pk), orgs


@pytest.fixture
def staff_client(client, year, staff_user):
    client.force_login(staff_user)
    return client


def _listed(row) -> tuple:
    """What the missing list shows of one organisation (a full MissingRow or a summary MissingEntry)."""
    if isinstance(row, selectors.MissingEntry):
        return row.organization_id, row.name, row.contact, row.phone, row.label
    org = row.organization
    label = row.reason or row.standing.label
    return org.pk, org.name_on_date, org.danvan_officer_name or org.secretary_name, org.phone, label


@pytest.mark.parametrize("on", DATES)
def test_the_summary_agrees_with_the_statistics_on_every_date(year, on):
    cycle, _orgs = year
    full = cycle_statistics(cycle, on=on)
    summary = selectors.cycle_summary(cycle, on=on)
    assert [tuple(getattr(item, f) for f in FIGURES) for item in summary.items] == [
        tuple(getattr(item, f) for f in FIGURES) for item in full.items
    ]
    assert [item.missing_count for item in summary.items] == [len(item.missing) for item in full.items]
    for mine, theirs in zip(summary.items, full.items, strict=True):
        assert [_listed(row) for row in mine.missing] == [
            _listed(row) for row in theirs.missing[: selectors.MISSING_PREVIEW]
        ]
    assert (summary.as_of, summary.reference_date, summary.bright_spots) == (
        full.as_of,
        full.reference_date,
        full.bright_spots,
    )
    assert summary.plans.ratio_label == full.plans.ratio_label


def test_the_cases_the_comparison_rests_on_are_there(year):
    cycle, orgs = year
    may = selectors.cycle_summary(cycle, on=date(2024, 5, 16))
    assert (may.plans.done, may.plans.accepted, may.plans.returned, may.plans.sent_late) == (10, 4, 2, 0)
    december = selectors.cycle_summary(cycle, on=DECEMBER)
    assert (december.plans.done, december.plans.returned, december.plans.sent_late) == (12, 1, 3)
    reports = december.self_inspections
    # o[3..9], o[12] and the inspected units' two reports; nil: o[10], o[11]; late: o[9], o[11] (nil), o[12] (its
    # late report beats its nil return of 21/10).
    assert (reports.done, reports.nil_returns, reports.sent_late) == (12, 2, 3)
    reasons = {row.organization_id: row.label for row in december.committees.missing if row.code == "incomplete"}
    assert reasons == {
        orgs[5].pk: "Ban chỉ đạo chưa có trưởng ban",
        orgs[6].pk: "Ban chỉ đạo mới có 2/3 thành viên tối thiểu",
        orgs[7].pk: "Ban chỉ đạo chưa có trưởng ban; mới có 2/3 thành viên tối thiểu",
    }
    assert selectors.cycle_summary(cycle, on=date(2024, 7, 31)).committees.done == 7  # o[7]'s head still there


def _rows(html: str, table: int = 0) -> int:
    part = html.split('class="table table-sm bg-white mb-0 missing-table"')[table + 1].split("</table>", 1)[0]
    return len(re.findall(r"<tr><td>\d+</td>", part))


def test_the_page_lists_the_first_organisations_of_each_item_and_links_to_all(staff_client, year):
    cycle, orgs = year
    page = staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]))
    html = page.content.decode()
    # Committees: 30 owed it (on 15/05), 6 count (o[0..4], and o[8] complete since June): 24 missing, 20 listed.
    assert page.context["stats"].committees.missing_count == 24
    committees = html.split('id="missing-qcdcsteering_committee"', 1)[1].split("</p>", 1)[0]
    assert "Ban chỉ đạo đã kiện toàn: 6/30 — còn 24 đơn vị" in committees
    assert _rows(committees) == 20 and "… và 4 đơn vị khác." in committees
    assert "Ban chỉ đạo chưa có trưởng ban" in committees and orgs[8].name not in committees
    assert orgs[12].name in committees and orgs[12].phone in committees and "Cán bộ 12" in committees
    link = f"{reverse('democracy_regs:missing', args=[cycle.pk])}?muc=committee"
    assert f'href="{link}" class="missing-list-link">Danh sách đầy đủ 24 đơn vị chưa thực hiện</a>' in committees
    # Plans: 18 missing, all listed, and the link to the same list on its own page.
    plans = html.split('id="missing-qcdcplan"', 1)[1].split("</p>", 1)[0]
    assert _rows(plans) == 18 and "… và" not in plans and "Danh sách đầy đủ 18 đơn vị" in plans
    past = staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]), {"ngay": "15/05/2024"})
    link = f"{reverse('democracy_regs:missing', args=[cycle.pk])}?muc=plan&amp;ngay=15%2F05%2F2024"
    assert f'href="{link}" class="missing-list-link">Danh sách đầy đủ 20 đơn vị' in past.content.decode()


def test_the_full_list_shows_every_missing_organisation_a_page_at_a_time(staff_client, year):
    cycle, orgs = year
    url = reverse("democracy_regs:missing", args=[cycle.pk])
    response = staff_client.get(url, {"muc": "committee"})
    entries = response.context["page"].object_list
    # 30 owed it on 15/05 (not the newcomer); done: o[0..4] and o[8] (complete since June).
    assert response.context["page"].paginator.count == 24 == len(entries)
    assert [e.organization_id for e in entries][:3] == [orgs[5].pk, orgs[6].pk, orgs[7].pk]
    html = response.content.decode()
    assert _rows(html) == 24 and "Ban chỉ đạo mới có 2/3 thành viên tối thiểu" in html
    assert orgs[29].name in html and orgs[29].phone in html  # dissolved since: it still owed it
    tab = html.split('class="nav-link active" aria-current="page"', 1)[1].split("</a>", 1)[0]
    assert tab.endswith(">Ban chỉ đạo đã kiện toàn (24)") and "Kế hoạch thực hiện QCDC đã gửi (18)</a>" in html
    past = staff_client.get(url, {"muc": "committee", "ngay": "15/05/2024"})
    assert orgs[8].pk in [e.organization_id for e in past.context["page"].object_list]  # not complete yet then
    assert staff_client.get(url, {"muc": "nothing"}).context["slug"] == "plan"


def test_the_full_list_pages_by_100_and_numbers_across_pages(staff_client, year):
    cycle, _orgs = year
    for n in range(110):
        OrganizationFactory(name=f"Đảng bộ bổ sung {n:03d}", valid_from=date(2020, 1, 1))
    url = reverse("democracy_regs:missing", args=[cycle.pk])
    first = staff_client.get(url, {"muc": "self-inspection"})
    # 140 owed it (active on 25/10: o[0..28], the newcomer, the 110), 12 sent.
    assert first.context["page"].paginator.count == 128 and _rows(first.content.decode()) == 100
    second = staff_client.get(url, {"muc": "self-inspection", "page": 2})
    html = second.content.decode()
    assert _rows(html) == 28 and "<tr><td>101</td>" in html and "Trang 2/2" in html


def test_the_full_list_needs_the_same_queries_for_30_or_60_organisations(staff_client, year):
    cycle, _orgs = year
    url = reverse("democracy_regs:missing", args=[cycle.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(url, {"muc": "committee"})
        return len(captured)

    staff_client.get(url)
    small = count()
    for n in range(30):
        OrganizationFactory(name=f"Đảng bộ bổ sung {n:03d}", valid_from=date(2020, 1, 1))
    assert count() == small


def test_officers_cannot_open_the_full_list(officer_client, year):
    cycle, _orgs = year
    assert officer_client.get(reverse("democracy_regs:missing", args=[cycle.pk])).status_code == 403


@pytest.mark.figures_cache
def test_the_cached_figure_is_the_summary_without_organisation_instances(staff_client, year, staff_user):
    cycle, _orgs = year
    staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]))
    from django.core.cache import cache

    key = figures_cache.key("qcdc_statistics", on=DECEMBER, user=staff_user, params=(cycle.pk,))
    value = cache.get(key)
    assert isinstance(value, selectors.CycleSummary)
    assert all(len(item.missing) <= selectors.MISSING_PREVIEW for item in value.items)
    assert b"BaseOrganization" not in pickle.dumps(value)
    with CaptureQueriesContext(connection) as captured:
        page = staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]))
    assert page.context["stats"].plans.ratio_label == value.plans.ratio_label
    assert not any("democracy_regs_democracyplan" in q["sql"] for q in captured.captured_queries)


def test_the_summary_needs_the_same_eight_queries_for_30_or_60_organisations(year):
    cycle, _orgs = year

    def count():
        with CaptureQueriesContext(connection) as captured:
            selectors.cycle_summary(cycle)
        return len(captured)

    # The deadlines, all items' counts (one UNION ALL), each item's first missing ones (4), their names on the
    # day (1), the bright spots.
    assert count() == 8
    for n in range(30):
        OrganizationFactory(name=f"Đảng bộ bổ sung {n:03d}", valid_from=date(2020, 1, 1))
    assert count() == 8


@pytest.mark.parametrize("on", DATES)
def test_the_whole_missing_list_agrees_with_the_statistics_on_every_date(year, on):
    """What the documents print: every missing organisation, and whether it is still active (chased) that day."""
    cycle, _orgs = year
    full = cycle_statistics(cycle, on=on)
    summary = selectors.cycle_summary(cycle, on=on, missing=None)
    for mine, theirs in zip(summary.items, full.items, strict=True):
        assert [(*_listed(row), row.active) for row in mine.missing] == [
            (*_listed(row), row.organization.is_active_on(on)) for row in theirs.missing
        ]
        assert len(mine.missing) == mine.missing_count and not mine.rows
    assert any(not row.active for item in summary.items for row in item.missing) == (on > date(2024, 7, 31))


def _sheet_rows(item) -> list[list]:
    """An item's sheet as the export printed it from the reference reading (every organisation that owed it)."""
    reasons = {row.organization.pk: row.reason for row in item.missing}
    return [
        [
            number,
            org.name,
            org.danvan_officer_name or org.secretary_name,
            org.phone,
            "Đạt" if done else standing.label,
            reasons.get(org.pk) or None,
            f"{timezone.localtime(standing.submitted_at):%d/%m/%Y}" if standing.submitted_at else None,
        ]
        for number, (org, standing, done) in enumerate(item.rows, start=1)
    ]


@pytest.mark.parametrize("on", DATES)
def test_the_excel_export_prints_the_statistics_of_every_date(year, on):
    cycle, _orgs = year
    full = cycle_statistics(cycle, on=on)
    summary = selectors.cycle_summary(cycle, on=on, missing=0, rows=True)
    assert all(not item.missing for item in summary.items)
    workbook = openpyxl.load_workbook(BytesIO(exports.statistics_workbook(summary, [])))
    totals = list(workbook["Tổng hợp"].iter_rows(min_row=7, max_row=6 + len(full.items), values_only=True))
    assert [row[2:4] + row[5:7] for row in totals] == [
        (item.done, item.expected, item.accepted, len(item.missing)) for item in full.items
    ]
    for sheet, item in zip(workbook.sheetnames[1:5], full.items, strict=True):
        printed = [list(row) for row in workbook[sheet].iter_rows(min_row=2, values_only=True)]
        assert printed == _sheet_rows(item), (sheet, on)


@pytest.mark.parametrize("on", [date(2024, 5, 16), date(2024, 10, 26), DECEMBER])
def test_the_year_report_lists_the_statistics_missing_organisations(year, on):
    """Part III of the year report drafted for a past reference date (asked in December): every organisation the
    reference reading finds missing, with its name that day and why, as many as it counts."""
    cycle, _orgs = year
    body = document_sections.year_report(cycle, Draft(as_of=on)).body
    part = body[body.index("# III- CÁC CHI, ĐẢNG BỘ CƠ SỞ CHƯA HOÀN THÀNH") + 1 :]
    for number, item in enumerate(cycle_statistics(cycle, on=on).items, start=1):
        heading = document_sections.QCDC_MISSING_HEADINGS[item.kind]
        if not item.missing:
            assert f"{number}. Không còn {heading}." in part
            continue
        assert f"{number}. Còn {count(len(item.missing))} {heading}:" in part
        table = "\n".join(part)
        for row in item.missing:
            name = row.organization.name_on_date
            assert f"| {name} | {row.organization.phone} | {row.reason or row.standing.label} |" in table

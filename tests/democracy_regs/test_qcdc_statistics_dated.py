"""QCDC figures for a reference date, asked later: plans are sent over the spring through the services with the
clock set to each day (some after the deadline, one returned and resent, one withdrawn), bright spots too; in
December the committee asks "as of 15/5/2024" and gets exactly what was true that day (dispatch 1720-CV/ĐUK:
40/74), and the right figures for other dates, on the page, in its sentence and in the Excel export."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democracy_regs import selectors, services
from dukportal.submissions import services as workflow
from tests.democracy_regs.factories import complete_committee, open_cycle, pdf
from tests.democracy_regs.qcdc_reference import cycle_statistics
from tests.factories import BlocFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DECEMBER = date(2024, 12, 10)


def on_day(day: date, hour: int = 9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


def _send_plan(actor, cycle, organization):
    plan = services.plan_create(
        actor=actor,
        cycle=cycle,
        organization=organization,
        number="01-KH/ĐU",
        issued_on=date(2024, 4, 1),
        summary="Triển khai Quy chế dân chủ ở cơ sở",
        officer_in_charge="Nguyễn Văn An",
    )
    workflow.attachment_add(actor=actor, submission=plan, uploaded=pdf())
    return services.plan_submit(actor=actor, submission=plan)


def _send_spot(actor, cycle, organization, title):
    spot = services.bright_spot_create(
        actor=actor, cycle=cycle, organization=organization, kind="democracy", title=title, description="Đối thoại"
    )
    return services.bright_spot_submit(actor=actor, submission=spot)


@pytest.fixture(scope="module")
def spring(django_db_setup, django_db_blocker):
    """Built once for the module (the build is the slow part; the tests only read it), inside a transaction
    rolled back after the module, as Django's setUpTestData does: each test's own transaction nests in it.
    74 organisations; plans due 15/05/2024. 25 sent on 20/04, 14 on 10/05, one on 12/05 (returned 13/05,
    resent 20/05), 8 of the first accepted on 14/05 (one of them returned on 01/07); 5 sent late on 16/05 and
    10 on 03/06; one of the April plans withdrawn on 01/06. Bright spots: two sent in April (one accepted on
    20/05), one on 01/06, one still a draft."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_spring()
        transaction.set_rollback(True)


def _build_spring():
    with on_day(date(2024, 3, 25)):
        BlocFactory()
        staff_user = UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")
        orgs = [OrganizationFactory(name=f"Đảng bộ đơn vị {n:02d}", phone=f"0216 {n:06d}") for n in range(74)]
        cycle = open_cycle(staff_user)
    plans = {}
    for day, chunk in [(date(2024, 4, 20), orgs[:25]), (date(2024, 5, 10), orgs[25:39])]:
        with on_day(day):
            for org in chunk:
                plans[org.pk] = _send_plan(staff_user, cycle, org)
    with on_day(date(2024, 5, 12)):
        returned = plans[orgs[39].pk] = _send_plan(staff_user, cycle, orgs[39])
    with on_day(date(2024, 5, 13)):
        returned = workflow.submission_return(actor=staff_user, submission=returned, comment="Thiếu chữ ký")
    with on_day(date(2024, 5, 14)):
        for org in orgs[:8]:
            plans[org.pk] = workflow.submission_accept(actor=staff_user, submission=plans[org.pk])
    with on_day(date(2024, 5, 16)):
        for org in orgs[40:45]:
            plans[org.pk] = _send_plan(staff_user, cycle, org)
    with on_day(date(2024, 5, 20)):
        services.plan_submit(actor=staff_user, submission=returned)
    with on_day(date(2024, 6, 1)):
        workflow.submission_withdraw(actor=staff_user, submission=plans[orgs[20].pk], comment="Gửi nhầm bản cũ")
    with on_day(date(2024, 6, 3)):
        for org in orgs[45:55]:
            plans[org.pk] = _send_plan(staff_user, cycle, org)
    with on_day(date(2024, 7, 1)):
        workflow.submission_return(actor=staff_user, submission=plans[orgs[0].pk], comment="Bổ sung phân công")

    with on_day(date(2024, 4, 22)):
        first = _send_spot(staff_user, cycle, orgs[0], "Đối thoại với người lao động")
        _send_spot(staff_user, cycle, orgs[1], "Công khai tài chính")
    with on_day(date(2024, 5, 20)):
        workflow.submission_accept(actor=staff_user, submission=first)
    with on_day(date(2024, 6, 1)):
        _send_spot(staff_user, cycle, orgs[2], "Hòm thư góp ý")
        services.bright_spot_create(
            actor=staff_user, cycle=cycle, organization=orgs[3], kind="democracy", title="Nháp", description="…"
        )
    return cycle, orgs, staff_user


@pytest.fixture
def december(spring):
    with on_day(DECEMBER):
        yield spring[:2]


@pytest.fixture
def staff_client(client, spring):
    """The module's staff member (the shared `staff_user` would be a second one with the same name)."""
    client.force_login(spring[2])
    return client


# Builds its own organisation and cycle: it comes before the tests that read the module's build (`spring`
# lives from the first of them to the end of the module).
def test_committee_complete_is_judged_on_the_reference_date(staff_user):
    with on_day(date(2024, 3, 25)):
        organization = OrganizationFactory()
        cycle = open_cycle(staff_user)
        complete_committee(organization, joined_on=date(2024, 1, 1))
    with on_day(date(2024, 5, 10)):
        committee = services.committee_create(
            actor=staff_user, cycle=cycle, organization=organization, decision_number="01-QĐ/ĐU",
            decision_date=date(2024, 4, 1),
        )  # fmt: skip
        services.committee_submit(actor=staff_user, submission=committee)
    with on_day(date(2024, 8, 1)):
        head = organization.qcdc_memberships.get(role="head")
        services.membership_end(actor=staff_user, membership=head, left_on=date(2024, 8, 1))
    with on_day(DECEMBER):
        assert selectors.cycle_summary(cycle, on=date(2024, 5, 9)).committees.ratio_label == "0/1"  # not sent
        assert selectors.cycle_summary(cycle, on=date(2024, 5, 15)).committees.ratio_label == "1/1"
        later = selectors.cycle_summary(cycle, on=DECEMBER).committees
        assert later.ratio_label == "0/1" and "chưa có trưởng ban" in later.missing[0].label


# (reference date, plans x/y, accepted, returned for completion, sent late) — one build, asked for each date.
PLAN_FIGURES = [
    (date(2024, 4, 19), "0/74", 0, 0, 0),
    (date(2024, 5, 10), "39/74", 0, 0, 0),
    (date(2024, 5, 13), "40/74", 0, 1, 0),  # the returned plan still counts
    (date(2024, 5, 15), "40/74", 8, 1, 0),  # dispatch 1720-CV/ĐUK
    (date(2024, 5, 20), "45/74", 8, 0, 5),  # resent: submitted again, counted since 12/05 (not late)
    (date(2024, 6, 1), "44/74", 8, 0, 5),  # one withdrawn
    (DECEMBER, "54/74", 7, 1, 15),  # one accepted plan returned in July
]


def test_plans_on_each_date_asked_in_december(december):
    cycle, _orgs = december
    for on, *expected in PLAN_FIGURES:
        plans = selectors.cycle_summary(cycle, on=on).plans
        assert [plans.ratio_label, plans.accepted, plans.returned, plans.sent_late] == expected, on


def test_the_former_today_keyword_gives_the_same_figures(december):
    """The reference reading's former `today=` and cycle_summary's `on=` name the same reference date; without
    one it is today."""
    cycle, _orgs = december
    old = cycle_statistics(cycle, today=date(2024, 5, 15))
    new = selectors.cycle_summary(cycle, on=date(2024, 5, 15))
    assert (old.as_of, old.plans.ratio_label, old.bright_spots) == (new.as_of, "40/74", new.bright_spots)
    assert selectors.cycle_summary(cycle).as_of == DECEMBER


def test_bright_spots_are_read_from_the_timeline(december):
    cycle, _orgs = december
    for on, counts in [
        (date(2024, 4, 21), (0, 0)),
        (date(2024, 5, 15), (2, 0)),
        (date(2024, 5, 20), (2, 1)),  # accepted that day
        (DECEMBER, (3, 1)),  # the draft never counts
    ]:
        by_kind = {kind: (sent, accepted) for kind, _, sent, accepted in selectors.bright_spot_counts(cycle, on=on)}
        assert by_kind["democracy"] == counts, on
        assert selectors.cycle_summary(cycle, on=on).bright_spots == selectors.bright_spot_counts(cycle, on=on)


def test_statistics_page_for_15_may_asked_in_december(staff_client, december):
    cycle, orgs = december
    url = reverse("democracy_regs:statistics", args=[cycle.pk])
    response = staff_client.get(url, {"ngay": "15/05/2024"})
    page = response.content.decode()
    assert 'id="ratio-qcdcplan">40/74<' in page
    assert (
        "Tính đến ngày 15/05/2024 đã có 40/74 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ "
        "sở năm 2024" in page
    )
    assert 'id="reference-date">15/05/2024<' in page and 'value="15/05/2024"' in page
    assert f"{reverse('democracy_regs:statistics_xlsx', args=[cycle.pk])}?ngay=15%2F05%2F2024" in page
    # The missing list of that day (the page lists its first 20, then links to all): orgs[40] sent only on 16/05.
    assert response.context["stats"].plans.missing_count == 34
    full = staff_client.get(reverse("democracy_regs:missing", args=[cycle.pk]), {"muc": "plan", "ngay": "15/05/2024"})
    missing = [row.organization_id for row in full.context["page"].object_list]
    assert len(missing) == 34 and orgs[40].pk in missing and orgs[20].pk not in missing
    today = staff_client.get(url).content.decode()
    assert 'id="ratio-qcdcplan">54/74<' in today and "Tính đến ngày 10/12/2024 đã có 54/74" in today


def test_statistics_page_refuses_a_bad_date_and_keeps_the_page(staff_client, december):
    cycle, _orgs = december
    response = staff_client.get(reverse("democracy_regs:statistics", args=[cycle.pk]), {"ngay": "15/13/2024"})
    page = response.content.decode()
    assert response.status_code == 200 and "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm" in page
    assert 'value="15/13/2024"' in page and 'id="ratio-qcdcplan">54/74<' in page


def test_excel_export_for_a_past_date(staff_client, december):
    cycle, _orgs = december
    response = staff_client.get(reverse("democracy_regs:statistics_xlsx", args=[cycle.pk]), {"ngay": "15/05/2024"})
    assert response["Content-Disposition"].endswith('filename="qcdc-2024-den-15052024.xlsx"')
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    summary = [row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row and row[0]]
    assert any(str(row[0]).startswith("Số liệu tính đến hết ngày 15/05/2024") for row in summary)
    plans_row = next(row for row in summary if row[0] == "Kế hoạch thực hiện QCDC đã gửi")
    assert plans_row[1:6] == ("15/05/2024", 40, 74, "40/74", 8)
    spots = list(workbook["Điểm sáng"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[4]) for row in spots] == [
        ("Đối thoại với người lao động", "Đã gửi, chờ duyệt"),  # accepted only on 20/05
        ("Công khai tài chính", "Đã gửi, chờ duyệt"),
    ]


def test_cycle_page_takes_the_reference_date(staff_client, december):
    cycle, _orgs = december
    page = staff_client.get(reverse("democracy_regs:cycle", args=[cycle.pk]), {"ngay": "15/05/2024"})
    html = page.content.decode()
    assert 'id="ratio-qcdcplan">40/74<' in html
    assert f"{reverse('democracy_regs:statistics', args=[cycle.pk])}?ngay=15%2F05%2F2024" in html
    # The list of plans received is that day's too, each with its status then (one returned on 13/05).
    plans = page.context["sent"]["plans"]
    assert len(plans) == 40 and "Kế hoạch đã gửi (40)" in html
    assert [p.status_label_on for p in plans].count("Trả lại để bổ sung") == 1
    today = staff_client.get(reverse("democracy_regs:cycle", args=[cycle.pk])).context["sent"]["plans"]
    assert len(today) == 54  # the withdrawn one is no longer listed


def test_statistics_page_costs_the_same_queries_for_a_past_date(staff_client, december):
    cycle, _orgs = december
    url = reverse("democracy_regs:statistics", args=[cycle.pk])
    staff_client.get(url)  # warm the content-type cache and the session

    def count(params):
        with CaptureQueriesContext(connection) as context:
            staff_client.get(url, params)
        return len(context.captured_queries)

    assert count({"ngay": "15/05/2024"}) == count({}) == count({"ngay": "20/05/2024"})

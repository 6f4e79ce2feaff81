"""The compliance matrix: one row per base organisation, one column per deadline of the year (whatever
obligation registered it), each cell accepted / submitted / returned / missing / late with its date."""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dukportal.notifications.models import Reminder, ReminderJob
from dukportal.submissions import deadlines
from models_danvan.models import Evaluation, Registration
from tests.factories import CampaignFactory, OrganizationFactory
from tests.timeline import complete_timelines

from .factories import at, campaign_with_deadlines, submitted

pytestmark = pytest.mark.django_db

TODAY = date(2024, 7, 1)
PLAN = "test.plan"  # a kind no page names: registered here, as democracy_regs registers its own


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield


@pytest.fixture
def plan_campaign():
    """A made-up obligation with a chosen audience, to show the matrix is generic over the registry. Its
    submissions are registrations of another year's campaign (which has no deadline in this matrix)."""
    other = CampaignFactory(year=2023)
    deadlines.register(
        deadlines.Obligation(PLAN, "Kế hoạch (thử)", lambda d: Registration.objects.filter(campaign=other), 50)
    )
    yield other
    deadlines._REGISTRY.pop(PLAN)


@pytest.fixture
def scenario(bloc, staff_user, plan_campaign):
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    orgs = {
        "A": OrganizationFactory(code="A", name="Đảng bộ Ban Dân tộc", sector="administrative", email="a@dt.vn"),
        "B": OrganizationFactory(code="B", name="Đảng bộ Cục Thuế", sector="administrative"),
        "C": OrganizationFactory(
            code="C", name="Đảng bộ Công ty Điện lực", sector="enterprise", danvan_officer_name="Hà Thị Thu"
        ),
        "D": OrganizationFactory(
            code="D", name="Đảng bộ Sở đã giải thể", sector="public_service", valid_to=date(2024, 3, 1)
        ),
    }
    registration = submitted(campaign, orgs["A"], at(date(2024, 5, 10)), status="accepted")
    submitted(campaign, orgs["B"], at(date(2024, 5, 18)))
    Evaluation.objects.create(
        registration=registration,
        organization=orgs["A"],
        period="mid_year",
        results="Đạt",
        self_rating="good",
        status="returned",
        submitted_at=at(date(2024, 6, 20)),
        created_by=staff_user,
    )
    deadlines.deadline_sync(
        kind=PLAN,
        source=campaign,
        title="Kế hoạch thực hiện QCDC năm 2024",
        year=2024,
        due_date=date(2024, 8, 31),
        organizations=[orgs["A"], orgs["C"]],
    )
    submitted(plan_campaign, orgs["A"], at(date(2024, 6, 25)))
    complete_timelines()  # the evaluation above was written directly
    return campaign, orgs


def codes(matrix):
    return {row.organization.code: [cell.code if cell else None for cell in row.cells] for row in matrix.rows}


def test_matrix_shows_each_organisation_against_each_deadline(staff_client, scenario):
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024})
    matrix = response.context["matrix"]

    assert [c.label for c in matrix.columns] == [
        "Đăng ký “Dân vận khéo”",
        "Sơ kết 6 tháng",
        "Tổng kết năm",
        "Kế hoạch (thử)",
    ]
    # Only A has a model accepted, so only A owes its mid-year and year-end evaluations.
    assert codes(matrix) == {
        "A": ["accepted", "returned", "missing", "submitted"],
        "B": ["submitted", None, None, None],
        "C": ["late", None, None, "missing"],
        "D": [None, None, None, None],
    }
    assert [(c.sent, c.expected) for c in matrix.columns] == [(2, 3), (1, 1), (0, 1), (1, 2)]
    html = response.content.decode()
    assert 'Đã tiếp nhận</span> <span class="small">10/05/2024' in html
    assert 'Đã nộp</span> <span class="small">18/05/2024</span> <span class="small text-danger">(nộp muộn)' in html
    assert 'Bị trả lại</span> <span class="small">20/06/2024' in html
    assert html.count(">Quá hạn</span>") == 1


def test_matrix_filters_by_sector(staff_client, scenario):
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, "khoi": "enterprise"})
    assert list(codes(response.context["matrix"])) == ["C"]
    assert [(c.sent, c.expected) for c in response.context["matrix"].columns] == [(0, 1), (0, 0), (0, 0), (0, 1)]


def test_matrix_costs_the_same_queries_for_four_or_forty_organisations(
    staff_client, scenario, django_assert_num_queries
):
    url = reverse("notifications:matrix")
    with CaptureQueriesContext(connection) as small:
        staff_client.get(url, {"nam": 2024})
    for n in range(36):
        OrganizationFactory(code=f"X{n}", sector="enterprise")
    # session, user (with the bell's count), organisations (count and page), deadlines, chosen lists, the
    # columns' totals (one UNION ALL), the page's cells (deadlines.figures_for: organisations, who owes the
    # evaluations, the states of every column), years, jobs, the bloc's name in the page header
    assert len(small) == 13
    with django_assert_num_queries(13):
        response = staff_client.get(url, {"nam": 2024})
    assert len(response.context["matrix"].rows) == 40


def test_matrix_exports_to_excel(staff_client, scenario):
    response = staff_client.get(reverse("notifications:matrix_xlsx"), {"nam": 2024})
    assert response["Content-Disposition"].endswith('filename="tinh-hinh-nop-ho-so-2024.xlsx"')
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "TÌNH HÌNH NỘP HỒ SƠ NĂM 2024 — TẤT CẢ CÁC KHỐI"
    header = rows[2]
    assert header[:6] == ("STT", "Mã", "Tên tổ chức cơ sở đảng", "Khối", "Người liên hệ", "Điện thoại")
    assert header[6].startswith("Đăng ký “Dân vận khéo”\n") and header[9].startswith("Kế hoạch (thử)\n")
    by_code = {row[1]: row for row in rows[3:-1]}
    assert by_code["A"][6:] == ("Đã tiếp nhận 10/05/2024", "Bị trả lại 20/06/2024", "Chưa nộp", "Đã nộp 25/06/2024")
    assert by_code["B"][6:] == ("Đã nộp 18/05/2024 (nộp muộn)", "—", "—", "—")
    assert by_code["C"][4] == "Hà Thị Thu"
    assert rows[-1][6:] == ("2/3", "1/1", "0/1", "1/2")


def test_remind_the_missing_ones_of_a_column_in_one_action(staff_client, scenario, django_capture_on_commit_callbacks):
    campaign, orgs = scenario
    registration_deadline = next(d for d in campaign_deadlines(campaign) if d.kind == "danvan.registration")
    matrix_url = reverse("notifications:matrix") + "?nam=2024"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("notifications:remind", args=[registration_deadline.pk]), {"next": matrix_url, "confirm": "1"}
        )
    assert response.status_code == 302 and response["Location"] == matrix_url
    job = ReminderJob.objects.get()
    assert (job.status, job.reminded, job.skipped) == ("done", 1, 0)
    assert list(Reminder.objects.values_list("organization__code", "kind", "day")) == [("C", "manual", TODAY)]
    page = staff_client.get(matrix_url).content.decode()
    assert "vào hàng đợi" in page and "Đã nhắc 1 tổ chức" in page


def test_remind_a_column_within_a_sector_reminds_only_that_sector(
    staff_client, scenario, django_capture_on_commit_callbacks
):
    campaign, orgs = scenario
    plan = next(d for d in campaign_deadlines(campaign) if d.kind == PLAN)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("notifications:remind", args=[plan.pk]), {"sector": "administrative", "confirm": "1"})
    job = ReminderJob.objects.get()
    assert (job.sector, job.status, job.reminded) == ("administrative", "done", 0)  # A sent; C is an enterprise
    assert not Reminder.objects.exists()


def test_leaders_read_the_matrix_without_remind_buttons_officers_cannot(client, leader_user, officer_user, scenario):
    url = reverse("notifications:matrix")
    client.force_login(leader_user)
    response = client.get(url, {"nam": 2024})
    assert response.status_code == 200 and "Nhắc đơn vị chưa nộp" not in response.content.decode()
    assert "notifications/_remind_button.html" not in [t.name for t in response.templates]
    client.force_login(officer_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("notifications:matrix_xlsx")).status_code == 403


def campaign_deadlines(campaign):
    from dukportal.submissions.models import Deadline

    return list(Deadline.objects.filter(source_id=campaign.pk))


def test_matrix_for_a_past_date_shows_each_cell_as_it_stood_that_day(staff_client, scenario):
    """Asked on 01/07 about 16/05: B's registration (sent 18/05) was still missing and late; A's plan (sent
    25/06) missing; the evaluation columns are owed by A, whose model was accepted by then."""
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, "ngay": "16/05/2024"})
    matrix = response.context["matrix"]
    assert matrix.on == date(2024, 5, 16)
    assert codes(matrix) == {
        "A": ["accepted", "missing", "missing", "missing"],
        "B": ["late", None, None, None],
        "C": ["late", None, None, "missing"],
        "D": [None, None, None, None],
    }
    assert [(c.sent, c.expected) for c in matrix.columns] == [(1, 3), (0, 1), (0, 1), (0, 2)]
    html = response.content.decode()
    assert 'id="reference-date">16/05/2024<' in html
    # The export link and the year/sector form carry the date; "Nhắc" (today's figures) is not offered.
    assert "?nam=2024&amp;ngay=16%2F05%2F2024" in html
    assert 'name="ngay"' in html and "Nhắc đơn vị chưa nộp" not in html
    # D was dissolved on 01/03: shown as such, not chased.
    rows = {r.organization.code: r for r in matrix.rows}
    assert not rows["D"].active and "đã giải thể/sáp nhập (hoạt động đến 01/03/2024)" in html


def test_matrix_refuses_a_bad_date_in_vietnamese_and_keeps_the_page(staff_client, scenario):
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, "ngay": "31/02/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm" in html and 'value="31/02/2024"' in html
    assert response.context["matrix"].on == TODAY  # today's figures meanwhile
    future = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, "ngay": "02/07/2024"})
    assert "Ngày tính số liệu không được sau ngày hôm nay." in future.content.decode()


def test_matrix_export_for_a_past_date(staff_client, scenario):
    response = staff_client.get(reverse("notifications:matrix_xlsx"), {"nam": 2024, "ngay": "16/05/2024"})
    assert response["Content-Disposition"].endswith('filename="tinh-hinh-nop-ho-so-2024-den-16052024.xlsx"')
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0].startswith("Số liệu tính đến hết ngày 16/05/2024")
    by_code = {row[1]: row for row in rows[3:-1]}
    assert by_code["B"][6] == "Quá hạn"
    assert by_code["D"][2] == "Đảng bộ Sở đã giải thể (đã giải thể/sáp nhập)"
    assert rows[-1][6:] == ("1/3", "0/1", "0/1", "0/2")


def test_matrix_for_a_past_date_costs_the_same_queries_as_today(staff_client, scenario, django_assert_num_queries):
    url = reverse("notifications:matrix")
    for n in range(36):
        OrganizationFactory(code=f"X{n}", sector="enterprise")
    with django_assert_num_queries(13):
        staff_client.get(url, {"nam": 2024, "ngay": "16/05/2024"})
    with django_assert_num_queries(13):
        staff_client.get(url, {"nam": 2024, "ngay": "20/06/2024"})


# The cells and rows as the template printed them before they were formatted in Python
# (dukportal/notifications/templatetags/matrix_cells.py): the page must print exactly this text.
REFERENCE_CELL = (  # noqa: E501
    """<td class="small" data-code="{{ standing.code|default:'none' }}">{% if standing is None %}<span class="text-muted" title="Đơn vị không phải nộp">—</span>{% else %}{% if standing.code == "accepted" %}<span class="badge text-bg-success">{% elif standing.code == "submitted" %}<span class="badge text-bg-primary">{% elif standing.code == "returned" %}<span class="badge text-bg-warning">{% elif standing.code == "late" %}<span class="badge text-bg-danger">{% elif standing.code == "nil" %}<span class="badge text-bg-info nil-badge">{% else %}<span class="badge text-bg-secondary">{% endif %}{{ standing.label }}</span>{% if standing.submitted_at %} <span class="small">{{ standing.submitted_at|date:"d/m/Y" }}</span>{% endif %}{% if standing.sent_late %} <span class="small text-danger">(nộp muộn)</span>{% endif %}{% endif %}</td>"""  # noqa: E501
)
REFERENCE_ROWS = Template(
    """{% for row in matrix.rows %}
    <tr data-organization="{{ row.organization.pk }}"{% if not row.active %} class="table-secondary" data-gone="1"{% endif %}><td>{{ matrix.first_number|add:forloop.counter0 }}</td>
      <td><a href="{% url 'organizations:detail' row.organization.pk %}">{{ row.organization.name }}</a>{% if not row.active %} <span class="badge text-bg-secondary gone-badge" title="Không còn hoạt động vào ngày {{ matrix.on|date:'d/m/Y' }}: không nhắc">đã giải thể/sáp nhập{% if row.organization.valid_to %} (hoạt động đến {{ row.organization.valid_to|date:"d/m/Y" }}){% endif %}</span>{% endif %}</td>
      {% for standing in row.cells %}{{ CELL }}{% endfor %}
    </tr>
  {% endfor %}""".replace("{{ CELL }}", REFERENCE_CELL)  # noqa: E501
)


@pytest.mark.parametrize("on", ["", "16/05/2024"], ids=["today", "past"])
def test_matrix_rows_print_what_the_template_printed(staff_client, scenario, on):
    """The rows formatted in Python are the template's text byte for byte: every standing, the dissolved row
    with its end date, a row not yet active on the date (no end date) and a name to escape."""
    OrganizationFactory(code="E", name="Đảng bộ <Mới> & “thành lập”", valid_from=date(2024, 6, 1))
    response = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, **({"ngay": on} if on else {})})
    html = response.content.decode()
    rows = html.split("<tbody>", 1)[1].split("  </tbody>", 1)[0]
    matrix = response.context["matrix"]
    assert rows == "\n  " + REFERENCE_ROWS.render(Context({"matrix": matrix})) + "\n"
    if on:  # E, on 16/05 not yet founded: greyed, without an end date
        founded = next(row for row in matrix.rows if row.organization.code == "E")
        assert not founded.active and founded.organization.valid_to is None
        assert "đã giải thể/sáp nhập</span>" in rows
    assert "&lt;Mới&gt; &amp;" in rows


def test_matrix_cells_print_what_the_template_printed_for_every_code():
    cell = Template("{% load matrix_cells %}{{ standing|matrix_cell }}")
    reference = Template(REFERENCE_CELL)
    sent = at(date(2024, 5, 31), hour=23)  # 31/05 in Hà Nội, 16:00 UTC
    codes = [*deadlines.Standing.LABELS, "draft"]
    cases = [None] + [
        SimpleNamespace(code=code, label=deadlines.Standing.LABELS.get(code, "Nháp"), submitted_at=when, sent_late=late)
        for code in codes
        for when in (None, sent)
        for late in (False, True)
    ]
    for standing in cases:
        expected = reference.render(Context({"standing": standing}))
        assert cell.render(Context({"standing": standing})) == expected, standing
    assert "31/05/2024" in cell.render(Context({"standing": cases[-1]}))

"""The QCDC "sent" lists' rows, formatted in Python (democracy_regs/rows.py, issue 13), are the bytes the old
template printed for the same submissions: STT from the page's first index, code, the organisation's name
linking to the submission, the badge of a report of a unit inspected directly, the status on the list's date,
every text escaped; the empty list still says so."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from democracy_regs import selectors
from democracy_regs.models import DemocracyPlan, InspectionReportKind, SelfInspectionReport
from dukportal.submissions.models import SubmissionStatus
from tests.democracy_regs.factories import PlanFactory, ReportFactory, open_cycle
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# The loop of templates/democracy_regs/cycle_submissions.html before the rows moved to Python.
OLD_ROWS = Template(
    """{% load portal_lists %}  {% for s in page.object_list %}
    <tr><td>{{ forloop.counter0|add:page.start_index }}</td><td>{{ s.organization.code }}</td>
      <td><a href="{{ s.get_absolute_url }}">{{ s.organization.name }}</a>{% if s.kind == "inspection_visit" %} <span class="badge text-bg-info">kiểm tra trực tiếp</span>{% endif %}</td>
      <td>{% status_badge s.status_on s.status_label_on %}</td></tr>
  {% empty %}<tr><td colspan="4" class="text-muted text-center">Chưa có đơn vị nào gửi.</td></tr>{% endfor %}
  </tbody>"""
)


def _old(user, cycle, model, page_start=1) -> str:
    rows = list(selectors.sent_in_cycle(user, cycle, model))
    labels = dict(SubmissionStatus.choices)
    for row in rows:  # the view's former with_status_labels
        row.status_label_on = labels.get(row.status_on, row.get_status_display())
    return OLD_ROWS.render(Context({"page": {"object_list": rows, "start_index": page_start}}))


@pytest.fixture
def cycle(staff_user):
    return open_cycle(staff_user)


def test_the_plans_sent_are_the_old_templates_rows(staff_client, staff_user, cycle):
    PlanFactory(cycle=cycle, organization=OrganizationFactory(code="A<1>", name="Đảng bộ <Công ty> “A & B”"))
    PlanFactory(cycle=cycle, status=SubmissionStatus.ACCEPTED)
    PlanFactory(cycle=cycle, status=SubmissionStatus.RETURNED)
    html = staff_client.get(reverse("democracy_regs:cycle_submissions", args=[cycle.pk]) + "?loai=plan").content
    old = _old(staff_user, cycle, DemocracyPlan)
    assert old.count("<tr>") == 3 and "Đảng bộ &lt;Công ty&gt; “A &amp; B”" in old and "<td>A&lt;1&gt;</td>" in old
    assert old in html.decode()


def test_a_report_of_a_unit_inspected_directly_keeps_its_badge(staff_client, staff_user, cycle):
    ReportFactory(
        cycle=cycle,
        kind=InspectionReportKind.INSPECTION_VISIT,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
    )
    ReportFactory(cycle=cycle)
    html = staff_client.get(reverse("democracy_regs:cycle_submissions", args=[cycle.pk]) + "?loai=report").content
    old = _old(staff_user, cycle, SelfInspectionReport)
    assert old.count("kiểm tra trực tiếp") == 1
    assert old in html.decode()


def test_an_empty_list_says_so(staff_client, staff_user, cycle):
    html = staff_client.get(reverse("democracy_regs:cycle_submissions", args=[cycle.pk]) + "?loai=plan").content
    old = _old(staff_user, cycle, DemocracyPlan)
    assert "Chưa có đơn vị nào gửi." in old and old in html.decode()

"""The organisation list's, the member tables' and the member search's rows, formatted in Python
(organizations/rows.py, issue 13), are the bytes the old templates printed for the same rows: labels of kind,
sector, gender and status, counts as 1.234, dd/mm/yyyy dates, “—” for no cell or no official date, links, and
every text escaped."""

from datetime import date

import pytest
import time_machine
from django.template import Context, Template

from bench import dataset
from organizations import rows, selectors
from organizations.models import BaseOrganization, Member

pytestmark = pytest.mark.django_db

# The loop bodies of the templates before the rows moved to Python.
OLD_ORGANIZATION_ROW = Template(
    """{% load humanize %}{% for org in organizations %}
    <tr>
      <td>{{ forloop.counter0|add:page.start_index }}</td>
      <td>{{ org.code }}</td>
      <td><a href="{{ org.get_absolute_url }}">{{ org.name_on_date }}</a></td>
      <td>{{ org.get_kind_display }}</td>
      <td>{{ org.get_sector_display }}</td>
      <td class="text-end">{{ org.cell_count|intcomma }}</td>
      <td class="text-end">{{ org.member_count|intcomma }}</td>
      <td>{{ org.secretary_name }}</td>
      <td>{{ org.phone }}</td>
    </tr>
  {% endfor %}"""
)
OLD_MEMBER_ROW = Template(
    """{% for m in members %}
    <tr><td>{{ forloop.counter0|add:offset }}</td><td>{{ m.full_name }}</td><td>{{ m.get_gender_display }}</td>
      <td>{{ m.birth_date|date:"d/m/Y" }}</td><td>{{ m.admitted_on|date:"d/m/Y" }}</td>
      <td>{{ m.official_on|date:"d/m/Y"|default:"—" }}</td><td>{{ m.cell.name|default:"—" }}</td><td>{{ m.get_status_display }}</td></tr>
  {% endfor %}"""
)
OLD_SEARCH_ROW = Template(
    """{% for m in page %}
    <tr><td>{{ m.full_name }}</td><td>{{ m.birth_date|date:"d/m/Y" }}</td>
      <td><a href="{{ m.organization.get_absolute_url }}">{{ m.organization.name }}</a></td>
      <td>{{ m.cell.name|default:"—" }}</td><td>{{ m.get_status_display }}</td></tr>
  {% endfor %}"""
)


def _new(row_strings) -> str:
    return "".join(f"\n    {row}\n  " for row in row_strings)


@pytest.fixture
def data():
    with time_machine.travel(dataset.TODAY, tick=False):
        data = dataset.grow(dataset.start(), 6, years=1, members=20)
        first = BaseOrganization.objects.order_by("code").first()
        BaseOrganization.objects.filter(pk=first.pk).update(secretary_name="Lê <Văn> & Co", phone="0216 <1>")
        member = Member.objects.filter(organization=first).order_by("pk").first()
        Member.objects.filter(pk=member.pk).update(full_name="Nguyễn <b>An</b>", official_on=None, cell=None)
        yield data


def test_organization_rows_are_the_old_templates_output(data, staff_user):
    on = dataset.TODAY.date()
    queryset = selectors.organization_list(staff_user, on=on)
    instances = list(queryset)
    named = list(queryset.values_list(*selectors.ORGANIZATION_ROW_FIELDS, named=True))
    assert len(instances) == 6 and any(o.member_count for o in instances)
    old = OLD_ORGANIZATION_ROW.render(Context({"organizations": instances, "page": {"start_index": 51}}))
    assert _new(rows.organization_rows(named, start=51)) == old
    assert "Lê &lt;Văn&gt; &amp; Co" in old


def test_a_count_past_a_thousand_is_grouped_as_intcomma():
    row = BaseOrganization(pk=3, code="CS3", kind="committee", sector="enterprise")
    row.name_on_date, row.cell_count, row.member_count = "Đảng bộ", 1234, 1234567
    old = OLD_ORGANIZATION_ROW.render(Context({"organizations": [row], "page": {"start_index": 1}}))
    assert "1.234" in old and "1.234.567" in old
    assert _new(rows.organization_rows([row], start=1)) == old


def test_member_rows_are_the_old_templates_output(data, staff_user):
    organization = BaseOrganization.objects.order_by("code").first()
    for on in (None, date(2024, 5, 15)):
        queryset = selectors.member_list(staff_user, organization=organization, on=on)
        instances = list(queryset)
        named = list(queryset.values_list(*selectors.MEMBER_ROW_FIELDS, named=True))
        assert len(instances) >= 2
        old = OLD_MEMBER_ROW.render(Context({"members": instances, "offset": 101}))
        assert _new(rows.member_rows(named, start=101)) == old
    assert "Nguyễn &lt;b&gt;An&lt;/b&gt;" in old and "<td>—</td><td>—</td>" in old


def test_member_search_rows_are_the_old_templates_output(data, staff_user):
    queryset = selectors.member_list(staff_user, query="nguyen")
    instances = list(queryset)
    named = list(queryset.values_list(*selectors.MEMBER_ROW_FIELDS, named=True))
    assert len(instances) > 3
    assert _new(rows.member_search_rows(named)) == OLD_SEARCH_ROW.render(Context({"page": instances}))

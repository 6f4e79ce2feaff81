"""The registration table's rows come from a tag in Python (models_danvan/templatetags/registration_rows.py, issue
13): the same text as the template loop it replaced, values escaped alike, with and without the organisation
column and a page's offset, bloc-level rows and an empty list."""

import pytest
from django.template import Context, Template

from models_danvan import selectors
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

# The table as it was before the tag (templates/models_danvan/_registration_table.html).
BEFORE = """{% load portal_lists %}<table class="table table-sm bg-white registration-table">
  <thead class="table-light"><tr><th>STT</th>{% if show_org %}<th>Đơn vị</th>{% endif %}<th>Tên mô hình, điển hình</th><th>Lĩnh vực</th><th>Hình thức</th><th>Người phụ trách</th><th>Trạng thái</th></tr></thead>
  <tbody>
  {% for r in registrations %}
    <tr>
      <td>{% if offset %}{{ forloop.counter0|add:offset }}{% else %}{{ forloop.counter }}{% endif %}</td>
      {% if show_org %}<td>{{ r.organization.name|default:"Đảng ủy Khối" }}</td>{% endif %}
      <td><a href="{{ r.get_absolute_url }}">{{ r.name }}</a></td>
      <td>{{ r.get_category_display }}</td>
      <td>{{ r.get_origin_display }}</td>
      <td>{{ r.person_in_charge }}</td>
      <td>{% status_badge r.status r.get_status_display %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="7" class="text-muted text-center">Chưa có đăng ký nào.</td></tr>
  {% endfor %}
  </tbody>
</table>
"""
AFTER = '{% include "models_danvan/_registration_table.html" %}'


def _both(context: dict) -> tuple[str, str]:
    return Template(BEFORE).render(Context(context)), Template(AFTER).render(Context(context))


def test_the_rows_are_the_templates_text(staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    tricky = OrganizationFactory(name='Đảng bộ <Công ty> "A & B"')
    RegistrationFactory(campaign=campaign, organization=tricky, name="<script>x</script> & “mô hình”", status="draft")
    RegistrationFactory(campaign=campaign, organization=None, person_in_charge="O'Neil <b>", status="accepted")
    RegistrationFactory(campaign=campaign, status="returned", category="culture_society", origin="new")
    RegistrationFactory(campaign=campaign, status="withdrawn")
    rows = list(selectors.registration_rows(staff_user, campaign))
    full = list(selectors.registration_list(staff_user, campaign))
    cases = [
        {"registrations": rows, "show_org": True, "offset": 51},
        {"registrations": rows, "show_org": True, "offset": 1},
        {"registrations": rows, "show_org": True, "offset": 0},
        {"registrations": full},  # the campaign page's own registrations: no organisation column, no offset
        {"registrations": [], "show_org": True, "offset": 0},
        {"registrations": []},
    ]
    for context in cases:
        before, after = _both(context)
        assert after == before, context
    before, _ = _both(cases[0])
    assert "&lt;script&gt;" in before and "Đảng ủy Khối" in before and "<td>54</td>" in before

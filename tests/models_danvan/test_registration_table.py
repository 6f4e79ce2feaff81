"""The registration table's rows come from a tag in Python (models_danvan/templatetags/registration_rows.py, issue
13): the same bytes as the template loop it replaced, with the organisation column and a page's offset (the
registration list) and without either (the officer's campaign page); a bloc-level registration shows “Đảng ủy Khối”;
texts escaped alike; an empty list says so."""

import pytest
import time_machine
from django.template import Context, Template

from bench import dataset
from models_danvan import selectors
from models_danvan.models import Level, Registration
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

# The table as it was before the tag (templates/models_danvan/_registration_table.html).
BEFORE = Template(
    """{% load portal_lists %}<table class="table table-sm bg-white registration-table">
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
)
AFTER = Template('{% include "models_danvan/_registration_table.html" %}')


def _both(context: dict) -> tuple[str, str]:
    return BEFORE.render(Context(context)), AFTER.render(Context(context))


def test_tricky_texts_statuses_and_offsets_print_as_the_loop_did(staff_user):
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
    ]
    for context in cases:
        before, after = _both(context)
        assert after == before, context
    before, _ = _both(cases[0])
    assert "&lt;script&gt;" in before and "Đảng ủy Khối" in before and "<td>54</td>" in before


@pytest.mark.parametrize("context", [{"show_org": True, "offset": 51}, {}], ids=["list", "campaign page"])
def test_a_generated_campaign_prints_as_the_loop_did(staff_user, context):
    with time_machine.travel(dataset.TODAY, tick=False):
        data = dataset.grow(dataset.start(), 4, years=1, members=1)
    first = Registration.objects.filter(campaign=data.campaign).order_by("pk").first()
    Registration.objects.filter(pk=first.pk).update(organization=None, level=Level.BLOC, name="Mô hình <i>A</i> & B")
    registrations = list(selectors.registration_rows(staff_user, data.campaign))
    assert len(registrations) == 8 and any(r.organization_id is None for r in registrations)
    before, after = _both({**context, "registrations": registrations})
    assert after == before
    assert "Mô hình &lt;i&gt;A&lt;/i&gt; &amp; B" in after
    assert ("<td>Đảng ủy Khối</td>" in after) == bool(context.get("show_org"))


@pytest.mark.parametrize("context", [{"show_org": True, "offset": 0}, {}], ids=["list", "campaign page"])
def test_no_registration_says_so(context):
    before, after = _both({**context, "registrations": []})
    assert after == before and "Chưa có đăng ký nào." in after

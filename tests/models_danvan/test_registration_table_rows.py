"""templates/models_danvan/_registration_table.html's rows, now one tag (models_danvan/templatetags/
registration_rows.py, issue 13), are the bytes the old loop printed: with the organisation column and a page's
offset (the registration list), and without either (the officer's campaign page); a bloc-level registration
shows “Đảng ủy Khối”; texts escaped."""

from pathlib import Path

import pytest
import time_machine
from django.template import Context, Template

from bench import dataset
from models_danvan import selectors
from models_danvan.models import Level, Registration

pytestmark = pytest.mark.django_db

OLD_TABLE = Template(
    """{% load portal_lists %}<tbody>
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
  </tbody>"""
)


def _new_table(context: dict) -> str:
    source = Path("templates/models_danvan/_registration_table.html").read_text(encoding="utf-8")
    body = source[source.index("<tbody>") : source.index("</tbody>") + len("</tbody>")]
    return Template("{% load registration_rows %}" + body).render(Context(context))


@pytest.mark.parametrize("context", [{"show_org": True, "offset": 51}, {}], ids=["list", "campaign page"])
def test_rows_are_the_old_loops_output(staff_user, context):
    with time_machine.travel(dataset.TODAY, tick=False):
        data = dataset.grow(dataset.start(), 4, years=1, members=1)
    first = Registration.objects.filter(campaign=data.campaign).order_by("pk").first()
    Registration.objects.filter(pk=first.pk).update(organization=None, level=Level.BLOC, name="Mô hình <i>A</i> & B")
    registrations = list(selectors.registration_rows(staff_user, data.campaign))
    assert len(registrations) == 8 and any(r.organization_id is None for r in registrations)
    context = {**context, "registrations": registrations}
    new = _new_table(context)
    assert new == OLD_TABLE.render(Context(context))
    assert "Mô hình &lt;i&gt;A&lt;/i&gt; &amp; B" in new
    assert ("<td>Đảng ủy Khối</td>" in new) == bool(context.get("show_org"))


def test_no_registration_says_so():
    assert _new_table({"registrations": []}) == OLD_TABLE.render(Context({"registrations": []}))

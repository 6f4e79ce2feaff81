"""The registration table's rows written in Python (templates/models_danvan/_registration_table.html).

Why (issue 13, `bench/load.py --profile --cpu`): the officer's list of 50 registrations spent most of its CPU in
the template engine resolving seven variables and a tag a row (about 0.1 ms a row). The tag gives the same text
as the `{% for %}` loop it replaces, every value escaped as the template escaped it
(tests/models_danvan/test_registration_table_rows.py renders both)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from dukportal.core.templatetags.portal_lists import status_badge

register = template.Library()

EMPTY = '\n    <tr><td colspan="7" class="text-muted text-center">Chưa có đăng ký nào.</td></tr>\n  '


@register.simple_tag
def registration_rows(registrations, show_org=False, offset=None) -> SafeString:
    """`{% for r in registrations %}<tr>…</tr>{% empty %}…{% endfor %}` of the table: the number (from
    `offset`, the page's first index, when given), the organisation (`show_org`), the name linked to its page,
    the category, the origin, the person in charge and the status badge."""
    e = conditional_escape
    parts = []
    for counter0, r in enumerate(registrations):
        number = counter0 + int(offset) if offset else counter0 + 1
        organization = ""
        if show_org:
            name = r.organization.name if r.organization_id is not None and r.organization is not None else ""
            organization = f"<td>{e(name or 'Đảng ủy Khối')}</td>"
        parts.append(
            f"\n    <tr>\n      <td>{number}</td>\n      {organization}\n"
            f'      <td><a href="{e(r.get_absolute_url())}">{e(r.name)}</a></td>\n'
            f"      <td>{e(r.get_category_display())}</td>\n"
            f"      <td>{e(r.get_origin_display())}</td>\n"
            f"      <td>{e(r.person_in_charge)}</td>\n"
            f"      <td>{status_badge(r.status, r.get_status_display())}</td>\n    </tr>\n  "
        )
    return mark_safe("".join(parts) if parts else EMPTY)

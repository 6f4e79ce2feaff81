"""The rows of templates/models_danvan/_registration_table.html, formatted in Python: the registration list shows
50 a page and seven template nodes a row with three `get_*_display` and a badge tag were about two thirds of
the page's CPU at 74 organisations (bench/lists.py --profile, issue 13)."""

import html

from django import template
from django.utils.safestring import mark_safe

from dukportal.core.templatetags.portal_lists import BADGE_CLASSES, BADGE_HTML

register = template.Library()

ROW = (
    "<tr>\n      <td>{}</td>\n      {}\n"
    '      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
    "      <td>{}</td>\n    </tr>"
)


def _escaped(value) -> str:
    """conditional_escape(value) as a plain str, without its lazy-argument wrappers (a page calls it ~400 times)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def registration_rows(registrations, show_org=False, offset=0) -> str:
    """`<tr>` rows for Registration instances (organisation read with them): STT from `offset` (1 without),
    the organisation (“Đảng ủy Khối” for a bloc-level one) when `show_org`, the name linking to the
    registration, category, origin, person in charge and the status badge. The same text as
    format_html_join(…, ROW, …) with format_html for the organisation cell and status_badge for the badge (what it
    was written with, tests/models_danvan/test_registration_table_rows.py), escaping each value once in plain
    Python: format_html's wrappers were about half of the 50 rows' time."""
    rows = []
    for number, registration in enumerate(registrations, start=offset or 1):
        organization = ""
        if show_org:
            name = registration.organization.name if registration.organization_id else ""
            organization = f"<td>{_escaped(name or 'Đảng ủy Khối')}</td>"
        status = registration.status
        badge = BADGE_HTML.format(
            _escaped(BADGE_CLASSES.get(status, "text-bg-secondary")), _escaped(registration.get_status_display())
        )
        rows.append(
            ROW.format(
                number,
                organization,
                _escaped(registration.get_absolute_url()),  # the route reversed once per process (dukportal.core.links)
                _escaped(registration.name),
                _escaped(registration.get_category_display()),
                _escaped(registration.get_origin_display()),
                _escaped(registration.person_in_charge),
                badge,
            )
        )
    # Between rows the whitespace the template loop left: the same page, byte for byte.
    return mark_safe("\n  \n    ".join(rows))  # noqa: S308 (every value above is escaped)

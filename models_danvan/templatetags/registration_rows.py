"""The rows of templates/models_danvan/_registration_table.html, formatted in Python: the registration list shows
50 a page and seven template nodes a row with three `get_*_display` and a badge tag were about two thirds of
the page's CPU at 74 organisations (bench/lists.py --profile, issue 13)."""

from django import template
from django.utils.html import format_html, format_html_join

from dukportal.core.templatetags.portal_lists import status_badge

register = template.Library()

ROW = (
    "<tr>\n      <td>{}</td>\n      {}\n"
    '      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
    "      <td>{}</td>\n    </tr>"
)


@register.simple_tag
def registration_rows(registrations, show_org=False, offset=0) -> str:
    """`<tr>` rows for Registration instances (organisation read with them): STT from `offset` (1 without),
    the organisation (“Đảng ủy Khối” for a bloc-level one) when `show_org`, the name linking to the
    registration, category, origin, person in charge and the status badge."""

    def cells(number: int, registration) -> tuple:
        organization = ""
        if show_org:
            name = registration.organization.name if registration.organization_id else ""
            organization = format_html("<td>{}</td>", name or "Đảng ủy Khối")
        return (
            number,
            organization,
            registration.get_absolute_url(),  # the route reversed once per process (dukportal.core.links)
            registration.name,
            registration.get_category_display(),
            registration.get_origin_display(),
            registration.person_in_charge,
            status_badge(registration.status, registration.get_status_display()),
        )

    # Between rows the whitespace the template loop left: the same page, byte for byte.
    rows = format_html_join("\n  \n    ", ROW, (cells(n, r) for n, r in enumerate(registrations, start=offset or 1)))
    return rows

"""The rows of the tracking page's tables of organisations to chase, formatted in Python: the page lists up to
100 a deadline (500 with five open deadlines at 1,000 organisations), and seven template nodes a row with its
{% url %} were the part of the page that grew with the organisations once the figures were counted in SQL
(bench/README.md, "Statistics and cache", branch trackdash)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html_join

from dukportal.core.links import url_with_pk

register = template.Library()


@register.simple_tag
def owing_rows(owing) -> str:
    """`<tr>` rows for a list of OwingOrganization: STT, the name on the reference date (a link to the
    organisation), the contact, phone, e-mail, and the last reminder ("d/m/Y H:i" in local time, as the `date`
    filter prints it) or “Chưa nhắc”."""

    def cells(number: int, row) -> tuple:
        organization = row.organization
        reminded = row.last_reminded
        return (
            number,
            url_with_pk("organizations:detail", organization.pk),  # the route reversed once per process
            getattr(organization, "name_on_date", None) or organization.name,
            row.contact or "—",
            organization.phone or "—",
            organization.email or "—",
            timezone.localtime(reminded).strftime("%d/%m/%Y %H:%M") if reminded else "Chưa nhắc",
        )

    return format_html_join(
        "\n",
        '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (cells(number, row) for number, row in enumerate(owing, start=1)),
    )

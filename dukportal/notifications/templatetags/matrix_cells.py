"""The compliance matrix's rows formatted in Python, as the template printed them (the same text): a page of 100
organisations × the year's deadlines is ~1,000 cells, and the template's chain of {% if %} on each standing's
code, its label, date and lateness, plus a {% url %} and the name a row, were ~70 ms of CPU a page at 1,000
organisations: most of a cache hit, a third of the computed page (bench/README.md, branch suite8)."""

from django import template
from django.utils.safestring import SafeString

from dukportal.core.cells import day, html_row
from dukportal.core.links import url_with_pk
from dukportal.notifications.templatetags.deadline_rows import standing_badge

register = template.Library()


@register.filter
def matrix_cell(standing) -> SafeString:
    """One cell: the standing's badge as the organisation page prints it (`standing_badge`: its label, the day it
    was first sent and “(nộp muộn)”, or “—” where the organisation did not owe the deadline, None)."""
    return html_row(
        '<td class="small" data-code="{}">{}</td>',
        (standing.code if standing is not None else None) or "none",
        SafeString(standing_badge(standing)),
    )


@register.simple_tag
def matrix_row_start(row, number: int, on) -> SafeString:
    """A row's opening: `<tr>` (greyed when the organisation was no longer active on `on`), its STT, and its name
    linking to its page, with the “đã giải thể/sáp nhập” badge for one no longer active."""
    organization = row.organization
    if row.active:
        return html_row(
            '<tr data-organization="{}"><td>{}</td>\n      <td><a href="{}">{}</a></td>',
            organization.pk,
            number,
            url_with_pk("organizations:detail", organization.pk),
            organization.name,
        )
    until = organization.valid_to
    return html_row(
        '<tr data-organization="{}" class="table-secondary" data-gone="1"><td>{}</td>\n      <td><a href="{}">{}</a>'
        ' <span class="badge text-bg-secondary gone-badge" title="Không còn hoạt động vào ngày {}: không nhắc">'
        "đã giải thể/sáp nhập{}</span></td>",
        organization.pk,
        number,
        url_with_pk("organizations:detail", organization.pk),
        organization.name,
        day(on),
        SafeString(f" (hoạt động đến {day(until)})") if until else SafeString(""),
    )

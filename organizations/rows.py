"""The table rows of the organisation list, the member tables and the member search, formatted once a page in
Python from the columns they show (named rows of selectors.ORGANIZATION_ROW_FIELDS, MEMBER_ROW_FIELDS: the
pages' `organizations` and `page.object_list` keep those attributes), every text escaped.

Why (issue 13, `bench/lists.py --profile` at 74 organisations): a row was a model instance (three with the
member's organisation and cell), a reverse() for its link, and eight to ten template variables with
`get_*_display`, `date` and `intcomma` filters: 50 to 100 rows made those pages 6–7× the trivial page's
Python calls. The cells are those the templates printed (dd/mm/yyyy, 1.234, “—” for none)."""

from dukportal.core.cells import Thousands, day, html_row, labels
from dukportal.core.links import url_with_pk

from .models import BaseOrganizationKind, Gender, MemberStatus, Sector

ORGANIZATION_ROW = (
    "<tr>\n      <td>{}</td>\n      <td>{}</td>\n"
    '      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n'
    '      <td class="text-end">{}</td>\n      <td class="text-end">{}</td>\n'
    "      <td>{}</td>\n      <td>{}</td>\n    </tr>"
)


def organization_rows(rows, *, start: int) -> list[str]:
    """The organisation list's `<tr>` rows, numbered from `start` (the page's first index)."""
    kinds, sectors, thousands = labels(BaseOrganizationKind.choices), labels(Sector.choices), Thousands()
    return [
        html_row(
            ORGANIZATION_ROW,
            number,
            row.code,
            url_with_pk("organizations:detail", row.pk),
            row.name_on_date,
            kinds.get(row.kind, row.kind),
            sectors.get(row.sector, row.sector),
            thousands(row.cell_count),
            thousands(row.member_count),
            row.secretary_name,
            row.phone,
        )
        for number, row in enumerate(rows, start=start)
    ]


MEMBER_ROW = (
    "<tr><td>{}</td><td>{}</td><td>{}</td>\n      <td>{}</td><td>{}</td>\n      <td>{}</td><td>{}</td><td>{}</td></tr>"
)


def member_rows(rows, *, start: int) -> list[str]:
    """templates/organizations/_member_table.html's `<tr>` rows (STT from `start`, name, gender, birth,
    admission and official dates, cell, status)."""
    genders, statuses = labels(Gender.choices), labels(MemberStatus.choices)
    return [
        html_row(
            MEMBER_ROW,
            number,
            row.full_name,
            genders.get(row.gender, row.gender),
            day(row.birth_date),
            day(row.admitted_on),
            day(row.official_on) or "—",
            row.cell__name or "—",
            statuses.get(row.status, row.status),
        )
        for number, row in enumerate(rows, start=start)
    ]


MEMBER_SEARCH_ROW = '<tr><td>{}</td><td>{}</td>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td><td>{}</td></tr>'


def member_search_rows(rows) -> list[str]:
    """The member search's `<tr>` rows: name, birth date, organisation (a link), cell, status."""
    statuses = labels(MemberStatus.choices)
    return [
        html_row(
            MEMBER_SEARCH_ROW,
            row.full_name,
            day(row.birth_date),
            url_with_pk("organizations:detail", row.organization_id),
            row.organization__name,
            row.cell__name or "—",
            statuses.get(row.status, row.status),
        )
        for row in rows
    ]

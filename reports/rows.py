"""The table rows of the document list and of the register's issued documents, formatted once a page in Python
from the few columns they show (selectors.DOCUMENT_ROW_FIELDS, REGISTER_ROW_FIELDS).

Why (issue 13, `bench/lists.py --profile`): each row was a Document with four related rows (body and bloc,
term, two users: about 300 model instances a page of 50) and ten template variables and filters, two
`{% url %}` and a `get_absolute_url()` reverse: about 1,300 Python calls a row, the pages 8–9× the trivial
page's calls. Here a row is one tuple and one `format_html`; the cells are those the templates printed
(number label, dd/mm/yyyy dates in local time, subject cut at 120 characters, issuer, status badge, links),
every text escaped."""

from django.utils.html import format_html
from django.utils.text import Truncator

from dukportal.core.cells import day, html_row
from dukportal.core.links import url_with_pk

from .models import DocumentStatus, IssuingBody
from .selectors import ROW_HEAD


def _text(value) -> str:
    """A JSON value as the template printed `{{ d.content.<key> }}`: "" where the key is absent."""
    return "" if value is None else str(value)


def _number_label(number, doc_type: str, symbol: str, body_symbol: str, body_kind: str, bloc_symbol: str) -> str:
    """Document.number_label from its columns: 07-CV/ĐUK, or “Dự thảo” before issue."""
    if number is None:
        return str(DocumentStatus.DRAFT.label)
    return f"{number:02d}-{doc_type}/{symbol or IssuingBody.code_of(body_symbol, body_kind, bloc_symbol)}"


_HEAD = len(ROW_HEAD)


def _read(row) -> tuple:
    """The one reader of a row of either list: (id, number label, status, the issuer shown, the rest of the
    row's columns) from the columns of selectors.ROW_HEAD that start it."""
    pk, number, doc_type, symbol, body_symbol, body_kind, bloc_symbol, body_name, status, issuer_name = row[:_HEAD]
    label = _number_label(number, doc_type, symbol, body_symbol, body_kind, bloc_symbol)
    issuer = (issuer_name if status == DocumentStatus.ISSUED else "") or body_name
    return pk, label, status, issuer, row[_HEAD:]


DOCUMENT_ROW = (
    '<tr>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n'
    "      <td>{}</td>\n      <td>{}</td>\n"
    '      <td class="text-nowrap"><a href="{}">Word</a> · <a href="{}">PDF</a></td>\n    </tr>'
)
BADGE = '<span class="badge {}">{}</span>'


def document_rows(rows) -> list[str]:
    """The document list's `<tr>` rows from values of selectors.DOCUMENT_ROW_FIELDS."""
    statuses = {value: str(label) for value, label in DocumentStatus.choices}
    result = []
    for row in rows:
        pk, label, status, issuer, (issued_on, created_at, figures_as_of, subject) = _read(row)
        issued = status == DocumentStatus.ISSUED
        shown_day = day(issued_on) if issued_on else format_html('<span class="text-muted">{}</span>', day(created_at))
        badge = "text-bg-success" if issued else "text-bg-warning"
        result.append(
            html_row(
                DOCUMENT_ROW,
                url_with_pk("reports:document", pk),
                label,
                shown_day,
                day(figures_as_of),
                Truncator(_text(subject)).chars(120),
                issuer,
                html_row(BADGE, badge, statuses.get(status, status)),
                url_with_pk("reports:document_download", pk, "docx"),
                url_with_pk("reports:document_download", pk, "pdf"),
            )
        )
    return result


REGISTER_ROW = (
    '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>\n'
    '      <td class="small">{}<br>{}<br>{}</td>\n'
    '      <td>{}</td><td class="small">{} {}</td></tr>'
)


def register_rows(rows) -> list[str]:
    """The register's issued documents as `<tr>` rows from values of selectors.REGISTER_ROW_FIELDS."""
    result = []
    for row in rows:
        pk, label, _status, issuer, tail = _read(row)
        issued_on, header_superior, header_name, place_name, subject, signer_title, signer_name = tail
        result.append(
            html_row(
                REGISTER_ROW,
                url_with_pk("reports:document", pk),
                label,
                day(issued_on),
                issuer,
                header_superior.upper(),
                header_name.upper(),
                place_name,
                Truncator(_text(subject)).chars(120),
                _text(signer_title),
                _text(signer_name),
            )
        )
    return result

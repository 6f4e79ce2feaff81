"""Issuing a long report holds the register's lock for a few queries, not for the rendering: the counter row is
free while the .docx and .pdf are rendered, and the locked step takes well under a second whatever the size."""

import time
from datetime import date

import psycopg2
import pytest
from django.db import connection
from pypdf import PdfReader

from reports import services
from reports.models import DocType, DocumentKind, NumberCounter
from tests.reports.drafts import finish

# About a hundred printed pages of A4 in the document template.
LONG_BODY = "\n".join(
    f"{n}. Đơn vị đã tổ chức quán triệt, triển khai thực hiện Quy chế dân chủ ở cơ sở; kết quả cụ thể như sau, "
    "với đầy đủ số liệu của từng chi bộ trực thuộc và từng tổ chức đoàn thể."
    for n in range(1, 1200)
)


def _draft(actor, body, text=None):
    document = services.document_create(actor=actor, kind=DocumentKind.OTHER, issuing_body=body, doc_type=DocType.BC)
    if text:
        document = services.document_update(actor=actor, document=document, body=text)
    return finish(document, actor)  # the subject and any "…" written out: only a finished draft is issued


def _counter_lock_is_free(counter_id) -> bool:
    """Ask from a second connection whether the counter row could be locked right now."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        with other.cursor() as cursor:
            try:
                cursor.execute("SELECT 1 FROM reports_numbercounter WHERE id = %s FOR UPDATE NOWAIT", [counter_id])
            except psycopg2.errors.LockNotAvailable:
                return False
            return True
    finally:
        other.rollback()
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the probe's second connection must see the committed counter
def test_rendering_happens_outside_the_counter_lock(postgres_only, staff_user, issuing_body, term, monkeypatch):
    services.document_issue(actor=staff_user, document=_draft(staff_user, issuing_body), issued_on=date(2024, 5, 21))
    counter = NumberCounter.objects.get()
    seen = []
    real_docx, real_pdf = services.render_docx, services.render_pdf

    def probing(real):
        def render(structure):
            seen.append(_counter_lock_is_free(counter.pk))
            return real(structure)

        return render

    monkeypatch.setattr(services, "render_docx", probing(real_docx))
    monkeypatch.setattr(services, "render_pdf", probing(real_pdf))
    issued = services.document_issue(
        actor=staff_user, document=_draft(staff_user, issuing_body, "Nội dung."), issued_on=date(2024, 5, 22)
    )
    assert issued.number == 2
    assert seen == [True, True]


@pytest.mark.django_db
def test_long_report_holds_the_lock_well_under_a_second(staff_user, issuing_body, term, monkeypatch):
    draft = _draft(staff_user, issuing_body, LONG_BODY)
    spans = {"render": 0.0, "locked": 0.0}
    real_commit, real_pdf = services._issue_commit, services.render_pdf

    def timed_pdf(structure):
        started = time.perf_counter()
        try:
            return real_pdf(structure)
        finally:
            spans["render"] += time.perf_counter() - started

    def timed_commit(**kwargs):  # the only step inside the counter's transaction (lock taken inside, freed on exit)
        started = time.perf_counter()
        try:
            return real_commit(**kwargs)
        finally:
            spans["locked"] += time.perf_counter() - started

    monkeypatch.setattr(services, "render_pdf", timed_pdf)
    monkeypatch.setattr(services, "_issue_commit", timed_commit)
    issued = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 22))

    assert issued.number == 1
    with issued.pdf_file.open("rb") as stored:
        pages = len(PdfReader(stored).pages)
    assert pages >= 80, pages
    assert spans["render"] > 2 * spans["locked"]  # the document is long: rendering dominates
    assert spans["locked"] < 0.5, spans

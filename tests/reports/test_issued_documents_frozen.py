"""An issued document is kept as issued: the service refuses changes, the database refuses UPDATE and DELETE,
the admin shows it read-only; a correction is a new document with a new number."""

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from reports import services
from reports.models import Document, DocumentKind
from tests.reports.drafts import finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(staff_user, issuing_body, term):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    services.document_update(actor=staff_user, document=draft, subject="V/v bản gốc", body="Nội dung gốc.")
    return services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22))


def test_issued_document_keeps_files_issuer_and_time(issued, staff_user):
    assert issued.docx_file.name.endswith(".docx") and issued.pdf_file.name.endswith(".pdf")
    assert issued.issued_by == staff_user and issued.issued_at is not None
    with issued.pdf_file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_service_refuses_to_edit_reissue_or_delete(issued, staff_user):
    for call in (
        lambda: services.document_update(actor=staff_user, document=issued, subject="V/v sửa"),
        lambda: services.document_issue(actor=staff_user, document=issued),
        lambda: services.document_delete_draft(actor=staff_user, document=issued),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert "không thể sửa" in error.value.messages[0]
    issued.refresh_from_db()
    assert issued.content["subject"] == "V/v bản gốc" and issued.number == 1


def test_database_refuses_update_and_delete_of_issued_row(issued):
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=issued.pk).update(content={"subject": "V/v giả mạo"})
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=issued.pk).delete()
    assert Document.objects.get(pk=issued.pk).content["subject"] == "V/v bản gốc"


def test_drafts_stay_editable_and_deletable(staff_user, issuing_body):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    services.document_update(
        actor=staff_user,
        document=draft,
        subject="V/v thử",
        recipients="- Các chi, đảng bộ cơ sở,\n- Các đoàn thể khối.",
        body="Đoạn một.",
    )
    draft.refresh_from_db()
    assert draft.content["recipients"] == ["- Các chi, đảng bộ cơ sở,", "- Các đoàn thể khối."]
    services.document_delete_draft(actor=staff_user, document=draft)
    assert not Document.objects.filter(pk=draft.pk).exists()


def test_correction_is_a_new_document_with_the_next_number(issued, staff_user, issuing_body):
    correction = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    correction = services.document_issue(
        actor=staff_user, document=finish(correction, staff_user), issued_on=date(2024, 5, 23)
    )
    assert (issued.number, correction.number) == (1, 2)


def test_admin_shows_documents_and_register_read_only(issued, rf, staff_user):
    request = rf.get("/")
    request.user = staff_user
    for model in (Document, type(issued.term).counters.rel.related_model):
        admin = site._registry[model]
        assert not admin.has_change_permission(request, issued if model is Document else None)
        assert not admin.has_add_permission(request)
        assert not admin.has_delete_permission(request)


def test_the_test_runs_flush_empties_issued_documents_and_leaves_their_guard_on(issued, postgres_only):
    """Transactional tests are emptied by DELETE (tests/fast_flush.py), which the row trigger would refuse for an
    issued document: the flush lifts the trigger for itself only."""
    from django.core.management.color import no_style
    from django.db import connection

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(no_style(), tables)
    assert not any(statement.startswith("TRUNCATE") for statement in statements)
    with connection.cursor() as cursor:  # as after a transactional test: its writes checked (committed there)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
    connection.ops.execute_sql_flush(statements)
    assert not Document.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'reports_document'::regclass")
        triggers = dict(cursor.fetchall())
    assert triggers and all(state == "O" for name, state in triggers.items() if name.startswith("document_frozen"))

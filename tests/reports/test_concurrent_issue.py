"""Two staff issuing at once never get the same number, and no number is skipped (PostgreSQL: each thread has
its own connection and transaction; the counter row lock serialises them)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from reports import services
from reports.models import Document, DocumentKind, NumberCounter
from tests.reports.drafts import finish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


THREADS = 8


def test_concurrent_issues_get_distinct_consecutive_numbers(postgres_only, staff_user, issuing_body, term, monkeypatch):
    drafts = [
        services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
        for _ in range(THREADS)
    ]
    real_docx = services.render_docx

    def slow_docx(doc):  # widen the window between reading and writing the counter
        time.sleep(0.05)
        return real_docx(doc)

    monkeypatch.setattr(services, "render_docx", slow_docx)
    monkeypatch.setattr(services, "render_pdf", lambda doc: b"%PDF-1.7 test")
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue(draft):
        try:
            barrier.wait()
            services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert connection.vendor == "postgresql"
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    assert NumberCounter.objects.get().last_number == THREADS


def test_concurrent_first_issue_creates_one_counter(postgres_only, staff_user, issuing_body, term, monkeypatch):
    """No counter row yet: both transactions try to create it; one waits for the other, both succeed."""
    drafts = [
        services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body) for _ in range(2)
    ]
    monkeypatch.setattr(services, "render_pdf", lambda doc: b"%PDF-1.7 test")
    barrier = threading.Barrier(2)
    errors = []

    def issue(draft):
        try:
            barrier.wait()
            services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22))
        except Exception as error:  # pragma: no cover
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Document.objects.values_list("number", flat=True)) == [1, 2]
    assert NumberCounter.objects.count() == 1

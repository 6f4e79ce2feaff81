"""The register (sổ văn bản đi): one sequence per issuing body, document type and term; it runs across
1 January and restarts with a new term; numbers used on paper are respected; a failed issue burns nothing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reports import services
from reports.models import DocType, DocumentKind, DocumentStatus, IssuerKind, NumberCounter
from tests.reports.drafts import finish
from tests.reports.factories import IssuingBodyFactory, TermFactory

pytestmark = pytest.mark.django_db


def _draft(actor, body, doc_type=DocType.CV):
    return services.document_create(actor=actor, kind=DocumentKind.OTHER, issuing_body=body, doc_type=doc_type)


def _issue(actor, body, on, doc_type=DocType.CV):
    return services.document_issue(actor=actor, document=finish(_draft(actor, body, doc_type), actor), issued_on=on)


def test_numbers_continue_across_new_year_within_a_term(staff_user, issuing_body, term):
    numbers = [
        _issue(staff_user, issuing_body, day).number
        for day in (date(2023, 12, 30), date(2023, 12, 31), date(2024, 1, 1), date(2024, 1, 2))
    ]
    assert numbers == [1, 2, 3, 4]


def test_new_term_restarts_at_one(staff_user, issuing_body, term):
    new_term = TermFactory(name="Nhiệm kỳ 2025 – 2030", start_date=date(2025, 10, 1), end_date=date(2030, 9, 30))
    last_old = [_issue(staff_user, issuing_body, date(2025, 9, d)).number for d in (29, 30)]
    first_new = [_issue(staff_user, issuing_body, date(2025, 10, d)).number for d in (1, 2)]
    assert last_old == [1, 2]
    assert first_new == [1, 2]
    document = _issue(staff_user, issuing_body, date(2025, 10, 3))
    assert document.term == new_term
    assert document.number_label == "03-CV/ĐUK"


def test_each_type_and_each_issuing_body_keeps_its_own_sequence(staff_user, issuing_body, term, bloc):
    department = IssuingBodyFactory(bloc=bloc, kind=IssuerKind.DEPARTMENT, name="Ban Tuyên giáo Đảng ủy Khối")
    day = date(2024, 5, 22)
    assert _issue(staff_user, issuing_body, day).number_label == "01-CV/ĐUK"
    assert _issue(staff_user, issuing_body, day).number_label == "02-CV/ĐUK"
    assert _issue(staff_user, issuing_body, day, DocType.BC).number_label == "01-BC/ĐUK"
    assert _issue(staff_user, department, day).number_label == "01-CV/BTGĐUK"


def test_issue_date_defaults_to_today(staff_user, issuing_body, term):
    with time_machine.travel(date(2024, 5, 22)):
        document = services.document_issue(
            actor=staff_user, document=finish(_draft(staff_user, issuing_body), staff_user)
        )
    assert document.issued_on == date(2024, 5, 22)


def test_last_number_used_on_paper_is_continued(staff_user, issuing_body, term):
    services.counter_set_last_number(
        actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1719
    )
    assert _issue(staff_user, issuing_body, date(2024, 5, 22)).number == 1720
    with pytest.raises(ValidationError) as error:
        services.counter_set_last_number(
            actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1700
        )
    assert "Số 1720 đã được phát hành" in str(error.value)


def test_only_staff_set_numbers_or_issue(leader_user, staff_user, issuing_body, term):
    from django.core.exceptions import PermissionDenied

    draft = _draft(staff_user, issuing_body)
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=leader_user, document=finish(draft, staff_user))
    with pytest.raises(PermissionDenied):
        services.counter_set_last_number(
            actor=leader_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=5
        )


def test_failed_issue_burns_no_number(staff_user, issuing_body, term, monkeypatch, media_root):
    first = _issue(staff_user, issuing_body, date(2024, 5, 20))
    draft = _draft(staff_user, issuing_body)

    def broken(doc):
        raise RuntimeError("Pango crashed")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 21))
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.number is None
    assert NumberCounter.objects.get().last_number == first.number
    monkeypatch.undo()
    assert (
        services.document_issue(
            actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 21)
        ).number
        == 2
    )
    stored = sorted(p.name for p in (media_root / "van-ban" / "2024").iterdir())
    assert len(stored) == 4  # two documents × (.docx, .pdf): nothing left from the failed attempt


def test_failed_save_after_rendering_leaves_no_files(staff_user, issuing_body, term, monkeypatch, media_root):
    draft = _draft(staff_user, issuing_body)
    original = NumberCounter.save

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(NumberCounter, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 21))
    monkeypatch.setattr(NumberCounter, "save", original)
    draft.refresh_from_db()
    assert draft.number is None
    folder = media_root / "van-ban" / "2024"
    assert not folder.exists() or not list(folder.iterdir())


def test_issue_without_a_term_explains_what_to_do(staff_user, issuing_body):
    with pytest.raises(ValidationError) as error:
        _issue(staff_user, issuing_body, date(2024, 5, 22))
    assert "Chưa khai báo nhiệm kỳ chứa ngày 22/05/2024" in error.value.messages[0]


def test_overlapping_terms_are_refused(staff_user, bloc, term):
    with pytest.raises(ValidationError) as error:
        services.term_create(
            actor=staff_user, bloc=bloc, name="Trùng", start_date=date(2025, 1, 1), end_date=date(2030, 1, 1)
        )
    assert "trùng thời gian" in str(error.value)


def test_the_registers_forms_are_the_widget_templates_text(staff_user):
    """The register's two forms write their widgets in Python (WIDGET_RENDERER, issue 13): the same page text as
    Django's widget templates, blank and bound with errors."""
    from django.forms.renderers import get_default_renderer
    from django.template.loader import render_to_string

    from dukportal.core.forms import WIDGET_RENDERER
    from reports import selectors as report_selectors
    from reports.forms import CounterForm, TermForm

    def page(form_class, renderer, data):
        class Form(form_class):
            default_renderer = renderer

        form = Form(data)
        if isinstance(form, CounterForm):
            form.offer(list(report_selectors.issuing_bodies()), list(report_selectors.terms()))
        if data is not None:
            form.is_valid()
        return render_to_string("partials/_form_fields.html", {"form": form})

    IssuingBodyFactory(), TermFactory()
    for form_class, data in (
        (TermForm, None),
        (TermForm, {"name": "<Khóa> & “XV”", "start_date": "31/02/2025", "end_date": ""}),
        (CounterForm, None),
        (CounterForm, {"doc_type": "zzz", "last_number": "-1"}),
    ):
        assert form_class.default_renderer is WIDGET_RENDERER
        assert page(form_class, WIDGET_RENDERER, data) == page(form_class, get_default_renderer(), data)

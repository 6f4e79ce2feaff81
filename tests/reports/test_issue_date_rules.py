"""Issuing asks for the issue date (default today): never in the future, never before the last issued document
of the same sequence (issuing body + type + term), so the register stays in date order. A refusal burns no
number and leaves the draft as it was."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services
from reports.models import DocType, DocumentKind, DocumentStatus, NumberCounter
from tests.reports.drafts import finish
from tests.reports.factories import HCM, IssuingBodyFactory

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


def _draft(staff_user, issuing_body, doc_type=DocType.CV):
    """A draft written out, ready to be numbered."""
    draft = services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, doc_type=doc_type
    )
    return finish(draft, staff_user)


def test_issue_date_defaults_to_today(staff_user, issuing_body, term):
    with _at(date(2024, 5, 22)):
        document = services.document_issue(actor=staff_user, document=_draft(staff_user, issuing_body))
    assert document.issued_on == date(2024, 5, 22)


def test_future_issue_date_is_refused(staff_user, issuing_body, term):
    with _at(date(2024, 5, 22)):
        draft = _draft(staff_user, issuing_body)
        with pytest.raises(ValidationError) as error:
            services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 23))
    assert error.value.message_dict["issued_on"] == ["Ngày ban hành không được sau ngày hôm nay (22/05/2024)."]
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.number is None
    assert not NumberCounter.objects.filter(last_number__gt=0).exists()


def test_date_before_the_sequences_last_issued_document_is_refused(staff_user, issuing_body, term):
    with _at(date(2024, 5, 25)):
        first = services.document_issue(
            actor=staff_user, document=_draft(staff_user, issuing_body), issued_on=date(2024, 5, 22)
        )
        late = _draft(staff_user, issuing_body)
        with pytest.raises(ValidationError) as error:
            services.document_issue(actor=staff_user, document=late, issued_on=date(2024, 5, 21))
        assert error.value.message_dict["issued_on"] == [
            "Ngày ban hành 21/05/2024 sớm hơn văn bản số 01-CV/ĐUK đã phát hành ngày 22/05/2024 trong cùng dãy "
            "số; sổ văn bản đi phải theo thứ tự ngày. Chọn ngày từ 22/05/2024 trở đi."
        ]
        late.refresh_from_db()
        assert late.status == DocumentStatus.DRAFT
        assert NumberCounter.objects.get().last_number == 1  # no number burnt

        same_day = services.document_issue(actor=staff_user, document=late, issued_on=date(2024, 5, 22))
        next_day = services.document_issue(
            actor=staff_user, document=_draft(staff_user, issuing_body), issued_on=date(2024, 5, 24)
        )
    assert [(d.number, d.issued_on) for d in (first, same_day, next_day)] == [
        (1, date(2024, 5, 22)),
        (2, date(2024, 5, 22)),
        (3, date(2024, 5, 24)),
    ]


def test_other_sequences_keep_their_own_order(staff_user, issuing_body, term):
    department = IssuingBodyFactory(bloc=issuing_body.bloc, kind="department", name="Ban Tuyên giáo Đảng ủy Khối")
    with _at(date(2024, 5, 25)):
        services.document_issue(
            actor=staff_user, document=_draft(staff_user, issuing_body), issued_on=date(2024, 5, 24)
        )
        report = services.document_issue(
            actor=staff_user,
            document=_draft(staff_user, issuing_body, DocType.BC),
            issued_on=date(2024, 5, 20),
        )
        other_body = services.document_issue(
            actor=staff_user, document=_draft(staff_user, department), issued_on=date(2024, 5, 20)
        )
    assert (report.number_label, other_body.number_label) == ("01-BC/ĐUK", "01-CV/BTGĐUK")


# --- through the page -----------------------------------------------------------------------------------------


def test_issue_form_defaults_to_today_and_issues_on_the_chosen_date(staff_client, staff_user, issuing_body, term):
    draft = _draft(staff_user, issuing_body)
    with _at(date(2024, 5, 25)):
        page = staff_client.get(draft.get_absolute_url()).content.decode()
        assert 'name="issued_on" id="id_issued_on" value="25/05/2024"' in page
        response = staff_client.post(
            reverse("reports:document_issue", args=[draft.pk]), {"issued_on": "22/05/2024"}, follow=True
        )
    assert "Đã phát hành văn bản số 01-CV/ĐUK. Ngày ban hành 22/05/2024." in response.content.decode()
    draft.refresh_from_db()
    assert draft.issued_on == date(2024, 5, 22)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("26/05/2024", "Ngày ban hành “26/05/2024”: Ngày ban hành không được sau ngày hôm nay."),
        ("32/05/2024", "Ngày ban hành “32/05/2024”: Ngày không hợp lệ"),
        ("21/05/2024", "sớm hơn văn bản số 01-CV/ĐUK đã phát hành ngày 22/05/2024"),
    ],
)
def test_issue_form_refuses_bad_dates_with_a_message(staff_client, staff_user, issuing_body, term, typed, message):
    with _at(date(2024, 5, 25)):
        services.document_issue(
            actor=staff_user, document=_draft(staff_user, issuing_body), issued_on=date(2024, 5, 22)
        )
        draft = _draft(staff_user, issuing_body)
        response = staff_client.post(
            reverse("reports:document_issue", args=[draft.pk]), {"issued_on": typed}, follow=True
        )
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.number is None

"""A draft is written for a reference date ("Số liệu tính đến ngày"): its figures, missing lists and sentences
are those at the end of that day, the date is kept with it, and redrafting later for the same date gives the
same text, however much was sent in between."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from dukportal.core.audit import AuditEntry
from dukportal.submissions.models import Deadline
from organizations.models import Bloc
from reports import services
from reports.models import Document, DocumentKind
from tests import module_data
from tests.factories import RegistrationFactory
from tests.reports.factories import HCM, TermFactory, danvan_scenario

pytestmark = pytest.mark.django_db

SENTENCE_15_5 = "Tính đến ngày 15/5/2024 đã có 30/74 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024"


def _at(day: date, hour: int = 9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


def _history(staff_user):
    """The register's term, then: 30/74 registered by 10/5/2024; two more organisations send on 20/5 and 3/6;
    one that owed it and had sent nothing is dissolved on 31/5."""
    TermFactory(bloc=Bloc.objects.get())
    with _at(date(2024, 5, 14)):
        campaign, orgs = danvan_scenario(staff=staff_user)
    with _at(date(2024, 5, 20)):
        RegistrationFactory(campaign=campaign, organization=orgs[40])
    orgs[50].valid_to = date(2024, 5, 31)
    orgs[50].save()
    with _at(date(2024, 6, 3)):
        RegistrationFactory(campaign=campaign, organization=orgs[41])
        RegistrationFactory(campaign=campaign, organization=orgs[41])
    return campaign, orgs, Deadline.objects.get(kind="danvan.registration")


@pytest.fixture(scope="module")
def history_once(django_db_setup, django_db_blocker):
    """The history built once for the module (74 organisations: most of each test's setup), in a transaction
    rolled back after it; each test's own transaction nests in it and rolls back what the test wrote."""
    with module_data.built_once(django_db_blocker, _history) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("history_once")


@pytest.fixture
def history(history_once):
    return history_once


def _draft(staff_user, issuing_body, deadline, as_of):
    return services.document_create(
        actor=staff_user, kind=DocumentKind.REMINDER, issuing_body=issuing_body, deadline=deadline, as_of=as_of
    )


def test_draft_figures_and_missing_list_are_those_of_the_reference_date(history, staff_user, issuing_body):
    _, orgs, deadline = history
    with _at(date(2024, 12, 2)):  # drafted months later
        draft = _draft(staff_user, issuing_body, deadline, date(2024, 5, 15))
        later = _draft(staff_user, issuing_body, deadline, date(2024, 6, 5))
    body = draft.content["body"]
    assert draft.figures_as_of == date(2024, 5, 15)
    assert SENTENCE_15_5 + ", với 133 mô hình đăng ký" in body
    assert "Còn 44 chi, đảng bộ cơ sở chưa gửi, gồm:" in body
    assert orgs[40].name in body and orgs[50].name in body  # not sent yet, still active on 15/5
    later_body = later.content["body"]
    assert "Tính đến ngày 05/6/2024 đã có 32/74 chi, đảng bộ cơ sở gửi" in later_body
    assert "với 136 mô hình đăng ký" in later_body
    # Dissolved on 31/5: still counted in y on 5/6 (it owed it on the due date), no longer chased.
    assert "Còn 41 chi, đảng bộ cơ sở chưa gửi, gồm:" in later_body
    assert orgs[50].name not in later_body and orgs[40].name not in later_body


def test_redrafting_later_for_the_same_date_gives_exactly_the_same_text(history, staff_user, issuing_body):
    _, _, deadline = history
    with _at(date(2024, 5, 16)):
        first = _draft(staff_user, issuing_body, deadline, date(2024, 5, 15))
    original = dict(first.content)
    for later_day in (date(2024, 5, 21), date(2024, 6, 10), date(2025, 1, 5)):
        with _at(later_day):
            services.document_update(actor=staff_user, document=first, body="Lời văn đã sửa tay.")
            regenerated = services.document_regenerate(actor=staff_user, document=first)
            fresh = _draft(staff_user, issuing_body, deadline, date(2024, 5, 15))
        assert regenerated.content == original and regenerated.figures_as_of == date(2024, 5, 15)
        assert fresh.content == original
    entry = AuditEntry.objects.filter(action="document.regenerate").first()
    assert entry.target_id == str(first.pk) and entry.changes["figures_as_of"]["to"] == "2024-05-15"


def test_regenerating_for_another_date_keeps_that_date(history, staff_user, issuing_body):
    _, _, deadline = history
    with _at(date(2024, 6, 10)):
        draft = _draft(staff_user, issuing_body, deadline, date(2024, 5, 15))
        draft = services.document_regenerate(actor=staff_user, document=draft, as_of=date(2024, 5, 20))
    assert draft.figures_as_of == date(2024, 5, 20)
    assert "Tính đến ngày 20/5/2024 đã có 31/74 chi" in draft.content["body"]


def test_reference_date_in_the_future_is_refused_by_the_service(history, staff_user, issuing_body):
    _, _, deadline = history
    with _at(date(2024, 5, 15)), pytest.raises(Exception) as error:
        _draft(staff_user, issuing_body, deadline, date(2024, 5, 16))
    assert "không được sau ngày hôm nay" in str(error.value)
    assert not Document.objects.exists()


def test_other_documents_cannot_be_regenerated(staff_user, issuing_body):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    with pytest.raises(Exception) as error:
        services.document_regenerate(actor=staff_user, document=draft)
    assert "không có số liệu để soạn lại" in str(error.value)


# --- through the pages ----------------------------------------------------------------------------------------


def test_create_page_takes_the_reference_date_and_the_draft_shows_it(history, staff_client, issuing_body):
    _, _, deadline = history
    with _at(date(2024, 12, 2)):
        page = staff_client.get(reverse("reports:document_create")).content.decode()
        assert "Số liệu tính đến ngày" in page and 'value="02/12/2024"' in page  # default: today
        response = staff_client.post(
            reverse("reports:document_create"),
            {
                "kind": DocumentKind.REMINDER,
                "issuing_body": issuing_body.pk,
                "deadline": deadline.pk,
                "figures_as_of": "15/05/2024",
            },
            follow=True,
        )
    document = Document.objects.get()
    assert document.figures_as_of == date(2024, 5, 15)
    assert "Đã tạo dự thảo với số liệu tính đến ngày 15/05/2024." in response.content.decode()
    detail = staff_client.get(document.get_absolute_url()).content.decode()
    assert '<dd class="col-sm-9" id="figures-as-of">15/05/2024</dd>' in detail
    assert "Soạn lại số liệu" in detail
    assert SENTENCE_15_5 in staff_client.get(reverse("reports:document_preview", args=[document.pk])).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("16/05/2024", "Ngày tính số liệu không được sau ngày hôm nay."),
        ("31/02/2024", "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm"),
    ],
)
def test_create_page_refuses_bad_dates_and_keeps_what_was_typed(history, staff_client, issuing_body, typed, message):
    _, _, deadline = history
    with _at(date(2024, 5, 15)):
        response = staff_client.post(
            reverse("reports:document_create"),
            {
                "kind": DocumentKind.REMINDER,
                "issuing_body": issuing_body.pk,
                "deadline": deadline.pk,
                "figures_as_of": typed,
            },
        )
    page = response.content.decode()
    assert response.status_code == 200 and message in page and f'value="{typed}"' in page
    assert not Document.objects.exists()


def test_regenerate_button_recomputes_for_the_kept_date(history, staff_client, staff_user, issuing_body):
    _, _, deadline = history
    with _at(date(2024, 5, 16)):
        draft = _draft(staff_user, issuing_body, deadline, date(2024, 5, 15))
    original = draft.content
    with _at(date(2024, 6, 10)):
        services.document_update(actor=staff_user, document=draft, body="Đã sửa.")
        response = staff_client.post(
            reverse("reports:document_regenerate", args=[draft.pk]), {"figures_as_of": "15/05/2024"}, follow=True
        )
        assert "Đã soạn lại dự thảo với số liệu tính đến ngày 15/05/2024." in response.content.decode()
        draft.refresh_from_db()
        assert draft.content == original
        response = staff_client.post(
            reverse("reports:document_regenerate", args=[draft.pk]), {"figures_as_of": "11/06/2024"}, follow=True
        )
    assert "Ngày tính số liệu không được sau ngày hôm nay." in response.content.decode()
    draft.refresh_from_db()
    assert draft.figures_as_of == date(2024, 5, 15) and draft.content == original


def test_year_reports_redrafted_later_for_the_same_date_are_unchanged(history, staff_user, issuing_body):
    from tests.democracy_regs.factories import PlanFactory
    from tests.reports.test_qcdc_report_output import qcdc_scenario

    campaign, orgs, _ = history
    with _at(date(2024, 6, 5)):
        cycle, qcdc_orgs = qcdc_scenario(staff_user)
        danvan = services.document_create(
            actor=staff_user,
            kind=DocumentKind.DANVAN_REPORT,
            issuing_body=issuing_body,
            source=campaign,
            as_of=date(2024, 5, 15),
        )
        qcdc = services.document_create(
            actor=staff_user,
            kind=DocumentKind.QCDC_REPORT,
            issuing_body=issuing_body,
            source=cycle,
            as_of=date(2024, 6, 5),
        )
    # The QCDC scenario adds its 10 organisations to the 74 of the “Dân vận khéo” one: both count 84.
    assert "Năm 2024 có 30/84 chi, đảng bộ cơ sở đăng ký với 133 mô hình" in danvan.content["body"]
    assert "có 6/84 chi, đảng bộ cơ sở gửi kế hoạch" in qcdc.content["body"]
    originals = (dict(danvan.content), dict(qcdc.content))
    with _at(date(2024, 9, 1)):  # more sent since: a registration and two plans
        RegistrationFactory(campaign=campaign, organization=orgs[60])
        PlanFactory(cycle=cycle, organization=qcdc_orgs[7], status="submitted")
        PlanFactory(cycle=cycle, organization=qcdc_orgs[8], status="submitted")
        redrafted = (
            services.document_regenerate(actor=staff_user, document=danvan).content,
            services.document_regenerate(actor=staff_user, document=qcdc).content,
        )
        today = services.document_regenerate(actor=staff_user, document=qcdc, as_of=date(2024, 9, 1))
    assert redrafted == originals
    assert "có 8/84 chi, đảng bộ cơ sở gửi kế hoạch" in today.content["body"]

"""An issued dispatch reaches each recipient base organisation inside the portal: its "Văn bản đến" inbox, a
notification to its officers and one e-mail through the outbox; issuing twice or a retried task delivers
nothing twice. Officers see only what was delivered to them; the first opening of each organisation is
counted once, staff's never; the document page shows "Đã xem x/N"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dukportal.core.models import AuditEntry, OutboxMessage
from dukportal.notifications.models import Notification, NotificationCategory
from organizations.models import Sector
from reports import delivery, recipients, services
from reports.models import DocumentDelivery
from tests.factories import OrganizationFactory, UserFactory
from tests.reports.delivery_helpers import dispatch

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUE_DAY = datetime(2024, 5, 22, 9, tzinfo=HCM)


@pytest.fixture
def orgs(bloc):
    admin = [OrganizationFactory(name=f"Đảng bộ Sở {n}", email=f"so{n}@example.vn") for n in ("A", "B", "C")]
    enterprise = [OrganizationFactory(name="Đảng bộ Công ty X", sector=Sector.ENTERPRISE)]
    OrganizationFactory(name="Đảng bộ Sở Cũ", valid_to=date(2024, 3, 31))  # gone before the issue date
    return admin, enterprise


def _issue(staff, issuing_body, choice, capture, **kwargs):
    with time_machine.travel(ISSUE_DAY, tick=False):
        draft = dispatch(staff, issuing_body, choice, **kwargs)
        with capture(execute=True):
            return services.document_issue(actor=staff, document=draft, issued_on=date(2024, 5, 22))


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (lambda a, e: recipients.RecipientChoice(base="all"), lambda a, e: a + e),
        (lambda a, e: recipients.RecipientChoice(base="sector", sector=Sector.ENTERPRISE), lambda a, e: e),
        (lambda a, e: recipients.RecipientChoice(base="chosen", organizations=[a[1].pk]), lambda a, e: [a[1]]),
        (lambda a, e: recipients.RecipientChoice(mass="all"), lambda a, e: []),
    ],
    ids=["all", "sector", "chosen", "mass-only"],
)
def test_issuing_delivers_one_row_per_recipient_organisation(
    staff_user, issuing_body, term, orgs, choice, expected, celery_eager, django_capture_on_commit_callbacks
):
    admin, enterprise = orgs
    if choice(admin, enterprise).mass:
        from tests.factories import MassOrganizationFactory

        MassOrganizationFactory()
    document = _issue(staff_user, issuing_body, choice(admin, enterprise), django_capture_on_commit_callbacks)

    delivered = set(DocumentDelivery.objects.filter(document=document).values_list("organization_id", flat=True))
    assert delivered == {org.pk for org in expected(admin, enterprise)}


def test_officers_are_notified_and_emailed_once_even_when_the_task_runs_again(
    staff_user, issuing_body, term, orgs, celery_eager, django_capture_on_commit_callbacks, mailoutbox
):
    admin, _ = orgs
    officer = UserFactory(organization=admin[0], email="canbo@example.vn")
    UserFactory(organization=admin[0], is_active=False)
    choice = recipients.RecipientChoice(base="chosen", organizations=[admin[0].pk, admin[1].pk])
    document = _issue(staff_user, issuing_body, choice, django_capture_on_commit_callbacks)

    notice = Notification.objects.get(recipient=officer)
    assert notice.category == NotificationCategory.DOCUMENT
    assert notice.url == reverse("reports:inbox_document", args=[document.pk])
    assert document.number_label in notice.title
    assert len(mailoutbox) == 2  # one e-mail per organisation
    first = next(m for m in mailoutbox if "canbo@example.vn" in m.to)
    assert first.to == ["canbo@example.vn", "soA@example.vn"]
    assert reverse("reports:inbox_download", args=[document.pk]) in first.body

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.document_deliver(document_id=document.pk) == 0  # a retried or redelivered task
    assert DocumentDelivery.objects.filter(document=document).count() == 2
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert len(mailoutbox) == 2
    assert OutboxMessage.objects.filter(key=f"document-delivery:{document.pk}").count() == 1
    assert AuditEntry.objects.filter(action="document.deliver").count() == 1


def test_the_delivery_is_queued_in_the_issue_transaction(staff_user, issuing_body, term, orgs):
    """Without the commit (the issue rolled back) there is no delivery: the message is in the same transaction."""
    admin, _ = orgs
    with time_machine.travel(ISSUE_DAY, tick=False):
        draft = dispatch(staff_user, issuing_body, recipients.RecipientChoice(base="all"))
        document = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 22))
    message = OutboxMessage.objects.get(key=f"document-delivery:{document.pk}")
    assert message.task == "reports.deliver_document" and message.args == [document.pk]
    assert not DocumentDelivery.objects.exists()  # runs after the commit, which this test never reaches


@pytest.fixture
def issued(staff_user, issuing_body, term, orgs, celery_eager, django_capture_on_commit_callbacks):
    admin, _ = orgs
    choice = recipients.RecipientChoice(base="chosen", organizations=[o.pk for o in admin])
    return _issue(staff_user, issuing_body, choice, django_capture_on_commit_callbacks)


def test_an_officer_sees_only_documents_delivered_to_their_organisation(client, issued, orgs, bloc):
    admin, enterprise = orgs
    outsider = UserFactory(organization=enterprise[0])
    client.force_login(outsider)
    assert client.get(reverse("reports:inbox_document", args=[issued.pk])).status_code == 404
    assert client.get(reverse("reports:inbox_download", args=[issued.pk])).status_code == 404
    assert client.get(reverse("reports:inbox", args=[admin[0].pk])).status_code == 404
    own = client.get(reverse("reports:inbox", args=[enterprise[0].pk]))
    assert own.status_code == 200 and issued.number_label not in own.content.decode()
    assert not DocumentDelivery.objects.filter(first_opened_at__isnull=False).exists()
    # And the staff's pages stay closed to officers.
    assert client.get(reverse("reports:document", args=[issued.pk])).status_code == 403


def test_the_inbox_lists_unread_first_in_bold_and_filters_by_year(
    client, issued, orgs, staff_user, issuing_body, django_capture_on_commit_callbacks
):
    admin, _ = orgs
    with time_machine.travel(datetime(2024, 5, 23, 8, tzinfo=HCM), tick=False):
        draft = dispatch(staff_user, issuing_body, recipients.RecipientChoice(base="all"))
        with django_capture_on_commit_callbacks(execute=True):
            newer = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 23))
    officer = UserFactory(organization=admin[0])
    client.force_login(officer)
    with time_machine.travel(datetime(2024, 5, 23, 9, tzinfo=HCM), tick=False):
        client.get(reverse("reports:inbox_document", args=[newer.pk]))
    inbox = reverse("reports:inbox", args=[admin[0].pk])
    page = client.get(inbox)
    assert [row.document for row in page.context["deliveries"]] == [issued, newer]  # the unread one first
    html = page.content.decode()
    assert f'data-document="{issued.pk}" class="inbox-unread fw-bold"' in html
    assert f'data-document="{newer.pk}" class="inbox-read"' in html
    assert "Đã xem 23/05/2024 09:00" in html
    assert list(client.get(inbox + "?nam=2023").context["deliveries"]) == []
    assert len(client.get(inbox + "?nam=2024").context["deliveries"]) == 2
    assert inbox in client.get(reverse("organizations:detail", args=[admin[0].pk])).content.decode()


def test_first_opening_is_recorded_once_per_organisation_and_staff_do_not_count(client, issued, orgs, staff_user):
    admin, _ = orgs
    first, second = UserFactory(organization=admin[0]), UserFactory(organization=admin[0])
    client.force_login(staff_user)
    assert client.get(reverse("reports:inbox_document", args=[issued.pk])).url == issued.get_absolute_url()
    assert client.get(reverse("reports:inbox_download", args=[issued.pk])).status_code == 302

    client.force_login(first)
    with time_machine.travel(datetime(2024, 5, 23, 8, 30, tzinfo=HCM), tick=False):
        response = client.get(reverse("reports:inbox_download", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(second)
    with time_machine.travel(datetime(2024, 5, 24, 10, tzinfo=HCM), tick=False):
        assert client.get(reverse("reports:inbox_document", args=[issued.pk])).status_code == 200

    row = DocumentDelivery.objects.get(document=issued, organization=admin[0])
    assert row.first_opened_by == first
    assert row.first_opened_at == datetime(2024, 5, 23, 8, 30, tzinfo=HCM)
    assert AuditEntry.objects.filter(action="document.open").count() == 1
    assert DocumentDelivery.objects.filter(first_opened_at__isnull=False).count() == 1


def test_staff_see_who_has_opened_it_and_who_has_not(client, issued, orgs, staff_user, leader_user):
    admin, _ = orgs
    officer = UserFactory(organization=admin[1], first_name="An", last_name="Lê Văn")
    client.force_login(officer)
    with time_machine.travel(datetime(2024, 5, 23, 14, 5, tzinfo=HCM), tick=False):
        client.get(reverse("reports:inbox_document", args=[issued.pk]))
    client.force_login(leader_user)
    client.get(reverse("reports:document", args=[issued.pk]))  # leaders' reading does not count either

    client.force_login(staff_user)
    page = client.get(reverse("reports:document", args=[issued.pk]))
    status = page.context["delivery"]
    assert status.ratio_label == "1/3"
    assert [row.organization for row in status.opened] == [admin[1]]
    assert [row.organization for row in status.unopened] == [admin[0], admin[2]]
    html = page.content.decode()
    assert 'id="delivery-ratio">1/3<' in html
    assert "23/05/2024 14:05" in html


@pytest.mark.parametrize("name", ["inbox_document", "inbox_download", "inbox"])
def test_anonymous_goes_to_login_from_the_inbox(client, issued, orgs, name):
    pk = orgs[0][0].pk if name == "inbox" else issued.pk
    response = client.get(reverse(f"reports:{name}", args=[pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_draft_is_never_in_an_inbox(client, staff_user, issuing_body, term, orgs):
    admin, _ = orgs
    draft = dispatch(staff_user, issuing_body, recipients.RecipientChoice(base="all"))
    client.force_login(UserFactory(organization=admin[0]))
    assert client.get(reverse("reports:inbox_document", args=[draft.pk])).status_code == 404

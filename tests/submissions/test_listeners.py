"""The workflow announces its steps (dukportal.submissions.listeners) to whoever subscribed in ready(): a
listener declared here alone hears each sending and each decision, with the decision's reason, field comments
and event; notifications is subscribed to both."""

import pytest

from dukportal.notifications import services as notifications
from dukportal.submissions import listeners, services
from dukportal.submissions.models import EventAction
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    heard = []

    def on_sent(*, submission, actor):
        heard.append(("sent", submission.pk, actor.username))

    def on_decided(*, decision):
        heard.append((decision.action, decision.submission.pk, decision.comment, decision.field_comments))
        assert decision.event.action == decision.action

    listeners.listen(listeners.SENT, on_sent)
    listeners.listen(listeners.DECIDED, on_decided)
    yield heard
    for step, listener in ((listeners.SENT, on_sent), (listeners.DECIDED, on_decided)):
        del listeners._LISTENERS[step][f"{listener.__module__}.{listener.__qualname__}"]


def test_a_listener_hears_each_sending_and_decision(officer_user, staff_user, heard):
    registration = RegistrationFactory(organization=officer_user.organization, status="draft", name="Mô hình A")
    services.submission_submit(actor=officer_user, submission=registration)
    services.submission_return(
        actor=staff_user, submission=registration, comment="Thiếu kết quả", field_comments={"name": "Ghi rõ tên"}
    )
    services.submission_submit(actor=officer_user, submission=registration)
    services.submission_accept(actor=staff_user, submission=registration, comment="Tốt")
    assert heard == [
        ("sent", registration.pk, "canbo"),
        (EventAction.RETURNED, registration.pk, "Thiếu kết quả", (("Tên mô hình, điển hình", "Ghi rõ tên"),)),
        ("sent", registration.pk, "canbo"),
        (EventAction.ACCEPTED, registration.pk, "Tốt", ()),
    ]


def test_subscribing_again_replaces_instead_of_calling_twice():
    before = listeners.listeners(listeners.SENT)
    listeners.listen(listeners.SENT, notifications.submission_received)
    assert listeners.listeners(listeners.SENT) == before


def test_notifications_listens_to_the_workflow():
    assert notifications.submission_received in listeners.listeners(listeners.SENT)
    assert notifications.submission_decided in listeners.listeners(listeners.DECIDED)

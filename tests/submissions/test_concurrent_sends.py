"""Two posts at the same moment (PostgreSQL: each thread its own connection and transaction, released together
by a barrier) make exactly one record, store its file once, and neither gets a server error. For every create
form (tests/submissions/form_specs.py, QCDC kinds read from the view factory) and for the send action."""

import threading
import uuid

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from dukportal.submissions.models import Attachment, SubmissionRevision
from tests.submissions.form_specs import SPEC_IDS, SPECS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


TRIALS = 3


def race(user, requests):
    """POST each (url, data) in its own thread and connection, all released at once; the status codes."""
    clients = []
    for _ in requests:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def post(index, url, data):
        try:
            barrier.wait()
            statuses[index] = clients[index].post(url, data).status_code
        except Exception as error:  # pragma: no cover - reported in the assertion
            statuses[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, url, data)) for i, (url, data) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _user(spec, staff_user, officer_user):
    return staff_user if spec.actor == "staff" else officer_user


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_a_double_click_racing_itself_makes_one_record_and_one_file(postgres_only, spec, staff_user, officer_user):
    context = spec.setup(staff_user, officer_user)
    for _trial in range(TRIALS):
        spec.model.objects.all().delete()
        Attachment.objects.all().delete()
        token = uuid.uuid4()
        statuses = race(
            _user(spec, staff_user, officer_user),
            [(context["url"], spec.post_data(context, token=token)) for _ in range(2)],
        )
        assert sorted(statuses) == [302, 302], statuses
        assert spec.model.objects.count() == 1
        assert Attachment.objects.count() == (1 if spec.with_file else 0)
        if spec.sends:
            assert spec.model.objects.get().status == "submitted"


@pytest.mark.parametrize("spec", [s for s in SPECS if s.one_per_period], ids=lambda s: s.name)
def test_two_tabs_sending_a_one_per_period_item_make_one(postgres_only, spec, staff_user, officer_user):
    """Two different renderings of the form (two tabs, two officers of the unit) sent at once."""
    context = spec.setup(staff_user, officer_user)
    for _trial in range(TRIALS):
        spec.model.objects.all().delete()
        Attachment.objects.all().delete()
        statuses = race(
            _user(spec, staff_user, officer_user), [(context["url"], spec.post_data(context)) for _ in range(2)]
        )
        assert 500 not in statuses and all(isinstance(s, int) for s in statuses), statuses
        assert set(statuses) <= {200, 302}
        assert spec.model.objects.count() == 1
        assert Attachment.objects.count() == (1 if spec.with_file else 0)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.sends], ids=lambda s: s.name)
def test_two_sends_of_the_same_draft_send_it_once(postgres_only, spec, staff_user, officer_user):
    context = spec.setup(staff_user, officer_user)
    client = Client()
    client.force_login(_user(spec, staff_user, officer_user))
    client.post(context["url"], spec.post_data(context, action="save"))
    draft = spec.model.objects.get()
    assert draft.status == "draft"
    submit_url = reverse(_submit_url_name(spec), args=[draft.pk])

    statuses = race(_user(spec, staff_user, officer_user), [(submit_url, {}), (submit_url, {})])

    assert statuses == [302, 302]
    draft.refresh_from_db()
    assert (draft.status, draft.revision) == ("submitted", 1)
    assert SubmissionRevision.objects.filter(object_id=draft.pk).count() == 1


def _submit_url_name(spec) -> str:
    if spec.name.startswith("qcdc_"):
        return f"democracy_regs:{spec.name.removeprefix('qcdc_')}_submit"
    return f"models_danvan:{spec.name}_submit"

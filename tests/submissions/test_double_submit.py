"""A double click (the same form posted twice) makes one record and one file; the second post gets the normal
page of the record the first made. Sequential here (any database); tests/submissions/test_concurrent_sends.py
races the posts on PostgreSQL."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dukportal.submissions.models import Attachment, FormSubmissionToken
from tests.submissions.form_specs import SPEC_IDS, SPECS

pytestmark = pytest.mark.django_db


def _client_for(spec, client, staff_user, officer_user):
    client.force_login(staff_user if spec.actor == "staff" else officer_user)
    return client


@pytest.mark.parametrize("spec", SPECS, ids=SPEC_IDS)
def test_the_same_form_posted_twice_makes_one_record_and_one_file(spec, client, staff_user, officer_user):
    context = spec.setup(staff_user, officer_user)
    client = _client_for(spec, client, staff_user, officer_user)
    token = uuid.uuid4()

    first = client.post(context["url"], spec.post_data(context, token=token))
    second = client.post(context["url"], spec.post_data(context, token=token), follow=True)

    assert first.status_code == 302
    assert spec.model.objects.count() == 1
    record = spec.model.objects.get()
    assert second.status_code == 200
    assert second.redirect_chain[0][0] == record.get_absolute_url()
    page = second.content.decode()
    assert "Biểu mẫu này đã được gửi trước đó." in page
    if spec.sends:
        assert "Hồ sơ đã được gửi." in page
        assert record.status == "submitted"
    if spec.with_file:
        target = {"content_type": ContentType.objects.get_for_model(record), "object_id": record.pk}
        assert Attachment.objects.filter(**target).count() == 1


@pytest.mark.parametrize("spec", [s for s in SPECS if s.one_per_period], ids=lambda s: s.name)
def test_a_second_form_for_a_one_per_period_item_is_refused_on_the_form(spec, client, staff_user, officer_user):
    context = spec.setup(staff_user, officer_user)
    client = _client_for(spec, client, staff_user, officer_user)
    client.post(context["url"], spec.post_data(context, action="save"))

    again = client.post(context["url"], spec.post_data(context, action="save"))

    assert spec.model.objects.count() == 1
    assert again.status_code in (200, 302)  # the form with the rule's message, or the item that exists
    assert Attachment.objects.count() == (1 if spec.with_file else 0)


@pytest.mark.parametrize("spec", [s for s in SPECS if not s.one_per_period], ids=lambda s: s.name)
def test_two_renderings_of_the_form_make_two_records_where_several_are_allowed(spec, client, staff_user, officer_user):
    context = spec.setup(staff_user, officer_user)
    client = _client_for(spec, client, staff_user, officer_user)
    client.post(context["url"], spec.post_data(context, action="save"))
    client.post(context["url"], spec.post_data(context, action="save"))
    assert spec.model.objects.count() == 2


def test_the_form_page_carries_a_fresh_token_each_time(officer_client, staff_user, officer_user):
    context = SPECS[0].setup(staff_user, officer_user)
    first, second = (officer_client.get(context["url"]).content.decode() for _ in range(2))
    assert 'name="form_token"' in first
    token = first.split('name="form_token" value="')[1][:36]
    assert token not in second


def test_a_double_click_on_the_edit_form_adds_the_file_once(officer_client, staff_user, officer_user):
    spec = SPECS[0]
    context = spec.setup(staff_user, officer_user)
    officer_client.post(context["url"], spec.post_data(context, action="save"))
    registration = spec.model.objects.get()
    edit = reverse("models_danvan:registration_edit", args=[registration.pk])
    token = uuid.uuid4()

    officer_client.post(edit, spec.post_data(context, token=token, action="submit"))
    second = officer_client.post(edit, spec.post_data(context, token=token, action="submit"))

    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert second.status_code == 302 and second["Location"] == registration.get_absolute_url()
    assert Attachment.objects.count() == 2  # the file of the first draft and the one of the edit, not three


def test_a_token_of_another_user_is_not_honoured(client, staff_user, officer_user, other_officer_user):
    spec = SPECS[0]
    context = spec.setup(staff_user, officer_user)
    token = uuid.uuid4()
    client.force_login(officer_user)
    client.post(context["url"], spec.post_data(context, token=token, action="save"))
    client.force_login(other_officer_user)
    client.post(context["url"], spec.post_data(context, token=token, action="save"))
    assert spec.model.objects.count() == 2
    assert FormSubmissionToken.objects.get().user == officer_user


def test_a_second_send_of_a_sent_item_says_it_is_sent(officer_client, staff_user, officer_user):
    spec = SPECS[0]
    context = spec.setup(staff_user, officer_user)
    officer_client.post(context["url"], spec.post_data(context, action="save"))
    registration = spec.model.objects.get()
    url = reverse("models_danvan:registration_submit", args=[registration.pk])
    officer_client.post(url)
    again = officer_client.post(url, follow=True)
    page = again.content.decode()
    assert "Hồ sơ đã được gửi." in page
    assert "Không thể thực hiện" not in page
    assert registration.__class__.objects.get().revision == 1

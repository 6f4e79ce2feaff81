"""The registration's page and edit form read the registration, its timeline, files, versions and evaluations
through SQL compiled once per process (dukportal.core.prepared, issue 13): the same rows, related rows and 404s
as the ORM's querysets, and the same page."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dukportal.core import prepared
from dukportal.submissions import selectors as submission_selectors
from dukportal.submissions import services as workflow
from models_danvan import selectors, services, views
from organizations import access
from organizations.models import Role
from tests.factories import CampaignFactory, OrganizationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAGES = views.REGISTRATION_PAGES


@pytest.fixture(autouse=True)
def empty_and_private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    prepared.clear()
    yield
    prepared.clear()


def _at(day, hour):
    return time_machine.travel(datetime(2024, 4, day, hour, tzinfo=TZ), tick=False)


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _same(got, expected, related=()):
    assert type(got) is type(expected)
    assert _fields(got) == _fields(expected)
    for name in related:
        a, b = getattr(got, name), getattr(expected, name)
        assert (a is None) == (b is None), name
        if a is not None:
            assert _fields(a) == _fields(b), name


@pytest.fixture
def history(officer_user, staff_user):
    """A registration continued from last year's: sent with a file, returned with a field comment, renamed, the
    file swapped (a removed one), sent again and accepted, with a mid-year evaluation."""
    with _at(10, 9):
        previous = RegistrationFactory(
            campaign=CampaignFactory(year=2023, created_by=staff_user), organization=officer_user.organization
        )
        item = RegistrationFactory(
            campaign=CampaignFactory(year=2024, created_by=staff_user),
            organization=officer_user.organization,
            status="draft",
            continued_from=previous,
            origin="continued",
        )
        wrong = workflow.attachment_add(
            actor=officer_user, submission=item, uploaded=SimpleUploadedFile("nhap.pdf", PDF, "application/pdf")
        )
    with _at(10, 10):
        workflow.submission_submit(actor=officer_user, submission=item)
    with _at(11, 9):
        workflow.submission_return(
            actor=staff_user, submission=item, comment="Bổ sung", field_comments={"name": "Ghi rõ địa bàn"}
        )
    with _at(12, 9):
        workflow.submission_update(actor=officer_user, submission=item, fields={"name": "Mô hình tại phường 1"})
        workflow.attachment_remove(actor=officer_user, attachment=wrong)
        workflow.attachment_add(
            actor=officer_user, submission=item, uploaded=SimpleUploadedFile("ky.pdf", PDF, "application/pdf")
        )
    with _at(12, 10):
        workflow.submission_submit(actor=officer_user, submission=item)
    with _at(13, 9):
        item = workflow.submission_accept(actor=staff_user, submission=item)
        evaluation = services.evaluation_create(
            actor=officer_user, registration=item, period="mid_year", results="Đạt", self_rating="good"
        )
        workflow.submission_submit(actor=officer_user, submission=evaluation)
    item.refresh_from_db()
    return item


def test_the_item_and_its_related_rows_are_the_orms_for_every_user_or_both_404(
    history, officer_user, other_officer_user, staff_user, leader_user
):
    inactive = UserFactory(role=Role.OFFICER, organization=officer_user.organization, is_active=False)
    bloc_level = RegistrationFactory(campaign=history.campaign, organization=None, status="draft")
    dissolved = RegistrationFactory(
        campaign=history.campaign,
        organization=OrganizationFactory(valid_from=date(2020, 1, 1), valid_to=date(2024, 3, 31)),
    )
    ids = [history.pk, history.continued_from_id, bloc_level.pk, dissolved.pk, 0, 10**12, 2**63 - 1]
    answers = 0
    for user in (officer_user, other_officer_user, staff_user, leader_user, inactive):
        for pk in ids:
            try:
                expected = access.get_visible_or_404(selectors.registrations_visible_to(user), user, pk=pk)
            except Http404:
                with pytest.raises(Http404):
                    PAGES.visible_item(user, pk)
                continue
            answers += 1
            _same(PAGES.visible_item(user, pk), expected, related=PAGES.prepared_related)
    assert answers == 2 + 2 * 4  # the officer their two; staff and leader all four; no one else any
    assert PAGES.prepared_related == tuple(selectors.registrations_visible_to(staff_user).query.select_related)


def test_the_pages_lists_are_the_orms_and_their_sql_is_built_once(history):
    """Timeline, files (removed ones included) and versions with their users, in the ORM's order."""
    pairs = (
        (submission_selectors.timeline_list, submission_selectors.timeline, "actor"),
        (submission_selectors.revision_list, submission_selectors.revisions, "actor"),
        (submission_selectors.every_attachment_list, submission_selectors.every_attachment, "uploaded_by"),
    )
    other = RegistrationFactory(campaign=history.campaign)
    for listed, queryset, related in pairs:
        for item in (history, other, history):
            expected = list(queryset(item))
            got = listed(item)
            assert len(got) == len(expected) and [x.pk for x in got] == [x.pk for x in expected]
            for a, b in zip(got, expected, strict=True):
                _same(a, b, related=(related,))
        with CaptureQueriesContext(connection) as one:
            listed(history)
        assert len(one) == 1
    assert len(submission_selectors.every_attachment_list(history)) == 2
    evaluations = views.registration_evaluations(history)
    expected = list(history.evaluations.all())
    assert len(evaluations) == 1 == len(expected)
    _same(evaluations[0], expected[0])
    assert evaluations[0].registration is history


def _page(client, url) -> str:
    """The page without what differs on every render: the masked CSRF tokens and the forms' one-time tokens."""
    response = client.get(url)
    assert response.status_code == 200
    page = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", response.content.decode())
    return re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "TOKEN", page)


def test_the_page_and_the_edit_form_are_those_of_the_orm_querysets(history, officer_user, staff_user, monkeypatch):
    officer, staff = Client(), Client()
    officer.force_login(officer_user)
    staff.force_login(staff_user)
    draft = RegistrationFactory(campaign=history.campaign, organization=officer_user.organization, status="draft")
    urls = [(c, history.get_absolute_url()) for c in (officer, staff)] + [
        (officer, draft.get_absolute_url()),
        (officer, f"{draft.get_absolute_url()}sua/"),
        (staff, f"{history.get_absolute_url()}sua/"),
    ]
    fast = [_page(c, url) for c, url in urls]
    # The ORM's querysets, as before the prepared reads.
    monkeypatch.setattr(
        type(PAGES),
        "visible_item",
        lambda self, user, pk: access.get_visible_or_404(self.visible(user), user, pk=pk),
    )
    monkeypatch.setattr(submission_selectors, "timeline_list", lambda s: list(submission_selectors.timeline(s)))
    monkeypatch.setattr(submission_selectors, "revision_list", lambda s: list(submission_selectors.revisions(s)))
    monkeypatch.setattr(
        submission_selectors, "every_attachment_list", lambda s: list(submission_selectors.every_attachment(s))
    )
    monkeypatch.setattr(views, "registration_evaluations", lambda r: list(r.evaluations.all()))
    slow = [_page(c, url) for c, url in urls]
    for (_client, url), a, b in zip(urls, fast, slow, strict=True):
        assert a == b, url
    assert "ky.pdf" in fast[0] and "Tự đánh giá" in fast[0]

"""The organisation page's year deadlines (`_own_year_deadlines`: one query compiled once per process) are the
deadlines `_deadlines_with_audience` gives for the year — same rows, fields and order — and each one's `chosen`
answers "is this organisation on the chosen list" as the prefetched list does, for every organisation of a year
with a chosen list (tests/notifications/test_expected_agrees.py's)."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from dukportal.core import prepared
from dukportal.notifications import selectors
from dukportal.submissions.models import Audience, Deadline

from .test_expected_agrees import DATES
from .test_organization_obligations_batched import year  # noqa: F401  (the shared year, built once)

pytestmark = pytest.mark.django_db


def _fields(deadline):
    return {f.attname: getattr(deadline, f.attname) for f in Deadline._meta.concrete_fields}


def test_the_year_deadlines_are_the_orms_for_every_organisation(year):  # noqa: F811
    orgs, _campaign, _cycle, _staff = year
    prepared.clear()
    some_year = Deadline.objects.values_list("year", flat=True).first()
    whole = selectors._deadlines_with_audience(Deadline.objects.filter(year=some_year))
    assert any(d.audience == Audience.CHOSEN for d in whole), "no chosen list: the test would prove nothing"
    on_a_list = 0
    for organization in orgs.values():
        own = selectors._own_year_deadlines(organization, some_year)
        assert [_fields(d) for d in own] == [_fields(d) for d in whole], organization.code
        for mine, theirs in zip(own, whole, strict=True):
            listed = any(chosen.pk == organization.pk for chosen in theirs.chosen)
            assert any(chosen.pk == organization.pk for chosen in mine.chosen) == listed
            on_a_list += listed and theirs.audience == Audience.CHOSEN
        assert not hasattr(own[0], "own_chosen")
    assert on_a_list, "no organisation on a chosen list: the test would prove nothing"
    assert model_to_dict(whole[0])  # the instances are ordinary deadlines


def test_the_year_deadlines_are_one_query(year):  # noqa: F811
    orgs, _campaign, _cycle, _staff = year
    some_year = Deadline.objects.values_list("year", flat=True).first()
    organization = next(iter(orgs.values()))
    selectors._own_year_deadlines(organization, some_year)
    with CaptureQueriesContext(connection) as captured:
        selectors._own_year_deadlines(organization, some_year)
    assert len(captured) == 1


def test_the_obligations_links_are_reverses(year):  # noqa: F811
    """The land page's action and “Không phát sinh” links (each route reversed once per process,
    dukportal.core.links) are the addresses reverse() gives."""
    from django.urls import reverse

    orgs, _campaign, _cycle, _staff = year
    pages = {"danvan": "models_danvan:campaign", "qcdc": "democracy_regs:cycle"}
    seen = set()
    for organization, on in ((o, on) for o in orgs.values() for on in DATES):
        for item in selectors.organization_obligations(organization, on=on):
            route = pages[item.deadline.kind.split(".")[0]]
            assert item.action_url == reverse(route, args=[item.deadline.source_id])
            if item.nil_url:
                assert item.nil_url == reverse("submissions:nil_return_create", args=[item.deadline.pk])
                seen.add("nil")
            seen.add(route)
    assert seen == {*pages.values(), "nil"}

"""The figures many users read (dashboard, “Dân vận khéo” and QCDC statistics, deadline tracking, the compliance
matrix, the organisation list's totals) are served from the cache, and every service that changes one of them makes the next read fresh: each
write bumps the figures version when its transaction commits (dukportal/core/figures_cache.py). For each
service below, the pages are read (a miss), read again (a hit: the same figures for fewer queries), the
service runs, and the pages must then show exactly what they show with the cache off — a stale figure fails.

The tests run in the usual transaction per test (a transactional test empties the whole database after it:
minutes for this module). The test's transaction never commits, so `commit()` does to the on-commit hooks what
each write's commit would have done: run them in order and forget them, where the code under test would have
committed (after the fixtures' writes, after each service)."""

import logging
from datetime import date

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democracy_regs import obligations as qcdc
from democracy_regs import services as qcdc_services
from dukportal.core import audit, figures_cache
from dukportal.submissions import services as workflow
from dukportal.submissions.models import Deadline
from models_danvan import services as danvan_services
from organizations import reorganization
from organizations import services as organization_services
from organizations.imports import import_workbook
from tests import module_data
from tests.democracy_regs.factories import open_cycle
from tests.factories import CellFactory, OrganizationFactory, RegistrationFactory
from tests.notifications.factories import at, campaign_with_deadlines, submitted
from tests.organizations.test_excel_import import MEMBER_HEADERS, MEMBER_SHEET, xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.figures_cache]

TODAY = date(2024, 5, 10)


def commit() -> None:
    """What a commit does to the hooks `transaction.on_commit()` registered (Django's run_and_clear_commit_hooks,
    which refuses to run inside the test's transaction): run them in order, a robust one's error only logged,
    and forget them, so that the next write registers its own (figures_cache.changed() registers one bump per
    transaction and would see a hook left behind). A hook that registers another has it run too."""
    while connection.run_on_commit:
        _sids, hook, robust = connection.run_on_commit.pop(0)
        if robust:
            try:
                hook()
            except Exception:
                logging.getLogger("django.db.backends.base").exception("on_commit hook failed")
        else:
            hook()


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield


def _build_world(staff_user) -> dict:
    """Two organisations (one with a cell), one merged and one dissolved below, a campaign with a sent and a
    draft registration, an open QCDC cycle: what every test reads, then changes in its own transaction."""
    organization = OrganizationFactory(name="Đảng bộ Sở Tài chính", code="SOTC")  # as conftest's fixtures
    other_organization = OrganizationFactory(name="Đảng bộ Sở Y tế", code="SOYT")
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    cycle = open_cycle(staff_user)
    CellFactory(organization=organization, code="SOTC-01")
    merged = OrganizationFactory(code="MERGED", name="Đảng bộ Sở Kế hoạch")
    dissolved = OrganizationFactory(code="GONE", name="Chi bộ Công ty Giống")
    sent = submitted(campaign, organization, at(date(2024, 5, 6)))
    draft = RegistrationFactory(campaign=campaign, organization=other_organization, status="draft", submitted_at=None)
    commit()
    return {
        "staff": staff_user,
        "campaign": campaign,
        "cycle": cycle,
        "organization": organization,
        "other": other_organization,
        "merged": merged,
        "dissolved": dissolved,
        "sent": sent,
        "draft": draft,
    }


# Built once for the module (the 33 tests built the same world each), each test's changes rolled back after it;
# each test gets a deep copy of its objects (module_data.copied_per_test).
world_once, world, bloc, staff_user = module_data.copied_per_test(
    "world", _build_world, clock=time_machine.travel(at(TODAY, hour=9), tick=False)
)


@pytest.fixture
def organization(world):
    return world["organization"]


@pytest.fixture
def other_organization(world):
    return world["other"]


def _pages(world) -> list[str]:
    return [
        reverse("dashboard:index"),
        reverse("notifications:tracking"),
        reverse("notifications:matrix") + "?nam=2024",
        reverse("models_danvan:statistics", args=[world["campaign"].pk]),
        reverse("democracy_regs:statistics", args=[world["cycle"].pk]),
    ]


def _figures(client, world) -> tuple[dict, int]:
    """What the five pages show (as plain values) and the queries they took."""
    with CaptureQueriesContext(connection) as captured:
        dashboard, tracking, matrix, danvan, democracy = (client.get(url).context for url in _pages(world))
    figures = {
        "bloc": (dashboard["dashboard"].bloc.organizations, dashboard["dashboard"].bloc.members),
        "dashboard deadlines": [(p.deadline.pk, p.ratio_label, p.late) for p in dashboard["dashboard"].deadlines],
        "tracking": [
            (p.deadline.pk, p.deadline.due_date, p.ratio_label, p.returned, p.accepted, p.nil_returns, p.late)
            for p in tracking["progress"]
        ],
        "matrix": [(c.deadline.pk, c.ratio_label, c.nil_returns, c.to_chase) for c in matrix["matrix"].columns],
        "matrix rows": [(r.organization.code, [c and c.code for c in r.cells]) for r in matrix["matrix"].rows],
        "danvan": (danvan["stats"].registered, danvan["stats"].expected, danvan["stats"].total),
        "qcdc": [(i.kind, i.due_date, i.ratio_label, i.nil_returns) for i in democracy["stats"].items],
    }
    return figures, len(captured)


def _fresh(client, world, settings) -> dict:
    settings.FIGURES_CACHE_SECONDS = 0
    try:
        return _figures(client, world)[0]
    finally:
        settings.FIGURES_CACHE_SECONDS = 3600


def _submit(w):
    workflow.submission_submit(actor=w["staff"], submission=w["draft"])


def _return(w):
    workflow.submission_return(actor=w["staff"], submission=w["sent"], comment="Thiếu văn bản đăng ký có chữ ký")


def _accept(w):
    workflow.submission_accept(actor=w["staff"], submission=w["sent"])


def _nil_return(w):
    deadline = Deadline.objects.get(kind=qcdc.SELF_INSPECTION, source_id=w["cycle"].pk)
    workflow.nil_return_send(actor=w["staff"], deadline=deadline, organization=w["other"], reason="Không phát sinh")


def _organization_create(w):
    organization_services.organization_save(
        actor=w["staff"],
        bloc=w["organization"].bloc,
        code="NEW",
        name="Đảng bộ Sở Khoa học",
        kind="committee",
        sector="administrative",
    )


def _merge(w):
    reorganization.organizations_merge(
        actor=w["staff"], predecessors=[w["merged"]], into=w["organization"], effective_on=TODAY
    )


def _dissolve(w):
    reorganization.organization_dissolve(
        actor=w["staff"], organization=w["dissolved"], effective_on=TODAY, reason="Công ty giải thể"
    )


def _member_import(w):
    rows = [[f"3{n:05d}", f"Đảng viên {n}", "Nam", "01/01/1990", "01/01/2015", None, "SOTC", "SOTC-01", None]
            for n in range(3)]  # fmt: skip
    import_workbook(actor=w["staff"], file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *rows]}))


def _deadline_create(w):
    open_cycle(w["staff"], year=2025)


def _deadline_close(w):
    deadline = Deadline.objects.get(kind="danvan.mid_year", source_id=w["campaign"].pk)
    workflow.deadline_close(actor=w["staff"], deadline=deadline, reason="Gộp vào báo cáo tổng kết")


def _campaign_edit(w):
    danvan_services.campaign_save(actor=w["staff"], instance=w["campaign"], registration_deadline=date(2024, 5, 8))


def _cycle_edit(w):
    qcdc_services.cycle_save(actor=w["staff"], instance=w["cycle"], plan_deadline=date(2024, 5, 5))


SERVICES = [
    _submit,
    _return,
    _accept,
    _nil_return,
    _organization_create,
    _merge,
    _dissolve,
    _member_import,
    _deadline_create,
    _deadline_close,
    _campaign_edit,
    _cycle_edit,
]


@pytest.mark.parametrize("service", SERVICES, ids=[s.__name__.strip("_") for s in SERVICES])
def test_each_service_that_changes_a_figure_makes_the_next_read_fresh(staff_client, world, settings, service):
    before, miss = _figures(staff_client, world)
    again, hit = _figures(staff_client, world)
    assert again == before and hit < miss  # served from the cache
    service(world)
    commit()
    after, _ = _figures(staff_client, world)
    fresh = _fresh(staff_client, world, settings)
    assert fresh != before, "the service changed no figure: the test would prove nothing"
    assert after == fresh


def test_a_hit_serves_the_figure_computed_at_the_miss(staff_client, world):
    """A row written behind the services' back (no audit, no version bump) is not seen until the next write:
    the figure really comes from the cache."""
    before, _ = _figures(staff_client, world)
    RegistrationFactory(
        campaign=world["campaign"], organization=world["other"], status="submitted", submitted_at=at(date(2024, 5, 7))
    )
    assert _figures(staff_client, world)[0] == before
    _accept(world)  # any service write
    commit()
    after, _ = _figures(staff_client, world)
    assert after["danvan"][0] == before["danvan"][0] + 1


def test_sign_ins_leave_the_cache_alone_and_a_rolled_back_write_does_not_bump(client, world):
    version = figures_cache.version()
    client.force_login(world["staff"])
    audit.record_event(actor=world["staff"], action="auth.login", label="bantuyengiao")
    commit()
    assert figures_cache.version() == version
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=world["staff"], action="campaign.update", target=world["campaign"])
        raise RuntimeError
    commit()  # the rollback dropped the write's hook: nothing left to run
    assert figures_cache.version() == version
    with transaction.atomic():
        for _ in range(3):
            audit.record(actor=world["staff"], action="campaign.update", target=world["campaign"])
        assert figures_cache.version() == version  # not before the commit
    commit()
    assert figures_cache.version() == version + 1  # once per transaction


def test_an_officer_and_staff_never_share_a_cached_figure(world, officer_user):
    assert figures_cache.key("matrix", on=TODAY, user=world["staff"]) != figures_cache.key(
        "matrix", on=TODAY, user=officer_user
    )
    assert figures_cache.key("matrix", on=TODAY, user=world["staff"]) != figures_cache.key(
        "matrix", on=date(2024, 5, 9), user=world["staff"]
    )


# --- The organisation list's totals (organisations, cells, members of the filtered list on the day) ----------


def _list_totals(client, query: dict) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        totals = client.get(reverse("organizations:list"), query).context["totals"]
    return dict(totals), len(captured)


def _member_create(w):
    organization_services.member_save(
        actor=w["staff"], code="DV900001", full_name="Trần Thị Mai", gender="female", birth_date=date(1990, 2, 1),
        admitted_on=date(2015, 3, 2), organization=w["organization"],
    )  # fmt: skip


def _member_leave(w):
    member = w["organization"].members.first()
    organization_services.member_leave(actor=w["staff"], member=member, on=TODAY, reason="removed")


def _member_transfer(w):
    member = w["organization"].members.first()
    organization_services.member_transfer(actor=w["staff"], member=member, organization=w["other"], on=TODAY)


def _cell_create(w):
    organization_services.cell_save(
        actor=w["staff"], organization=w["organization"], code="SOTC-02", name="Chi bộ Văn phòng Sở"
    )


LIST_SERVICES = [
    _member_create,
    _member_leave,
    _member_transfer,
    _member_import,
    _cell_create,
    _organization_create,
    _merge,
    _dissolve,
]
# The whole bloc, and a search (one organisation: a transfer out of it changes its totals, not the bloc's).
LIST_QUERIES = [{}, {"q": "tai chinh"}]


@pytest.mark.parametrize("query", LIST_QUERIES, ids=["bloc", "search"])
@pytest.mark.parametrize("service", LIST_SERVICES, ids=[s.__name__.strip("_") for s in LIST_SERVICES])
def test_organisation_list_totals_are_never_stale_after_a_service_write(staff_client, world, settings, service, query):
    from tests.factories import MemberFactory

    for _ in range(3):
        MemberFactory(organization=world["organization"])
    MemberFactory(organization=world["merged"])
    audit.record(actor=world["staff"], action="test.members", target=world["organization"])  # as a service would
    commit()
    before, miss = _list_totals(staff_client, query)
    again, hit = _list_totals(staff_client, query)
    assert again == before and hit < miss  # served from the cache
    service(world)
    commit()
    after, _ = _list_totals(staff_client, query)
    settings.FIGURES_CACHE_SECONDS = 0
    fresh, _ = _list_totals(staff_client, query)
    if service is _member_transfer and not query:
        assert fresh == before  # a move inside the bloc: same totals, and the cache agrees
    elif service in (_organization_create, _dissolve) and query:
        assert fresh == before  # another organisation: the search's totals do not move
    else:
        assert fresh != before, "the service changed no total: the test would prove nothing"
    assert after == fresh


def test_organisation_list_totals_of_a_search_a_sector_and_a_date_are_cached_apart(staff_client, world):
    bloc, _ = _list_totals(staff_client, {})
    search, _ = _list_totals(staff_client, {"q": "Tài chính"})
    assert search == {"organizations": 1, "cells": 1, "members": 0} and bloc["organizations"] == 4
    assert _list_totals(staff_client, {"q": "tai   CHINH"})[0] == search  # the same words: the same figure
    assert _list_totals(staff_client, {"sector": "enterprise"})[0]["organizations"] == 0
    assert _list_totals(staff_client, {"ngay": "01/01/2000"})[0]["organizations"] == 0
    assert _list_totals(staff_client, {})[0] == bloc


def test_a_long_or_odd_parameter_gives_a_short_key_distinct_from_others(staff_user):
    hostile = "Đảng bộ " * 700
    keys = {
        figures_cache.key("matrix", on=date(2024, 5, 15), user=staff_user, params=(value,))
        for value in (hostile, hostile + "x", "2", "<script>alert(1)</script>")
    }
    assert len(keys) == 4
    assert all(len(key) < 120 and " " not in key for key in keys)

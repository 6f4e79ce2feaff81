from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators import services
from indicators.models import IndicatorKind, PeriodKind
from organizations.models import Sector
from tests.factories import OrganizationFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=9):
    """Freeze the clock at `hour` on `day` (local time)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def definition(staff_user):
    return make_definition(staff_user)


@pytest.fixture
def first_half(staff_user, definition):
    return make_first_half(staff_user, definition)


@pytest.fixture
def history(staff_user, definition, first_half):
    return make_history(staff_user, definition, first_half)


def built_for_module(staff_user) -> dict:
    """`definition`, `first_half` and `history` at once, for a module that builds them once (tests/module_data.py's
    built_once) instead of for each test."""
    definition = make_definition(staff_user)
    first_half = make_first_half(staff_user, definition)
    return {
        "definition": definition,
        "first_half": first_half,
        "history": make_history(staff_user, definition, first_half),
    }


def _fixtures_built_once(build, names: tuple[str, ...]) -> tuple:
    """The module-scoped `built` (`build(staff_user)` once, in a transaction rolled back after the module; each
    test's own transaction nests in it), one per-test fixture for each of `names` (its entry of `built`),
    overriding this conftest's per-test ones, then the module's `bloc` and `staff_user` (the rows `built` made)."""
    from tests import module_data

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker):
        with module_data.built_once(django_db_blocker, build) as once:
            yield once

    def entry(name):
        @pytest.fixture(name=name)
        def fixture(db, built):
            return built[name]

        return fixture

    return (built, *(entry(name) for name in names), *module_data.bloc_and_staff_of("built"))


def fixtures_built_once():
    """A module's fixtures `built` (built_for_module once), `definition`, `first_half`, `history`, `bloc` and
    `staff_user`. Bind them in the module:
    `built, definition, first_half, history, bloc, staff_user = fixtures_built_once()`."""
    return _fixtures_built_once(built_for_module, ("definition", "first_half", "history"))


def _first_half_for_module(staff_user) -> dict:
    definition = make_definition(staff_user)
    return {"definition": definition, "first_half": make_first_half(staff_user, definition)}


def first_half_built_once():
    """As fixtures_built_once, without the history: `built` (the definition and its first half-year, opened once
    for the module), `definition`, `first_half`, `bloc` and `staff_user`. For a module whose every test works on
    the opened first half-year; one that needs a definition with no period open keeps the per-test fixtures.
    Bind them in the module: `built, definition, first_half, bloc, staff_user = first_half_built_once()`."""
    return _fixtures_built_once(_first_half_for_module, ("definition", "first_half"))


def make_definition(staff_user):
    """A half-year report with one indicator of each kind."""
    definition = services.definition_create(
        actor=staff_user, name="Báo cáo công tác dân vận", period_kind=PeriodKind.HALF_YEAR, due_days=15
    )
    section = services.section_add(actor=staff_user, definition=definition, title="I. Kết quả thực hiện")
    add = services.indicator_add
    add(
        actor=staff_user,
        definition=definition,
        section=section,
        code="nhiem_vu",
        label="Nhiệm vụ trọng tâm hoàn thành",
        kind=IndicatorKind.INTEGER,
        unit="nhiệm vụ",
        min_value=0,
        max_value=5000,
    )
    add(
        actor=staff_user,
        definition=definition,
        section=section,
        code="doi_thoai",
        label="Số cuộc đối thoại với nhân dân",
        kind=IndicatorKind.INTEGER,
        unit="cuộc",
        aggregation="average",
        required=False,
    )
    add(
        actor=staff_user,
        definition=definition,
        code="kinh_phi",
        label="Kinh phí hỗ trợ",
        kind=IndicatorKind.MONEY,
        unit="đồng",
        required=False,
    )
    add(
        actor=staff_user,
        definition=definition,
        code="ty_le",
        label="Tỷ lệ hài lòng",
        kind=IndicatorKind.PERCENT,
        required=False,
    )
    add(
        actor=staff_user,
        definition=definition,
        code="co_mo_hinh",
        label="Có mô hình “Dân vận chính quyền”",
        kind=IndicatorKind.YES_NO,
        required=False,
    )
    add(
        actor=staff_user,
        definition=definition,
        code="ten_mo_hinh",
        label="Tên mô hình tiêu biểu",
        kind=IndicatorKind.SHORT_TEXT,
        required=False,
    )
    return definition


def make_first_half(staff_user, definition):
    return services.round_open(actor=staff_user, definition=definition, year=2024, number=1)


@pytest.fixture
def login(db):
    """A separate signed-in client per user (the shared `client` fixture is one browser)."""
    from django.test import Client

    def signed_in(user):
        browser = Client()
        browser.force_login(user)
        return browser

    return signed_in


def make_history(staff_user, definition, first_half):
    """Three administrative organisations and one enterprise. A sends on 5/7 (12 tasks), is returned on 9/7
    and resends 10 on 11/7; B sends on 12/7; C answers "Không phát sinh" on 14/7; the enterprise sends late on
    20/7; D (administrative) never sends."""
    orgs = {
        "A": OrganizationFactory(name="Đảng bộ Sở Tài chính", code="A"),
        "B": OrganizationFactory(name="Đảng bộ Sở Nội vụ", code="B"),
        "C": OrganizationFactory(name="Chi bộ Sở Ngoại vụ", code="C"),
        "D": OrganizationFactory(name="Đảng bộ Sở Xây dựng", code="D"),
        "E": OrganizationFactory(name="Đảng bộ Công ty Điện lực", code="E", sector=Sector.ENTERPRISE),
    }
    officers = {key: UserFactory(role="officer", organization=org) for key, org in orgs.items()}

    def send(key, day, values):
        with at(day):
            report = services.report_create(
                actor=officers[key], round_=first_half, organization=orgs[key], values=values
            )
            return services.report_submit(actor=officers[key], report=report)

    a = send(
        "A",
        date(2024, 7, 5),
        {
            "nhiem_vu": "12",
            "doi_thoai": "4",
            "kinh_phi": "1.500.000",
            "ty_le": "90",
            "co_mo_hinh": "yes",
            "ten_mo_hinh": "Cơ quan thân thiện",
        },
    )
    with at(date(2024, 7, 9)):
        a = services.report_return(
            actor=staff_user,
            report=a,
            comment="Rà soát số nhiệm vụ.",
            field_comments={"nhiem_vu": "Số liệu chưa khớp."},
        )
    with at(date(2024, 7, 11)):
        a = services.report_update(actor=officers["A"], report=a, values={**a.values, "nhiem_vu": "10"})
        services.report_submit(actor=officers["A"], report=a)
    send("B", date(2024, 7, 12), {"nhiem_vu": "1.956", "doi_thoai": "3", "ty_le": "85,5", "co_mo_hinh": "no"})
    with at(date(2024, 7, 14)):
        services.nil_return_send(
            actor=officers["C"], round_=first_half, organization=orgs["C"], reason="Đơn vị mới thành lập."
        )
    send(
        "E",
        date(2024, 7, 20),
        {"nhiem_vu": "7", "kinh_phi": "250.000.000", "co_mo_hinh": "yes", "ten_mo_hinh": "Doanh nghiệp vì cộng đồng"},
    )
    return orgs

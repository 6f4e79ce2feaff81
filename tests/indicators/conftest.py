from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators import services
from indicators.models import IndicatorKind, PeriodKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=9):
    """Freeze the clock at `hour` on `day` (local time)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def definition(staff_user):
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


@pytest.fixture
def first_half(staff_user, definition):
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

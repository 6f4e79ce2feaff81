"""Demo rows for periodic indicator reports, found by `manage.py seed_demo`: a half-year “Báo cáo công tác dân
vận” owed by every organisation and a yearly “Dân vận chính quyền” report owed by the administrative sector, with
last year's periods (first half due 15/7, second half and the year due 15/1) and this year's first half, played
through the services on plausible days (organizations.demo_calendar): most send in the fortnight before the due
date, a few late, two are returned with a comment on one indicator and resend, three answer “Không phát sinh”, a
few never send. History is cut at the moment the seed runs. Keyed on the half-year definition: once it exists,
nothing more is created."""

import random
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from organizations.demo_calendar import HCM, at_work, demo_year, play, review_moment, while_active
from organizations.models import BaseOrganization, Role, Sector, User

from . import services
from .models import AudienceKind, IndicatorKind, IndicatorReport, PeriodKind, ReportDefinition

DEFINITIONS, REPORTS = "mẫu báo cáo định kỳ", "báo cáo định kỳ"  # keys of the printed summary
HALF_YEAR_NAME = "Báo cáo công tác dân vận"
GOVERNMENT_NAME = "Dân vận chính quyền"

N, M, P, Y, S, T = (
    IndicatorKind.INTEGER,
    IndicatorKind.MONEY,
    IndicatorKind.PERCENT,
    IndicatorKind.YES_NO,
    IndicatorKind.SHORT_TEXT,
    IndicatorKind.LONG_TEXT,
)
# (section, [(code, label, kind, unit, required, min, max)])
HALF_YEAR = [
    (
        "I. Công tác lãnh đạo, chỉ đạo",
        [
            ("van_ban", "Số văn bản lãnh đạo, chỉ đạo công tác dân vận đã ban hành", N, "văn bản", True, 0, None),
            ("nhiem_vu", "Nhiệm vụ trọng tâm đã xác định và thực hiện hoàn thành", N, "nhiệm vụ", True, 0, 500),
            ("nhiem_vu_135", "Trong đó: nhiệm vụ thực hiện Chương trình 135-CTr/TU", N, "nhiệm vụ", False, 0, 500),
        ],
    ),
    (
        "II. Thực hiện Quy định 11-QĐi/TW",
        [
            ("doi_thoai", "Số cuộc tiếp xúc, đối thoại trực tiếp với nhân dân", N, "cuộc", True, 0, None),
            ("y_kien", "Số ý kiến, kiến nghị tiếp nhận", N, "ý kiến", False, 0, None),
            ("ty_le_giai_quyet", "Tỷ lệ ý kiến, kiến nghị đã giải quyết", P, "", False, None, None),
        ],
    ),
    (
        "III. Phong trào thi đua “Dân vận khéo”",
        [
            ("mo_hinh_moi", "Có xây dựng mô hình “Dân vận khéo” mới trong kỳ", Y, "", True, None, None),
            ("an_sinh", "Kinh phí ủng hộ an sinh xã hội", M, "đồng", False, 0, None),
            ("noi_bat", "Kết quả nổi bật", T, "", False, None, None),
        ],
    ),
]
GOVERNMENT = [
    (
        "Kết quả thực hiện",
        [
            ("mo_hinh_dvcq", "Số mô hình “Dân vận chính quyền” được công nhận", N, "mô hình", True, 0, None),
            ("tthc_dung_han", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", P, "", True, None, None),
            ("ke_hoach_cchc", "Có ban hành kế hoạch cải cách hành chính năm", Y, "", True, None, None),
            ("khieu_nai", "Số vụ việc khiếu nại, tố cáo đã giải quyết", N, "vụ việc", False, 0, None),
            ("mo_hinh_tieu_bieu", "Tên mô hình tiêu biểu", S, "", False, None, None),
        ],
    )
]
MODELS = [
    "Một cửa thân thiện, không hẹn lại",
    "Cán bộ tận tâm, nhân dân hài lòng",
    "Số hóa hồ sơ, rút ngắn thời gian giải quyết",
    "Đối thoại định kỳ với doanh nghiệp",
    "Ngày thứ Bảy vì dân",
]
HIGHLIGHTS = [
    "Tổ chức hội nghị đối thoại giữa người đứng đầu với đoàn viên, người lao động.",
    "Phối hợp hỗ trợ xây dựng nhà đại đoàn kết cho hộ nghèo.",
    "Triển khai tiếp nhận, trả kết quả thủ tục hành chính trực tuyến toàn trình.",
]
RETURN_COMMENT = "Đề nghị rà soát lại số liệu, bảo đảm khớp với báo cáo sơ kết của đơn vị."


def _define(staff, name, period_kind, sections, **audience):
    definition = services.definition_create(actor=staff, name=name, period_kind=period_kind, **audience)
    for title, indicators in sections:
        section = services.section_add(actor=staff, definition=definition, title=title)
        for code, label, kind, unit, required, low, high in indicators:
            services.indicator_add(
                actor=staff,
                definition=definition,
                section=section,
                code=code,
                label=label,
                kind=kind,
                unit=unit,
                required=required,
                min_value=low,
                max_value=high,
            )
    return definition


def _half_year_values(rng, organization) -> dict:
    tasks = rng.randint(8, 40)
    values = {
        "van_ban": str(rng.randint(2, 12)),
        "nhiem_vu": str(tasks),
        "nhiem_vu_135": str(rng.randint(0, tasks // 4)),
        "doi_thoai": str(rng.randint(1, 6)),
        "y_kien": str(rng.randint(5, 60)),
        "ty_le_giai_quyet": f"{rng.randint(850, 1000) / 10}".replace(".", ","),
        "mo_hinh_moi": "yes" if rng.random() < 0.6 else "no",
    }
    if organization.sector == Sector.ENTERPRISE or rng.random() < 0.3:
        values["an_sinh"] = f"{rng.randint(5, 300) * 1_000_000:,}".replace(",", ".")
    if rng.random() < 0.4:
        values["noi_bat"] = rng.choice(HIGHLIGHTS)
    return values


def _government_values(rng, organization) -> dict:
    values = {
        "mo_hinh_dvcq": str(rng.randint(1, 4)),
        "tthc_dung_han": f"{rng.randint(920, 1000) / 10}".replace(".", ","),
        "ke_hoach_cchc": "yes" if rng.random() < 0.9 else "no",
        "khieu_nai": str(rng.randint(0, 8)),
    }
    if rng.random() < 0.5:
        values["mo_hinh_tieu_bieu"] = rng.choice(MODELS)
    return values


def _story(rng, round_, organization, officer, staff, values, *, sent, returned=False, nil=False):
    """One organisation's report for one period: created and sent on `sent`, reviewed on the next review day
    (returned with a comment on one indicator and resent two days later when `returned`), then accepted."""
    yield sent
    if nil:
        services.nil_return_send(
            actor=officer, round_=round_, organization=organization, reason="Đơn vị mới kiện toàn, chưa phát sinh."
        )
        return
    report = services.report_create(actor=officer, round_=round_, organization=organization, values=values)
    report = services.report_submit(actor=officer, report=report)
    moment = review_moment(sent)
    yield moment
    if returned:
        first = next(iter(report.values))
        report = services.report_return(
            actor=staff, report=report, comment=RETURN_COMMENT, field_comments={first: "Số liệu chưa khớp."}
        )
        moment = at_work(rng, moment.astimezone(HCM).date() + timedelta(days=2), later=True)
        yield moment
        report = services.report_update(actor=officer, report=report, values=values)
        report = services.report_submit(actor=officer, report=report)
        yield review_moment(moment)
    services.report_accept(actor=staff, report=report)


def _stories(rng, round_, organizations, officers, staff, make_values, *, nil_count=0):
    due = round_.due_date
    senders = [o for o in organizations if rng.random() < 0.93]
    returned = set(rng.sample(range(len(senders)), min(2, len(senders))))
    for position, organization in enumerate(senders):
        officer = officers.get(organization.pk, staff)
        late = rng.random() < 0.08
        day = (
            due + timedelta(days=rng.randint(1, 10)) if late else due - timedelta(days=round(14 * rng.random() ** 0.6))
        )
        yield while_active(
            organization,
            _story(
                rng,
                round_,
                organization,
                officer,
                staff,
                make_values(rng, organization),
                sent=at_work(rng, day, later=late),
                returned=position in returned,
                nil=position >= len(senders) - nil_count,
            ),
        )


def seed(*, today: date) -> dict[str, int]:
    created = {DEFINITIONS: 0, REPORTS: 0}
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    if staff is None or ReportDefinition.objects.filter(name=HALF_YEAR_NAME).exists():
        return created
    year = demo_year(today)
    now = min(timezone.now(), datetime.combine(today + timedelta(days=1), time.min, tzinfo=HCM))
    rng = random.Random(year * 7)
    with time_machine.travel(datetime(year - 1, 6, 1, 9, tzinfo=HCM), tick=False):
        half_year = _define(staff, HALF_YEAR_NAME, PeriodKind.HALF_YEAR, HALF_YEAR)
        government = _define(
            staff,
            GOVERNMENT_NAME,
            PeriodKind.YEAR,
            GOVERNMENT,
            audience=AudienceKind.SECTOR,
            sector=Sector.ADMINISTRATIVE,
        )
        rounds = [
            (services.round_open(actor=staff, definition=half_year, year=year - 1, number=1), _half_year_values, 2),
            (services.round_open(actor=staff, definition=half_year, year=year - 1, number=2), _half_year_values, 1),
            (services.round_open(actor=staff, definition=government, year=year - 1), _government_values, 0),
            (services.round_open(actor=staff, definition=half_year, year=year, number=1), _half_year_values, 0),
        ]
        # This year's second half is open in advance; its reports come in next January.
        services.round_open(actor=staff, definition=half_year, year=year, number=2)
    created[DEFINITIONS] = 2
    officers = {user.organization_id: user for user in User.objects.filter(role=Role.OFFICER)}
    stories = []
    for round_, make_values, nil_count in rounds:
        if round_.due_date - timedelta(days=20) > now.date():
            continue
        sector = Sector.ADMINISTRATIVE if make_values is _government_values else None
        organizations = BaseOrganization.objects.active_on(round_.due_date).order_by("code")
        if sector:
            organizations = organizations.filter(sector=sector)
        stories += list(_stories(rng, round_, list(organizations), officers, staff, make_values, nil_count=nil_count))
    before = IndicatorReport.objects.count()
    play(stories, now)
    created[REPORTS] = IndicatorReport.objects.count() - before
    return created

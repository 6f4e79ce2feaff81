"""Demo rows for periodic indicator reports, found by `manage.py seed_demo`: a half-year “Báo cáo công tác dân
vận” owed by every organisation and a yearly “Dân vận chính quyền” report owed by the administrative sector, with
last year's periods (first half due 15/7, second half and the year due 15/1) and this year's first half on
plausible days (organizations.demo_calendar), each report with its timeline and the revision kept at each sending,
and this year's second half open: most send in the fortnight before the due
date, a few late, two are returned with a comment on one indicator and resend, three answer “Không phát sinh”, a
few never send. History is cut at the moment the seed runs. Keyed on the half-year definition: once it exists,
nothing more is created."""

import random
from datetime import date, datetime, time, timedelta

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Value, When
from django.utils import timezone

from dukportal.submissions import timeline
from dukportal.submissions.models import EventAction, SubmissionEvent, SubmissionRevision, SubmissionStatus
from organizations.demo_calendar import HCM, at_work, demo_year, review_moment
from organizations.models import BaseOrganization, Role, Sector, User

from . import services
from . import values as indicator_values
from .models import AudienceKind, IndicatorKind, IndicatorReport, PeriodKind, ReportDefinition
from .obligations import current_version

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


class _Writer:
    """Writes the demo reports with their timeline and the revision kept at each sending (what the aggregate of a
    date reads), cut at `now`; a few hundred rows in a few statements instead of the services' per-step work
    (the values are checked as the services check them). Nil returns, three of them, go through the services."""

    def __init__(self, now, staff):
        self.now, self.staff = now, staff
        self.events, self.revisions, self.count = [], [], 0
        self._indicators = {}
        self.content_type = ContentType.objects.get_for_model(IndicatorReport)

    def write(self, rng, round_, definition, organization, officer, values, *, sent, returned=False, nil=False):
        if sent > self.now or not organization.is_active_on(sent.astimezone(HCM).date()):
            return
        if nil:
            with time_machine.travel(sent, tick=False):
                services.nil_return_send(
                    actor=officer,
                    round_=round_,
                    organization=organization,
                    reason="Đơn vị mới kiện toàn, chưa phát sinh.",
                )
            return
        stored, errors = indicator_values.clean(self.indicators(definition), values, complete=True)
        assert not errors, errors
        created = sent - timedelta(hours=2)
        reviewed = review_moment(sent)
        steps = [(sent, EventAction.SUBMITTED, SubmissionStatus.SUBMITTED, officer, "", {})]
        if returned:
            first = next(iter(stored))
            resent = at_work(rng, reviewed.astimezone(HCM).date() + timedelta(days=2), later=True)
            steps += [
                (
                    reviewed,
                    EventAction.RETURNED,
                    SubmissionStatus.RETURNED,
                    self.staff,
                    RETURN_COMMENT,
                    {first: "Số liệu chưa khớp."},
                ),
                (resent, EventAction.RESUBMITTED, SubmissionStatus.SUBMITTED, officer, "", {}),
            ]
            reviewed = review_moment(resent)
        steps.append((reviewed, EventAction.ACCEPTED, SubmissionStatus.ACCEPTED, self.staff, "", {}))
        steps = [step for step in steps if step[0] <= self.now]
        sendings = [step for step in steps if step[1] in (EventAction.SUBMITTED, EventAction.RESUBMITTED)]
        with time_machine.travel(created, tick=False):  # created_at is stamped on insert
            report = IndicatorReport.objects.create(
                round=round_,
                definition=definition,
                organization=organization,
                values=stored,
                status=steps[-1][2],
                submitted_at=sendings[-1][0],
                decided_at=steps[-1][0] if steps[-1][1] in (EventAction.RETURNED, EventAction.ACCEPTED) else None,
                revision=len(sendings),
                created_by=officer,
            )
        target = {"content_type": self.content_type, "object_id": report.pk, "organization_id": organization.pk}
        self.events.append(
            SubmissionEvent(**target, action=EventAction.CREATED, to_status="draft", actor=officer, at=created)
        )
        status = SubmissionStatus.DRAFT
        for moment, action, to_status, actor, comment, field_comments in steps:
            self.events.append(
                SubmissionEvent(
                    **target,
                    action=action,
                    from_status=status,
                    to_status=to_status,
                    actor=actor,
                    at=moment,
                    comment=comment,
                    field_comments=field_comments,
                )
            )
            status = to_status
        for number, (moment, *_rest) in enumerate(sendings, start=1):
            self.revisions.append(
                (moment, SubmissionRevision(**target, number=number, data={"values": stored}, actor=officer))
            )
        self.count += 1

    def indicators(self, definition):
        if definition.pk not in self._indicators:
            self._indicators[definition.pk] = list(definition.indicators.all())
        return self._indicators[definition.pk]

    def flush(self):
        SubmissionEvent.objects.bulk_create(self.events, batch_size=500)
        timeline.store_counted_moments_of(self.events)  # what the services write with each event
        rows = SubmissionRevision.objects.bulk_create([revision for _at, revision in self.revisions], batch_size=500)
        # `at` is stamped on insert: set each revision's real moment (one UPDATE).
        moments = {row.pk: at for row, (at, _revision) in zip(rows, self.revisions, strict=True)}
        if moments:
            SubmissionRevision.objects.filter(pk__in=moments).update(
                at=Case(*(When(pk=pk, then=Value(at)) for pk, at in moments.items()))
            )


def _write_round(writer, rng, round_, organizations, officers, make_values, *, nil_count=0):
    due = round_.due_date
    definition = current_version(round_.family)
    senders = [o for o in organizations if rng.random() < 0.93]
    returned = set(rng.sample(range(len(senders)), min(2, len(senders))))
    for position, organization in enumerate(senders):
        late = rng.random() < 0.08
        day = (
            due + timedelta(days=rng.randint(1, 10)) if late else due - timedelta(days=round(14 * rng.random() ** 0.6))
        )
        writer.write(
            rng,
            round_,
            definition,
            organization,
            officers.get(organization.pk, writer.staff),
            make_values(rng, organization),
            sent=at_work(rng, day, later=late),
            returned=position in returned,
            nil=position >= len(senders) - nil_count,
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
    writer = _Writer(now, staff)
    for round_, make_values, nil_count in rounds:
        organizations = BaseOrganization.objects.active_on(round_.due_date).order_by("code")
        if make_values is _government_values:
            organizations = organizations.filter(sector=Sector.ADMINISTRATIVE)
        _write_round(writer, rng, round_, list(organizations), officers, make_values, nil_count=nil_count)
    writer.flush()
    created[REPORTS] = writer.count
    return created

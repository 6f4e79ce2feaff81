"""Dispatches and reports of several numbered topics (“Công văn triển khai nhiệm vụ”, as 1720-CV/ĐUK): staff
pick open deadlines, campaigns, QCDC cycles and free sections, order them, and get one draft with an opening,
one section per topic ("1. Về việc …"), the contact sentence and a closing.

Every section is written from the data as it stood at the end of the draft's reference date (`as_of`), so
regenerating for the same date gives the same text. Figures come from the selectors every page uses:
models_danvan.selectors.campaign_statistics for “Dân vận khéo” registrations, democracy_regs.selectors.
cycle_statistics for QCDC items (the steering committee counted when complete), and the shared
dukportal.submissions.deadlines for anything else. A deadline's section is chosen by its obligation kind in
`DEADLINE_WRITERS`; a kind without its own wording gets the generic one, so any obligation a feature app
registers can be a topic.

A deadline more than FAR_DAYS ahead is not chased: its section states what is asked and by when, without the
"x/y" and without listing every organisation as missing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from democracy_regs import obligations as qcdc_obligations
from democracy_regs.models import DemocracyCycle
from democracy_regs.selectors import CycleStatistics, cycle_statistics
from dukportal.submissions import deadlines
from dukportal.submissions.models import Audience, Deadline
from models_danvan import obligations as danvan_obligations
from models_danvan.models import Campaign
from models_danvan.selectors import CampaignStatistics, campaign_deadlines, campaign_statistics
from organizations import history

from . import references, selectors
from .document import HEADING_PREFIX, split_lines, text_date
from .generators import (
    QCDC,
    QCDC_MISSING_HEADINGS,
    _actor_name,
    _contact_line,
    _missing_table,
    _qcdc_missing_table,
    _report_distribution,
    _signer,
    count,
)
from .models import DocType, IssuerKind, IssuingBody, TopicKind

# A deadline further ahead than this is announced, not chased (no figures, no list of who is missing).
FAR_DAYS = 30
BASES = "chi, đảng bộ cơ sở"
UNITS = "đơn vị"
ALL_RECIPIENTS = ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]

# What a topic of each kind may point at (content type + id on DocumentTopic).
SOURCE_MODELS = {TopicKind.DEADLINE: Deadline, TopicKind.CAMPAIGN: Campaign, TopicKind.CYCLE: DemocracyCycle}


@dataclass(frozen=True)
class TopicSpec:
    """One chosen topic, before or after it is stored as a DocumentTopic row."""

    kind: str
    source: object | None = None
    title: str = ""  # free sections
    text: str = ""  # free sections


@dataclass
class Section:
    title: str  # "Về việc …", without its number
    lines: list[str]
    # Set when the topic is owed by a chosen list of units only (the inspected units): their names, so a
    # dispatch made only of such topics is addressed to them.
    addressees: list[str] | None = None


@dataclass
class Context:
    """What every section of one draft shares: who writes, for which date, in which document type."""

    issuing_body: IssuingBody
    header: selectors.Header
    as_of: date
    doc_type: str
    deadline_ids: set = field(default_factory=set)  # deadlines chosen as topics of this draft
    _cycles: dict = field(default_factory=dict)
    _campaigns: dict = field(default_factory=dict)

    @property
    def is_dispatch(self) -> bool:
        return self.doc_type == DocType.CV

    @property
    def requester(self) -> str:
        return "Đảng ủy Khối" if self.issuing_body.kind == IssuerKind.COMMITTEE else self.header.issuer_name

    @property
    def department(self) -> str:
        return self.header.propaganda_department_name

    def via(self, destination: str = "Đảng ủy Khối") -> str:
        return f"về {destination} (qua {self.department})"

    def cycle_statistics(self, cycle: DemocracyCycle) -> CycleStatistics:
        if cycle.pk not in self._cycles:
            self._cycles[cycle.pk] = cycle_statistics(cycle, on=self.as_of)
        return self._cycles[cycle.pk]

    def campaign_statistics(self, campaign: Campaign) -> CampaignStatistics:
        if campaign.pk not in self._campaigns:
            self._campaigns[campaign.pk] = campaign_statistics(campaign, on=self.as_of)
        return self._campaigns[campaign.pk]


def is_far(deadline: Deadline, as_of: date) -> bool:
    return (deadline.due_date - as_of).days > FAR_DAYS


@dataclass
class Wording:
    """A deadline's section in parts. `background` states what is asked and by when (all a far deadline
    gets); `figures` and `missing` are filled only for a close or passed one."""

    title: str
    background: list[str]
    ask: str  # what those still missing must do, before "về Đảng ủy Khối (qua …)"
    who: str = BASES
    destination: str = "Đảng ủy Khối"
    figures: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_count: int = 0
    addressees: list[str] | None = None
    extra: list[str] = field(default_factory=list)  # after the request (the inspected units, in self-inspection)


# --- one writer per obligation kind ----------------------------------------------------------------------------


def _danvan_registration(deadline: Deadline, ctx: Context, close: bool) -> Wording:
    campaign = deadline.source
    year, due = campaign.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc triển khai thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
        background=[
            f"Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số {campaign.plan_number}, ngày "
            f"{text_date(campaign.plan_date)} về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm "
            f"{year}; đồng thời hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn thể khối đăng ký xây dựng mô hình, "
            f"điển hình “Dân vận khéo” năm {year}, gửi đăng ký {ctx.via()} trước ngày {due}."
        ],
        ask=f"gửi đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm {year}",
    )
    if close:
        stats = ctx.campaign_statistics(campaign)
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {stats.registered}/{stats.expected} {BASES} gửi đăng ký "
            f"mô hình “Dân vận khéo” năm {year}, với {count(stats.total)} mô hình đăng ký, trong đó có "
            f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
            f"{count(stats.base_continued)} mô hình tiếp tục thực hiện từ năm {year - 1} và "
            f"{count(stats.base_new)} mô hình đăng ký mới năm {year}."
        )
        # Whom to chase: owing and still active on the date (as the reminder and the tracking page).
        _missing_organizations(wording, deadline, ctx, f"{BASES} chưa gửi đăng ký")
    return wording


def _danvan_evaluation(period_words: str, report: str, whole: str):
    """Mid-year ("sơ kết 6 tháng") and year-end ("tổng kết năm") evaluations: owed by organisations with a
    model accepted by the date (the obligation's own rule, applied by deadline_figures)."""

    def writer(deadline: Deadline, ctx: Context, close: bool) -> Wording:
        campaign = deadline.source
        year, due = campaign.year, text_date(deadline.due_date)
        wording = Wording(
            title=f"Về việc {period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}",
            background=[
                f"Theo Kế hoạch số {campaign.plan_number}, ngày {text_date(campaign.plan_date)} của Ban Thường vụ "
                f"Đảng ủy Khối, các {BASES} có mô hình, điển hình “Dân vận khéo” năm {year} đã được tiếp nhận đánh "
                f"giá kết quả thực hiện {whole}, gửi {report} {ctx.via()} trước ngày {due}."
            ],
            ask=f"gửi báo cáo {period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}",
        )
        if close:
            figures = deadlines.deadline_figures(deadline, ctx.as_of)
            if not figures.expected:
                wording.figures.append(
                    f"Tính đến ngày {text_date(ctx.as_of)} chưa có {BASES} nào có mô hình, điển hình được tiếp nhận "
                    f"phải gửi báo cáo {period_words}."
                )
                return wording
            wording.figures.append(
                f"Tính đến ngày {text_date(ctx.as_of)} đã có {figures.sent}/{figures.expected} {BASES} gửi báo cáo "
                f"{period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}."
            )
            _missing_organizations(wording, deadline, ctx, f"{BASES} chưa gửi {report}", figures=figures)
        return wording

    return writer


def _plan_sentence(cycle: DemocracyCycle) -> str:
    return f"Kế hoạch số {cycle.bloc_plan_number}, ngày {text_date(cycle.bloc_plan_date)}"


def _implementing(deadline: Deadline, ctx: Context) -> str:
    """A QCDC section's "Thực hiện …" clause: the references recorded for the deadline (or its cycle's) as of
    the draft's date, as 1720-CV/ĐUK cites 171-KH/BDVTU; else the plan typed on the cycle."""
    cycle = deadline.source
    return (
        references.citation_for(deadline, on=ctx.as_of)
        or f"Thực hiện {_plan_sentence(cycle)} của Ban Thường vụ Đảng ủy Khối về thực hiện {QCDC} năm {cycle.year}"
    )


def _qcdc_plan(deadline: Deadline, ctx: Context, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc xây dựng và thực hiện {QCDC} năm {year}",
        background=[
            f"Ngày {text_date(cycle.bloc_plan_date)}, Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số "
            f"{cycle.bloc_plan_number} về thực hiện {QCDC} năm {year}, trong đó yêu cầu các {BASES} xây dựng kế "
            f"hoạch thực hiện {QCDC} năm {year}, gửi {ctx.via()} trước ngày {due}."
        ],
        ask=f"xây dựng kế hoạch thực hiện {QCDC} năm {year} và gửi kế hoạch",
    )
    if close:
        item = ctx.cycle_statistics(cycle).plans
        returned = f", trong đó {count(item.returned)} kế hoạch bị trả lại để hoàn thiện" if item.returned else ""
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {item.ratio_label} {BASES} xây dựng kế hoạch thực hiện "
            f"{QCDC} năm {year}{returned}."
        )
        _missing_cycle_rows(wording, item, ctx)
    return wording


def _qcdc_committee(deadline: Deadline, ctx: Context, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc kiện toàn Ban chỉ đạo thực hiện {QCDC} năm {year}",
        background=[
            f"{_implementing(deadline, ctx)}, các {BASES} kiện toàn Ban chỉ đạo thực hiện {QCDC} (có trưởng "
            "ban và ít nhất "
            f"{count(cycle.committee_min_members)} thành viên), phân công cán bộ phụ trách phù hợp với điều kiện thực "
            f"tế của từng cơ quan, doanh nghiệp, gửi quyết định kiện toàn {ctx.via()} trước ngày {due}."
        ],
        ask=f"kiện toàn Ban chỉ đạo thực hiện {QCDC} và gửi quyết định kiện toàn",
    )
    if close:
        item = ctx.cycle_statistics(cycle).committees
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {item.ratio_label} {BASES} kiện toàn Ban chỉ đạo thực hiện "
            f"{QCDC} theo yêu cầu."
        )
        _missing_cycle_rows(wording, item, ctx)
    return wording


def _qcdc_self_inspection(deadline: Deadline, ctx: Context, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    destination = "Ban Chỉ đạo Đảng ủy Khối"
    wording = Wording(
        title=f"Về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm {year}",
        background=[
            f"{_implementing(deadline, ctx)}, {ctx.requester} đề nghị các {BASES} tham gia với thủ trưởng cơ "
            "quan, đơn vị xây dựng kế hoạch và tiến hành tự kiểm tra, giám sát thuộc phạm vi, chức năng quản lý; xây dựng báo cáo tự kiểm tra, giám sát "
            f"gửi {ctx.via(destination)} trước ngày {due} để tổng hợp, báo cáo theo quy định."
        ],
        ask="hoàn thành việc tự kiểm tra, giám sát và gửi báo cáo",
        destination=destination,
    )
    if close:
        item = ctx.cycle_statistics(cycle).self_inspections
        nil = f", trong đó {count(item.nil_returns)} {BASES} báo cáo không phát sinh" if item.nil_returns else ""
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {item.ratio_label} {BASES} gửi báo cáo tự kiểm tra, giám "
            f"sát việc thực hiện dân chủ ở cơ sở năm {year}{nil}."
        )
        _missing_cycle_rows(wording, item, ctx)
    # The units chosen for a direct visit owe their report earlier: said here, unless their deadline is a
    # topic of its own in this draft.
    visit = qcdc_visit_deadline(cycle)
    if visit is not None and visit.pk not in ctx.deadline_ids:
        units = _qcdc_inspection_visit(visit, ctx, not is_far(visit, ctx.as_of), cycle=cycle)
        wording.extra += units.background + units.figures + units.missing
    return wording


def qcdc_visit_deadline(cycle: DemocracyCycle) -> Deadline | None:
    return Deadline.objects.filter(
        kind=qcdc_obligations.INSPECTION_VISIT,
        source_type=ContentType.objects.get_for_model(DemocracyCycle),
        source_id=cycle.pk,
    ).first()


def _qcdc_inspection_visit(deadline: Deadline, ctx: Context, close: bool, *, cycle=None) -> Wording:
    """The units chosen for a direct inspection visit: named, with their own deadline and the review period
    their report covers (DemocracyCycle.review_start … review_end)."""
    cycle = cycle or deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    destination = "Ban Chỉ đạo Đảng ủy Khối"
    units = [
        org.name_on_date
        for org in history.with_name_on(deadlines.expected_organizations(deadline, ctx.as_of), ctx.as_of).order_by(
            "sort_key", "code"
        )
    ]
    period = ""
    if cycle.review_start and cycle.review_end:
        period = f" từ ngày {text_date(cycle.review_start)} đến ngày {text_date(cycle.review_end)}"
    wording = Wording(
        title=f"Về việc tự kiểm tra của các đơn vị được kiểm tra trực tiếp việc thực hiện dân chủ ở cơ sở năm {year}",
        background=[
            "Các đơn vị có tên được Đoàn kiểm tra của Ban Chỉ đạo Đảng ủy Khối tới làm việc trực tiếp gồm: "
            f"{'; '.join(units)}, tiến hành rà soát các văn bản và các nội dung thực hiện dân chủ ở cơ sở{period}, "
            f"đồng thời xây dựng báo cáo tự kiểm tra gửi {ctx.via(destination)} trước ngày {due}."
        ],
        ask="gửi báo cáo tự kiểm tra",
        who=f"{UNITS} được kiểm tra trực tiếp",
        destination=destination,
        addressees=units,
    )
    if close:
        item = ctx.cycle_statistics(cycle).inspection_visits
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {item.ratio_label} {UNITS} gửi báo cáo tự kiểm tra."
        )
        missing = [row.organization for row in item.missing if row.organization.is_active_on(ctx.as_of)]
        if missing:
            wording.missing_count = len(missing)
            names = "; ".join(getattr(org, "name_on_date", org.name) for org in missing)
            wording.missing.append(f"Còn {count(len(missing))} {UNITS} chưa gửi báo cáo: {names}.")
    return wording


def _generic(deadline: Deadline, ctx: Context, close: bool) -> Wording:
    """Any other registered obligation: its title says what is owed."""
    what = deadline.title[:1].lower() + deadline.title[1:]
    chosen = deadline.audience == Audience.CHOSEN
    who = UNITS if chosen else BASES
    wording = Wording(
        title=f"Về việc {what}",
        background=[f"Theo kế hoạch, các {who} gửi {what} {ctx.via()} trước ngày {text_date(deadline.due_date)}."],
        ask=f"gửi {what}",
        who=who,
    )
    if chosen:
        wording.addressees = [
            org.name_on_date
            for org in history.with_name_on(deadlines.expected_organizations(deadline, ctx.as_of), ctx.as_of)
        ]
    if close:
        figures = deadlines.deadline_figures(deadline, ctx.as_of)
        wording.figures.append(
            f"Tính đến ngày {text_date(ctx.as_of)} đã có {figures.sent}/{figures.expected} {who} gửi {what}."
        )
        kind = deadlines.obligation(deadline.kind)
        if kind.figure_lines is not None:  # the kind's own sentences about what was sent (registered with it)
            wording.figures += kind.figure_lines(deadline, ctx.as_of)
        _missing_organizations(wording, deadline, ctx, f"{who} chưa gửi", figures=figures)
    return wording


def _missing_organizations(wording: Wording, deadline: Deadline, ctx: Context, what: str, *, figures=None):
    figures = figures or deadlines.deadline_figures(deadline, ctx.as_of)
    if figures.to_chase:
        wording.missing_count = len(figures.to_chase)
        wording.missing += [f"Còn {count(len(figures.to_chase))} {what}, gồm:", *_missing_table(figures.to_chase)]


def _missing_cycle_rows(wording: Wording, item, ctx: Context):
    """A QCDC item's missing organisations with why (not sent, returned, committee incomplete); those dissolved
    or merged since count in y but are not chased."""
    rows = [row for row in item.missing if row.organization.is_active_on(ctx.as_of)]
    if rows:
        wording.missing_count = len(rows)
        wording.missing += [
            f"Còn {count(len(rows))} {QCDC_MISSING_HEADINGS[item.kind]}, gồm:",
            *_qcdc_missing_table(rows),
        ]


DEADLINE_WRITERS: dict[str, Callable[[Deadline, Context, bool], Wording]] = {
    danvan_obligations.REGISTRATION: _danvan_registration,
    danvan_obligations.MID_YEAR: _danvan_evaluation("sơ kết 6 tháng", "báo cáo sơ kết", "6 tháng đầu năm"),
    danvan_obligations.YEAR_END: _danvan_evaluation("tổng kết", "báo cáo tổng kết", "cả năm"),
    qcdc_obligations.PLAN: _qcdc_plan,
    qcdc_obligations.COMMITTEE: _qcdc_committee,
    qcdc_obligations.SELF_INSPECTION: _qcdc_self_inspection,
    qcdc_obligations.INSPECTION_VISIT: _qcdc_inspection_visit,
}


def deadline_wording(deadline: Deadline, ctx: Context) -> Wording:
    return DEADLINE_WRITERS.get(deadline.kind, _generic)(deadline, ctx, not is_far(deadline, ctx.as_of))


def deadline_section(deadline: Deadline, ctx: Context) -> Section:
    wording = deadline_wording(deadline, ctx)
    lines = [*wording.background, *wording.figures, *wording.missing]
    if ctx.is_dispatch and wording.missing_count:
        target = f"{wording.ask} {ctx.via(wording.destination)}"
        if ctx.as_of >= deadline.due_date:
            lines.append(
                f"{ctx.requester} đề nghị các {wording.who} chưa thực hiện khẩn trương {target} để tổng hợp, báo cáo "
                "theo quy định."
            )
        else:
            lines.append(
                f"{ctx.requester} đề nghị các {wording.who} chưa thực hiện {target} trước ngày "
                f"{text_date(deadline.due_date)}."
            )
    return Section(title=wording.title, lines=lines + wording.extra, addressees=wording.addressees)


# --- a whole campaign or cycle: one line per obligation ---------------------------------------------------------


def _overview_lines(source_deadlines: list[Deadline], ctx: Context) -> list[str]:
    """Per obligation: the figures when it is close or passed, what is asked and by when otherwise."""
    lines = []
    for deadline in sorted(source_deadlines, key=lambda d: (d.due_date, d.kind)):
        wording = deadline_wording(deadline, ctx)
        if wording.figures:
            lines += wording.figures
        else:
            lines.append(
                f"Các {wording.who} {wording.ask} {ctx.via(wording.destination)} trước ngày "
                f"{text_date(deadline.due_date)}."
            )
    return lines


def campaign_section(campaign: Campaign, ctx: Context) -> Section:
    year = campaign.year
    lines = [
        f"Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số {campaign.plan_number}, ngày "
        f"{text_date(campaign.plan_date)} về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm "
        f"{year}. Kết quả thực hiện như sau:",
        *_overview_lines(list(campaign_deadlines(campaign).values()), ctx),
    ]
    if ctx.is_dispatch:
        lines.append(
            f"{ctx.requester} đề nghị các {BASES} tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo”, thực hiện "
            "đầy đủ các nội dung trên theo kế hoạch."
        )
    return Section(title=f"Về việc thực hiện phong trào thi đua “Dân vận khéo” năm {year}", lines=lines)


def cycle_section(cycle: DemocracyCycle, ctx: Context) -> Section:
    year = cycle.year
    cycle_deadlines = Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(DemocracyCycle), source_id=cycle.pk
    )
    lines = [
        f"Ban Thường vụ Đảng ủy Khối đã ban hành {_plan_sentence(cycle)} về thực hiện {QCDC} năm {year}. Kết quả "
        "thực hiện như sau:",
        *_overview_lines(list(cycle_deadlines), ctx),
    ]
    if ctx.is_dispatch:
        lines.append(f"{ctx.requester} đề nghị các {BASES} thực hiện đầy đủ các nội dung trên theo kế hoạch.")
    return Section(title=f"Về việc thực hiện {QCDC} năm {year}", lines=lines)


def free_section(spec: TopicSpec) -> Section:
    """A section staff write: their heading (prefixed "Về việc" when they did not) and prose; left blank it
    keeps "…", so the draft cannot be issued before it is written."""
    title = " ".join(spec.title.split())
    if not title:
        title = "Về việc …"
    elif not title.lower().startswith("về việc"):
        first = title.split()[0]
        title = f"Về việc {title if first.isupper() else title[:1].lower() + title[1:]}"
    return Section(title=title, lines=split_lines(spec.text) or ["…"])


SOURCE_WRITERS: dict[str, Callable] = {
    TopicKind.DEADLINE: deadline_section,
    TopicKind.CAMPAIGN: campaign_section,
    TopicKind.CYCLE: cycle_section,
}


# --- the whole draft -------------------------------------------------------------------------------------------


def checked_specs(specs: list[TopicSpec]) -> list[TopicSpec]:
    """The topics as given, refused with a Vietnamese message when none is chosen, a source is of the wrong
    kind, or one source is chosen twice."""
    if not specs:
        raise ValidationError({"topics": "Chọn ít nhất một nội dung cho văn bản."})
    seen = set()
    for position, spec in enumerate(specs, start=1):
        if spec.kind == TopicKind.FREE:
            continue
        if spec.source is None:  # a stored topic whose deadline, campaign or cycle was removed since
            raise ValidationError(
                {"topics": f"Nội dung thứ {position} không còn nguồn số liệu (đã bị xóa); hãy soạn văn bản mới."}
            )
        model = SOURCE_MODELS.get(spec.kind)
        if model is None or not isinstance(spec.source, model):
            raise ValidationError({"topics": "Nội dung được chọn không hợp lệ."})
        key = (spec.kind, spec.source.pk)
        if key in seen:
            raise ValidationError({"topics": f"“{spec.source}” được chọn hai lần."})
        seen.add(key)
    return specs


def _recipients(sections: list[Section]) -> tuple[list[str], bool]:
    """Everyone ("Các chi, đảng bộ cơ sở; Các đoàn thể khối"), unless every topic drawn from data is owed by a
    chosen list of units only: then those units, one on the "Kính gửi:" line or several as a dash list."""
    lists = [section.addressees for section in sections]
    if not lists or any(units is None for units in lists):
        return list(ALL_RECIPIENTS), False
    units = list(dict.fromkeys(name for names in lists for name in names))
    if not units:
        return list(ALL_RECIPIENTS), False
    if len(units) == 1:
        return [f"{units[0]}."], True
    return [f"- {name};" for name in units[:-1]] + [f"- {units[-1]}."], True


def compose_content(specs: list[TopicSpec], issuing_body: IssuingBody, doc_type: str, as_of: date) -> dict:
    """The editable content of a draft made of `specs`, in their order, for the figures at the end of `as_of`."""
    specs = checked_specs(specs)
    header = selectors.header_for(issuing_body, as_of)
    ctx = Context(
        issuing_body=issuing_body,
        header=header,
        as_of=as_of,
        doc_type=doc_type,
        deadline_ids={spec.source.pk for spec in specs if spec.kind == TopicKind.DEADLINE},
    )
    sections, drawn = [], []
    for spec in specs:
        if spec.kind == TopicKind.FREE:
            sections.append(free_section(spec))
        else:
            section = SOURCE_WRITERS[spec.kind](spec.source, ctx)
            sections.append(section)
            drawn.append(section)
    actor = _actor_name(issuing_body, header)
    month = f"tháng {as_of.month} năm {as_of.year}"
    body: list[str] = []
    if ctx.is_dispatch:
        recipients, to_units = _recipients(drawn)
        addressed = UNITS if to_units else f"{BASES}, đoàn thể khối"
        body.append(
            f"Thực hiện các văn bản chỉ đạo của Tỉnh ủy, Ban Dân vận Tỉnh ủy, {actor} đề nghị các {addressed} triển "
            "khai thực hiện một số nội dung cụ thể như sau:"
        )
    else:
        recipients = []
        body.append(
            f"{actor} báo cáo kết quả thực hiện một số nhiệm vụ công tác dân vận (số liệu tính đến ngày "
            f"{text_date(as_of)}) như sau:"
        )
    for number, section in enumerate(sections, start=1):
        body.append(f"{HEADING_PREFIX}{number}. {section.title}")
        body.extend(section.lines)
    if ctx.is_dispatch:
        body.append(_contact_line(issuing_body, header))
        who = "các đơn vị" if to_units else f"cấp ủy các {BASES}, đoàn thể khối"
        body.append(f"{actor} yêu cầu {who} nghiêm túc triển khai thực hiện.")
        subject = f"V/v triển khai thực hiện một số nhiệm vụ công tác dân vận trong {month}"
        distribution = [
            "- Như trên,",
            "- Ban Dân vận Tỉnh ủy (b/c),",
            "- Thường trực Đảng ủy Khối (b/c),",
            f"- {issuing_body.archive_line}",
        ]
    else:
        body.append(f"Trên đây là báo cáo kết quả thực hiện một số nhiệm vụ công tác dân vận của {actor}.")
        subject = f"kết quả thực hiện một số nhiệm vụ công tác dân vận đến {month}"
        distribution = _report_distribution(issuing_body)
    return {
        "subject": subject,
        "recipients": recipients,
        "body": "\n".join(body),
        **_signer(header),
        "distribution": distribution,
    }

"""What the QCDC cycles contribute to official documents, registered in dukportal.documents.sources (reports
composes them and names no app): the cycle's year report, its deadlines (plans, steering committees,
self-inspection, the inspected units' reports) as topics of a dispatch of several topics, and the whole cycle as
one topic. Figures come from democracy_regs.selectors.cycle_summary (the same x/y and missing lists as the
cycle's statistics page, the steering committee counted when complete), read once a draft for the end of its
date, with every missing organisation."""

from django.contrib.contenttypes.models import ContentType

from dukportal.documents import sources
from dukportal.documents.sections import Draft, Overview, Report, Wording, is_far
from dukportal.documents.text import BASES, HEADING_PREFIX, UNITS, count, report_closing, table_lines, text_date
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from organizations import history

from . import obligations
from .models import DemocracyCycle
from .selectors import CycleSummary, MissingEntry, cycle_summary

KIND = "qcdc_report"
QCDC = "Quy chế dân chủ ở cơ sở"
QCDC_MISSING_HEADINGS = {
    obligations.PLAN: "chi, đảng bộ cơ sở chưa gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở",
    obligations.COMMITTEE: "chi, đảng bộ cơ sở chưa kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở",
    obligations.SELF_INSPECTION: "chi, đảng bộ cơ sở chưa gửi báo cáo tự kiểm tra, giám sát",
    obligations.INSPECTION_VISIT: "đơn vị được kiểm tra trực tiếp chưa gửi báo cáo tự kiểm tra",
}


def _statistics(cycle: DemocracyCycle, draft: Draft) -> CycleSummary:
    return draft.memo(("qcdc", cycle.pk), lambda: cycle_summary(cycle, on=draft.as_of, missing=None))


def _cycle_plan(cycle: DemocracyCycle) -> str:
    return (
        f"Thực hiện Kế hoạch số {cycle.bloc_plan_number}, ngày {text_date(cycle.bloc_plan_date)} của Ban Thường vụ "
        f"Đảng ủy Khối về thực hiện {QCDC} năm {cycle.year}"
    )


def _qcdc_missing_table(missing: list[MissingEntry]) -> list[str]:
    rows = [["STT", "Tổ chức cơ sở đảng", "Điện thoại", "Tình trạng"]]
    rows += [[str(i), entry.name, entry.phone or "", entry.label] for i, entry in enumerate(missing, start=1)]
    return table_lines(rows)


def _received(item) -> str:
    """The tail of an "x/y … received" sentence: "02 đã được tiếp nhận, 01 bị trả lại để hoàn thiện"."""
    parts = [f"{count(item.accepted)} đã được tiếp nhận"]
    if item.returned:
        parts.append(f"{count(item.returned)} bị trả lại để hoàn thiện")
    return ", ".join(parts)


def year_report(cycle: DemocracyCycle, draft: Draft) -> Report:
    """Báo cáo for a QCDC cycle: plans received, steering committees complete, self-inspection and inspected
    units' reports, bright spots by kind, and the organisations still missing per item."""
    as_of = draft.as_of
    stats = _statistics(cycle, draft)
    year = cycle.year
    h = HEADING_PREFIX
    body = [
        f"{draft.cite(cycle) or _cycle_plan(cycle)}, {draft.actor} báo cáo kết quả thực hiện "
        f"năm {year} (số liệu tính đến ngày {text_date(as_of)}) như sau:",
        f"{h}I- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
    ]
    plans, committees = stats.plans, stats.committees
    if plans:
        body.append(
            f"1. Xây dựng kế hoạch: có {plans.ratio_label} chi, đảng bộ cơ sở gửi kế hoạch thực hiện {QCDC} năm "
            f"{year} về Đảng ủy Khối, trong đó {_received(plans)}."
        )
    if committees:
        body.append(
            f"2. Kiện toàn Ban chỉ đạo: có {committees.ratio_label} chi, đảng bộ cơ sở đã kiện toàn Ban chỉ đạo "
            f"thực hiện {QCDC} (có trưởng ban và ít nhất {count(cycle.committee_min_members)} thành viên, tính đến "
            f"ngày {text_date(stats.reference_date)})."
        )
    body.append(f"{h}II- KẾT QUẢ TỰ KIỂM TRA, GIÁM SÁT")
    reports, visits = stats.self_inspections, stats.inspection_visits
    if reports:
        body.append(
            f"1. Có {reports.ratio_label} chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra, giám sát việc thực hiện "
            f"{QCDC} năm {year}, trong đó {_received(reports)}."
        )
    if visits:
        period = ""
        if cycle.review_start and cycle.review_end:
            period = f" (kỳ rà soát từ ngày {text_date(cycle.review_start)} đến ngày {text_date(cycle.review_end)})"
        body.append(
            f"2. Đảng ủy Khối kiểm tra trực tiếp {count(visits.expected)} đơn vị; đã có {visits.ratio_label} đơn vị "
            f"gửi báo cáo tự kiểm tra{period}."
        )
    spots = stats.bright_spots
    sent, accepted = sum(row[2] for row in spots), sum(row[3] for row in spots)
    body.append(
        f"{'3' if visits else '2'}. Điểm sáng trong thực hiện {QCDC}: các chi, đảng bộ cơ sở đã gửi "
        f"{count(sent)} điểm sáng, trong đó {count(accepted)} điểm sáng đã được tiếp nhận."
    )
    rows = [["Loại điểm sáng", "Đã gửi", "Đã tiếp nhận"]]
    rows += [[label, str(n_sent), str(n_accepted)] for _, label, n_sent, n_accepted in spots]
    rows.append(["Cộng", str(sent), str(accepted)])
    body.extend(table_lines(rows))

    body.append(f"{h}III- CÁC CHI, ĐẢNG BỘ CƠ SỞ CHƯA HOÀN THÀNH")
    for number, item in enumerate(stats.items, start=1):
        what = QCDC_MISSING_HEADINGS[item.kind]
        if not item.missing:
            body.append(f"{number}. Không còn {what}.")
            continue
        body.append(f"{number}. Còn {count(item.missing_count)} {what}:")
        body.extend(_qcdc_missing_table(item.missing))
    body += report_closing(year, f"Tiếp tục lãnh đạo, chỉ đạo thực hiện tốt {QCDC} năm {year + 1}; …")
    return Report(
        subject=f"kết quả thực hiện {QCDC} năm {year}",
        body=body,
        distribution_extra=("- Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở Đảng ủy Khối,",),
    )


# --- the cycle's deadlines as topics of a dispatch or report of several topics -----------------------------------


def _plan_sentence(cycle: DemocracyCycle) -> str:
    return f"Kế hoạch số {cycle.bloc_plan_number}, ngày {text_date(cycle.bloc_plan_date)}"


def _implementing(deadline: Deadline, draft: Draft) -> str:
    """A QCDC section's "Thực hiện …" clause: the references recorded for the deadline (or its cycle's) as of
    the draft's date, as 1720-CV/ĐUK cites 171-KH/BDVTU; else the plan typed on the cycle."""
    cycle = deadline.source
    return (
        draft.cite(deadline)
        or f"Thực hiện {_plan_sentence(cycle)} của Ban Thường vụ Đảng ủy Khối về thực hiện {QCDC} năm {cycle.year}"
    )


def _missing_cycle_rows(wording: Wording, item, draft: Draft) -> None:
    """A QCDC item's missing organisations with why (not sent, returned, committee incomplete); those dissolved
    or merged since count in y but are not chased."""
    rows = [entry for entry in item.missing if entry.active]
    if rows:
        wording.missing_count = len(rows)
        wording.missing += [
            f"Còn {count(len(rows))} {QCDC_MISSING_HEADINGS[item.kind]}, gồm:",
            *_qcdc_missing_table(rows),
        ]


def plan_wording(deadline: Deadline, draft: Draft, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc xây dựng và thực hiện {QCDC} năm {year}",
        background=[
            f"Ngày {text_date(cycle.bloc_plan_date)}, Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số "
            f"{cycle.bloc_plan_number} về thực hiện {QCDC} năm {year}, trong đó yêu cầu các {BASES} xây dựng kế "
            f"hoạch thực hiện {QCDC} năm {year}, gửi {draft.via()} trước ngày {due}."
        ],
        ask=f"xây dựng kế hoạch thực hiện {QCDC} năm {year} và gửi kế hoạch",
    )
    if close:
        item = _statistics(cycle, draft).plans
        returned = f", trong đó {count(item.returned)} kế hoạch bị trả lại để hoàn thiện" if item.returned else ""
        wording.figures.append(
            f"Tính đến ngày {text_date(draft.as_of)} đã có {item.ratio_label} {BASES} xây dựng kế hoạch thực hiện "
            f"{QCDC} năm {year}{returned}."
        )
        _missing_cycle_rows(wording, item, draft)
    return wording


def committee_wording(deadline: Deadline, draft: Draft, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc kiện toàn Ban chỉ đạo thực hiện {QCDC} năm {year}",
        background=[
            f"{_implementing(deadline, draft)}, các {BASES} kiện toàn Ban chỉ đạo thực hiện {QCDC} (có trưởng "
            "ban và ít nhất "
            f"{count(cycle.committee_min_members)} thành viên), phân công cán bộ phụ trách phù hợp với điều kiện thực "
            f"tế của từng cơ quan, doanh nghiệp, gửi quyết định kiện toàn {draft.via()} trước ngày {due}."
        ],
        ask=f"kiện toàn Ban chỉ đạo thực hiện {QCDC} và gửi quyết định kiện toàn",
    )
    if close:
        item = _statistics(cycle, draft).committees
        wording.figures.append(
            f"Tính đến ngày {text_date(draft.as_of)} đã có {item.ratio_label} {BASES} kiện toàn Ban chỉ đạo thực hiện "
            f"{QCDC} theo yêu cầu."
        )
        _missing_cycle_rows(wording, item, draft)
    return wording


def self_inspection_wording(deadline: Deadline, draft: Draft, close: bool) -> Wording:
    cycle = deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    destination = "Ban Chỉ đạo Đảng ủy Khối"
    wording = Wording(
        title=f"Về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm {year}",
        background=[
            f"{_implementing(deadline, draft)}, {draft.requester} đề nghị các {BASES} tham gia với thủ trưởng cơ "
            "quan, đơn vị xây dựng kế hoạch và tiến hành tự kiểm tra, giám sát thuộc phạm vi, chức năng quản lý; xây dựng báo cáo tự kiểm tra, giám sát "
            f"gửi {draft.via(destination)} trước ngày {due} để tổng hợp, báo cáo theo quy định."
        ],
        ask="hoàn thành việc tự kiểm tra, giám sát và gửi báo cáo",
        destination=destination,
    )
    if close:
        item = _statistics(cycle, draft).self_inspections
        nil = f", trong đó {count(item.nil_returns)} {BASES} báo cáo không phát sinh" if item.nil_returns else ""
        wording.figures.append(
            f"Tính đến ngày {text_date(draft.as_of)} đã có {item.ratio_label} {BASES} gửi báo cáo tự kiểm tra, giám "
            f"sát việc thực hiện dân chủ ở cơ sở năm {year}{nil}."
        )
        _missing_cycle_rows(wording, item, draft)
    # The units chosen for a direct visit owe their report earlier: said here, unless their deadline is a
    # topic of its own in this draft.
    visit = visit_deadline(cycle)
    if visit is not None and visit.pk not in draft.deadline_ids:
        units = inspection_visit_wording(visit, draft, not is_far(visit, draft.as_of), cycle=cycle)
        wording.extra += units.background + units.figures + units.missing
    return wording


def visit_deadline(cycle: DemocracyCycle) -> Deadline | None:
    return Deadline.objects.filter(
        kind=obligations.INSPECTION_VISIT,
        source_type=ContentType.objects.get_for_model(DemocracyCycle),
        source_id=cycle.pk,
    ).first()


def inspection_visit_wording(deadline: Deadline, draft: Draft, close: bool, *, cycle=None) -> Wording:
    """The units chosen for a direct inspection visit: named, with their own deadline and the review period
    their report covers (DemocracyCycle.review_start … review_end)."""
    cycle = cycle or deadline.source
    year, due = cycle.year, text_date(deadline.due_date)
    destination = "Ban Chỉ đạo Đảng ủy Khối"
    units = [
        org.name_on_date
        for org in history.with_name_on(deadlines.expected_organizations(deadline, draft.as_of), draft.as_of).order_by(
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
            f"đồng thời xây dựng báo cáo tự kiểm tra gửi {draft.via(destination)} trước ngày {due}."
        ],
        ask="gửi báo cáo tự kiểm tra",
        who=f"{UNITS} được kiểm tra trực tiếp",
        destination=destination,
        addressees=units,
    )
    if close:
        item = _statistics(cycle, draft).inspection_visits
        wording.figures.append(
            f"Tính đến ngày {text_date(draft.as_of)} đã có {item.ratio_label} {UNITS} gửi báo cáo tự kiểm tra."
        )
        missing = [entry for entry in item.missing if entry.active]
        if missing:
            wording.missing_count = len(missing)
            names = "; ".join(entry.name for entry in missing)
            wording.missing.append(f"Còn {count(len(missing))} {UNITS} chưa gửi báo cáo: {names}.")
    return wording


def cycle_overview(cycle: DemocracyCycle, draft: Draft) -> Overview:
    year = cycle.year
    return Overview(
        title=f"Về việc thực hiện {QCDC} năm {year}",
        opening=f"Ban Thường vụ Đảng ủy Khối đã ban hành {_plan_sentence(cycle)} về thực hiện {QCDC} năm {year}. "
        "Kết quả thực hiện như sau:",
        deadlines=list(
            Deadline.objects.filter(source_type=ContentType.objects.get_for_model(DemocracyCycle), source_id=cycle.pk)
        ),
        request=f"{draft.requester} đề nghị các {BASES} thực hiện đầy đủ các nội dung trên theo kế hoạch.",
    )


def register() -> None:
    sources.register(
        sources.DocumentSource(
            kind=KIND,
            label="Báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm",
            model=DemocracyCycle,
            field="cycle",
            field_label="Đợt thực hiện Quy chế dân chủ ở cơ sở",
            help_text="Cho báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm.",
            missing="Chọn đợt thực hiện Quy chế dân chủ ở cơ sở.",
            choices=lambda: DemocracyCycle.objects.order_by("-year"),
            report=year_report,
            order=20,
            reference_label="Trích dẫn cho đợt thực hiện Quy chế dân chủ ở cơ sở",
            topic_kind="cycle",
            topic_sources=lambda on: DemocracyCycle.objects.order_by("-year").filter(year__in=(on.year, on.year - 1)),
            topic_label=lambda cycle: f"Toàn bộ {cycle}",
            topic_detail=lambda cycle: f"năm {cycle.year}",
            overview=cycle_overview,
            wordings={
                obligations.PLAN: plan_wording,
                obligations.COMMITTEE: committee_wording,
                obligations.SELF_INSPECTION: self_inspection_wording,
                obligations.INSPECTION_VISIT: inspection_visit_wording,
            },
        )
    )

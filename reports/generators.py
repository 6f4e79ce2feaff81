"""Draft text of generated documents, written from the data as they stood at the end of the draft's reference
date (`as_of`): the same date gives the same text whenever it is drafted. The output is the editable `content` of a
Document (subject, recipients, body markup, signer, distribution); staff rewrite the prose, the figures are the
portal's own.

Figures for a “Dân vận khéo” registration deadline come from models_danvan.selectors.campaign_statistics
(only its counts and `missing` list are used); other deadlines use the shared deadline standings. The QCDC
cycle report reads democracy_regs.selectors.cycle_statistics (the same x/y and missing lists as the cycle's
statistics page)."""

from datetime import date

from democracy_regs import obligations as qcdc_obligations
from democracy_regs.models import DemocracyCycle
from democracy_regs.selectors import cycle_statistics
from dukportal.submissions import deadlines
from dukportal.submissions.models import Audience
from models_danvan import obligations as danvan_obligations
from models_danvan.models import Campaign
from models_danvan.selectors import campaign_statistics

from . import selectors
from .document import HEADING_PREFIX, table_lines, text_date
from .models import DocType, IssuerKind, IssuingBody, TopicKind
from .references import citation_for
from .selectors import Header


def count(n: int) -> str:
    """Counts in Party prose: 1-9 written with a leading zero ("02 mô hình"), thousands grouped with dots as
    Vietnamese writes them ("4.694 đảng viên")."""
    return f"{n:02d}" if 0 < n < 10 else f"{n:,}".replace(",", ".")


def _signer(header: Header) -> dict:
    return {
        "signer_authority": header.signer_authority,
        "signer_title": header.signer_title,
        "signer_name": header.signer_name,
    }


def _opening(source, as_of: date, fallback: str) -> str:
    """The "Thực hiện …" clause a section opens with: the references recorded for its source
    (reports.references), or the plan fields of the campaign or cycle when none is recorded."""
    return citation_for(source, on=as_of) or fallback


def _campaign_plan(campaign: Campaign) -> str:
    return (
        f"Thực hiện Kế hoạch số {campaign.plan_number}, ngày {text_date(campaign.plan_date)} của Ban Thường vụ "
        f"Đảng ủy Khối về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm {campaign.year}"
    )


def _cycle_plan(cycle: DemocracyCycle) -> str:
    return (
        f"Thực hiện Kế hoạch số {cycle.bloc_plan_number}, ngày {text_date(cycle.bloc_plan_date)} của Ban Thường vụ "
        f"Đảng ủy Khối về thực hiện {QCDC} năm {cycle.year}"
    )


def _actor_name(issuing_body: IssuingBody, header: Header) -> str:
    return "Ban Thường vụ Đảng ủy Khối" if issuing_body.kind == IssuerKind.COMMITTEE else header.issuer_name


def _contact_line(issuing_body: IssuingBody, header: Header) -> str:
    if not issuing_body.contact_name:
        return (
            "Trong quá trình triển khai, nếu có vướng mắc đề nghị liên hệ trực tiếp với "
            f"{header.propaganda_department_name} Đảng ủy Khối để được hướng dẫn thực hiện."
        )
    who = f"đồng chí {issuing_body.contact_name}"
    if issuing_body.contact_title:
        who += f" - {issuing_body.contact_title}"
    if issuing_body.contact_phone:
        who += f" (Số điện thoại {issuing_body.contact_phone})"
    return (
        f"Trong quá trình triển khai, nếu có vướng mắc đề nghị liên hệ trực tiếp với {who} để được hướng dẫn thực hiện."
    )


def _missing_table(organizations) -> list[str]:
    rows = [["STT", "Tổ chức cơ sở đảng", "Bí thư", "Điện thoại"]]
    rows += [
        [str(i), getattr(org, "name_on_date", org.name), org.secretary_name or "", org.phone or ""]
        for i, org in enumerate(organizations, start=1)
    ]
    return table_lines(rows)


def reminder_content(deadline, issuing_body: IssuingBody, as_of: date) -> dict:
    """Công văn đôn đốc for one deadline: who has sent, who is still missing, whom to call, at the end of
    `as_of` (the same date gives the same text, whenever it is drafted)."""
    header = selectors.header_for(issuing_body, as_of)
    label = deadline.title
    subject = f"V/v đôn đốc thực hiện {label[:1].lower()}{label[1:]}"
    from . import topics  # it builds on this module

    if deadline.audience == Audience.CHOSEN or topics.is_far(deadline, as_of):
        # Owed by chosen units only (addressed to them, naming the review period of an inspection visit), or
        # not close yet (what is asked and by when, nobody listed as missing): the dispatch's one section.
        content = topics.compose_content(
            [topics.TopicSpec(TopicKind.DEADLINE, deadline)], issuing_body, DocType.CV, as_of
        )
        return {**content, "subject": subject}
    body: list[str] = []
    if deadline.kind == danvan_obligations.REGISTRATION:
        campaign = Campaign.objects.get(pk=deadline.source_id)
        stats = campaign_statistics(campaign, on=as_of)
        year = campaign.year
        subject = f"V/v đôn đốc đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm {year}"
        body.append(
            f"{_opening(deadline, as_of, _campaign_plan(campaign))}, "
            "Đảng ủy Khối đã hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn thể khối đăng ký xây dựng mô hình, "
            f"điển hình “Dân vận khéo” năm {year} (hạn gửi đăng ký ngày {text_date(deadline.due_date)})."
        )
        body.append(
            f"Tính đến ngày {text_date(as_of)} đã có {stats.registered}/{stats.expected} chi, đảng bộ cơ sở gửi "
            f"đăng ký mô hình “Dân vận khéo” năm {year}, với {count(stats.total)} mô hình đăng ký, trong đó có "
            f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
            f"{count(stats.base_continued)} mô hình tiếp tục thực hiện từ năm {year - 1} và {count(stats.base_new)} mô hình "
            f"đăng ký mới năm {year}."
        )
        # Whom to chase: the shared deadline layer (owing and still active on the date: an organisation
        # dissolved or merged since is counted in y but not chased).
        missing = deadlines.deadline_figures(deadline, as_of).to_chase
        what = f"đăng ký xây dựng mô hình “Dân vận khéo” năm {year}"
    else:
        figures = deadlines.deadline_figures(deadline, as_of)
        expected, missing, sent = figures.organizations, figures.to_chase, figures.sent
        what = label[:1].lower() + label[1:]
        body.append(
            f"{_opening(deadline, as_of, 'Theo kế hoạch')}, các chi, đảng bộ cơ sở gửi {what} về Đảng ủy Khối (qua "
            f"{header.propaganda_department_name}) trước ngày {text_date(deadline.due_date)}."
        )
        body.append(f"Tính đến ngày {text_date(as_of)} đã có {sent}/{len(expected)} chi, đảng bộ cơ sở gửi {what}.")
    if missing:
        body.append(f"Còn {count(len(missing))} chi, đảng bộ cơ sở chưa gửi, gồm:")
        body.extend(_missing_table(missing))
    body.append(
        f"Để bảo đảm tiến độ tổng hợp, báo cáo theo quy định, {_actor_name(issuing_body, header)} đề nghị các chi, đảng bộ "
        f"cơ sở chưa thực hiện khẩn trương hoàn thành việc {what}, gửi về Đảng ủy Khối (qua "
        f"{header.propaganda_department_name}) để tổng hợp, báo cáo."
    )
    body.append(_contact_line(issuing_body, header))
    body.append(
        f"{_actor_name(issuing_body, header)} yêu cầu cấp ủy các chi, đảng bộ cơ sở nghiêm túc triển khai thực hiện."
    )
    return {
        "subject": subject,
        "recipients": ["Các chi, đảng bộ cơ sở trực thuộc."],
        "body": "\n".join(body),
        **_signer(header),
        "distribution": ["- Như trên,", "- Thường trực Đảng ủy Khối (b/c),", f"- {issuing_body.archive_line}"],
    }


def danvan_report_content(campaign: Campaign, issuing_body: IssuingBody, as_of: date) -> dict:
    """Báo cáo for a campaign year: models by field and level, new vs continued, evaluation results, commended
    and outstanding models and exemplars."""
    header = selectors.header_for(issuing_body, as_of)
    stats = campaign_statistics(campaign, on=as_of)
    figures = selectors.danvan_year_figures(campaign, as_of)
    year = campaign.year
    h = HEADING_PREFIX
    body = [
        f"{_opening(campaign, as_of, _campaign_plan(campaign))}, "
        f"{_actor_name(issuing_body, header)} báo cáo kết quả thực hiện năm {year} (số liệu tính đến ngày "
        f"{text_date(as_of)}) như sau:",
        f"{h}I- KẾT QUẢ ĐĂNG KÝ XÂY DỰNG MÔ HÌNH, ĐIỂN HÌNH",
        f"Năm {year} có {stats.registered}/{stats.expected} chi, đảng bộ cơ sở đăng ký với {count(stats.total)} "
        f"mô hình, điển hình, trong đó {count(stats.models)} mô hình và {count(stats.exemplars)} điển hình; "
        f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
        f"trong số mô hình cấp cơ sở có {count(stats.base_continued)} mô hình tiếp tục thực hiện và "
        f"{count(stats.base_new)} mô hình đăng ký mới.",
        "Kết quả theo lĩnh vực và cấp:",
        *table_lines(figures.by_category_rows),
        f"{h}II- KẾT QUẢ ĐÁNH GIÁ",
        f"Có {count(figures.evaluated)} mô hình, điển hình được Đảng ủy Khối đánh giá tổng kết năm {year}; "
        f"{count(figures.not_evaluated)} mô hình, điển hình chưa có kết quả đánh giá.",
        *table_lines(figures.rating_rows),
        f"{h}III- MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU",
        f"Có {count(stats.commended)} mô hình, điển hình được đề nghị khen thưởng và {count(stats.replicated)} "
        "mô hình được nhân rộng.",
    ]
    if len(figures.outstanding_rows) > 1:
        body.extend(table_lines(figures.outstanding_rows))
    body += _report_closing(year, f"Tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo” năm {year + 1}; …")
    return {
        "subject": f"kết quả thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
        "recipients": [],
        "body": "\n".join(body),
        **_signer(header),
        "distribution": _report_distribution(issuing_body),
    }


def _report_closing(year: int, first_task: str) -> list[str]:
    """The closing sections IV and V of a year report: assessment and next year's tasks, prose left to staff."""
    h = HEADING_PREFIX
    return [
        f"{h}IV- ĐÁNH GIÁ CHUNG",
        "Ưu điểm: …",
        "Hạn chế, nguyên nhân: …",
        f"{h}V- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}",
        first_task,
    ]


def _report_distribution(issuing_body: IssuingBody, *extra: str) -> list[str]:
    return [
        "- Ban Dân vận Tỉnh ủy (b/c),",
        "- Thường trực Đảng ủy Khối,",
        *extra,
        "- Các chi, đảng bộ cơ sở,",
        f"- {issuing_body.archive_line}",
    ]


QCDC = "Quy chế dân chủ ở cơ sở"
QCDC_MISSING_HEADINGS = {
    qcdc_obligations.PLAN: "chi, đảng bộ cơ sở chưa gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở",
    qcdc_obligations.COMMITTEE: "chi, đảng bộ cơ sở chưa kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở",
    qcdc_obligations.SELF_INSPECTION: "chi, đảng bộ cơ sở chưa gửi báo cáo tự kiểm tra, giám sát",
    qcdc_obligations.INSPECTION_VISIT: "đơn vị được kiểm tra trực tiếp chưa gửi báo cáo tự kiểm tra",
}


def _qcdc_missing_table(missing) -> list[str]:
    rows = [["STT", "Tổ chức cơ sở đảng", "Điện thoại", "Tình trạng"]]
    rows += [
        [
            str(i),
            getattr(row.organization, "name_on_date", row.organization.name),
            row.organization.phone or "",
            row.reason or row.standing.label,
        ]
        for i, row in enumerate(missing, start=1)
    ]
    return table_lines(rows)


def _received(item) -> str:
    """The tail of an "x/y … received" sentence: "02 đã được tiếp nhận, 01 bị trả lại để hoàn thiện"."""
    parts = [f"{count(item.accepted)} đã được tiếp nhận"]
    if item.returned:
        parts.append(f"{count(item.returned)} bị trả lại để hoàn thiện")
    return ", ".join(parts)


def qcdc_report_content(cycle: DemocracyCycle, issuing_body: IssuingBody, as_of: date) -> dict:
    """Báo cáo for a QCDC cycle: plans received, steering committees complete, self-inspection and inspected
    units' reports, bright spots by kind, and the organisations still missing per item."""
    header = selectors.header_for(issuing_body, as_of)
    stats = cycle_statistics(cycle, on=as_of)
    year = cycle.year
    h = HEADING_PREFIX
    body = [
        f"{_opening(cycle, as_of, _cycle_plan(cycle))}, {_actor_name(issuing_body, header)} báo cáo kết quả thực hiện "
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
        body.append(f"{number}. Còn {count(len(item.missing))} {what}:")
        body.extend(_qcdc_missing_table(item.missing))
    body += _report_closing(year, f"Tiếp tục lãnh đạo, chỉ đạo thực hiện tốt {QCDC} năm {year + 1}; …")
    return {
        "subject": f"kết quả thực hiện {QCDC} năm {year}",
        "recipients": [],
        "body": "\n".join(body),
        **_signer(header),
        "distribution": _report_distribution(
            issuing_body, "- Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở Đảng ủy Khối,"
        ),
    }


def blank_content(issuing_body: IssuingBody, doc_type: str, as_of: date) -> dict:
    header = selectors.header_for(issuing_body, as_of)
    return {
        "subject": "V/v …" if doc_type == DocType.CV else "về …",
        "recipients": ["Các chi, đảng bộ cơ sở trực thuộc."] if doc_type == DocType.CV else [],
        "body": "…",
        **_signer(header),
        "distribution": ["- Như trên,", f"- {issuing_body.archive_line}"],
    }

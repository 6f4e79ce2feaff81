"""Draft text of generated documents, written from live data. The output is the editable `content` of a
Document (subject, recipients, body markup, signer, distribution); staff rewrite the prose, the figures are the
portal's own.

Figures for a “Dân vận khéo” registration deadline come from models_danvan.selectors.campaign_statistics
(only its counts and `missing` list are used); other deadlines use the shared deadline standings."""

from datetime import date

from dukportal.submissions import deadlines
from models_danvan import obligations as danvan_obligations
from models_danvan.models import Campaign
from models_danvan.selectors import campaign_statistics

from . import selectors
from .document import HEADING_PREFIX, table_lines
from .models import DocType, IssuerKind, IssuingBody


def count(n: int) -> str:
    """Counts in Party prose: 1-9 written with a leading zero ("02 mô hình")."""
    return f"{n:02d}" if 0 < n < 10 else str(n)


def short_date(day: date) -> str:
    """Dates inside running text: "15/5/2024" (no zero padding)."""
    return f"{day.day}/{day.month}/{day.year}"


def _signer(issuing_body: IssuingBody) -> dict:
    return {
        "signer_authority": issuing_body.signer_authority,
        "signer_title": issuing_body.signer_title,
        "signer_name": issuing_body.signer_name,
    }


def _actor_name(issuing_body: IssuingBody) -> str:
    return "Ban Thường vụ Đảng ủy Khối" if issuing_body.kind == IssuerKind.COMMITTEE else issuing_body.name


def _contact_line(issuing_body: IssuingBody) -> str:
    if not issuing_body.contact_name:
        return (
            "Trong quá trình triển khai, nếu có vướng mắc đề nghị liên hệ trực tiếp với "
            f"{issuing_body.bloc.propaganda_department_name} Đảng ủy Khối để được hướng dẫn thực hiện."
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
        [str(i), org.name, org.secretary_name or "", org.phone or ""] for i, org in enumerate(organizations, start=1)
    ]
    return table_lines(rows)


def reminder_content(deadline, issuing_body: IssuingBody, as_of: date) -> dict:
    """Công văn đôn đốc for one deadline: who has sent, who is still missing, whom to call."""
    label = deadline.title
    subject = f"V/v đôn đốc thực hiện {label[:1].lower()}{label[1:]}"
    body: list[str] = []
    if deadline.kind == danvan_obligations.REGISTRATION:
        campaign = Campaign.objects.get(pk=deadline.source_id)
        stats = campaign_statistics(campaign)
        year = campaign.year
        subject = f"V/v đôn đốc đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm {year}"
        body.append(
            f"Thực hiện Kế hoạch số {campaign.plan_number}, ngày {short_date(campaign.plan_date)} của Ban Thường vụ "
            f"Đảng ủy Khối về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm {year}, "
            "Đảng ủy Khối đã hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn thể khối đăng ký xây dựng mô hình, "
            f"điển hình “Dân vận khéo” năm {year} (hạn gửi đăng ký ngày {short_date(deadline.due_date)})."
        )
        body.append(
            f"Tính đến ngày {short_date(as_of)} đã có {stats.registered}/{stats.expected} chi, đảng bộ cơ sở gửi "
            f"đăng ký mô hình “Dân vận khéo” năm {year}, với {count(stats.total)} mô hình đăng ký, trong đó có "
            f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
            f"{count(stats.base_continued)} mô hình tiếp tục thực hiện từ năm {year - 1} và {count(stats.base_new)} mô hình "
            f"đăng ký mới năm {year}."
        )
        missing = stats.missing
        what = f"đăng ký xây dựng mô hình “Dân vận khéo” năm {year}"
    else:
        expected = list(deadlines.expected_organizations(deadline).order_by("sort_key"))
        cells = deadlines.deadline_cells(deadline, [org.pk for org in expected], today=as_of)
        missing = [org for org in expected if cells[org.pk].owes]
        sent = len(expected) - len(missing)
        what = label[:1].lower() + label[1:]
        body.append(
            f"Theo kế hoạch, các chi, đảng bộ cơ sở gửi {what} về Đảng ủy Khối (qua "
            f"{issuing_body.bloc.propaganda_department_name}) trước ngày {short_date(deadline.due_date)}."
        )
        body.append(f"Tính đến ngày {short_date(as_of)} đã có {sent}/{len(expected)} chi, đảng bộ cơ sở gửi {what}.")
    if missing:
        body.append(f"Còn {count(len(missing))} chi, đảng bộ cơ sở chưa gửi, gồm:")
        body.extend(_missing_table(missing))
    body.append(
        f"Để bảo đảm tiến độ tổng hợp, báo cáo theo quy định, {_actor_name(issuing_body)} đề nghị các chi, đảng bộ "
        f"cơ sở chưa thực hiện khẩn trương hoàn thành việc {what}, gửi về Đảng ủy Khối (qua "
        f"{issuing_body.bloc.propaganda_department_name}) để tổng hợp, báo cáo."
    )
    body.append(_contact_line(issuing_body))
    body.append(f"{_actor_name(issuing_body)} yêu cầu cấp ủy các chi, đảng bộ cơ sở nghiêm túc triển khai thực hiện.")
    return {
        "subject": subject,
        "recipients": ["Các chi, đảng bộ cơ sở trực thuộc."],
        "body": "\n".join(body),
        **_signer(issuing_body),
        "distribution": ["- Như trên,", "- Thường trực Đảng ủy Khối (b/c),", f"- {issuing_body.archive_line}"],
    }


def danvan_report_content(campaign: Campaign, issuing_body: IssuingBody, as_of: date) -> dict:
    """Báo cáo for a campaign year: models by field and level, new vs continued, evaluation results, commended
    and outstanding models and exemplars."""
    stats = campaign_statistics(campaign)
    figures = selectors.danvan_year_figures(campaign)
    year = campaign.year
    h = HEADING_PREFIX
    body = [
        f"Thực hiện Kế hoạch số {campaign.plan_number}, ngày {short_date(campaign.plan_date)} của Ban Thường vụ "
        f"Đảng ủy Khối về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm {year}, "
        f"{_actor_name(issuing_body)} báo cáo kết quả thực hiện năm {year} (số liệu tính đến ngày "
        f"{short_date(as_of)}) như sau:",
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
    body += [
        f"{h}IV- ĐÁNH GIÁ CHUNG",
        "Ưu điểm: …",
        "Hạn chế, nguyên nhân: …",
        f"{h}V- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}",
        f"Tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo” năm {year + 1}; …",
    ]
    return {
        "subject": f"kết quả thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
        "recipients": [],
        "body": "\n".join(body),
        **_signer(issuing_body),
        "distribution": [
            "- Ban Dân vận Tỉnh ủy (b/c),",
            "- Thường trực Đảng ủy Khối,",
            "- Các chi, đảng bộ cơ sở,",
            f"- {issuing_body.archive_line}",
        ],
    }


def blank_content(issuing_body: IssuingBody, doc_type: str) -> dict:
    return {
        "subject": "V/v …" if doc_type == DocType.CV else "về …",
        "recipients": ["Các chi, đảng bộ cơ sở trực thuộc."] if doc_type == DocType.CV else [],
        "body": "…",
        **_signer(issuing_body),
        "distribution": ["- Như trên,", f"- {issuing_body.archive_line}"],
    }

"""Draft text of generated documents, written from the data as they stood at the end of the draft's reference
date (`as_of`): the same date gives the same text whenever it is drafted. The output is the editable `content` of a
Document (subject, recipients, body markup, signer, distribution); staff rewrite the prose, the figures are the
portal's own.

What is kind-specific comes from dukportal.documents.sources, where each feature app registers what a document can
be drafted from: the year report of a source (`report_content`) and a reminder's wording for its obligation kinds;
reports adds the header, the signer and the distribution and names no feature app. Any other deadline's reminder
uses the shared deadline standings."""

from datetime import date

from dukportal.documents import sources
from dukportal.documents.sections import Draft
from dukportal.documents.text import count, missing_table, text_date
from dukportal.submissions import deadlines
from dukportal.submissions.models import Audience

from . import selectors
from .models import DocType, IssuerKind, IssuingBody, TopicKind
from .references import citation_for
from .selectors import Header

__all__ = ["count", "draft_for", "reminder_content", "report_content", "blank_content"]


def _signer(header: Header) -> dict:
    return {
        "signer_authority": header.signer_authority,
        "signer_title": header.signer_title,
        "signer_name": header.signer_name,
    }


def draft_for(issuing_body: IssuingBody, header: Header, as_of: date, *, doc_type: str = "", deadline_ids=()) -> Draft:
    """What the feature apps' writers are told about a draft: its date, who writes and asks, where units send,
    and how to cite a source (the references recorded for it by that date, reports.references)."""
    committee = issuing_body.kind == IssuerKind.COMMITTEE
    return Draft(
        as_of=as_of,
        actor=_actor_name(issuing_body, header),
        requester="Đảng ủy Khối" if committee else header.issuer_name,
        department=header.propaganda_department_name,
        is_dispatch=doc_type == DocType.CV,
        cite=lambda source: citation_for(source, on=as_of),
        deadline_ids=set(deadline_ids),
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


_missing_table = missing_table


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
    kind_wording = sources.reminder(deadline.kind)
    if kind_wording is not None:  # the kind's own sentences (the campaign's models, by level)
        wording = kind_wording(deadline, draft_for(issuing_body, header, as_of, doc_type=DocType.CV))
        subject, what = wording.subject, wording.what
        body += wording.lines
        # Whom to chase: the shared deadline layer (owing and still active on the date: an organisation
        # dissolved or merged since is counted in y but not chased).
        missing = deadlines.deadline_figures(deadline, as_of).to_chase
    else:
        figures = deadlines.deadline_figures(deadline, as_of)
        expected, missing, sent = figures.organizations, figures.to_chase, figures.sent
        what = label[:1].lower() + label[1:]
        body.append(
            f"{citation_for(deadline, on=as_of) or 'Theo kế hoạch'}, các chi, đảng bộ cơ sở gửi {what} về Đảng ủy Khối (qua "
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


def report_content(source, issuing_body: IssuingBody, as_of: date) -> dict:
    """Báo cáo written from one source (a campaign year, a QCDC cycle) by the generator its app registered."""
    entry = next((entry for entry in sources.sources() if isinstance(source, entry.model)), None)
    if entry is None:
        raise LookupError(f"No document source is registered for {type(source).__name__}.")
    header = selectors.header_for(issuing_body, as_of)
    report = entry.report(source, draft_for(issuing_body, header, as_of, doc_type=DocType.BC))
    return {
        "subject": report.subject,
        "recipients": [],
        "body": "\n".join(report.body),
        **_signer(header),
        "distribution": _report_distribution(issuing_body, *report.distribution_extra),
    }


def _report_distribution(issuing_body: IssuingBody, *extra: str) -> list[str]:
    return [
        "- Ban Dân vận Tỉnh ủy (b/c),",
        "- Thường trực Đảng ủy Khối,",
        *extra,
        "- Các chi, đảng bộ cơ sở,",
        f"- {issuing_body.archive_line}",
    ]


def blank_content(issuing_body: IssuingBody, doc_type: str, as_of: date) -> dict:
    header = selectors.header_for(issuing_body, as_of)
    return {
        "subject": "V/v …" if doc_type == DocType.CV else "về …",
        "recipients": ["Các chi, đảng bộ cơ sở trực thuộc."] if doc_type == DocType.CV else [],
        "body": "…",
        **_signer(header),
        "distribution": ["- Như trên,", f"- {issuing_body.archive_line}"],
    }

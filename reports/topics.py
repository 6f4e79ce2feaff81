"""Dispatches and reports of several numbered topics (“Công văn triển khai nhiệm vụ”, as 1720-CV/ĐUK): staff
pick open deadlines, whole sources (a campaign year, a QCDC cycle) and free sections, order them, and get one
draft with an opening, one section per topic ("1. Về việc …"), the contact sentence and a closing.

Every section is written from the data as it stood at the end of the draft's reference date (`as_of`), so
regenerating for the same date gives the same text. What is kind-specific is registered by the feature apps in
dukportal.documents.sources: a deadline's section by its obligation kind (`wordings`; a kind without its own
wording gets the generic one, written from the shared dukportal.submissions.deadlines, so any obligation a
feature app registers can be a topic), and a whole source as one topic (`topic_kind`, `overview`). This module
names no feature app.

A deadline more than FAR_DAYS ahead is not chased: its section states what is asked and by when, without the
"x/y" and without listing every organisation as missing."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from dukportal.documents import sources
from dukportal.documents.sections import FAR_DAYS, Draft, Section, Wording, is_far, missing_organizations
from dukportal.documents.text import BASES, UNITS
from dukportal.submissions import deadlines
from dukportal.submissions.models import Audience, Deadline
from organizations import history

from . import selectors
from .document import HEADING_PREFIX, split_lines, text_date
from .generators import _actor_name, _contact_line, _report_distribution, _signer, draft_for
from .models import IssuingBody, TopicKind

__all__ = ["FAR_DAYS", "Draft", "Section", "TopicSpec", "Wording", "compose_content", "is_far"]

ALL_RECIPIENTS = ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]
# The deadline layer's writer context: every section of one draft shares it.
Context = Draft


def source_model(kind: str):
    """What a topic of `kind` may point at (content type + id on DocumentTopic): a deadline, or the model a
    feature app registered for that topic kind."""
    if kind == TopicKind.DEADLINE:
        return Deadline
    entry = sources.for_topic(kind)
    return entry.model if entry is not None else None


@dataclass(frozen=True)
class TopicSpec:
    """One chosen topic, before or after it is stored as a DocumentTopic row."""

    kind: str
    source: object | None = None
    title: str = ""  # free sections
    text: str = ""  # free sections


# --- any deadline ----------------------------------------------------------------------------------------


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
        missing_organizations(wording, deadline, ctx, f"{who} chưa gửi", figures=figures)
    return wording


def deadline_wording(deadline: Deadline, ctx: Context) -> Wording:
    writer = sources.wording(deadline.kind) or _generic
    return writer(deadline, ctx, not is_far(deadline, ctx.as_of))


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


def source_section(kind: str, source, ctx: Context) -> Section:
    """A whole source (a campaign year, a QCDC cycle) as one topic, from the overview its app registered."""
    overview = sources.for_topic(kind).overview(source, ctx)
    lines = [overview.opening, *_overview_lines(overview.deadlines, ctx)]
    if ctx.is_dispatch:
        lines.append(overview.request)
    return Section(title=overview.title, lines=lines)


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
        model = source_model(spec.kind)
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
    ctx = draft_for(
        issuing_body,
        header,
        as_of,
        doc_type=doc_type,
        deadline_ids={spec.source.pk for spec in specs if spec.kind == TopicKind.DEADLINE},
    )
    sections, drawn = [], []
    for spec in specs:
        if spec.kind == TopicKind.FREE:
            sections.append(free_section(spec))
        else:
            if spec.kind == TopicKind.DEADLINE:
                section = deadline_section(spec.source, ctx)
            else:
                section = source_section(spec.kind, spec.source, ctx)
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

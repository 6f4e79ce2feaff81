"""Writes for official documents: issuing bodies and terms, the register, drafts, issuing, exports."""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dukportal.core import audit, outbox
from dukportal.core.dated import record_dated_change
from dukportal.core.text import normalize_text
from dukportal.documents import sources as document_sources
from organizations import access
from organizations.models import BaseOrganization, Bloc

from . import checks, delivery, generators, recipients, references, selectors, topics
from .document import STRUCTURED_BODY_KEYS, OfficialDocument, body_text, compose, content_size_estimate, split_lines
from .exports import DOCUMENT_FORMATS, DOCUMENT_ISSUE, DOCUMENT_RENDER, may_export
from .models import (
    ISSUING_BODY_DATED_FIELDS,
    DocType,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentTopic,
    ExportJob,
    ExportStatus,
    IssuerKind,
    IssuingBody,
    IssuingBodyProfile,
    NumberCounter,
    Reference,
    ReferenceLink,
    Signer,
    SignerMode,
    SuperiorBody,
    Term,
)
from .render_docx import render_docx
from .render_pdf import render_pdf

EDITABLE_TEXT = ("subject", "body", "signer_authority", "signer_title", "signer_name")
EDITABLE_LISTS = ("recipients", "distribution")


# --- issuing bodies and terms ---------------------------------------------------------------------------------


@transaction.atomic
def issuing_bodies_ensure(*, actor, bloc: Bloc) -> list[IssuingBody]:
    """The bloc committee and its Ban Tuyên giáo as issuing bodies, created once from the bloc's data."""
    access.require_staff(actor)
    defaults = [
        (IssuerKind.COMMITTEE, bloc.name, "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
        (IssuerKind.DEPARTMENT, f"{bloc.propaganda_department_name} {bloc.name}", "", "TRƯỞNG BAN"),
    ]
    bodies = []
    for kind, name, authority, title in defaults:
        body = IssuingBody.objects.filter(bloc=bloc, kind=kind).first()
        if body is None:
            body = IssuingBody(bloc=bloc, kind=kind, name=name, signer_authority=authority, signer_title=title)
            body.full_clean()
            body.save()
            audit.record(actor=actor, action="issuing_body.create", target=body, changes={"name": name})
        bodies.append(body)
    return bodies


@transaction.atomic
def issuing_body_change(*, actor, issuing_body: IssuingBody, effective_on: date, **fields) -> IssuingBodyProfile:
    """Record a change of an issuing body's name, header lines, symbol or default signer from `effective_on`:
    documents dated before keep the old values (issued ones have them frozen; drafts resolve them for their
    date). The first change also records the values in force before it; changes are recorded in order."""
    access.require_staff(actor)
    unknown = set(fields) - set(ISSUING_BODY_DATED_FIELDS)
    if unknown:
        raise ValidationError(
            "Trường không thay đổi theo thời kỳ được: %(names)s", params={"names": ", ".join(unknown)}
        )
    if effective_on is None:
        raise ValidationError({"effective_on": "Nhập ngày áp dụng thay đổi."})
    locked = IssuingBody.objects.select_for_update().get(pk=issuing_body.pk)
    profile, changes = record_dated_change(
        owner=locked,
        fields=ISSUING_BODY_DATED_FIELDS,
        given={name: value or "" for name, value in fields.items()},
        effective_on=effective_on,
        first_from=min(locked.bloc.valid_from, effective_on - timedelta(days=1)),
        new_profile=lambda **values: IssuingBodyProfile(issuing_body=locked, **values),
        too_early="Đã có thay đổi áp dụng từ ngày %(day)s; thay đổi mới phải áp dụng từ sau ngày đó.",
        nothing_changed="Không có thay đổi nào.",
    )
    audit.record(actor=actor, action="issuing_body.change", target=locked, changes=changes)
    return profile


@transaction.atomic
def term_create(*, actor, bloc: Bloc, name: str, start_date: date, end_date: date) -> Term:
    access.require_staff(actor)
    term = Term(bloc=bloc, name=normalize_text(name), start_date=start_date, end_date=end_date)
    term.full_clean()
    term.save()
    audit.record(
        actor=actor, action="term.create", target=term, changes={"start_date": start_date, "end_date": end_date}
    )
    return term


def term_for(bloc: Bloc, day: date) -> Term:
    term = Term.objects.filter(bloc=bloc, start_date__lte=day, end_date__gte=day).first()
    if term is None:
        raise ValidationError(
            "Chưa khai báo nhiệm kỳ chứa ngày %(day)s: thêm nhiệm kỳ trước khi phát hành văn bản.",
            params={"day": f"{day:%d/%m/%Y}"},
        )
    return term


def term_for_or_none(bloc: Bloc, day: date | None = None) -> Term | None:
    day = day or timezone.localdate()
    return Term.objects.filter(bloc=bloc, start_date__lte=day, end_date__gte=day).first()


# --- the register ---------------------------------------------------------------------------------------------


def _counter_locked(*, issuing_body: IssuingBody, doc_type: str, term: Term) -> NumberCounter:
    """The sequence's row, locked until the end of the transaction. Created at 0 the first time; when two
    transactions create it at once the unique constraint makes the loser wait and then read the winner's row."""
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(
        issuing_body=issuing_body, doc_type=doc_type, term=term
    )
    return counter


@transaction.atomic
def counter_set_last_number(
    *, actor, issuing_body: IssuingBody, doc_type: str, term: Term, last_number: int
) -> NumberCounter:
    """Staff enter the last number already used on paper (the portal introduced mid-term): the next issue takes
    the number after it. Never below a number the portal has already issued in that sequence."""
    access.require_staff(actor)
    if term.bloc_id != issuing_body.bloc_id:
        raise ValidationError({"term": "Nhiệm kỳ không thuộc đảng ủy khối của cơ quan ban hành."})
    if doc_type not in DocType.values:
        raise ValidationError({"doc_type": "Loại văn bản không hợp lệ."})
    counter = _counter_locked(issuing_body=issuing_body, doc_type=doc_type, term=term)
    issued_max = (
        Document.objects.filter(issuing_body=issuing_body, doc_type=doc_type, term=term).aggregate(m=Max("number"))["m"]
        or 0
    )
    if last_number < issued_max:
        raise ValidationError(
            {
                "last_number": ValidationError(
                    "Số %(number)s đã được phát hành trên cổng trong dãy này; không thể lùi về %(last)s.",
                    params={"number": issued_max, "last": last_number},
                )
            }
        )
    before = counter.last_number
    counter.last_number = last_number
    counter.full_clean()
    counter.save()
    audit.record(
        actor=actor, action="counter.set_last_number", target=counter, changes={"from": before, "to": last_number}
    )
    return counter


def next_number_preview(*, issuing_body: IssuingBody, doc_type: str, term: Term | None) -> int | None:
    """The number the next issue would take (information only: issuing takes it under a lock)."""
    if term is None:
        return None
    counter = NumberCounter.objects.filter(issuing_body=issuing_body, doc_type=doc_type, term=term).first()
    return (counter.last_number if counter else 0) + 1


# --- documents ------------------------------------------------------------------------------------------------


def header_of(document: Document) -> selectors.Header:
    """What the document's header shows: frozen at issue for an issued document; for a draft, the values in
    force today (the day it would be issued if issued now)."""
    if document.is_issued and document.header_name:
        return selectors.Header(
            superior=document.header_superior,
            name=document.header_name,
            symbol=document.symbol,
            place_name=document.place_name,
            issuer_name=document.issuer_name,
            propaganda_department_name="",
            signer_authority=document.content.get("signer_authority", ""),
            signer_title=document.content.get("signer_title", ""),
            signer_name=document.content.get("signer_name", ""),
        )
    return selectors.header_for(document.issuing_body, document.issued_on or timezone.localdate())


def structure_of(document: Document) -> OfficialDocument:
    """The renderable structure of a document, draft or issued."""
    header = header_of(document)
    return compose(
        superior_line=header.superior,
        issuer_line=header.name,
        symbol=header.symbol,
        place=header.place_name,
        doc_type=document.doc_type,
        type_name=DocType.type_name(document.doc_type),
        content=document.content,
        number=document.number,
        issued_on=document.issued_on,
        draft_year=(document.figures_as_of or timezone.localdate()).year,
        author=header.issuer_name or header.name,
    )


def _reference_date(as_of: date | None) -> date:
    today = timezone.localdate()
    as_of = as_of or today
    if as_of > today:
        raise ValidationError({"figures_as_of": "Ngày tính số liệu không được sau ngày hôm nay."})
    return as_of


# Drafts of several numbered topics (reports.topics) and the document type each one is.
TOPIC_KINDS = {DocumentKind.DISPATCH: DocType.CV, DocumentKind.TOPIC_REPORT: DocType.BC}


def _generated(
    *, kind: str, issuing_body, deadline, source, doc_type: str, as_of: date, topic_specs=None
) -> tuple[dict, str]:
    """The generated content of a draft and its document type, for the figures at the end of `as_of`."""
    if kind == DocumentKind.REMINDER:
        if deadline is None:
            raise ValidationError({"deadline": "Chọn hạn nộp cần đôn đốc."})
        return generators.reminder_content(deadline, issuing_body, as_of), DocType.CV
    entry = document_sources.source_of(kind)
    if entry is not None:  # a report written from what a feature app registered (a campaign year, a cycle)
        if not isinstance(source, entry.model):
            raise ValidationError({entry.field: entry.missing})
        return generators.report_content(source, issuing_body, as_of), entry.doc_type
    if kind == DocumentKind.OTHER:
        doc_type = doc_type or DocType.CV
        return generators.blank_content(issuing_body, doc_type, as_of), doc_type
    if kind in TOPIC_KINDS:
        doc_type = TOPIC_KINDS[kind]
        return topics.compose_content(topic_specs or [], issuing_body, doc_type, as_of), doc_type
    raise ValidationError({"kind": "Loại văn bản không hợp lệ."})


@transaction.atomic
def document_create(
    *,
    actor,
    kind: str,
    issuing_body: IssuingBody,
    deadline=None,
    source=None,
    doc_type: str = "",
    as_of: date | None = None,
    topic_specs: list | None = None,
) -> Document:
    """A draft with the figures at the end of `as_of` (default today, never in the future) filled in; the
    date is kept with the draft (`figures_as_of`), so redrafting for it gives the same text. Staff edit the
    prose before issuing. A dispatch or report of several topics takes them in `topic_specs`
    (reports.topics.TopicSpec, in order) and keeps them as DocumentTopic rows."""
    access.require_staff(actor)
    as_of = _reference_date(as_of)
    if kind in TOPIC_KINDS:
        topic_specs = topics.checked_specs(list(topic_specs or []))
    content, doc_type = _generated(
        kind=kind,
        issuing_body=issuing_body,
        deadline=deadline,
        source=source,
        doc_type=doc_type,
        as_of=as_of,
        topic_specs=topic_specs,
    )
    content = _with_signer(content, issuing_body)
    document = Document(
        kind=kind,
        doc_type=doc_type,
        issuing_body=issuing_body,
        content=content,
        deadline=deadline if kind == DocumentKind.REMINDER else None,
        source=source if document_sources.source_of(kind) is not None else None,
        figures_as_of=as_of,
        created_by=actor,
    )
    document.full_clean()
    document.save()
    changes = {"kind": kind, "figures_as_of": as_of}
    if kind in TOPIC_KINDS:
        changes["topics"] = _topics_save(document, topic_specs)
    audit.record(actor=actor, action="document.create", target=document, changes=changes)
    return document


def _topics_save(document: Document, specs: list) -> list[str]:
    """The chosen topics as rows, numbered 1…n in their order; returns their labels for the audit row."""
    labels = []
    for position, spec in enumerate(specs, start=1):
        row = DocumentTopic(document=document, position=position, kind=spec.kind, title=spec.title, text=spec.text)
        if spec.source is not None:
            row.source = spec.source
        row.full_clean()
        row.save()
        labels.append(f"{position}. {spec.source if spec.source is not None else spec.title}")
    return labels


def topic_specs_of(document: Document) -> list:
    """A draft's stored topics, in order, as the composer takes them."""
    return [
        topics.TopicSpec(kind=row.kind, source=row.source, title=row.title, text=row.text)
        for row in document.topics.select_related("source_type").order_by("position")
    ]


@transaction.atomic
def document_regenerate(*, actor, document: Document, as_of: date | None = None) -> Document:
    """Soạn lại số liệu: recompute a draft's generated content for its kept reference date (or `as_of`, which
    then becomes the kept date). The staff's edits of the text are replaced by the generated text."""
    access.require_staff(actor)
    locked = _locked_draft(document)
    if locked.kind == DocumentKind.OTHER:
        raise ValidationError("Văn bản khác không có số liệu để soạn lại.")
    as_of = _reference_date(as_of or locked.figures_as_of)
    content, _ = _generated(
        kind=locked.kind,
        issuing_body=locked.issuing_body,
        deadline=locked.deadline,
        source=locked.source,
        doc_type=locked.doc_type,
        as_of=as_of,
        topic_specs=topic_specs_of(locked) if locked.kind in TOPIC_KINDS else None,
    )
    content = _with_signer(content, locked.issuing_body, keep=locked.content.get("signer_id"))
    before = locked.figures_as_of
    locked.content, locked.figures_as_of = content, as_of
    locked.full_clean()
    locked.save()
    audit.record(
        actor=actor,
        action="document.regenerate",
        target=locked,
        changes={"figures_as_of": {"from": before and before.isoformat(), "to": as_of.isoformat()}},
    )
    return locked


def _with_signer(content: dict, issuing_body: IssuingBody, *, keep=None) -> dict:
    """A generated draft is signed by the signer chosen before (redrafting keeps it) or else by the body's first
    active signer; a body with no Signer rows keeps the header's signer lines."""
    active = Signer.objects.filter(issuing_body=issuing_body, is_active=True).order_by("sort_order", "id")
    signer = (keep and active.filter(pk=keep).first()) or active.first()
    return {**content, **signer_content(signer)} if signer else content


def _locked_draft(document: Document) -> Document:
    locked = Document.objects.select_for_update().select_related("issuing_body__bloc").get(pk=document.pk)
    if locked.status != DocumentStatus.DRAFT:
        raise ValidationError("Văn bản đã phát hành không thể sửa. Muốn đính chính, hãy soạn một văn bản mới.")
    return locked


@transaction.atomic
def document_update(*, actor, document: Document, **fields) -> Document:
    """Edit a draft's text: subject, recipients and distribution (lists or one line each), body, signer."""
    access.require_staff(actor)
    locked = _locked_draft(document)
    content = dict(locked.content)
    changed = {}
    for name, value in fields.items():
        if name in EDITABLE_TEXT:
            value = "\n".join(normalize_text(line) for line in str(value).splitlines()).strip()
        elif name in EDITABLE_LISTS:
            value = [normalize_text(line) for line in (split_lines(value) if isinstance(value, str) else value)]
        else:
            raise ValidationError(f"Trường không sửa được: {name}")
        if content.get(name) != value:
            changed[name] = value
            content[name] = value
    if "body" in fields:  # the whole text typed again: it replaces the section editor's structure
        for name in STRUCTURED_BODY_KEYS:
            content.pop(name, None)
    if not content.get("subject"):
        raise ValidationError({"subject": "Nhập trích yếu của văn bản."})
    if not body_text(content):
        raise ValidationError({"body": "Nội dung văn bản không được để trống."})
    locked.content = content
    locked.full_clean()
    locked.save()
    audit.record(actor=actor, action="document.update", target=locked, changes=changed)
    return locked


# Enough rounds for that many staff issuing in one sequence at the same moment (each round one of them wins).
ISSUE_ATTEMPTS = 25


@dataclass(frozen=True)
class _IssuePlan:
    """What an issue is about to freeze, read without any lock: the draft as it was read, the number the
    counter would give, the header of the issue date and the structure rendered from them."""

    document: Document  # unsaved copy carrying number, term, date and frozen header
    updated_at: datetime
    counter_last: int
    header: selectors.Header
    structure: OfficialDocument


def document_issue(*, actor, document: Document, issued_on: date | None = None, progress=None) -> Document:
    """Take the next number of the document's sequence and freeze the document with its rendered files.

    Rendering a long report takes seconds, so it happens before the register is touched: the number is read
    from the counter, the files are rendered with it and stored, and only then a short transaction locks the
    draft and the counter, checks that nothing moved (same number, same draft, same header) and issues the row
    with the counter's increment. If another issue took the number meanwhile, the files are thrown away and the
    document is rendered again with the next one. So the counter row is locked for a few queries whatever the
    document's size; concurrent issues still take consecutive numbers (the lock and the unique constraint);
    and a failed render or save touches neither the counter nor the draft, so it burns no number."""
    access.require_staff(actor)
    report = progress or (lambda _percent: None)  # a job's progress bar; nothing for an issue in the request
    for _attempt in range(ISSUE_ATTEMPTS):
        plan = _issue_plan(document=document, issued_on=issued_on)
        # Nothing unfinished takes a number (the commit re-checks that the draft did not change since).
        if problems := checks.issue_problems(plan.document):
            raise ValidationError(problems)
        report(10)
        docx_bytes = render_docx(plan.structure)
        report(40)
        pdf_bytes = render_pdf(plan.structure)
        report(90)
        names = _store_issued_files(plan.document, docx=docx_bytes, pdf=pdf_bytes)
        try:
            issued = _issue_commit(actor=actor, plan=plan, names=names)
        except BaseException:
            _delete_files(names)
            raise
        if issued is not None:
            return issued
        _delete_files(names)  # someone else issued in this sequence first: render again with the next number
    raise ValidationError("Nhiều văn bản cùng dãy số đang được phát hành cùng lúc; vui lòng bấm “Phát hành” lại.")


def _checked_issue_date(issued_on: date | None) -> date:
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError(
            {
                "issued_on": ValidationError(
                    "Ngày ban hành không được sau ngày hôm nay (%(today)s).", params={"today": f"{today:%d/%m/%Y}"}
                )
            }
        )
    return issued_on


def _check_register_order(document: Document, term: Term, issued_on: date) -> None:
    """The register stays in date order within a sequence (checked again under the counter's lock)."""
    last = (
        Document.objects.filter(
            issuing_body=document.issuing_body, doc_type=document.doc_type, term=term, status=DocumentStatus.ISSUED
        )
        .order_by("-issued_on", "-number")
        .first()
    )
    if last is not None and issued_on < last.issued_on:
        raise ValidationError(
            {
                "issued_on": ValidationError(
                    "Ngày ban hành %(day)s sớm hơn văn bản số %(label)s đã phát hành ngày %(last)s trong cùng dãy "
                    "số; sổ văn bản đi phải theo thứ tự ngày. Chọn ngày từ %(last)s trở đi.",
                    params={
                        "day": f"{issued_on:%d/%m/%Y}",
                        "label": last.number_label,
                        "last": f"{last.issued_on:%d/%m/%Y}",
                    },
                )
            }
        )


def _issue_plan(*, document: Document, issued_on: date | None) -> _IssuePlan:
    """Everything the issue will freeze, read without locks (the commit step checks it again)."""
    current = Document.objects.select_related("issuing_body__bloc").get(pk=document.pk)
    if current.status != DocumentStatus.DRAFT:
        raise ValidationError("Văn bản đã phát hành không thể sửa. Muốn đính chính, hãy soạn một văn bản mới.")
    issued_on = _checked_issue_date(issued_on)
    term = term_for(current.issuing_body.bloc, issued_on)
    _check_register_order(current, term, issued_on)
    counter = NumberCounter.objects.filter(
        issuing_body=current.issuing_body, doc_type=current.doc_type, term=term
    ).first()
    counter_last = counter.last_number if counter else 0
    header = selectors.header_for(current.issuing_body, issued_on)
    updated_at = current.updated_at
    _freeze(current, header=header, number=counter_last + 1, term=term, issued_on=issued_on)
    return _IssuePlan(
        document=current,
        updated_at=updated_at,
        counter_last=counter_last,
        header=header,
        structure=structure_of(current),
    )


def _freeze(document: Document, *, header: selectors.Header, number: int, term: Term, issued_on: date) -> None:
    """Everything the header shows is frozen in the same UPDATE that issues the row."""
    document.header_superior, document.header_name = header.superior, header.name
    document.symbol, document.place_name, document.issuer_name = header.symbol, header.place_name, header.issuer_name
    document.number, document.term, document.issued_on = number, term, issued_on
    document.status = DocumentStatus.ISSUED  # structure_of then reads the frozen header


def _store_issued_files(document: Document, *, docx: bytes, pdf: bytes) -> dict[str, str]:
    """Store the rendered files before the register is locked. A random part in the stored name keeps two
    concurrent attempts at the same number apart on any storage (S3 has no atomic "create if absent"); the
    download is named from the number (Document.file_stem), not from the stored name."""
    names = {}
    token = secrets.token_hex(4)
    for field_name, extension, data in (("docx_file", "docx", docx), ("pdf_file", "pdf", pdf)):
        field = Document._meta.get_field(field_name)
        wanted = field.generate_filename(document, f"{document.file_stem()}-{token}.{extension}")
        names[field_name] = field.storage.save(wanted, ContentFile(data), max_length=field.max_length)
    return names


def _delete_files(names: dict[str, str]) -> None:
    for field_name, name in names.items():
        Document._meta.get_field(field_name).storage.delete(name)


@transaction.atomic
def _issue_commit(*, actor, plan: _IssuePlan, names: dict[str, str]) -> Document | None:
    """The only step that holds the counter's row lock: a few queries, no rendering, no file I/O. Returns None
    when the plan is stale (the number was taken, the draft edited or its header changed): render again."""
    locked = _locked_draft(plan.document)
    if locked.updated_at != plan.updated_at:
        return None
    term, issued_on = plan.document.term, plan.document.issued_on
    counter = _counter_locked(issuing_body=locked.issuing_body, doc_type=locked.doc_type, term=term)
    if counter.last_number != plan.counter_last:
        return None
    _check_register_order(locked, term, issued_on)
    header = selectors.header_for(locked.issuing_body, issued_on)
    if header != plan.header:
        return None
    _freeze(locked, header=header, number=counter.last_number + 1, term=term, issued_on=issued_on)
    locked.docx_file.name, locked.pdf_file.name = names["docx_file"], names["pdf_file"]
    locked.issued_by = actor
    locked.issued_at = timezone.now()
    locked.full_clean()
    locked.save()
    counter.last_number = locked.number
    counter.save(update_fields=["last_number", "updated_at"])
    # Issued, it is a reference later documents cite (reports.references).
    references.reference_for_issued(locked)
    delivery.on_issue(document=locked)  # delivered to its recipients after the commit (reports.delivery)
    audit.record(
        actor=actor,
        action="document.issue",
        target=locked,
        changes={
            "number": locked.number_label,
            "issued_on": issued_on,
            "header": [header.superior, header.name, header.place_name, header.issuer_name],
        },
    )
    return locked


@transaction.atomic
def document_delete_draft(*, actor, document: Document) -> None:
    access.require_staff(actor)
    locked = _locked_draft(document)
    audit.record(actor=actor, action="document.delete", target=locked, changes={"kind": locked.kind})
    locked.delete()


# --- exports --------------------------------------------------------------------------------------------------


@transaction.atomic
def export_job_create(*, actor, kind: str, params: dict) -> ExportJob:
    if not may_export(actor, kind):
        raise PermissionDenied
    job = ExportJob(kind=kind, params=params, created_by=actor)
    job.full_clean()
    job.save()
    audit.record(actor=actor, action="export.create", target=job, changes={"kind": kind, **params})
    from .tasks import EXPORT_ATTEMPTS  # the task module imports this one

    # In the job's transaction: with Redis down the job waits in the outbox and runs when it is back.
    outbox.enqueue("reports.run_export", job.pk, key=f"export:{job.pk}", max_attempts=EXPORT_ATTEMPTS)
    return job


def _job_task(job: ExportJob) -> tuple[str, str]:
    """The task that runs a job and its outbox key."""
    if job.kind == DOCUMENT_RENDER:
        return "reports.render_document", f"document-render:{job.pk}"
    if job.kind == DOCUMENT_ISSUE:
        return "reports.issue_document", f"document-issue:{job.pk}"
    return "reports.run_export", f"export:{job.pk}"


@transaction.atomic
def export_job_retry(*, actor, job: ExportJob) -> ExportJob:
    """The requester runs a failed export again (the same kind and reference date; a document render the same
    snapshot)."""
    from .tasks import EXPORT_ATTEMPTS

    locked = ExportJob.objects.select_for_update().get(pk=job.pk, created_by=actor)
    if locked.status != ExportStatus.FAILED:
        raise ValidationError("Chỉ chạy lại được yêu cầu xuất dữ liệu đã bị lỗi.")
    ExportJob.objects.filter(pk=locked.pk).update(status=ExportStatus.QUEUED, progress=0, error="", finished_at=None)
    audit.record(actor=actor, action="export.retry", target=locked, changes={"error": locked.error})
    task, key = _job_task(locked)
    outbox.retry(task, locked.pk, key=key, actor=actor, max_attempts=EXPORT_ATTEMPTS)
    locked.refresh_from_db()
    return locked


# --- long documents rendered as jobs --------------------------------------------------------------------------


def document_renders_inline(document: Document, fmt: str) -> bool:
    """Whether a download of `document` as `fmt` is made in the request. Issued documents are always: their
    stored files are served as issued. A draft is when its size (paragraphs + table rows) is within
    DOCUMENT_INLINE_RENDER_MAX_SIZE for the format; a longer one is rendered by a job."""
    if document.is_issued:
        return True
    return content_size_estimate(document.content) <= settings.DOCUMENT_INLINE_RENDER_MAX_SIZE[fmt]


@transaction.atomic
def document_render_job_create(*, actor, document: Document, fmt: str) -> ExportJob:
    """A job that renders the document's PDF or Word file from a snapshot of its structure taken now: the file
    holds what the user was shown, even if the draft or its data change while the job waits."""
    from .tasks import EXPORT_ATTEMPTS  # the task module imports this one

    if fmt not in DOCUMENT_FORMATS:
        raise ValidationError("Định dạng tệp không hỗ trợ.")
    if not selectors.documents_visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDenied
    structure = structure_of(document)
    job = ExportJob(
        kind=DOCUMENT_RENDER,
        params={
            "document": document.pk,
            "format": fmt,
            "filename": f"{document.file_stem()}.{fmt}",
            "subject": document.content.get("subject", "")[:200],
            "size": structure.size_estimate,
            "structure": structure.to_snapshot(),
        },
        created_by=actor,
    )
    job.full_clean()
    job.save()
    audit.record(
        actor=actor,
        action="document.render_job",
        target=document,
        changes={"job": job.pk, "format": fmt, "size": structure.size_estimate},
    )
    task, key = _job_task(job)
    outbox.enqueue(task, job.pk, key=key, max_attempts=EXPORT_ATTEMPTS)
    return job


def _content_digest(content: dict) -> str:
    """What the clerk saw when pressing "Phát hành" (text, recipients, signer…), to tell whether it changed."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def document_issues_inline(document: Document) -> bool:
    """Whether "Phát hành" renders the files in the request: issuing renders the PDF, so a draft longer than the
    inline PDF limit is issued by a job (document_issue_job_create) and the request returns at once."""
    return document_renders_inline(document, "pdf")


@transaction.atomic
def document_issue_job_create(*, actor, document: Document, issued_on: date | None = None) -> ExportJob:
    """Issue a long draft in the background. What would refuse the issue (a later date, the register's order,
    anything unfinished) is checked now, so the clerk reads it on the page; the job then issues the draft as it
    was when the button was pressed, or fails with a message if it was edited meanwhile (reports.tasks)."""
    from .tasks import EXPORT_ATTEMPTS

    access.require_staff(actor)
    plan = _issue_plan(document=document, issued_on=issued_on)
    if problems := checks.issue_problems(plan.document):
        raise ValidationError(problems)
    current = plan.document
    job = ExportJob(
        kind=DOCUMENT_ISSUE,
        params={
            "document": current.pk,
            "issued_on": current.issued_on.isoformat() if issued_on else None,
            "content": _content_digest(current.content),
            "filename": current.file_stem(),
            "subject": current.content.get("subject", "")[:200],
        },
        created_by=actor,
    )
    job.full_clean()
    job.save()
    audit.record(actor=actor, action="document.issue_job", target=current, changes={"job": job.pk})
    task, key = _job_task(job)
    outbox.enqueue(task, job.pk, key=key, max_attempts=EXPORT_ATTEMPTS)
    return job


def document_issue_job_run(*, job: ExportJob, progress) -> str:
    """The job's work: issue the draft unless it was issued already (a rerun after the issue committed, or a
    second click) or edited since the button was pressed. Returns a short outcome; a refusal raises
    ValidationError with the Vietnamese reason."""
    document = Document.objects.get(pk=job.params["document"])
    if document.is_issued:
        return "already issued"
    if _content_digest(document.content) != job.params["content"]:
        raise ValidationError("Dự thảo đã được sửa sau khi bấm “Phát hành”; hãy xem lại rồi bấm “Phát hành” lần nữa.")
    issued_on = date.fromisoformat(job.params["issued_on"]) if job.params.get("issued_on") else None
    document_issue(actor=job.created_by, document=document, issued_on=issued_on, progress=progress)
    return "issued"


# --- references -----------------------------------------------------------------------------------------------


def _set_links(reference: Reference, sources: list) -> dict:
    """Make `sources` exactly the objects `reference` is linked to; returns what was added and removed."""
    wanted = {(ContentType.objects.get_for_model(obj).pk, obj.pk): obj for obj in sources}
    current = {(link.source_type_id, link.source_id): link for link in reference.links.all()}
    removed = [key for key in current if key not in wanted]
    ReferenceLink.objects.filter(pk__in=[current[key].pk for key in removed]).delete()
    added = []
    for key in wanted:
        if key not in current:
            ReferenceLink.objects.create(reference=reference, source_type_id=key[0], source_id=key[1])
            added.append(str(wanted[key]))
    return {"links_added": added, "links_removed": len(removed)}


REFERENCE_FIELDS = ("kind", "number", "issued_on", "issuer", "summary")


def _reference_save(*, actor, reference: Reference, fields: dict, implements, sources, action: str) -> Reference:
    changes = {}
    for name in REFERENCE_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, str):
            value = normalize_text(value)
        if getattr(reference, name) != value:
            changes[name] = value
            setattr(reference, name, value)
    if reference.summary and not reference.summary[:1].islower():
        raise ValidationError({"summary": "Trích yếu viết như khi trích dẫn, bắt đầu bằng chữ thường (ví dụ “về …”)."})
    reference.full_clean()
    reference.save()
    if implements is not None:
        implements = [other for other in implements if other.pk != reference.pk]
        before = set(reference.implements.values_list("pk", flat=True))
        reference.implements.set(implements)
        if before != {other.pk for other in implements}:
            changes["implements"] = [other.number for other in implements]
    if sources is not None:
        changes.update({k: v for k, v in _set_links(reference, sources).items() if v})
    audit.record(actor=actor, action=action, target=reference, changes=changes)
    return reference


@transaction.atomic
def reference_create(*, actor, implements=None, sources=None, **fields) -> Reference:
    """Record a document to cite (number, date, issuer, "về …"), the documents it implements and the
    campaigns, cycles and deadlines whose sections cite it."""
    access.require_staff(actor)
    return _reference_save(
        actor=actor,
        reference=Reference(),
        fields=fields,
        implements=implements,
        sources=sources,
        action="reference.create",
    )


@transaction.atomic
def reference_update(*, actor, reference: Reference, implements=None, sources=None, **fields) -> Reference:
    """Correct a recorded reference. One made by issuing a document is that document's: it is not edited."""
    access.require_staff(actor)
    locked = Reference.objects.select_for_update().get(pk=reference.pk)
    if locked.document_id and set(fields) & set(REFERENCE_FIELDS):
        issued = {name for name in REFERENCE_FIELDS if name in fields and fields[name] != getattr(locked, name)}
        if issued:
            raise ValidationError("Văn bản này do cổng phát hành: số, ngày và trích yếu giữ như khi phát hành.")
    return _reference_save(
        actor=actor, reference=locked, fields=fields, implements=implements, sources=sources, action="reference.update"
    )


@transaction.atomic
def reference_link(*, actor, reference: Reference, source) -> ReferenceLink:
    """Cite `reference` in the sections written from `source` (a campaign, a cycle, a deadline)."""
    access.require_staff(actor)
    link, created = ReferenceLink.objects.get_or_create(
        reference=reference, source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    if created:
        audit.record(actor=actor, action="reference.link", target=reference, changes={"source": str(source)})
    return link


# --- signers and contact person -------------------------------------------------------------------------------

SIGNER_FIELDS = ("name", "position", "mode", "on_behalf_of", "is_active", "sort_order")


def _record_save(*, actor, record, fields: dict, names: tuple[str, ...], action: str, text=None, adjust=None):
    """Set the `names` given in `fields` on a staff-kept record (signer, superior body, contact person), text
    normalised (then passed through `text(name, value)` if given), let `adjust(record)` apply the record's own
    rule, validate, save, and audit what changed (for a new record: every field given)."""
    changes = {}
    for name in names:
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, str):
            value = normalize_text(value)
            if text is not None:
                value = text(name, value)
        if record.pk is None or getattr(record, name) != value:
            changes[name] = value
            setattr(record, name, value)
    if adjust is not None:
        adjust(record)
    record.full_clean()  # e.g. "Cơ quan này đã có trong danh sách." for a second superior body of the same name
    record.save()
    audit.record(actor=actor, action=action, target=record, changes=changes)
    return record


def _signer_capitals(name: str, value: str) -> str:
    return value.upper() if name in ("position", "on_behalf_of") else value  # printed in capitals (§5 S1, S2)


def _signer_mode_rule(signer: Signer) -> None:
    if signer.mode == SignerMode.DIRECT:
        signer.on_behalf_of = ""


def _signer_save(*, actor, signer: Signer, fields: dict, action: str) -> Signer:
    return _record_save(
        actor=actor,
        record=signer,
        fields=fields,
        names=SIGNER_FIELDS,
        action=action,
        text=_signer_capitals,
        adjust=_signer_mode_rule,
    )


@transaction.atomic
def signer_create(*, actor, issuing_body: IssuingBody, **fields) -> Signer:
    access.require_staff(actor)
    return _signer_save(actor=actor, signer=Signer(issuing_body=issuing_body), fields=fields, action="signer.create")


@transaction.atomic
def signer_update(*, actor, signer: Signer, **fields) -> Signer:
    """Change a signer (documents already issued keep what they printed; drafts keep theirs until re-chosen)."""
    access.require_staff(actor)
    locked = Signer.objects.select_for_update().get(pk=signer.pk)
    return _signer_save(actor=actor, signer=locked, fields=fields, action="signer.update")


@transaction.atomic
def issuing_body_set_contact(*, actor, issuing_body: IssuingBody, name: str, title: str, phone: str) -> IssuingBody:
    """The contact person the generated dispatches name ("liên hệ trực tiếp với đồng chí …")."""
    access.require_staff(actor)
    locked = IssuingBody.objects.select_for_update().get(pk=issuing_body.pk)
    values = {"contact_name": name or "", "contact_title": title or "", "contact_phone": phone or ""}
    return _record_save(actor=actor, record=locked, fields=values, names=tuple(values), action="issuing_body.contact")


def signer_content(signer: Signer) -> dict:
    """The content keys a document prints its signature from (frozen with the content on issue)."""
    return {
        "signer_authority": signer.authority,
        "signer_title": signer.position.upper(),
        "signer_name": signer.name,
        "signer_id": signer.pk,
    }


@transaction.atomic
def document_choose_signer(*, actor, document: Document, signer: Signer) -> Document:
    """Sign a draft with one of its issuing body's active signers."""
    access.require_staff(actor)
    locked = _locked_draft(document)
    signer = Signer.objects.filter(pk=signer.pk).first()  # as it is now, not as the caller read it
    if signer is None or signer.issuing_body_id != locked.issuing_body_id or not signer.is_active:
        raise ValidationError({"signer": "Chọn một người ký đang ký văn bản của cơ quan ban hành này."})
    values = signer_content(signer)
    locked.content = {**locked.content, **values}
    locked.full_clean()
    locked.save()
    audit.record(actor=actor, action="document.signer", target=locked, changes=values)
    return locked


# --- recipients -----------------------------------------------------------------------------------------------


@transaction.atomic
def document_choose_recipients(*, actor, document: Document, choice: recipients.RecipientChoice) -> Document:
    """Fill "Kính gửi" and "Nơi nhận" from a choice of recipients (the lines stay editable afterwards)."""
    access.require_staff(actor)
    locked = _locked_draft(document)
    bloc = locked.issuing_body.bloc
    if choice.base == recipients.BaseScope.CHOSEN:
        if not choice.organizations:
            raise ValidationError({"organizations": "Chọn ít nhất một tổ chức cơ sở đảng."})
        foreign = BaseOrganization.objects.filter(pk__in=choice.organizations).exclude(bloc=bloc)
        if foreign.exists():
            raise ValidationError({"organizations": "Tổ chức được chọn không thuộc đảng ủy khối này."})
    if choice.mass == recipients.MassScope.CHOSEN and not choice.mass_organizations:
        raise ValidationError({"mass_organizations": "Chọn ít nhất một đoàn thể."})
    on = locked.figures_as_of or timezone.localdate()
    lines, distribution = recipients.lines_for(
        choice, doc_type=locked.doc_type, archive_line=locked.issuing_body.archive_line, on=on
    )
    if locked.doc_type == DocType.CV and not lines:
        raise ValidationError("Chọn ít nhất một nơi nhận cho dòng “Kính gửi”.")
    locked.content = {
        **locked.content,
        "recipients": lines,
        "distribution": distribution,
        "recipient_choice": choice.as_json(),
    }
    locked.full_clean()
    locked.save()
    audit.record(
        actor=actor,
        action="document.recipients",
        target=locked,
        changes={"recipients": lines, "distribution": distribution},
    )
    return locked


SUPERIOR_BODY_FIELDS = ("name", "sort_order", "is_active")


@transaction.atomic
def superior_body_create(*, actor, bloc: Bloc, name: str, sort_order: int = 0, is_active: bool = True) -> SuperiorBody:
    """A superior body staff can name "(b/c)" in Nơi nhận."""
    access.require_staff(actor)
    fields = {"name": name, "sort_order": sort_order, "is_active": is_active}
    body = SuperiorBody(bloc=bloc)
    return _record_save(
        actor=actor, record=body, fields=fields, names=SUPERIOR_BODY_FIELDS, action="superior_body.create"
    )


@transaction.atomic
def superior_body_update(*, actor, body: SuperiorBody, **fields) -> SuperiorBody:
    """Rename, reorder or retire a superior body. Documents already drafted or issued keep the lines they print;
    a retired body is no longer offered in the recipient picker."""
    access.require_staff(actor)
    locked = SuperiorBody.objects.select_for_update().get(pk=body.pk)
    return _record_save(
        actor=actor, record=locked, fields=fields, names=SUPERIOR_BODY_FIELDS, action="superior_body.update"
    )

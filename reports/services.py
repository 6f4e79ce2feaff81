"""Writes for official documents: issuing bodies and terms, the register, drafts, issuing, exports."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dukportal.core import audit
from dukportal.core.text import normalize_text
from organizations import access
from organizations.models import Bloc

from . import generators
from .document import OfficialDocument, compose, split_lines
from .models import (
    DocType,
    Document,
    DocumentKind,
    DocumentStatus,
    ExportJob,
    IssuerKind,
    IssuingBody,
    NumberCounter,
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


def structure_of(document: Document) -> OfficialDocument:
    """The renderable structure of a document, draft or issued."""
    body = document.issuing_body
    return compose(
        superior_line=body.header_superior,
        issuer_line=body.header_name,
        symbol=body.code,
        place=body.bloc.place_name,
        doc_type=document.doc_type,
        type_name=DocType.type_name(document.doc_type),
        content=document.content,
        number=document.number,
        issued_on=document.issued_on,
        draft_year=(document.figures_as_of or timezone.localdate()).year,
    )


@transaction.atomic
def document_create(
    *,
    actor,
    kind: str,
    issuing_body: IssuingBody,
    deadline=None,
    campaign=None,
    cycle=None,
    doc_type: str = "",
    as_of: date | None = None,
) -> Document:
    """A draft with the live figures filled in; staff edit the prose before issuing."""
    access.require_staff(actor)
    as_of = as_of or timezone.localdate()
    if kind == DocumentKind.REMINDER:
        if deadline is None:
            raise ValidationError({"deadline": "Chọn hạn nộp cần đôn đốc."})
        content, doc_type = generators.reminder_content(deadline, issuing_body, as_of), DocType.CV
    elif kind == DocumentKind.DANVAN_REPORT:
        if campaign is None:
            raise ValidationError({"campaign": "Chọn đợt “Dân vận khéo”."})
        content, doc_type = generators.danvan_report_content(campaign, issuing_body, as_of), DocType.BC
    elif kind == DocumentKind.QCDC_REPORT:
        if cycle is None:
            raise ValidationError({"cycle": "Chọn đợt thực hiện Quy chế dân chủ ở cơ sở."})
        content, doc_type = generators.qcdc_report_content(cycle, issuing_body, as_of), DocType.BC
    elif kind == DocumentKind.OTHER:
        content, doc_type = generators.blank_content(issuing_body, doc_type or DocType.CV), doc_type or DocType.CV
    else:
        raise ValidationError({"kind": "Loại văn bản không hợp lệ."})
    document = Document(
        kind=kind,
        doc_type=doc_type,
        issuing_body=issuing_body,
        content=content,
        deadline=deadline if kind == DocumentKind.REMINDER else None,
        campaign=campaign if kind == DocumentKind.DANVAN_REPORT else None,
        cycle=cycle if kind == DocumentKind.QCDC_REPORT else None,
        figures_as_of=as_of,
        created_by=actor,
    )
    document.full_clean()
    document.save()
    audit.record(actor=actor, action="document.create", target=document, changes={"kind": kind})
    return document


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
    if not content.get("subject"):
        raise ValidationError({"subject": "Nhập trích yếu của văn bản."})
    if not content.get("body"):
        raise ValidationError({"body": "Nội dung văn bản không được để trống."})
    locked.content = content
    locked.full_clean()
    locked.save()
    audit.record(actor=actor, action="document.update", target=locked, changes=changed)
    return locked


@transaction.atomic
def document_issue(*, actor, document: Document, issued_on: date | None = None) -> Document:
    """Take the next number of the document's sequence and freeze the document with its rendered files.

    Number, files and row are written in one transaction: if rendering or saving fails, the counter update is
    rolled back with everything else, so a failed issue burns no number. The counter row stays locked until
    commit, so concurrent issues in the same sequence take consecutive numbers."""
    access.require_staff(actor)
    locked = _locked_draft(document)
    issued_on = issued_on or timezone.localdate()
    term = term_for(locked.issuing_body.bloc, issued_on)
    counter = _counter_locked(issuing_body=locked.issuing_body, doc_type=locked.doc_type, term=term)
    number = counter.last_number + 1

    locked.number, locked.term, locked.issued_on = number, term, issued_on
    structure = structure_of(locked)
    docx_bytes = render_docx(structure)
    pdf_bytes = render_pdf(structure)

    stem = locked.file_stem()
    locked.docx_file.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    locked.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    try:
        locked.status = DocumentStatus.ISSUED
        locked.issued_by = actor
        locked.issued_at = timezone.now()
        locked.full_clean()
        locked.save()
        counter.last_number = number
        counter.save(update_fields=["last_number", "updated_at"])
    except Exception:
        # The transaction rolls back; do not leave the files behind either.
        locked.docx_file.storage.delete(locked.docx_file.name)
        locked.pdf_file.storage.delete(locked.pdf_file.name)
        raise
    audit.record(
        actor=actor,
        action="document.issue",
        target=locked,
        changes={"number": locked.number_label, "issued_on": issued_on},
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
    if not access.reads_everything(actor):
        raise PermissionDenied
    job = ExportJob(kind=kind, params=params, created_by=actor)
    job.full_clean()
    job.save()
    audit.record(actor=actor, action="export.create", target=job, changes={"kind": kind, **params})
    from .tasks import run_export  # the task module imports this one

    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job

"""Writes of the shared submission workflow. Concrete apps call these with their own submission objects.

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                  │
      └──── returned ◀──return (comment required)
            (edit, then submit again)
    submitted / returned / accepted ──withdraw (reason required)──▶ withdrawn

Whether a submission counts on a day is read from the timeline these services write (timeline.py).

Organisations edit only drafts and returned submissions; once sent, only committee staff change content,
and the earlier content is kept as a revision first."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from dukportal.core import audit, prepared
from dukportal.core.files import validate_upload
from organizations import access
from organizations.models import BaseOrganization, OrganizationSuccession, User

from . import deadlines, idempotency, listeners, revisions, timeline
from .models import (
    Attachment,
    Deadline,
    EventAction,
    NilReturn,
    Submission,
    SubmissionEvent,
    SubmissionRevision,
    SubmissionStatus,
)
from .revisions import snapshot

S = SubmissionStatus
NOW = object()  # in a transition's field_updates: the moment of its event
SubmissionT = TypeVar("SubmissionT", bound=Submission)  # a service hands back the kind it was given


def _target(submission: Submission) -> dict[str, Any]:
    return {
        "content_type": ContentType.objects.get_for_model(submission),
        "object_id": submission.pk,
        "organization_id": submission.organization_id,
    }


def _event(
    submission: Submission,
    *,
    actor: User,
    action: str,
    from_status: str = "",
    comment: str = "",
    field_comments: dict[str, str] | None = None,
    at: datetime | None = None,
) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        **_target(submission),
        action=action,
        from_status=from_status,
        to_status=submission.status,
        actor=actor,
        comment=comment,
        field_comments=field_comments or {},
        at=at or timezone.now(),
    )


def _keep_revision(submission: Submission, *, actor: User) -> SubmissionRevision:
    number = SubmissionRevision.objects.filter(**_target(submission)).count() + 1
    return SubmissionRevision.objects.create(
        **_target(submission), number=number, data=snapshot(submission), actor=actor
    )


def _locked(submission: SubmissionT) -> SubmissionT:
    model = type(submission)
    # SELECT … FOR UPDATE of the row, its SQL compiled once per process for the kind (dukportal.core.prepared:
    # every save and send of an officer takes this lock; the ORM building the query cost more than running it).
    rows = prepared.instances(
        ("submission locked", model._meta.label),
        model,
        lambda pk: model._default_manager.select_for_update().filter(pk=pk).order_by(),  # as get(): no joins
        submission.pk,
    )
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    locked = rows[0]
    # The rows it refers to that the caller holds already (its campaign, organisation, creator), where the locked
    # row names the same ones: full_clean() and clean() read them from there instead of again (ValidatedInPython).
    for field in locked._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)
            and field.is_cached(submission)
            and getattr(submission, field.attname) == getattr(locked, field.attname)
        ):
            field.set_cached_value(locked, field.get_cached_value(submission))
    return cast(SubmissionT, locked)


def require_owner_or_staff(actor: User, submission: Submission) -> None:
    """Only staff, or an officer of the submitting organisation, may act on a submission."""
    access.require_can_submit_for(actor, submission.organization_id)


def organization_by_id(pk: int) -> BaseOrganization:
    """BaseOrganization.objects.get(pk=pk), its SQL compiled once per process (dukportal.core.prepared)."""
    rows = prepared.instances(
        ("organization by id",),
        BaseOrganization,
        lambda value: BaseOrganization.objects.filter(pk=value).order_by(),
        pk,
    )
    if not rows:
        raise BaseOrganization.DoesNotExist("BaseOrganization matching query does not exist.")
    return cast(BaseOrganization, rows[0])


def require_organization_active(
    actor: User, submission: Submission, *, organization: BaseOrganization | None = None
) -> None:
    """From its end date an organisation's officers can no longer create, change or send anything for it (it owes
    nothing new; its successor does). Staff may still correct its history. `organization`: the row the caller
    has just read for this transaction (locked), else it is read here."""
    if submission.organization_id is None or access.is_staff(actor):
        return
    if organization is None or organization.pk != submission.organization_id:
        organization = organization_by_id(submission.organization_id)
    today = timezone.localdate()
    if organization.is_active_on(today):
        return
    if organization.valid_from > today:
        raise ValidationError(
            "Tổ chức “%(name)s” hoạt động từ ngày %(day)s; chưa thể tạo hoặc gửi hồ sơ.",
            code="organization_inactive",
            params={"name": organization.name, "day": organization.valid_from.strftime("%d/%m/%Y")},
        )
    assert organization.valid_to is not None  # not active today, yet already started: it has ended
    link = OrganizationSuccession.objects.filter(predecessor=organization).order_by("effective_on").first()
    ended = link.get_kind_display().lower() if link else "giải thể"
    raise ValidationError(
        "Tổ chức “%(name)s” đã %(ended)s từ ngày %(day)s; không thể tạo hoặc gửi hồ sơ mới.",
        code="organization_inactive",
        params={
            "name": organization.name,
            "ended": ended,
            "day": (organization.valid_to + timedelta(days=1)).strftime("%d/%m/%Y"),
        },
    )


def _transition(
    submission: SubmissionT,
    *,
    actor: User,
    allowed_from: Iterable[str],
    to_status: str,
    action: str,
    comment: str = "",
    field_updates: dict[str, Any] | None = None,
    field_comments: dict[str, str] | None = None,
    is_locked: bool = False,
) -> SubmissionT:
    # A caller that already holds the row (select_for_update in this transaction) passes it as is: reading it
    # again would return the same row.
    locked = submission if is_locked else _locked(submission)
    if locked.status not in allowed_from:
        raise ValidationError(
            "Không thể thực hiện: hồ sơ đang ở trạng thái “%(status)s”.",
            code="invalid_transition",
            params={"status": locked.get_status_display()},
        )
    from_status = locked.status
    # One moment for the event and the row's dates, so the row says exactly what the timeline says.
    moment = timezone.now()
    locked.status = to_status
    for name, value in (field_updates or {}).items():
        setattr(locked, name, moment if value is NOW else value)
    # The timeline's counting moments (timeline.py): the first sending, and the withdrawal (final).
    if action in timeline.SENDING_ACTIONS and locked.counted_from is None:
        locked.counted_from = moment
    if action == EventAction.WITHDRAWN and locked.counted_until is None:
        locked.counted_until = moment
    locked.save()
    locked.last_event = _event(
        locked,
        actor=actor,
        action=action,
        from_status=from_status,
        comment=comment,
        field_comments=field_comments,
        at=moment,
    )
    changes: dict[str, Any] = {"from": from_status, "to": to_status}
    if field_comments:
        changes["field_comments"] = field_comments
    audit.record(actor=actor, action=f"submission.{action}", target=locked, changes=changes)
    return locked


@transaction.atomic
def submission_create(*, actor: User, submission: SubmissionT, token: str | None = None) -> SubmissionT:
    """Save a new draft (the concrete app has filled its fields). `token` is the form's one-time token: a second
    post of the same form, or one for a one-per-period item that exists already, raises
    idempotency.AlreadyCreated with the existing item instead of making another."""
    require_owner_or_staff(actor, submission)
    organization = None
    if submission.organization_id is not None:
        # One creator at a time per organisation, so the check below sees a concurrent one-per-period item. The
        # row read under the lock is the one the activity check and full_clean() use (no second read of it).
        organization = BaseOrganization.objects.select_for_update().filter(pk=submission.organization_id).first()
        if organization is not None:
            submission.organization = organization
    require_organization_active(actor, submission, organization=organization)
    claimed = idempotency.claim(token, actor=actor)
    submission.status = S.DRAFT
    submission.created_by = actor
    idempotency.raise_if_conflicting(submission)
    submission.full_clean()
    idempotency.save_once(submission)
    idempotency.bind(claimed, submission)
    _event(submission, actor=actor, action=EventAction.CREATED)
    audit.record(actor=actor, action="submission.create", target=submission, changes=snapshot(submission))
    return submission


@transaction.atomic
def submission_update(*, actor: User, submission: SubmissionT, fields: dict[str, Any]) -> SubmissionT:
    """Change content. Organisations may change drafts and returned submissions; once a submission is sent,
    only staff may change it, and the content before the change is kept as a revision."""
    require_owner_or_staff(actor, submission)
    require_organization_active(actor, submission)
    locked = _locked(submission)
    if not locked.is_editable_by_organization and not access.is_staff(actor):
        raise ValidationError(
            "Hồ sơ đã gửi không thể tự sửa; đề nghị liên hệ Ban Tuyên giáo nếu cần điều chỉnh.", code="locked"
        )
    changed = {name: value for name, value in fields.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    staff_edit_after_sending = not locked.is_editable_by_organization
    if staff_edit_after_sending:
        _keep_revision(locked, actor=actor)
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    _event(
        locked,
        actor=actor,
        action=EventAction.STAFF_EDITED if staff_edit_after_sending else EventAction.EDITED,
        from_status=locked.status,
        comment=", ".join(str(revisions.concrete_field(type(locked), n).verbose_name) for n in changed),
    )
    audit.record(actor=actor, action="submission.update", target=locked, changes=changed)
    return locked


@transaction.atomic
def submission_submit(*, actor: User, submission: SubmissionT) -> SubmissionT:
    require_owner_or_staff(actor, submission)
    require_organization_active(actor, submission)
    locked = _locked(submission)
    # A draft may have been saved before a rule tightened: never send invalid content. Its fields and the model's
    # own rules (clean) are checked again; what the database vouches for in the row just read from it (its
    # references, its constraints over the values it stored) is not asked again (ValidatedInPython).
    locked.full_clean()
    resubmission = locked.status == S.RETURNED
    result = _transition(
        locked,
        actor=actor,
        allowed_from={S.DRAFT, S.RETURNED},
        to_status=S.SUBMITTED,
        action=EventAction.RESUBMITTED if resubmission else EventAction.SUBMITTED,
        field_updates={"submitted_at": NOW, "revision": locked.revision + 1, "decided_at": None},
        is_locked=True,
    )
    _keep_revision(result, actor=actor)
    listeners.sent(submission=result, actor=actor)
    return result


def clean_field_comments(submission: Submission, field_comments: dict[str, str] | None) -> dict[str, str]:
    """{field name: comment} with empty comments dropped; a name that is not a reviewable field is refused."""
    allowed = revisions.review_fields(submission)
    cleaned = {}
    for name, text in (field_comments or {}).items():
        text = (text or "").strip()
        if not text:
            continue
        if name not in allowed:
            raise ValidationError("Mục “%(name)s” không có trong hồ sơ.", code="unknown_field", params={"name": name})
        cleaned[name] = text
    # Stored in form order, so the notice and the pages list them as the officer meets them.
    return {name: cleaned[name] for name in allowed if name in cleaned}


@transaction.atomic
def submission_return(
    *, actor: User, submission: SubmissionT, comment: str, field_comments: dict[str, str] | None = None
) -> SubmissionT:
    """Staff send a submission back with a reason and, optionally, comments on individual fields."""
    access.require_staff(actor)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Vui lòng ghi rõ lý do trả lại để đơn vị bổ sung."})
    field_comments = clean_field_comments(submission, field_comments)
    result = _transition(
        submission,
        actor=actor,
        allowed_from={S.SUBMITTED, S.ACCEPTED},
        to_status=S.RETURNED,
        action=EventAction.RETURNED,
        comment=comment,
        field_updates={"decided_at": NOW},
        field_comments=field_comments,
    )
    _tell_organization(result, comment=comment)
    return result


@transaction.atomic
def submission_accept(*, actor: User, submission: SubmissionT, comment: str = "", detail: str = "") -> SubmissionT:
    """Staff accept a sent submission; `detail` is a line the organisation's notice adds (e.g. the rating)."""
    access.require_staff(actor)
    comment = (comment or "").strip()
    result = _transition(
        submission,
        actor=actor,
        allowed_from={S.SUBMITTED},
        to_status=S.ACCEPTED,
        action=EventAction.ACCEPTED,
        comment=comment,
        field_updates={"decided_at": NOW},
    )
    _tell_organization(result, comment=comment, detail=detail)
    return result


def _tell_organization(submission: Submission, *, comment: str = "", detail: str = "") -> None:
    """The organisation hears of the decision (bell and e-mail, after the commit), keyed on its event."""
    event = submission.last_event
    listeners.decided(
        listeners.Decision(
            submission=submission,
            event=event,
            action=event.action,
            day=timezone.localdate(),
            comment=comment,
            detail=detail,
            field_comments=tuple((c.label, c.comment) for c in revisions.comments_of(submission, event)),
        )
    )


@transaction.atomic
def submission_withdraw(*, actor: User, submission: SubmissionT, comment: str) -> SubmissionT:
    """Withdraw a sent submission (sent by mistake, or for an organisation that should not have sent it). From
    the moment of withdrawal it no longer counts as sent; it counted before (figures of earlier days keep it).
    Staff, or an officer of the organisation, with a reason."""
    require_owner_or_staff(actor, submission)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Vui lòng ghi rõ lý do rút lại hồ sơ."})
    return _transition(
        submission,
        actor=actor,
        allowed_from={S.SUBMITTED, S.RETURNED, S.ACCEPTED},
        to_status=S.WITHDRAWN,
        action=EventAction.WITHDRAWN,
        comment=comment,
        field_updates={"decided_at": NOW},
    )


@transaction.atomic
def attachment_add(*, actor: User, submission: Submission, uploaded: Any, purpose: str = "") -> Attachment:
    """`uploaded`: an UploadedFile from a form, or any named Django File (seeds, tests)."""
    require_owner_or_staff(actor, submission)
    require_organization_active(actor, submission)
    if not submission.is_editable_by_organization and not access.is_staff(actor):
        raise ValidationError("Hồ sơ đã gửi không thể thêm tệp; đề nghị liên hệ Ban Tuyên giáo.", code="locked")
    mime = validate_upload(uploaded)
    attachment = Attachment(
        **_target(submission),
        file=uploaded,
        original_name=uploaded.name[:255],
        mime_type=mime,
        size=uploaded.size,
        purpose=purpose,
        uploaded_by=actor,
    )
    attachment.save()
    _event(
        submission,
        actor=actor,
        action=EventAction.FILE_ADDED,
        from_status=submission.status,
        comment=attachment.original_name,
    )
    audit.record(actor=actor, action="attachment.add", target=attachment, changes={"name": attachment.original_name})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> Attachment:
    """Take a wrong file off a draft or a returned submission before (re)sending. The file stays stored and the
    timeline says who removed what; the lists no longer show it. Once sent, only staff remove files."""
    locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
    submission = cast(Submission, locked.target)  # a file is always attached to a submission
    require_owner_or_staff(actor, submission)
    if locked.removed_at is not None:
        return locked
    if not submission.is_editable_by_organization and not access.is_staff(actor):
        raise ValidationError("Hồ sơ đã gửi không thể gỡ tệp; đề nghị liên hệ Ban Tuyên giáo.", code="locked")
    require_organization_active(actor, submission)
    locked.removed_at, locked.removed_by = timezone.now(), actor
    locked.save(update_fields=["removed_at", "removed_by"])
    _event(
        submission,
        actor=actor,
        action=EventAction.FILE_REMOVED,
        from_status=submission.status,
        comment=locked.original_name,
    )
    audit.record(actor=actor, action="attachment.remove", target=locked, changes={"name": locked.original_name})
    return locked


@transaction.atomic
def submission_delete_draft(*, actor: User, submission: Submission) -> None:
    """Delete a draft that was never sent (the organisation's own business: nothing of it counts anywhere). Its
    events and file records go with it; the audit row keeps its content. Officers of the organisation or staff."""
    require_owner_or_staff(actor, submission)
    locked = _locked(submission)
    if locked.status != S.DRAFT:
        raise ValidationError("Chỉ xóa được bản nháp chưa gửi; hồ sơ đã gửi có thể rút lại.", code="not_draft")
    require_organization_active(actor, locked)
    target = _target(locked)
    files = list(Attachment.objects.filter(**target))
    audit.record(
        actor=actor,
        action="submission.delete_draft",
        target=locked,
        changes={**snapshot(locked), "files": [f.original_name for f in files]},
    )
    generic = {"content_type": target["content_type"], "object_id": target["object_id"]}
    for model in (SubmissionEvent, SubmissionRevision, Attachment):
        model.objects.filter(**generic).delete()
    locked.delete()

    # The stored files leave once the deletion is committed (a rollback keeps them).
    def delete_files() -> None:
        for f in files:
            f.file.delete(save=False)

    transaction.on_commit(delete_files)


@transaction.atomic
def deadline_close(*, actor: User, deadline: Deadline, reason: str) -> Deadline:
    """Staff stop tracking a deadline (e.g. long past, the rest excused or dissolved): from now it leaves the
    tracking page, the dashboard and reminders; figures asked about earlier days still show it. A reason is
    required; closing a closed deadline is refused."""
    access.require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi rõ lý do đóng hạn nộp."})
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.closed_at is not None:
        raise ValidationError(
            "Hạn nộp này đã được đóng ngày %(day)s.",
            code="already_closed",
            params={"day": timezone.localtime(locked.closed_at).strftime("%d/%m/%Y")},
        )
    locked.closed_at, locked.closed_by, locked.close_reason = timezone.now(), actor, reason
    locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
    audit.record(actor=actor, action="deadline.close", target=locked, changes={"reason": reason})
    return locked


@transaction.atomic
def deadline_reopen(*, actor: User, deadline: Deadline) -> Deadline:
    """Undo a closing made by mistake: the deadline is tracked again (the audit keeps the closing)."""
    access.require_staff(actor)
    locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if locked.closed_at is None:
        return locked
    changes = {"closed_at": audit.jsonable(locked.closed_at), "reason": locked.close_reason}
    locked.closed_at, locked.closed_by, locked.close_reason = None, None, ""
    locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
    audit.record(actor=actor, action="deadline.reopen", target=locked, changes=changes)
    return locked


@transaction.atomic
def nil_return_send(*, actor: User, deadline: Deadline, organization: BaseOrganization, reason: str) -> NilReturn:
    """“Không phát sinh”: the organisation answers a deadline whose kind allows it that it had nothing to report,
    with a reason. Stored and sent as a submission (its timeline makes it count from now); refused when the
    kind does not allow it, the deadline is closed, the organisation does not owe it or has already sent."""
    access.require_can_submit_for(actor, organization.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi rõ lý do không phát sinh."})
    # One nil return per deadline and organisation, whatever the number of simultaneous posts.
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if not deadlines.obligation(deadline.kind).allows_nil:
        raise ValidationError(
            "“%(title)s” không nhận báo cáo “Không phát sinh”; đề nghị lập và gửi hồ sơ.",
            code="nil_not_allowed",
            params={"title": deadline.title},
        )
    if deadline.closed_at is not None:
        raise ValidationError("Hạn nộp này đã đóng; không nhận thêm báo cáo.", code="closed")
    today = timezone.localdate()
    if not deadlines.expected_organizations(deadline, today).filter(pk=organization.pk).exists():
        raise ValidationError("Đơn vị không thuộc diện phải nộp hạn này.", code="not_expected")
    if deadlines.deadline_cells(deadline, [organization.pk], today)[organization.pk].sent:
        raise ValidationError("Đơn vị đã gửi hồ sơ hoặc đã báo cáo không phát sinh cho hạn nộp này.", code="sent")
    nil = submission_create(
        actor=actor, submission=NilReturn(organization=organization, deadline=deadline, reason=reason)
    )
    return submission_submit(actor=actor, submission=nil)

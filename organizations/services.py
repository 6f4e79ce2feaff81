"""Writes for organisations, cells, members and accounts. Each one normalises text to NFC, refreshes the
stored search and sort keys, validates, saves and records an audit entry."""

from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dukportal.core import audit
from dukportal.core.text import fold, normalize_text, person_sort_key, sort_key

from .models import (
    LEAVE_REASON_FOR_STATUS,
    STATUS_AFTER_LEAVING,
    BaseOrganization,
    Cell,
    JoinReason,
    LeaveReason,
    Member,
    MembershipPeriod,
    MemberStatus,
    Role,
    User,
)

TEXT_FIELDS = {
    BaseOrganization: ("code", "name", "secretary_name", "danvan_officer_name", "phone", "email"),
    Cell: ("code", "name", "secretary_name"),
    Member: ("code", "full_name"),
}


def refresh_keys(instance) -> None:
    """Normalise text fields to NFC and recompute the stored search/sort keys (also used by bulk loaders)."""
    for field in TEXT_FIELDS.get(type(instance), ()):
        setattr(instance, field, normalize_text(getattr(instance, field)))
    if isinstance(instance, Member):
        instance.search_key = fold(instance.full_name)
        instance.sort_key = person_sort_key(instance.full_name)
    else:
        instance.search_key = fold(f"{instance.name} {instance.code}")
        instance.sort_key = sort_key(instance.name)


def _save(instance, *, actor, action: str, changes: dict) -> None:
    refresh_keys(instance)
    instance.full_clean()
    instance.save()
    audit.record(actor=actor, action=action, target=instance, changes=changes)


def _apply(instance, fields: dict) -> dict:
    changed = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = normalize_text(value)
        if getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed[name] = value
    return changed


@transaction.atomic
def organization_save(*, actor, instance: BaseOrganization | None = None, **fields) -> BaseOrganization:
    created = instance is None or instance.pk is None
    instance = instance or BaseOrganization()
    changed = _apply(instance, fields)
    if created or changed:
        _save(
            instance,
            actor=actor,
            action="organization.create" if created else "organization.update",
            changes=changed,
        )
    return instance


@transaction.atomic
def cell_save(*, actor, instance: Cell | None = None, **fields) -> Cell:
    created = instance is None or instance.pk is None
    instance = instance or Cell()
    changed = _apply(instance, fields)
    if created or changed:
        _save(instance, actor=actor, action="cell.create" if created else "cell.update", changes=changed)
    return instance


# --- Members and their dated periods ---------------------------------------------------------------------------
#
# A member's belonging is a chain of MembershipPeriod rows; Member.organization, .cell and .status are the
# current values, kept in step by these services so lists and the export need no join. Every count on a date
# reads the periods (organizations.selectors). A change dated D means: from D on (D included) the member is in
# the new place or no longer counted; up to the day before, in the old one.


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _open_period(member: Member) -> MembershipPeriod | None:
    return MembershipPeriod.objects.select_for_update().filter(member=member, left_on__isnull=True).first()


def _check_place(organization: BaseOrganization, cell: Cell | None, on: date) -> None:
    if cell is not None and cell.organization_id != organization.pk:
        raise ValidationError({"cell": _("Chi bộ không thuộc tổ chức cơ sở đảng đã chọn.")})
    if not organization.is_active_on(on):
        raise ValidationError(
            {"organization": _("Tổ chức “%(name)s” không có hiệu lực vào ngày %(day)s.")
             % {"name": organization.name, "day": _dmy(on)}}
        )  # fmt: skip
    if cell is not None and not cell.is_active_on(on):
        raise ValidationError(
            {"cell": _("Chi bộ “%(name)s” không có hiệu lực vào ngày %(day)s.") % {"name": cell.name, "day": _dmy(on)}}
        )


def _check_no_overlap(member: Member, joined_on: date, left_on: date | None) -> None:
    """Periods of one member never overlap (each covers [joined_on, left_on), an empty one covers no day);
    the database cannot say so portably, so every period is opened here."""
    if left_on == joined_on:
        return
    others = (
        MembershipPeriod.objects.filter(member=member)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=joined_on))
        .exclude(left_on=F("joined_on"))
    )
    if left_on is not None:
        others = others.filter(joined_on__lt=left_on)
    if others.exists():
        raise ValidationError(
            _("Đảng viên %(name)s đã có quá trình sinh hoạt trùng thời gian từ ngày %(day)s.")
            % {"name": member.full_name, "day": _dmy(joined_on)}
        )


def _new_period(member: Member, *, organization, cell, joined_on, join_reason, left_on=None, leave_reason=""):
    _check_no_overlap(member, joined_on, left_on)
    period = MembershipPeriod(
        member=member,
        organization=organization,
        cell=cell,
        joined_on=joined_on,
        join_reason=join_reason,
        left_on=left_on,
        leave_reason=leave_reason,
    )
    period.full_clean()
    period.save()
    return period


def _check_after_start(period: MembershipPeriod, on: date) -> None:
    if on < period.joined_on:
        raise ValidationError(
            _("Ngày %(day)s trước ngày bắt đầu sinh hoạt ở nơi hiện tại (%(joined)s).")
            % {"day": _dmy(on), "joined": _dmy(period.joined_on)}
        )


def _close(period: MembershipPeriod, *, on: date, reason: str) -> None:
    _check_after_start(period, on)
    period.left_on = on
    period.leave_reason = reason
    period.full_clean()
    # Only these two columns: the database trigger on the place columns must not re-check an old period
    # whose cell has since moved to another organisation.
    period.save(update_fields=["left_on", "leave_reason"])


def _check_not_future(on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError(_("Ngày %(day)s ở tương lai: chỉ ghi nhận việc đã xảy ra.") % {"day": _dmy(on)})


@transaction.atomic
def member_transfer(
    *, actor, member: Member, organization: BaseOrganization, cell: Cell | None = None, on: date
) -> MembershipPeriod | None:
    """Move an active member to another organisation or cell from `on` (that day counts in the new place).
    The current period is closed on `on` and the next one opened; moving to the place the member is already
    in changes nothing and returns None. Between organisations the reasons are "chuyển đi"/"chuyển đến",
    within one organisation "chuyển chi bộ"."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = _open_period(member)
    if current is None:
        raise ValidationError(
            _("Đảng viên %(name)s không còn sinh hoạt nên không thể chuyển.") % {"name": member.full_name}
        )
    if current.organization_id == organization.pk and current.cell_id == (cell.pk if cell else None):
        return None
    _check_not_future(on)
    _check_after_start(current, on)
    _check_place(organization, cell, on)
    within = current.organization_id == organization.pk
    _close(current, on=on, reason=LeaveReason.CELL_CHANGE if within else LeaveReason.TRANSFERRED_OUT)
    period = _new_period(
        member,
        organization=organization,
        cell=cell,
        joined_on=on,
        join_reason=JoinReason.CELL_CHANGE if within else JoinReason.TRANSFERRED_IN,
    )
    before = {"organization": member.organization_id, "cell": member.cell_id}
    member.organization, member.cell = organization, cell
    member.full_clean()
    member.save(update_fields=["organization", "cell"])
    audit.record(
        actor=actor,
        action="member.transfer",
        target=member,
        changes={
            "on": on,
            "from_organization": before["organization"],
            "from_cell": before["cell"],
            "organization": organization,
            "cell": cell,
        },
    )
    return period


@transaction.atomic
def member_transfer_many(
    *, actor, members, organization: BaseOrganization, cell: Cell | None = None, on: date
) -> list[MembershipPeriod]:
    """Move several members at once (a decision listing them, or the members of a merged organisation): all
    or none, each one a transfer as member_transfer records it. Members already there are skipped."""
    periods = []
    for member in members:
        period = member_transfer(actor=actor, member=member, organization=organization, cell=cell, on=on)
        if period is not None:
            periods.append(period)
    return periods


@transaction.atomic
def member_leave(*, actor, member: Member, on: date, reason: str) -> MembershipPeriod:
    """The member stops counting from `on`: transferred out of the bloc, removed (xóa tên), expelled, resigned
    or died. Closes the open period and sets the current status to match."""
    if reason not in STATUS_AFTER_LEAVING:
        raise ValidationError({"leave_reason": _("Lý do thôi sinh hoạt không hợp lệ.")})
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = _open_period(member)
    if current is None:
        raise ValidationError(_("Đảng viên %(name)s đã thôi sinh hoạt từ trước.") % {"name": member.full_name})
    _check_not_future(on)
    _close(current, on=on, reason=reason)
    member.status = STATUS_AFTER_LEAVING[reason]
    member.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="member.leave",
        target=member,
        changes={"on": on, "reason": reason, "organization": current.organization_id},
    )
    return current


def _member_rejoin(*, actor, member: Member, on: date) -> MembershipPeriod:
    """Back to active (a status set back in a form or an import): a new period from `on`."""
    _check_not_future(on)
    _check_place(member.organization, member.cell, on)
    latest = MembershipPeriod.objects.filter(member=member).order_by("-joined_on", "-pk").first()
    reason = (
        JoinReason.TRANSFERRED_IN
        if latest is not None and latest.leave_reason == LeaveReason.TRANSFERRED_OUT
        else JoinReason.RESTORED
    )
    period = _new_period(member, organization=member.organization, cell=member.cell, joined_on=on, join_reason=reason)
    audit.record(
        actor=actor,
        action="member.rejoin",
        target=member,
        changes={"on": on, "organization": member.organization, "cell": member.cell, "reason": reason},
    )
    return period


@transaction.atomic
def member_save(
    *,
    actor,
    instance: Member | None = None,
    on: date | None = None,
    joined_on: date | None = None,
    join_reason: str = JoinReason.ADMITTED,
    **fields,
) -> Member:
    """Create or update a member (forms, the admin, the Excel import).

    Creating opens the member's first period: from `joined_on`, by default their admission date (as the
    migration of old rows does: no better date is known); a member created with a status that is no longer
    active gets that period closed on `on`. On an update, the history is kept instead of rewritten: a new
    organisation or cell of an active member is a transfer from `on` (default today), a status that is no
    longer active ends the period on `on`, and back to active opens a new one. Other fields are corrections."""
    on = on or timezone.localdate()
    if instance is None or instance.pk is None:
        instance = instance or Member()
        changed = _apply(instance, fields)
        _save(instance, actor=actor, action="member.create", changes=changed)
        joined_on = joined_on or instance.admitted_on
        leave_reason = LEAVE_REASON_FOR_STATUS.get(instance.status, "")
        _new_period(
            instance,
            organization=instance.organization,
            cell=instance.cell,
            joined_on=joined_on,
            join_reason=join_reason,
            left_on=max(on, joined_on) if leave_reason else None,
            leave_reason=leave_reason,
        )
        return instance

    instance = Member.objects.select_for_update().get(pk=instance.pk)
    place = {name: fields.pop(name) for name in ("organization", "cell", "status") if name in fields}
    changed = _apply(instance, fields)
    if changed:
        _save(instance, actor=actor, action="member.update", changes=changed)
    organization = place.get("organization", instance.organization)
    cell = place.get("cell", instance.cell)
    status = place.get("status", instance.status)
    was_active = instance.status == MemberStatus.ACTIVE
    moved = organization.pk != instance.organization_id or (cell.pk if cell else None) != instance.cell_id
    if was_active and moved:
        member_transfer(actor=actor, member=instance, organization=organization, cell=cell, on=on)
    elif moved:  # a member no longer active: only where the row says they were last
        instance.organization, instance.cell = organization, cell
        instance.full_clean()
        instance.save(update_fields=["organization", "cell"])
        audit.record(
            actor=actor, action="member.update", target=instance, changes={"organization": organization, "cell": cell}
        )
    if status != instance.status:
        if status == MemberStatus.ACTIVE:
            instance.status = status
            instance.save(update_fields=["status"])
            _member_rejoin(actor=actor, member=instance, on=on)
        elif was_active:
            member_leave(actor=actor, member=instance, on=on, reason=LEAVE_REASON_FOR_STATUS[status])
        else:  # one way of having left corrected into another: the last period says so too
            last = MembershipPeriod.objects.filter(member=instance).order_by("-joined_on", "-pk").first()
            if last is not None and last.left_on is not None:
                last.leave_reason = LEAVE_REASON_FOR_STATUS[status]
                last.save(update_fields=["leave_reason"])
            instance.status = status
            instance.save(update_fields=["status"])
            audit.record(actor=actor, action="member.update", target=instance, changes={"status": status})
    instance.refresh_from_db()
    return instance


@transaction.atomic
def account_create(
    *, actor, username: str, password: str, role: str, organization: BaseOrganization | None = None, **fields
) -> User:
    user = User(
        username=normalize_text(username),
        role=role,
        organization=organization if role == Role.OFFICER else None,
        is_staff=role == Role.STAFF,  # staff also use the Django admin
        password=make_password(password),
        **{k: normalize_text(v) if isinstance(v, str) else v for k, v in fields.items()},
    )
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action="account.create",
        target=user,
        changes={"role": role, "organization": organization},
    )
    return user

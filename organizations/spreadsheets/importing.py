"""Excel import of organisations, cells and members: the whole file or nothing.

The validation module reads and checks the workbook and works out which rows are new or changed; this module
writes those rows, so an unchanged row costs no write and no audit entry. Organisations and cells (tens or
hundreds of rows) go through the services one by one. Members (thousands) are written in bulk, a few
statements per batch of rows whatever their number: new members with their first period, corrections, and
moves of active members as dated transfers (the open period closed on the import day, the next one opened),
each with its own audit row as the services would write it. A status change (leaving, back to active) is rare
and goes through services.member_save, which owns those rules.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dukportal.core import audit

from .. import services
from ..models import LEAVE_REASON_FOR_STATUS, JoinReason, LeaveReason, Member, MembershipPeriod, MemberStatus
from .columns import CELLS, MEMBERS, ORGANIZATIONS, SheetFormat
from .errors import ImportRejected, RowError
from .validation import Change, prepare_import

__all__ = ["ImportRejected", "ImportResult", "SheetCounts", "import_workbook"]

logger = logging.getLogger(__name__)

BATCH = 1000  # rows per bulk INSERT/UPDATE and per IN (…) lookup (Django splits further for SQLite's limits)
_PLACE = ("organization", "cell")


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, SheetCounts] = field(default_factory=dict)  # by sheet title; only sheets in the file

    @property
    def organizations(self) -> SheetCounts | None:
        return self.counts.get(ORGANIZATIONS.title)

    @property
    def cells(self) -> SheetCounts | None:
        return self.counts.get(CELLS.title)

    @property
    def members(self) -> SheetCounts | None:
        return self.counts.get(MEMBERS.title)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{title}: {c.created} thêm mới, {c.updated} cập nhật, {c.unchanged} không đổi"
            for title, c in self.counts.items()
        ]
        lead = "Đã nhập dữ liệu." if self.changed else "Dữ liệu trong tệp trùng với dữ liệu đã có, không có thay đổi."
        return f"{lead} {'; '.join(parts)}."


def _rejected(sheet: SheetFormat, change: Change, exc: Exception) -> ImportRejected:
    """A row the checks let through but the model or the database refused (the checks should make this
    unreachable): refuse the file with the row's errors rather than fail with a server error."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errors = []
        for name, messages in exc.message_dict.items():
            column = sheet.column_for(name)
            errors.extend(RowError(sheet.title, change.row, column.header if column else "", m) for m in messages)
        return ImportRejected(errors)
    if isinstance(exc, ValidationError):
        return ImportRejected([RowError(sheet.title, change.row, "", m) for m in exc.messages])
    logger.warning("Excel import: row %s of %s refused by the database: %s", change.row, sheet.title, exc)
    return ImportRejected(
        [RowError(sheet.title, change.row, "", "Không lưu được dòng này vì mâu thuẫn với dữ liệu đã có.")]
    )


@transaction.atomic
def import_workbook(*, actor, file, on: date | None = None) -> ImportResult:
    """Import an uploaded .xlsx in the shared format (see organizations.spreadsheets). Every row is checked
    first; any problem raises ImportRejected with the full list and nothing is written. Rows are upserted on
    their code; re-importing the same file creates, changes and audits nothing.

    Members keep their history: a row that puts a member in another organisation or cell is a transfer from
    `on` (the import date, default today), a status no longer active ends their period on that day (see
    services.member_save); the file itself only says where each member is now."""
    on = on or timezone.localdate()
    plan = prepare_import(file, on=on)
    organizations = dict(plan.organizations)
    cells = dict(plan.cells)
    result = ImportResult()

    def write(sheet: SheetFormat, save, change: Change, fields: dict):
        try:
            return save(actor=actor, instance=change.instance, **fields)
        except (ValidationError, IntegrityError) as exc:
            raise _rejected(sheet, change, exc) from exc

    def run(sheet: SheetFormat, save, resolve) -> None:
        sheet_plan = plan.sheets.get(sheet.title)
        if sheet_plan is None:
            return
        counts = result.counts.setdefault(sheet.title, SheetCounts(unchanged=sheet_plan.unchanged))
        for change in sheet_plan.changes:
            saved = write(sheet, save, change, resolve(change))
            if change.instance is None:
                counts.created += 1
            else:
                counts.updated += 1
            if sheet is ORGANIZATIONS:
                organizations[saved.code] = saved
            elif sheet is CELLS:
                cells[saved.code] = saved

    def organization_fields(change: Change) -> dict:
        return {**change.fields, "bloc": plan.bloc} if change.instance is None else change.fields

    def with_references(change: Change) -> dict:
        fields = dict(change.fields)
        if "organization" in fields:
            fields["organization"] = organizations[fields["organization"]]
        if fields.get("cell") is not None:
            fields["cell"] = cells[fields["cell"]]
        return fields

    # Organisations first, so cells and members can name the ones this file creates.
    run(ORGANIZATIONS, services.organization_save, organization_fields)
    run(CELLS, services.cell_save, with_references)
    # A đảng bộ cơ sở becomes a chi bộ cơ sở only once its cells have moved (see spreadsheets._Planner).
    for change in plan.sheets[ORGANIZATIONS.title].changes if ORGANIZATIONS.title in plan.sheets else ():
        if change.later:
            write(ORGANIZATIONS, services.organization_save, change, change.later)
    sheet_plan = plan.sheets.get(MEMBERS.title)
    if sheet_plan is not None:
        counts = result.counts.setdefault(MEMBERS.title, SheetCounts(unchanged=sheet_plan.unchanged))
        changes = [(change, with_references(change)) for change in sheet_plan.changes]
        places = {("organization", o.pk): o for o in organizations.values()}
        places.update({("cell", c.pk): c for c in cells.values()})
        _write_members(actor=actor, changes=changes, on=on, write=write, places=places)
        counts.created = sum(1 for change in sheet_plan.changes if change.instance is None)
        counts.updated = len(sheet_plan.changes) - counts.created
    return result


def _in_batches(values: list, size: int = BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _clean(instance, *, relations: bool) -> None:
    """The model's own checks without a query per row: the foreign keys come from rows loaded up front, code
    uniqueness and the date constraints were checked against the file and the database by the validation (and
    the database constraints still hold). relations: also run clean() (cell within the organisation), which
    reads the related rows already in memory."""
    instance.clean_fields(exclude=["member", "organization", "cell"])
    if relations:
        instance.clean()


def _write_members(*, actor, changes: list, on: date, write, places: dict) -> None:
    """Write the member rows of a plan (see the module docstring); raises ImportRejected listing every row the
    model refuses, before anything of the members is written."""
    errors: list[RowError] = []

    def check(change: Change, instance, *, relations: bool) -> None:
        try:
            _clean(instance, relations=relations)
        except ValidationError as exc:
            errors.extend(_rejected(MEMBERS, change, exc).errors)

    blank = Member()
    created, corrected, moved, one_by_one = [], [], [], []
    for change, fields in changes:
        instance = change.instance
        if instance is None:
            # What services.member_save audits on creation: the fields that differ from a blank member.
            audited = {name: value for name, value in fields.items() if getattr(blank, name, None) != value}
            member = Member(**fields)
            services.refresh_keys(member)
            check(change, member, relations=True)
            created.append((member, audited))
        elif "status" in fields or (instance.status != MemberStatus.ACTIVE and any(name in fields for name in _PLACE)):
            one_by_one.append((change, fields))
        else:
            corrections = {name: value for name, value in fields.items() if name not in _PLACE}
            place = {name: value for name, value in fields.items() if name in _PLACE}
            if corrections:
                for name, value in corrections.items():
                    setattr(instance, name, value)
                services.refresh_keys(instance)
                check(change, instance, relations=False)
                corrected.append((instance, corrections))
            if place:
                moved.append((change, instance, place))

    transfers = _plan_transfers(moved, on=on, errors=errors, places=places)
    if errors:
        raise ImportRejected(errors)

    try:
        members = Member.objects.bulk_create([member for member, _ in created], batch_size=BATCH)
        MembershipPeriod.objects.bulk_create([_first_period(member, on=on) for member in members], batch_size=BATCH)
        audit.record_many(actor=actor, action="member.create", entries=created)
        if corrected:
            names = sorted({name for _, fields in corrected for name in fields} | {"search_key", "sort_key"})
            Member.objects.bulk_update([member for member, _ in corrected], names, batch_size=BATCH)
            audit.record_many(actor=actor, action="member.update", entries=corrected)
        if transfers:
            _write_transfers(actor=actor, transfers=transfers, on=on)
    except IntegrityError as exc:  # a row written meanwhile by someone else: the checks ran on what was there
        logger.warning("Excel import: members refused by the database: %s", exc)
        raise ImportRejected(
            [
                RowError(
                    MEMBERS.title,
                    None,
                    "",
                    "Không lưu được đảng viên vì mâu thuẫn với dữ liệu vừa thay đổi; hãy nhập lại tệp.",
                )
            ]
        ) from exc

    for change, fields in one_by_one:
        write(MEMBERS, partial(services.member_save, on=on), change, fields)


def _first_period(member: Member, *, on: date) -> MembershipPeriod:
    """As services.member_save opens it: from the admission date; closed on the import day for a member created
    with a status that is no longer active."""
    leave_reason = LEAVE_REASON_FOR_STATUS.get(member.status, "")
    period = MembershipPeriod(
        member=member,
        organization=member.organization,
        cell=member.cell,
        joined_on=member.admitted_on,
        join_reason=JoinReason.ADMITTED,
        left_on=max(on, member.admitted_on) if leave_reason else None,
        leave_reason=leave_reason,
    )
    _clean(period, relations=True)
    return period


def _plan_transfers(moved: list, *, on: date, errors: list[RowError], places: dict) -> list:
    """For each active member the file puts in another organisation or cell, the open period to close and the
    next one, checked as services.member_transfer checks them (all periods read in one query per batch)."""
    if not moved:
        return []
    periods: dict[int, list[MembershipPeriod]] = {}
    for batch in _in_batches([instance.pk for _, instance, _ in moved]):
        for period in MembershipPeriod.objects.select_for_update().filter(member_id__in=batch):
            periods.setdefault(period.member_id, []).append(period)
    if on > timezone.localdate():
        errors.append(RowError("", None, "", f"Ngày {on:%d/%m/%Y} ở tương lai: chỉ ghi nhận việc đã xảy ra."))
        return []

    def refuse(change: Change, message: str) -> None:
        errors.append(RowError(MEMBERS.title, change.row, MEMBERS.column_for("organization").header, message))

    transfers = []
    for change, instance, place in moved:
        # The stored place from the rows loaded up front (instance.organization would be a query per member).
        organization = place.get("organization") or places["organization", instance.organization_id]
        if "cell" in place:
            cell = place["cell"]
        else:
            cell = (places.get(("cell", instance.cell_id)) or instance.cell) if instance.cell_id else None
        own = periods.get(instance.pk, [])
        current = next((p for p in own if p.left_on is None), None)
        if current is None:
            refuse(change, f"Đảng viên {instance.full_name} không còn sinh hoạt nên không thể chuyển.")
            continue
        if on < current.joined_on:
            refuse(
                change,
                f"Ngày nhập {on:%d/%m/%Y} trước ngày bắt đầu sinh hoạt ở nơi hiện tại ({current.joined_on:%d/%m/%Y}).",
            )
            continue
        # Periods never overlap: another period reaching past the import day (dated later by hand) is a conflict.
        if any(p is not current and p.left_on != p.joined_on and (p.left_on is None or p.left_on > on) for p in own):
            refuse(
                change,
                f"Đảng viên {instance.full_name} đã có quá trình sinh hoạt trùng thời gian từ ngày {on:%d/%m/%Y}.",
            )
            continue
        within = current.organization_id == organization.pk
        next_period = MembershipPeriod(
            member=instance,
            organization=organization,
            cell=cell,
            joined_on=on,
            join_reason=JoinReason.CELL_CHANGE if within else JoinReason.TRANSFERRED_IN,
        )
        try:
            _clean(next_period, relations=True)
        except ValidationError as exc:
            errors.extend(_rejected(MEMBERS, change, exc).errors)
            continue
        current.left_on = on
        current.leave_reason = LeaveReason.CELL_CHANGE if within else LeaveReason.TRANSFERRED_OUT
        before = {"from_organization": instance.organization_id, "from_cell": instance.cell_id}
        instance.organization, instance.cell = organization, cell
        transfers.append((instance, current, next_period, before))
    return transfers


def _update_grouped(model, changes: list[tuple[int, dict]]) -> None:
    """Write {field: value} to each pk, one UPDATE … WHERE pk IN (…) per distinct set of values and batch."""
    by_values: dict[tuple, list[int]] = {}
    for pk, values in changes:
        by_values.setdefault(tuple(sorted(values.items())), []).append(pk)
    for values, pks in by_values.items():
        for batch in _in_batches(pks):
            model.objects.filter(pk__in=batch).update(**dict(values))


def _write_transfers(*, actor, transfers: list, on: date) -> None:
    # Closing first: a member has at most one open period (database constraint). Only left_on and leave_reason
    # are written on the old period: the trigger on its place columns must not re-check it (see services._close).
    # One UPDATE per distinct new value (two leave reasons; one per destination organisation and cell) instead
    # of bulk_update, whose CASE WHEN pk = … per row took Django seconds to build for 5,000 members: the
    # statements follow the number of places, not of members.
    _update_grouped(
        MembershipPeriod, [(t[1].pk, {"left_on": on, "leave_reason": t[1].leave_reason}) for t in transfers]
    )
    MembershipPeriod.objects.bulk_create([t[2] for t in transfers], batch_size=BATCH)
    _update_grouped(
        Member, [(t[0].pk, {"organization_id": t[0].organization_id, "cell_id": t[0].cell_id}) for t in transfers]
    )
    audit.record_many(
        actor=actor,
        action="member.transfer",
        entries=[
            (member, {"on": on, **before, "organization": member.organization, "cell": member.cell})
            for member, _current, _next, before in transfers
        ],
    )

"""Reorganisations of base organisations, each on an effective date, by committee staff, audited.

Dates follow one convention: an organisation exists from valid_from up to and including valid_to. An
operation effective on day E ends an organisation on E - 1 (valid_to = E - 1: from E it no longer exists) and
starts a new one on E (valid_from = E). So on E - 1 the lists show the organisations before the change, on E
the ones after, and every figure asked for a date before E reads exactly as it did.

Facts are appended, never rewritten: a rename adds a dated name (organizations.history.name_on), a moved cell is
its old row closed plus a new row under the new parent (Cell.moved_from), and each merge, absorption or split
records predecessor → successor links (OrganizationSuccession) that history pages, a model's lineage and
carrying a model over follow.

Effective dates may not lie in the future: an operation is recorded once it has taken effect, so what the
portal shows for today is always true today."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dukportal.core import audit
from dukportal.core.text import normalize_text

from . import access, history
from .models import (
    BaseOrganization,
    BaseOrganizationKind,
    Cell,
    Member,
    OrganizationName,
    OrganizationSuccession,
    Role,
    SuccessionKind,
    User,
)
from .services import member_transfer_many, refresh_keys

NEW_ORGANIZATION_FIELDS = ("code", "name", "kind", "sector", "secretary_name", "danvan_officer_name", "phone", "email")


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_date(effective_on: date | None) -> date:
    if effective_on is None:
        raise ValidationError({"effective_on": "Vui lòng nhập ngày hiệu lực (dd/mm/yyyy)."})
    if effective_on > timezone.localdate():
        raise ValidationError(
            {
                "effective_on": "Ngày hiệu lực không được sau ngày hôm nay; hãy ghi nhận khi việc tổ chức lại đã có hiệu lực."
            }
        )
    return effective_on


def _refuse_date(message: str, *, day: date):
    raise ValidationError({"effective_on": ValidationError(message, params={"day": _d(day)})})


def _locked(organization: BaseOrganization) -> BaseOrganization:
    return BaseOrganization.objects.select_for_update().get(pk=organization.pk)


def _check_can_end(organization: BaseOrganization, effective_on: date) -> None:
    """The organisation existed before the effective date and has not ended yet."""
    if organization.valid_to is not None:
        raise ValidationError(
            "Tổ chức “%(name)s” đã hết hiệu lực từ ngày %(day)s.",
            params={"name": organization.name, "day": _d(organization.valid_to + timedelta(days=1))},
        )
    if effective_on <= organization.valid_from:
        raise ValidationError(
            "Tổ chức “%(name)s” hoạt động từ ngày %(start)s; ngày hiệu lực phải sau ngày đó.",
            params={"name": organization.name, "start": _d(organization.valid_from)},
        )


def _end(organization: BaseOrganization, *, actor, effective_on: date, action: str, changes: dict) -> None:
    organization.valid_to = effective_on - timedelta(days=1)
    organization.full_clean()
    organization.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action=action,
        target=organization,
        changes={"valid_to": organization.valid_to, "effective_on": effective_on, **changes},
    )


def _close_cells(organization: BaseOrganization, *, actor, effective_on: date) -> int:
    cells = list(Cell.objects.select_for_update().filter(organization=organization, valid_to__isnull=True))
    for cell in cells:
        cell.valid_to = effective_on - timedelta(days=1)
        cell.full_clean()
        cell.save(update_fields=["valid_to"])
        audit.record(actor=actor, action="cell.close", target=cell, changes={"valid_to": cell.valid_to})
    return len(cells)


def _new_organization(*, actor, fields: dict, bloc, effective_on: date) -> BaseOrganization:
    unknown = set(fields) - set(NEW_ORGANIZATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown organisation fields: {sorted(unknown)}")
    organization = BaseOrganization(
        bloc=bloc,
        valid_from=effective_on,
        **{name: normalize_text(value) if isinstance(value, str) else value for name, value in fields.items()},
    )
    refresh_keys(organization)
    organization.full_clean()
    organization.save()
    audit.record(
        actor=actor,
        action="organization.create",
        target=organization,
        changes={**fields, "valid_from": effective_on},
    )
    return organization


def _link(*, predecessor, successor, kind: str, effective_on: date, note: str) -> OrganizationSuccession:
    link = OrganizationSuccession(
        predecessor=predecessor, successor=successor, kind=kind, effective_on=effective_on, note=note
    )
    link.full_clean()
    link.save()
    return link


def _move_cells(cells, *, actor, to_organization: BaseOrganization, effective_on: date) -> list[Cell]:
    if to_organization.kind != BaseOrganizationKind.COMMITTEE:
        raise ValidationError(
            "“%(name)s” là chi bộ cơ sở nên không có chi bộ trực thuộc; chỉ chuyển chi bộ sang một đảng bộ cơ sở.",
            params={"name": to_organization.name},
        )
    if not to_organization.is_active_on(effective_on):
        raise ValidationError(
            "“%(name)s” không hoạt động vào ngày %(day)s.",
            params={"name": to_organization.name, "day": _d(effective_on)},
        )
    moved = []
    for cell in cells:
        cell = Cell.objects.select_for_update().get(pk=cell.pk)
        if cell.valid_to is not None:
            raise ValidationError("Chi bộ “%(name)s” đã hết hiệu lực.", params={"name": cell.name})
        if cell.organization_id == to_organization.pk:
            raise ValidationError(
                "Chi bộ “%(name)s” đã thuộc “%(org)s”.", params={"name": cell.name, "org": to_organization.name}
            )
        if effective_on <= cell.valid_from:
            raise ValidationError(
                "Chi bộ “%(name)s” hoạt động từ ngày %(start)s; ngày hiệu lực phải sau ngày đó.",
                params={"name": cell.name, "start": _d(cell.valid_from)},
            )
        from_organization_id = cell.organization_id
        cell.valid_to = effective_on - timedelta(days=1)
        cell.full_clean()
        cell.save(update_fields=["valid_to"])
        successor = Cell(
            organization=to_organization,
            code=cell.code,
            name=cell.name,
            secretary_name=cell.secretary_name,
            moved_from=cell,
            valid_from=effective_on,
        )
        refresh_keys(successor)
        successor.full_clean()
        successor.save()
        audit.record(
            actor=actor,
            action="cell.move",
            target=successor,
            changes={
                "from_organization": from_organization_id,
                "to_organization": to_organization.pk,
                "moved_from": cell.pk,
                "effective_on": effective_on,
            },
        )
        moved.append(successor)
    return moved


def _move_officers(predecessors, *, actor, to_organization: BaseOrganization) -> int:
    officers = list(User.objects.select_for_update().filter(role=Role.OFFICER, organization__in=predecessors))
    for officer in officers:
        from_organization_id = officer.organization_id
        officer.organization = to_organization
        officer.full_clean()
        officer.save(update_fields=["organization"])
        audit.record(
            actor=actor,
            action="account.move",
            target=officer,
            changes={"from_organization": from_organization_id, "to_organization": to_organization.pk},
        )
    return len(officers)


def members_move_hook(
    *, actor, effective_on: date, organizations: dict | None = None, cells: dict | None = None
) -> int:
    """Move members on the effective date, each as a transfer (their period in the old place ends, the next one
    opens on `effective_on`): `cells` maps each moved cell's closed row to its new row (its members move with it,
    also between two đảng bộ that both go on); `organizations` maps each predecessor to its successor (a merge:
    every other member of the predecessor moves, without a cell). Returns the number of members moved."""
    moved = 0
    for old_cell, new_cell in (cells or {}).items():
        members = Member.objects.filter(periods__cell=old_cell, periods__left_on__isnull=True).order_by("pk")
        moved += len(
            member_transfer_many(
                actor=actor, members=members, organization=new_cell.organization, cell=new_cell, on=effective_on
            )
        )
    for predecessor, successor in (organizations or {}).items():
        members = Member.objects.filter(periods__organization=predecessor, periods__left_on__isnull=True).order_by("pk")
        moved += len(member_transfer_many(actor=actor, members=members, organization=successor, on=effective_on))
    return moved


@transaction.atomic
def organization_rename(*, actor, organization: BaseOrganization, name: str, effective_on: date) -> BaseOrganization:
    """From `effective_on` the organisation bears `name`; before it, the name it bore then (kept as a dated name)."""
    access.require_staff(actor)
    _check_date(effective_on)
    organization = _locked(organization)
    name = normalize_text(name or "").strip()
    if not name:
        raise ValidationError({"name": "Vui lòng nhập tên mới."})
    if not organization.is_active_on(effective_on):
        _refuse_date("Tổ chức không hoạt động vào ngày %(day)s.", day=effective_on)
    if effective_on <= organization.valid_from:
        _refuse_date("Ngày đổi tên phải sau ngày tổ chức bắt đầu hoạt động (%(day)s).", day=organization.valid_from)
    latest = organization.names.order_by("-valid_from").first()
    if latest is not None and effective_on <= latest.valid_from:
        _refuse_date("Tổ chức đã đổi tên từ ngày %(day)s; ngày đổi tên mới phải sau ngày đó.", day=latest.valid_from)
    old_name = history.name_on(organization, effective_on)
    if name == old_name:
        raise ValidationError({"name": "Tên mới trùng với tên đang dùng."})
    if latest is None:  # the name borne so far becomes the first dated name
        OrganizationName.objects.create(
            organization=organization, name=organization.name, valid_from=organization.valid_from
        )
    dated = OrganizationName(organization=organization, name=name, valid_from=effective_on)
    dated.full_clean()
    dated.save()
    organization.name = name
    refresh_keys(organization)
    organization.full_clean()
    organization.save()
    audit.record(
        actor=actor,
        action="organization.rename",
        target=organization,
        changes={"old_name": old_name, "name": name, "effective_on": effective_on},
    )
    return organization


@transaction.atomic
def organization_dissolve(
    *, actor, organization: BaseOrganization, effective_on: date, reason: str
) -> BaseOrganization:
    """The organisation no longer exists from `effective_on` (valid_to = effective_on - 1); its open cells end
    with it. It owes nothing from then on and its officers can no longer create or send anything for it."""
    access.require_staff(actor)
    _check_date(effective_on)
    reason = normalize_text(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi rõ lý do, căn cứ giải thể."})
    organization = _locked(organization)
    _check_can_end(organization, effective_on)
    cells = _close_cells(organization, actor=actor, effective_on=effective_on)
    _end(
        organization,
        actor=actor,
        effective_on=effective_on,
        action="organization.dissolve",
        changes={"reason": reason, "cells_closed": cells},
    )
    return organization


@transaction.atomic
def organizations_merge(
    *,
    actor,
    predecessors,
    effective_on: date,
    into: BaseOrganization | None = None,
    new_organization: dict | None = None,
    move_cells: bool = True,
    move_officers: bool = True,
    note: str = "",
) -> BaseOrganization:
    """Merge `predecessors` into an existing organisation (`into`: sáp nhập) or into a new one created from
    `new_organization` fields (hợp nhất). The predecessors end the day before `effective_on`, each is linked to
    the successor, their open cells move to it (move_cells) or end with them, and their officers' accounts
    move to it (move_officers). Returns the successor."""
    access.require_staff(actor)
    _check_date(effective_on)
    if (into is None) == (new_organization is None):
        raise ValidationError("Chọn một tổ chức có sẵn để sáp nhập vào, hoặc nhập thông tin tổ chức mới hợp nhất.")
    predecessors = [_locked(p) for p in dict.fromkeys(predecessors) if into is None or p.pk != into.pk]
    if not predecessors or (into is None and len(predecessors) < 2):
        raise ValidationError(
            "Chọn ít nhất một tổ chức sáp nhập vào tổ chức khác, hoặc ít nhất hai tổ chức hợp nhất thành tổ chức mới."
        )
    for predecessor in predecessors:
        _check_can_end(predecessor, effective_on)
    if into is not None:
        successor, kind = _locked(into), SuccessionKind.ABSORB
        if not successor.is_active_on(effective_on) or successor.valid_from >= effective_on:
            raise ValidationError(
                "Tổ chức “%(name)s” phải đang hoạt động trước và vào ngày %(day)s.",
                params={"name": successor.name, "day": _d(effective_on)},
            )
    else:
        successor = _new_organization(
            actor=actor, fields=new_organization, bloc=predecessors[0].bloc, effective_on=effective_on
        )
        kind = SuccessionKind.MERGE
    moved_cells = {}
    for predecessor in predecessors:
        open_cells = list(predecessor.cells.filter(valid_to__isnull=True))
        if move_cells and open_cells:
            moved = _move_cells(open_cells, actor=actor, to_organization=successor, effective_on=effective_on)
            moved_cells.update({row.moved_from: row for row in moved})
        else:
            _close_cells(predecessor, actor=actor, effective_on=effective_on)
        _end(
            predecessor,
            actor=actor,
            effective_on=effective_on,
            action="organization.merged",
            changes={"successor": successor.pk, "kind": kind},
        )
        _link(predecessor=predecessor, successor=successor, kind=kind, effective_on=effective_on, note=note)
    officers_moved = _move_officers(predecessors, actor=actor, to_organization=successor) if move_officers else 0
    members_moved = members_move_hook(
        actor=actor,
        effective_on=effective_on,
        organizations=dict.fromkeys(predecessors, successor),
        cells=moved_cells,
    )
    audit.record(
        actor=actor,
        action="organization.merge",
        target=successor,
        changes={
            "kind": kind,
            "predecessors": [p.pk for p in predecessors],
            "effective_on": effective_on,
            "cells_moved": len(moved_cells),
            "officers_moved": officers_moved,
            "members_moved": members_moved,
            "note": note,
        },
    )
    return successor


@transaction.atomic
def organization_split(
    *,
    actor,
    organization: BaseOrganization,
    into: list,
    effective_on: date,
    cells: dict | None = None,
    officers_to: int | None = None,
    note: str = "",
) -> list[BaseOrganization]:
    """Split `organization` into several: each item of `into` is an existing organisation or the fields of a new
    one. The organisation ends the day before `effective_on` and is linked to each part. `cells` maps a cell
    of the organisation to the index (in `into`) of the part it moves to; the other open cells end with the
    organisation. `officers_to` (a part's index) receives the officers' accounts. Returns the parts."""
    access.require_staff(actor)
    _check_date(effective_on)
    organization = _locked(organization)
    _check_can_end(organization, effective_on)
    if len(into) < 2:
        raise ValidationError("Chia tách cần ít nhất hai tổ chức kế tục.")
    parts = []
    for item in into:
        if isinstance(item, BaseOrganization):
            part = _locked(item)
            if part.pk == organization.pk:
                raise ValidationError("Tổ chức chia tách không thể là một phần kế tục của chính nó.")
            if not part.is_active_on(effective_on):
                raise ValidationError(
                    "“%(name)s” không hoạt động vào ngày %(day)s.", params={"name": part.name, "day": _d(effective_on)}
                )
        else:
            part = _new_organization(actor=actor, fields=item, bloc=organization.bloc, effective_on=effective_on)
        parts.append(part)
    if len({p.pk for p in parts}) < len(parts):
        raise ValidationError("Mỗi tổ chức kế tục chỉ được chọn một lần.")
    moved_cells = {}
    for cell, index in (cells or {}).items():
        if cell.organization_id != organization.pk:
            raise ValidationError("Chi bộ “%(name)s” không thuộc tổ chức chia tách.", params={"name": cell.name})
        (new_row,) = _move_cells([cell], actor=actor, to_organization=parts[index], effective_on=effective_on)
        moved_cells[new_row.moved_from] = new_row
    # A split's members follow their cell; members of a chi bộ cơ sở (no cells) are moved one by one by staff.
    members_move_hook(actor=actor, effective_on=effective_on, cells=moved_cells)
    _close_cells(organization, actor=actor, effective_on=effective_on)
    _end(
        organization,
        actor=actor,
        effective_on=effective_on,
        action="organization.split",
        changes={"parts": [p.pk for p in parts], "cells_moved": len(cells or {}), "note": note},
    )
    for part in parts:
        _link(predecessor=organization, successor=part, kind=SuccessionKind.SPLIT, effective_on=effective_on, note=note)
    if officers_to is not None:
        _move_officers([organization], actor=actor, to_organization=parts[officers_to])
    return parts


@transaction.atomic
def cells_move(*, actor, cells, to_organization: BaseOrganization, effective_on: date) -> list[Cell]:
    """Move subordinate cells to another đảng bộ cơ sở from `effective_on`: each old row ends the day before and a
    new row, linked to it, opens under `to_organization` with the same code and name."""
    access.require_staff(actor)
    _check_date(effective_on)
    cells = list(cells)
    if not cells:
        raise ValidationError({"cells": "Chọn ít nhất một chi bộ để chuyển."})
    moved = _move_cells(cells, actor=actor, to_organization=_locked(to_organization), effective_on=effective_on)
    members_move_hook(actor=actor, effective_on=effective_on, cells={row.moved_from: row for row in moved})
    return moved

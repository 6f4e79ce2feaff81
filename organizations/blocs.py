"""The bloc's dated names: what its documents print on a given day, and the one write that changes them.

A rename (the 2025 reform re-formed the bloc committees and merged Yên Bái into Lào Cai) does not edit the
bloc: it adds a BlocProfile from its effective date, so a document of before keeps printing the values of its
own date, and organisations keep pointing at the one Bloc row. The row's own fields hold the values in force
today (pages that show "the bloc" read them); a change dated in the future leaves them until that day comes
(documents read the profiles, so they are right either way)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from dukportal.core import audit
from dukportal.core.dated import record_dated_change

from . import access
from .models import Bloc, BlocProfile

HEADER_FIELDS = ("name", "parent_name", "symbol", "place_name", "propaganda_department_name")


@dataclass(frozen=True)
class BlocValues:
    """The bloc's header values in force on one day."""

    name: str
    parent_name: str
    symbol: str
    place_name: str
    propaganda_department_name: str
    valid_from: date


def _values(source, valid_from: date) -> BlocValues:
    return BlocValues(**{name: getattr(source, name) for name in HEADER_FIELDS}, valid_from=valid_from)


def bloc_values_on(bloc: Bloc, day: date) -> BlocValues:
    """The profile in force on `day` (the latest that starts on or before it; before the first one, the
    first one: the values the bloc had when its history began). One query, none if profiles are prefetched."""
    profiles = sorted(bloc.profiles.all(), key=lambda profile: profile.valid_from)
    if not profiles:
        return _values(bloc, bloc.valid_from)
    chosen = profiles[0]
    for profile in profiles:
        if profile.valid_from <= day:
            chosen = profile
    return _values(chosen, chosen.valid_from)


@transaction.atomic
def bloc_rename(
    *,
    actor,
    bloc: Bloc,
    effective_on: date,
    name: str | None = None,
    parent_name: str | None = None,
    symbol: str | None = None,
    place_name: str | None = None,
    propaganda_department_name: str | None = None,
) -> BlocProfile:
    """Record a change of the bloc's name, superior body, symbol or place from `effective_on`. Documents dated
    before keep the old values (issued ones have them frozen; drafts resolve them for their date). Changes are
    recorded in order: a new one starts after the last recorded one."""
    access.require_staff(actor)
    locked = Bloc.objects.select_for_update().get(pk=bloc.pk)
    if effective_on is None:
        raise ValidationError({"effective_on": "Nhập ngày áp dụng tên gọi mới."})
    if not locked.profiles.exists() and effective_on <= locked.valid_from:
        raise ValidationError(
            {
                "effective_on": ValidationError(
                    "Ngày áp dụng phải sau ngày bắt đầu hiệu lực của đảng ủy khối (%(day)s).",
                    params={"day": f"{locked.valid_from:%d/%m/%Y}"},
                )
            }
        )
    given = {
        "name": name,
        "parent_name": parent_name,
        "symbol": symbol,
        "place_name": place_name,
        "propaganda_department_name": propaganda_department_name,
    }
    profile, changes = record_dated_change(
        owner=locked,
        fields=HEADER_FIELDS,
        given=given,
        effective_on=effective_on,
        first_from=locked.valid_from,  # the values in force so far: documents of before keep them
        new_profile=lambda **values: BlocProfile(bloc=locked, **values),
        too_early="Đã có thay đổi tên gọi áp dụng từ ngày %(day)s; thay đổi mới phải áp dụng từ sau ngày đó.",
        nothing_changed="Không có thay đổi nào về tên gọi, cơ quan cấp trên, ký hiệu hoặc địa danh.",
    )
    audit.record(actor=actor, action="bloc.rename", target=locked, changes=changes)
    return profile


@transaction.atomic
def bloc_save(*, actor, instance: Bloc, effective_on: date | None = None, **fields) -> Bloc:
    """The data admin's save: a new bloc is created as typed; on an existing one, a change of the header
    values goes through bloc_rename (dated), other fields (validity) are saved as typed. Audited."""
    access.require_staff(actor)
    if instance.pk is None:
        for field, value in fields.items():
            setattr(instance, field, value)
        instance.full_clean()
        instance.save()
        audit.record(actor=actor, action="bloc.create", target=instance, changes=fields)
        return instance
    renamed = {field: value for field, value in fields.items() if field in HEADER_FIELDS}
    others = {field: value for field, value in fields.items() if field not in HEADER_FIELDS}
    locked = Bloc.objects.select_for_update().get(pk=instance.pk)
    if others:
        for field, value in others.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save(update_fields=list(others))
        audit.record(actor=actor, action="bloc.update", target=locked, changes=others)
    if renamed:
        bloc_rename(actor=actor, bloc=locked, effective_on=effective_on, **renamed)
    locked.refresh_from_db()
    return locked

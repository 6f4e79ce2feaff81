"""Writes for organisations, cells, members and accounts. Each one normalises text to NFC, refreshes the
stored search and sort keys, validates, saves and records an audit entry."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from dukportal.core import audit
from dukportal.core.text import fold, normalize_text, person_sort_key, sort_key

from .models import BaseOrganization, Cell, Member, Role, User

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


@transaction.atomic
def member_save(*, actor, instance: Member | None = None, **fields) -> Member:
    created = instance is None or instance.pk is None
    instance = instance or Member()
    changed = _apply(instance, fields)
    if created or changed:
        _save(instance, actor=actor, action="member.create" if created else "member.update", changes=changed)
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

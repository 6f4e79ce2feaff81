"""Who may see and change what. Every view and selector that shows organisation data asks here.

- Committee staff (and superusers): read and manage everything.
- Leaders: read everything, change nothing.
- Officers: read and submit for their own base organisation only.
Objects outside a user's scope are reported as missing (404), so ids of other organisations leak nothing.
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import BaseOrganization, Role


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_committee_staff)


def reads_everything(user) -> bool:
    return bool(user.is_authenticated and user.reads_everything)


def is_officer(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OFFICER and user.organization_id)


def scope(queryset: QuerySet, user, organization_field: str = "organization") -> QuerySet:
    """Restrict any queryset to the rows the user may read. `organization_field` is the path from the
    queryset's model to its BaseOrganization ("" when the queryset is of BaseOrganization itself)."""
    if reads_everything(user):
        return queryset
    if is_officer(user):
        lookup = f"{organization_field}__pk" if organization_field else "pk"
        return queryset.filter(**{lookup: user.organization_id})
    return queryset.none()


def organizations_visible_to(user) -> QuerySet:
    return scope(BaseOrganization.objects.all(), user, organization_field="")


def get_visible_or_404(queryset: QuerySet, user, organization_field: str = "organization", **lookup):
    try:
        return scope(queryset, user, organization_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def can_submit_for(user, organization_id: int) -> bool:
    """Officers submit for their own organisation; staff may act for any (e.g. bloc-level work)."""
    return is_staff(user) or (is_officer(user) and user.organization_id == organization_id)


def require_can_submit_for(user, organization_id: int | None) -> None:
    """As can_submit_for; no organisation means the committee's own (bloc-level) work, which only staff do."""
    allowed = is_staff(user) if organization_id is None else can_submit_for(user, organization_id)
    if not allowed:
        raise PermissionDenied


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied


def require_writer(user) -> None:
    """Leaders read only; officers and staff write (each within their scope)."""
    if not (is_staff(user) or is_officer(user)):
        raise PermissionDenied


class RoleRequiredMixin(AccessMixin):
    """Anonymous → login page; signed in without the needed role → 403."""

    allow = "any"  # "any" signed-in user, "readers" (staff + leaders) or "staff"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        allowed = {"any": True, "readers": reads_everything(user), "staff": is_staff(user)}[self.allow]
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

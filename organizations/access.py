"""Who may see and change what. Every view and selector that shows organisation data asks here.

- Committee staff (and superusers): read and manage everything.
- Leaders: read everything, change nothing.
- Officers: read and submit for their own base organisation only.
Objects outside a user's scope are reported as missing (404), so ids of other organisations leak nothing.
"""

from typing import Any, TypeAlias, TypeGuard, TypeVar, cast

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from .models import BaseOrganization, Role, User

# request.user: a signed-in account or the anonymous user.
Viewer: TypeAlias = User | AnonymousUser
M = TypeVar("M", bound=Model)


def signed_in(request: HttpRequest) -> User:
    """request.user in a view behind RoleRequiredMixin, which has sent anonymous users to the login page."""
    return cast(User, request.user)


def is_staff(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_committee_staff)


def reads_everything(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.reads_everything)


def is_officer(user: Viewer) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OFFICER and user.organization_id)


def scope(queryset: QuerySet[M], user: Viewer, organization_field: str = "organization") -> QuerySet[M]:
    """Restrict any queryset to the rows the user may read. `organization_field` is the path from the
    queryset's model to its BaseOrganization ("" when the queryset is of BaseOrganization itself)."""
    if reads_everything(user):
        return queryset
    if is_officer(user):
        lookup = f"{organization_field}__pk" if organization_field else "pk"
        return queryset.filter(**{lookup: user.organization_id})
    return queryset.none()


def may_read_organization(user: Viewer, pk: int) -> bool:
    """scope()'s answer for one organisation id, without a query: whether organizations_visible_to(user) can
    hold the row with that id (tests/organizations/test_organization_page_prepared.py holds the two together)."""
    if reads_everything(user):
        return True
    return is_officer(user) and user.organization_id == pk


def organizations_visible_to(user: Viewer) -> QuerySet[BaseOrganization]:
    return scope(BaseOrganization.objects.all(), user, organization_field="")


def get_visible_or_404(
    queryset: QuerySet[M], user: Viewer, organization_field: str = "organization", **lookup: Any
) -> M:
    try:
        return scope(queryset, user, organization_field).get(**lookup)
    except ObjectDoesNotExist as exc:  # queryset.model.DoesNotExist
        raise Http404 from exc


def can_submit_for(user: Viewer, organization_id: int) -> bool:
    """Officers submit for their own organisation; staff may act for any (e.g. bloc-level work)."""
    return is_staff(user) or (is_officer(user) and user.organization_id == organization_id)


def require_can_submit_for(user: Viewer, organization_id: int | None) -> None:
    """As can_submit_for; no organisation means the committee's own (bloc-level) work, which only staff do."""
    allowed = is_staff(user) if organization_id is None else can_submit_for(user, organization_id)
    if not allowed:
        raise PermissionDenied


def require_staff(user: Viewer) -> None:
    if not is_staff(user):
        raise PermissionDenied


def require_writer(user: Viewer) -> None:
    """Leaders read only; officers and staff write (each within their scope)."""
    if not (is_staff(user) or is_officer(user)):
        raise PermissionDenied


class RoleRequiredMixin(AccessMixin):
    """Anonymous → login page; signed in without the needed role → 403."""

    allow = "any"  # "any" signed-in user, "readers" (staff + leaders) or "staff"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        allowed = {"any": True, "readers": reads_everything(user), "staff": is_staff(user)}[self.allow]
        if not allowed:
            raise PermissionDenied
        # AccessMixin has no dispatch of its own: the view class after this mixin in the bases has.
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

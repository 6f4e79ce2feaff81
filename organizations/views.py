from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from . import access, selectors
from .models import BaseOrganization, Cell, MemberStatus, Sector


class HomeView(access.RoleRequiredMixin, View):
    """Staff and leaders land on the organisation overview; an officer on their own organisation."""

    def get(self, request):
        if access.reads_everything(request.user):
            return redirect("organizations:list")
        if access.is_officer(request.user):
            return redirect("organizations:detail", pk=request.user.organization_id)
        return redirect("logout")


class OrganizationListView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "organizations/organization_list.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        sector = self.request.GET.get("sector", "")
        organizations = list(selectors.organization_list(self.request.user, query=query, sector=sector))
        return super().get_context_data(
            organizations=organizations,
            totals=selectors.organization_totals(organizations),
            sectors=Sector.choices,
            query=query,
            sector=sector,
            **kwargs,
        )


class OrganizationDetailView(access.RoleRequiredMixin, TemplateView):
    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(
            selectors.organization_list(user), user, organization_field="", pk=kwargs["pk"]
        )
        return super().get_context_data(
            organization=organization, cells=list(selectors.cells_of(organization)), **kwargs
        )


class CellDetailView(access.RoleRequiredMixin, TemplateView):
    template_name = "organizations/cell_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cell = access.get_visible_or_404(Cell.objects.select_related("organization"), user, pk=kwargs["pk"])
        members = selectors.member_list(user, organization=cell.organization).filter(cell=cell)
        return super().get_context_data(cell=cell, members=list(members), **kwargs)


class MemberListView(access.RoleRequiredMixin, TemplateView):
    template_name = "organizations/member_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(BaseOrganization.objects.all(), user, "", pk=kwargs["pk"])
        query = self.request.GET.get("q", "")
        status = self.request.GET.get("status", "")
        members = selectors.member_list(user, organization=organization, query=query, status=status)
        page = Paginator(members, 100).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            organization=organization,
            page=page,
            query=query,
            status=status,
            statuses=MemberStatus.choices,
            **kwargs,
        )


class MemberSearchView(access.RoleRequiredMixin, TemplateView):
    """Search members across every organisation the user may read; diacritics are ignored."""

    template_name = "organizations/member_search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        members = selectors.member_list(self.request.user, query=query) if query.strip() else None
        page = Paginator(members, 100).get_page(self.request.GET.get("page")) if members is not None else None
        return super().get_context_data(query=query, page=page, **kwargs)


class ImportExportView(access.RoleRequiredMixin, TemplateView):
    """Excel import and export of organisations, cells and members (staff only)."""

    allow = "staff"
    template_name = "organizations/import_export.html"

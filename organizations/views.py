from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from dukportal.core import figures_cache, xlsx
from dukportal.core.cells import rows_html
from dukportal.core.forms import reference_date_of
from dukportal.core.pagination import RankedIdsPaginator
from dukportal.core.text import search_terms

from . import access, imports, page_sections, reorganization_views, rows, selectors, spreadsheets
from .forms import OrganizationFilterForm, WorkbookUploadForm
from .models import BaseOrganization, Cell, MemberStatus, Sector


class HomeView(access.RoleRequiredMixin, View):
    """Staff and leaders land on the overview; an officer on their own organisation."""

    def get(self, request):
        if access.reads_everything(request.user):
            target = reverse("dashboard:index")
        elif access.is_officer(request.user):
            target = reverse("organizations:detail", args=[request.user.organization_id])
        else:
            return redirect("logout")
        # A reference date chosen in a link ("/?ngay=15/05/2024") is kept on the landing page.
        if reference := request.GET.get("ngay"):
            target += "?" + urlencode({"ngay": reference})
        return redirect(target)


class OrganizationListView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "organizations/organization_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        form = OrganizationFilterForm(self.request.GET)
        on = form.value("ngay", timezone.localdate())
        query, sector = form.value("q", ""), form.value("sector", "")
        user = self.request.user
        # The totals count every membership period current on the day (≈ 61,500 at 1,000 organisations), the
        # page's one cost that grows with the bloc: a figure, served from the figures cache like the dashboard's
        # (fresh after any service write). The search enters the key as its folded words, as the filter reads it.
        totals = figures_cache.cached(
            "organization_list_totals",
            on=on,
            user=user,
            params=(sector, figures_cache.digest(" ".join(search_terms(query)))),
            compute=lambda: selectors.organization_list_totals(user, query=query, sector=sector, on=on),
        )
        paginator = Paginator(
            selectors.organization_list_rows(user, query=query, sector=sector, on=on), self.paginate_by
        )
        paginator.count = totals["organizations"]  # the same organisations, counted once (no second COUNT)
        page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            page=page,
            organizations=page.object_list,
            organization_rows=rows_html(rows.organization_rows(page.object_list, start=page.start_index())),
            totals=totals,
            sectors=Sector.choices,
            query=query,
            sector=sector,
            on=on,
            **kwargs,
        )


class OrganizationDetailView(access.RoleRequiredMixin, TemplateView):
    """One organisation with its member and cell counts on the reference date (?ngay=, default today)."""

    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        reference_form, on = reference_date_of(self.request)
        organization = selectors.organization_detail(user, kwargs["pk"], on=on)
        return super().get_context_data(
            organization=organization,
            cells=selectors.organization_cells(organization, on=on),
            reference_form=reference_form,
            on=on,
            # What the apps above this one add to the page (organizations.page_sections), computed here.
            organization_links=page_sections.shown_links(organization),
            organization_sections=page_sections.shown_sections(user, organization, on=on),
            **reorganization_views.history_context(organization),
            **kwargs,
        )


class CellDetailView(access.RoleRequiredMixin, TemplateView):
    template_name = "organizations/cell_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cell = access.get_visible_or_404(Cell.objects.select_related("organization"), user, pk=kwargs["pk"])
        members = selectors.member_list(user, organization=cell.organization).filter(cell=cell)
        members = list(members.values_list(*selectors.MEMBER_ROW_FIELDS, named=True))
        return super().get_context_data(
            cell=cell, members=members, member_rows=rows_html(rows.member_rows(members, start=1)), **kwargs
        )


class OrganizationLookupView(access.RoleRequiredMixin, View):
    """Search-as-you-type for the organisation field of staff forms: at most 20 matches of `q` (code or name,
    diacritics ignored) among the organisations the user may read, as JSON. `nam` keeps them to those
    active during that year (a campaign's)."""

    def get(self, request):
        year = request.GET.get("nam", "")
        organizations = BaseOrganization.objects.active_during(int(year)) if year.isdigit() and len(year) == 4 else None
        rows = selectors.organization_choices(request.user, request.GET.get("q", ""), organizations=organizations)
        return JsonResponse({"results": [{"id": r["pk"], "label": f"{r['code']} – {r['name']}"} for r in rows]})


class MemberListView(access.RoleRequiredMixin, TemplateView):
    template_name = "organizations/member_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(BaseOrganization.objects.all(), user, "", pk=kwargs["pk"])
        query = self.request.GET.get("q", "")
        status = self.request.GET.get("status", "")
        # Without a date: every member whose row names the organisation now; with ?ngay=: who belonged then.
        reference_form, on = reference_date_of(self.request)
        asked = on if self.request.GET.get("ngay") and reference_form.is_valid() else None
        members = selectors.member_list(user, organization=organization, query=query, status=status, on=asked)
        page = Paginator(members.values_list(*selectors.MEMBER_ROW_FIELDS, named=True), 100).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            organization=organization,
            page=page,
            member_rows=rows_html(rows.member_rows(page.object_list, start=page.start_index())),
            query=query,
            status=status,
            statuses=MemberStatus.choices,
            reference_form=reference_form,
            on=on,
            asked=asked,
            **kwargs,
        )


class MemberSearchView(access.RoleRequiredMixin, TemplateView):
    """Search members across every organisation the user may read; diacritics are ignored. The pager counts
    at most `counted_up_to` matches (a common family name matches a third of the bloc): past them the page
    says "more than", lists the exact full names and then the first matches in alphabetical order, ranked
    (selectors.member_search_candidates), and asks for another word."""

    template_name = "organizations/member_search.html"
    counted_up_to = 1000

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        page = None
        if query.strip():
            user, cap = self.request.user, self.counted_up_to
            # One match past the cap tells the pager that more matched.
            ids = selectors.member_search_ids(user, query, limit=cap + 1)
            members = selectors.member_list(user, query=query).values_list(*selectors.MEMBER_ROW_FIELDS, named=True)
            page = RankedIdsPaginator(ids, members, 100, cap=cap).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            query=query,
            page=page,
            member_rows=rows_html(rows.member_search_rows(page.object_list)) if page else "",
            **kwargs,
        )


class ImportExportView(access.RoleRequiredMixin, TemplateView):
    """Excel import and export of organisations, cells and members (staff only)."""

    allow = "staff"
    template_name = "organizations/import_export.html"
    errors_shown = 500  # a wholly wrong file can have thousands; the first ones say what to fix

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", WorkbookUploadForm())
        return super().get_context_data(sheets=spreadsheets.SHEETS, exports=page_sections.shown_exports(), **kwargs)

    def post(self, request):
        form = WorkbookUploadForm(request.POST, request.FILES)
        errors: list = []
        if form.is_valid():
            try:
                result = imports.import_workbook(actor=request.user, file=form.cleaned_data["file"])
            except imports.ImportRejected as rejected:
                errors = rejected.errors
            else:
                messages.success(request, result.summary())
                return redirect("organizations:import")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                errors=errors[: self.errors_shown],
                error_count=len(errors),
                file_name=getattr(request.FILES.get("file"), "name", ""),
            )
        )


class ImportTemplateView(access.RoleRequiredMixin, View):
    """The blank workbook to fill in for an import."""

    allow = "staff"

    def get(self, request):
        return xlsx.response(spreadsheets.build_template(), "mau-nhap-to-chuc-dang-vien.xlsx")

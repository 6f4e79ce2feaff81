"""Statistics of a campaign year, Excel exports, and histories across years (an organisation's registrations,
a model's lineage). Reads only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from dukportal.core import figures_cache, xlsx
from dukportal.core.forms import ROWS_CAP, reference_date_of
from dukportal.submissions.models import SubmissionStatus
from organizations import access
from organizations.models import BaseOrganization, Sector

from . import exports, selectors
from .models import Campaign, Category


def _choice(request, name: str, choices) -> str:
    """A filter value from the query string; anything not among the choices means “no filter”."""
    value = request.GET.get(name, "")
    return value if value in choices.values else ""


def _statistics_filters(request) -> dict:
    return {"sector": _choice(request, "sector", Sector), "category": _choice(request, "category", Category)}


def _query(*parts: str) -> str:
    """Query strings joined, empty ones left out ("" when there is nothing to carry)."""
    return "&".join(part for part in parts if part)


class StatisticsView(access.RoleRequiredMixin, TemplateView):
    """x/y registered, who is missing, models and exemplars by level, field, origin and sector, the
    evaluations, all for the reference date (`ngay`, default today): the same date gives the same figures
    here, in the export and on the dashboard."""

    allow = "readers"
    template_name = "models_danvan/statistics.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        reference_form, on = reference_date_of(self.request)
        params = _statistics_filters(self.request)
        stats, years = figures_cache.cached(
            "danvan_statistics",
            on=on,
            user=self.request.user,
            params=(campaign.pk, params["sector"], params["category"]),
            compute=lambda: (
                selectors.campaign_summary(campaign, on=on, **params),
                selectors.yearly_totals(on=on, **params),
            ),
        )
        filters = urlencode({name: value for name, value in params.items() if value})
        return super().get_context_data(
            campaign=campaign,
            stats=stats,
            on=on,
            reference_form=reference_form,
            chart={
                "labels": [row.label for row in stats.rows],
                "continued": [row.continued for row in stats.rows],
                "new": [row.new for row in stats.rows],
            },
            params=params,
            category_label=dict(Category.choices).get(params["category"], ""),
            # Links keep the filters and the reference date (a bad date is not carried: it was refused).
            query=_query(filters, reference_form.query_string),
            date_query=reference_form.query_string,
            sectors=Sector.choices,
            categories=Category.choices,
            years=years,
            **kwargs,
        )


# The full lists behind the statistics page's two previews: `muc` in the query string.
ORGANIZATION_LISTS = {"chua-gui": False, "da-gui": True}


class StatisticsOrganizationsView(access.RoleRequiredMixin, TemplateView):
    """Every organisation that owed the registration and has not sent it (`muc=chua-gui`, the default) or has
    (`muc=da-gui`, with its count of models and exemplars), at the end of the reference date `ngay` and with the
    statistics page's filters, a page at a time (`page`): the statistics page lists the first few and links
    here."""

    allow = "readers"
    template_name = "models_danvan/statistics_organizations.html"
    paginate_by = ROWS_CAP

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        reference_form, on = reference_date_of(self.request)
        params = _statistics_filters(self.request)
        slug = self.request.GET.get("muc", "")
        slug = slug if slug in ORGANIZATION_LISTS else "chua-gui"
        rows = selectors.OrganizationList(campaign, on, registered=ORGANIZATION_LISTS[slug], **params)
        filters = urlencode({name: value for name, value in params.items() if value})
        return super().get_context_data(
            campaign=campaign,
            slug=slug,
            page=Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page")),
            on=on,
            params=params,
            category_label=dict(Category.choices).get(params["category"], ""),
            sector_label=dict(Sector.choices).get(params["sector"], ""),
            reference_form=reference_form,
            query=_query(filters, reference_form.query_string),
            date_query=reference_form.query_string,
            **kwargs,
        )


class LatestStatisticsView(access.RoleRequiredMixin, View):
    """The navigation's “Thống kê” link: the newest campaign's statistics."""

    allow = "readers"

    def get(self, request):
        campaign = Campaign.objects.order_by("-year").first()
        if campaign is None:
            messages.info(request, "Chưa có đợt “Dân vận khéo” nào để thống kê.")
            return redirect("models_danvan:campaigns")
        return redirect("models_danvan:statistics", pk=campaign.pk)


class StatisticsXlsxView(access.RoleRequiredMixin, View):
    """The statistics page as a workbook, for the same reference date and filters."""

    allow = "readers"

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        reference_form, on = reference_date_of(request)
        params = _statistics_filters(request)
        stats = selectors.campaign_statistics(campaign, on=on, **params)
        registrations = selectors.statistics_registrations(campaign, on=on, **params)
        workbook = exports.statistics_workbook(stats, registrations, years=selectors.yearly_totals(on=on, **params))
        suffix = f"-den-{on:%d-%m-%Y}" if reference_form.query_string else ""
        return xlsx.response(workbook, f"thong-ke-dan-van-kheo-{campaign.year}{suffix}.xlsx")


class RegistrationsXlsxView(access.RoleRequiredMixin, View):
    """The registration list page as a workbook: same scope (an officer gets their own), same filters."""

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        params = {
            "status": _choice(request, "status", SubmissionStatus),
            "category": _choice(request, "category", Category),
            "sector": _choice(request, "sector", Sector),
        }
        registrations = selectors.registration_list(request.user, campaign, **params).select_related(
            "continued_from__campaign"
        )
        filters = exports.filter_line(**params, statuses=SubmissionStatus.choices)
        workbook = exports.registrations_workbook(campaign, registrations, filters=filters)
        return xlsx.response(workbook, f"dang-ky-dan-van-kheo-{campaign.year}.xlsx")


class LineageView(access.RoleRequiredMixin, TemplateView):
    """A model across the years it was carried over, with each year's status, evaluations and awards."""

    template_name = "models_danvan/lineage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        registration = access.get_visible_or_404(selectors.registrations_visible_to(user), user, pk=kwargs["pk"])
        return super().get_context_data(
            registration=registration,
            campaign=registration.campaign,
            chain=selectors.model_lineage(user, registration),
            **kwargs,
        )


class OrganizationHistoryView(access.RoleRequiredMixin, TemplateView):
    """An organisation's registrations, year by year, with what counted in the figures (today, or on `ngay`):
    drafts and withdrawn registrations are listed but not counted."""

    template_name = "models_danvan/organization_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(
            BaseOrganization.objects.all(), user, organization_field="", pk=kwargs["pk"]
        )
        reference_form, on = reference_date_of(self.request)
        registrations = list(selectors.organization_history(user, organization, on=on))
        years = selectors.history_by_year(registrations)
        return super().get_context_data(
            organization=organization,
            years=years,
            total=len(registrations),
            counted=sum(year.counted for year in years),
            on=on,
            reference_form=reference_form,
            **kwargs,
        )

from django.views.generic import TemplateView

from dukportal.core import figures_cache
from dukportal.core.forms import reference_date_of
from organizations import access

from . import selectors


class DashboardView(access.RoleRequiredMixin, TemplateView):
    """The overview staff and leaders land on, for the reference date (`ngay`, default today)."""

    allow = "readers"
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        reference_form, on = reference_date_of(self.request)
        return super().get_context_data(
            dashboard=figures_cache.cached(
                "dashboard",
                on=on,
                user=self.request.user,
                compute=lambda: selectors.dashboard_for(self.request.user, today=on),
            ),
            reference_form=reference_form,
            on=on,
            date_query=reference_form.query_string,
            **kwargs,
        )

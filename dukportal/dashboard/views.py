from django.utils import timezone
from django.views.generic import TemplateView

from organizations import access

from . import selectors


class DashboardView(access.RoleRequiredMixin, TemplateView):
    """The overview staff and leaders land on."""

    allow = "readers"
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(dashboard=selectors.dashboard_for(self.request.user, today=today), **kwargs)

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dukportal.dashboard"
    label = "dashboard"
    verbose_name = "Tổng quan"

    def ready(self):
        from dukportal.core import navigation

        navigation.register(navigation.Entry("dashboard.index", "Tổng quan", "dashboard:index", order=10))

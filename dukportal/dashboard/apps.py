from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dukportal.dashboard"
    label = "dashboard"
    verbose_name = "Tổng quan"

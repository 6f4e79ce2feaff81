from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Văn bản và báo cáo"

    def ready(self):
        from . import obligations, registrations

        obligations.register()
        registrations.register()

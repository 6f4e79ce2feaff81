from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Văn bản và báo cáo"

    def ready(self):
        from dukportal.core import navigation

        from . import obligations, registrations

        navigation.register(navigation.Entry("reports.documents", "Văn bản", "reports:documents", order=60))
        navigation.register(
            navigation.Entry(
                "reports.inbox",
                "Văn bản đến",
                "reports:inbox",
                audience=navigation.OFFICERS,
                order=11,
                own_organization=True,
            )
        )

        obligations.register()
        registrations.register()

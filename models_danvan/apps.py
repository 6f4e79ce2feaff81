from django.apps import AppConfig


class ModelsDanvanConfig(AppConfig):
    name = "models_danvan"
    verbose_name = "Mô hình “Dân vận khéo”"

    def ready(self):
        from dukportal.core import navigation

        from . import dashboard, document_sections, obligations, organization_page

        group = "“Dân vận khéo”"
        for entry in (
            navigation.Entry("danvan.campaigns", "Các đợt đăng ký", "models_danvan:campaigns", order=30, group=group),
            navigation.Entry(
                "danvan.statistics",
                "Thống kê “Dân vận khéo”",
                "models_danvan:statistics_latest",
                order=31,
                group=group,
            ),
            navigation.Entry(
                "danvan.campaigns_officer", group, "models_danvan:campaigns", audience=navigation.OFFICERS, order=30
            ),
        ):
            navigation.register(entry)

        obligations.register()
        dashboard.register()
        organization_page.register()
        document_sections.register()

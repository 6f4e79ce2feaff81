from django.apps import AppConfig


class ModelsDanvanConfig(AppConfig):
    name = "models_danvan"
    verbose_name = "Mô hình “Dân vận khéo”"

    def ready(self):
        from . import dashboard, document_sections, obligations, organization_page

        obligations.register()
        dashboard.register()
        organization_page.register()
        document_sections.register()

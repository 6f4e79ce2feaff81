from django.apps import AppConfig


class DemocracyRegsConfig(AppConfig):
    name = "democracy_regs"
    verbose_name = "Quy chế dân chủ ở cơ sở"

    def ready(self):
        from . import document_sections, obligations

        obligations.register()
        document_sections.register()

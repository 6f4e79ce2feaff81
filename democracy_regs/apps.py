from django.apps import AppConfig


class DemocracyRegsConfig(AppConfig):
    name = "democracy_regs"
    verbose_name = "Quy chế dân chủ ở cơ sở"

    def ready(self):
        from dukportal.core import navigation

        from . import document_sections, obligations

        navigation.register(
            navigation.Entry(
                "qcdc.cycles", "Dân chủ cơ sở", "democracy_regs:cycles", audience=navigation.EVERYONE, order=40
            )
        )

        obligations.register()
        document_sections.register()

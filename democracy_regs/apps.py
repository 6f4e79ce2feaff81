from django.apps import AppConfig


class DemocracyRegsConfig(AppConfig):
    name = "democracy_regs"
    verbose_name = "Quy chế dân chủ ở cơ sở"

    def ready(self):
        from . import obligations

        obligations.register()

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        from . import obligations

        obligations.register()

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        from dukportal.core import navigation

        from . import obligations

        label, url_name = "Báo cáo định kỳ", "indicators:definitions"
        navigation.register(
            navigation.Entry("indicators.definitions", label, url_name, order=51, group=navigation.DEADLINES_GROUP)
        )
        navigation.register(
            navigation.Entry("indicators.definitions_officer", label, url_name, audience=navigation.OFFICERS, order=50)
        )

        obligations.register()

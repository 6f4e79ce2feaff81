from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dukportal.core"
    label = "core"
    verbose_name = "Hệ thống"

from django.apps import AppConfig


class ThrowawayKindConfig(AppConfig):
    name = "tests.throwaway_kind"
    label = "throwaway_kind"
    verbose_name = "Tuyên truyền (thử nghiệm)"

    def ready(self):
        from . import kind

        kind.register()

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức đảng và tài khoản"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from dukportal.core import navigation

        from . import auth_audit, bloc_cache  # noqa: F401  (auth_audit connects the sign-in audit receivers)
        from .models import Bloc, BlocProfile

        # Every write of the bloc's names, whoever makes it, makes pages read them again (bloc_cache).
        for model in (Bloc, BlocProfile):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(bloc_cache.changed, sender=model, dispatch_uid=f"bloc_cache.{model.__name__}.{name}")

        group = "Tổ chức, đảng viên"
        for entry in (
            navigation.Entry("organizations.list", "Tổ chức cơ sở đảng", "organizations:list", order=20, group=group),
            navigation.Entry(
                "organizations.members", "Tra cứu đảng viên", "organizations:member_search", order=21, group=group
            ),
            navigation.Entry(
                "organizations.import",
                "Nhập/xuất Excel",
                "organizations:import",
                order=22,
                group=group,
                visible=lambda user: user.is_committee_staff,
            ),
            navigation.Entry(
                "organizations.own",
                "Đơn vị của tôi",
                "organizations:detail",
                audience=navigation.OFFICERS,
                order=10,
                own_organization=True,
            ),
        ):
            navigation.register(entry)

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức đảng và tài khoản"

    def ready(self):
        from . import auth_audit  # noqa: F401  (connects the sign-in audit receivers)

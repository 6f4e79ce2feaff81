from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức đảng và tài khoản"

    def ready(self):
        from dukportal.core import navigation

        from . import auth_audit  # noqa: F401  (connects the sign-in audit receivers)

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

from django.urls import path

from . import views

app_name = "democracy_regs"


def _submission_urls(kind, segment: str) -> list:
    v = views.kind_views(kind)
    name = kind.name
    return [
        path(f"dot/<int:pk>/{segment}/moi/", v["create"].as_view(), name=f"{name}_create"),
        path(f"{segment}/<int:pk>/", v["detail"].as_view(), name=name),
        path(f"{segment}/<int:pk>/sua/", v["edit"].as_view(), name=f"{name}_edit"),
        path(f"{segment}/<int:pk>/gui/", v["submit"].as_view(), name=f"{name}_submit"),
        path(f"{segment}/<int:pk>/tra-lai/", v["return"].as_view(), name=f"{name}_return"),
        path(f"{segment}/<int:pk>/tiep-nhan/", v["accept"].as_view(), name=f"{name}_accept"),
        path(f"{segment}/<int:pk>/tep/", v["attach"].as_view(), name=f"{name}_attach"),
        path(f"{segment}/<int:pk>/rut-lai/", v["withdraw"].as_view(), name=f"{name}_withdraw"),
        path(f"{segment}/<int:pk>/xoa/", v["delete"].as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("dot/moi/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("dot/<int:pk>/", views.CycleDetailView.as_view(), name="cycle"),
    path("dot/<int:pk>/sua/", views.CycleUpdateView.as_view(), name="cycle_edit"),
    path("dot/<int:pk>/thong-ke/", views.StatisticsView.as_view(), name="statistics"),
    path("dot/<int:pk>/thong-ke.xlsx", views.StatisticsExportView.as_view(), name="statistics_xlsx"),
    path("dot/<int:pk>/da-gui/", views.CycleSubmissionsView.as_view(), name="cycle_submissions"),
    path("dot/<int:pk>/diem-sang/", views.BrightSpotListView.as_view(), name="bright_spots"),
    *_submission_urls(views.KINDS["plan"], "ke-hoach"),
    *_submission_urls(views.KINDS["committee"], "ban-chi-dao"),
    *_submission_urls(views.KINDS["report"], "bao-cao"),
    *_submission_urls(views.KINDS["bright_spot"], "diem-sang"),
    path("to-chuc/<int:pk>/", views.OrganizationHistoryView.as_view(), name="organization_history"),
    path("to-chuc/<int:pk>/ban-chi-dao/", views.OrganizationCommitteeView.as_view(), name="organization_committee"),
    path("thanh-vien/<int:pk>/thoi/", views.MembershipChangeView.as_view(change="end"), name="membership_end"),
    path("thanh-vien/<int:pk>/xoa/", views.MembershipChangeView.as_view(change="remove"), name="membership_remove"),
    path(
        "thanh-vien/<int:pk>/doi-nhiem-vu/", views.MembershipChangeView.as_view(change="role"), name="membership_role"
    ),
]

from django.urls import path

from dukportal.submissions import generic_views

from . import views

app_name = "democracy_regs"


def _submission_urls(kind, segment: str) -> list:
    return generic_views.submission_urls(
        views.kind_views(kind), kind, segment=segment, create=f"dot/<int:pk>/{segment}/moi/"
    )


urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycles"),
    path("dot/moi/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("dot/<int:pk>/", views.CycleDetailView.as_view(), name="cycle"),
    path("dot/<int:pk>/sua/", views.CycleUpdateView.as_view(), name="cycle_edit"),
    path("dot/<int:pk>/thong-ke/", views.StatisticsView.as_view(), name="statistics"),
    path("dot/<int:pk>/chua-thuc-hien/", views.MissingListView.as_view(), name="missing"),
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

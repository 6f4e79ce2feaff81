"""Statistics, exports and histories of “Dân vận khéo” (merged into models_danvan.urls)."""

from django.urls import path

from . import statistics_views as views

urlpatterns: list = [
    path("thong-ke/", views.LatestStatisticsView.as_view(), name="statistics_latest"),
    path("dot/<int:pk>/thong-ke/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "dot/<int:pk>/thong-ke/to-chuc/", views.StatisticsOrganizationsView.as_view(), name="statistics_organizations"
    ),
    path("dot/<int:pk>/thong-ke.xlsx", views.StatisticsXlsxView.as_view(), name="statistics_xlsx"),
    path("dot/<int:pk>/dang-ky.xlsx", views.RegistrationsXlsxView.as_view(), name="registrations_xlsx"),
    path("dang-ky/<int:pk>/qua-cac-nam/", views.LineageView.as_view(), name="lineage"),
    path("to-chuc/<int:pk>/lich-su/", views.OrganizationHistoryView.as_view(), name="organization_history"),
]

from django.urls import path

from . import reorganization_views, views

app_name = "organizations"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/to-chuc-lai/", reorganization_views.ReorganizationView.as_view(), name="reorganize"),
    path("<int:pk>/dang-vien/", views.MemberListView.as_view(), name="members"),
    path("chi-bo/<int:pk>/", views.CellDetailView.as_view(), name="cell"),
    path("tra-cuu.json", views.OrganizationLookupView.as_view(), name="lookup"),
    path("dang-vien/", views.MemberSearchView.as_view(), name="member_search"),
    path("excel/", views.ImportExportView.as_view(), name="import"),
    path("excel/mau/", views.ImportTemplateView.as_view(), name="import_template"),
]

from django.urls import path

from dukportal.submissions import generic_views

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.DefinitionListView.as_view(), name="definitions"),
    path("mau/moi/", views.DefinitionCreateView.as_view(), name="definition_create"),
    path("mau/<int:pk>/", views.DefinitionDetailView.as_view(), name="definition"),
    path("mau/<int:pk>/sua/", views.DefinitionUpdateView.as_view(), name="definition_edit"),
    path("mau/<int:pk>/them-phan/", views.DefinitionChangeView.as_view(change="section"), name="section_add"),
    path("mau/<int:pk>/them-chi-tieu/", views.DefinitionChangeView.as_view(change="indicator"), name="indicator_add"),
    path("mau/<int:pk>/sap-xep/", views.DefinitionChangeView.as_view(change="move"), name="indicator_move"),
    path("mau/<int:pk>/mo-ky/", views.DefinitionChangeView.as_view(change="round"), name="round_open"),
    path("ky/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path("ky/<int:pk>/tong-hop/", views.AggregateView.as_view(), name="aggregate"),
    path("ky/<int:pk>/tong-hop.xlsx", views.AggregateExportView.as_view(), name="aggregate_xlsx"),
    *generic_views.submission_urls(
        views.REPORT_VIEWS, views.REPORT_PAGES, segment="bao-cao", create="ky/<int:pk>/lap-bao-cao/"
    ),
]

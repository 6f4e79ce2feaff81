from django.urls import path

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
    path("ky/<int:pk>/lap-bao-cao/", views.ReportCreateView.as_view(), name="report_create"),
    path("bao-cao/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("bao-cao/<int:pk>/sua/", views.ReportUpdateView.as_view(), name="report_edit"),
    path("bao-cao/<int:pk>/gui/", views.ACTIONS["submit"].as_view(), name="report_submit"),
    path("bao-cao/<int:pk>/tra-lai/", views.ACTIONS["return"].as_view(), name="report_return"),
    path("bao-cao/<int:pk>/tiep-nhan/", views.ACTIONS["accept"].as_view(), name="report_accept"),
    path("bao-cao/<int:pk>/tep/", views.ACTIONS["attach"].as_view(), name="report_attach"),
    path("bao-cao/<int:pk>/rut-lai/", views.ACTIONS["withdraw"].as_view(), name="report_withdraw"),
    path("bao-cao/<int:pk>/xoa/", views.ACTIONS["delete"].as_view(), name="report_delete"),
]

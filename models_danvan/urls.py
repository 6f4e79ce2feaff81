from django.urls import path

from dukportal.submissions import generic_views

from . import views
from .statistics_urls import urlpatterns as statistics_urlpatterns

app_name = "models_danvan"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaigns"),
    path("dot/moi/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("dot/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("dot/<int:pk>/sua/", views.CampaignUpdateView.as_view(), name="campaign_edit"),
    path("dot/<int:pk>/tiep-tuc/", views.CarryOverView.as_view(), name="carry_over"),
    *generic_views.submission_urls(
        views.REGISTRATION_VIEWS,
        views.REGISTRATION_PAGES,
        segment="dang-ky",
        create="dot/<int:pk>/dang-ky/moi/",
        list_route="dot/<int:pk>/dang-ky/",
    ),
    path("dang-ky/<int:pk>/khen-thuong/", views.RegistrationOutstandingView.as_view(), name="registration_outstanding"),
    path("dang-ky/<int:pk>/danh-gia/moi/", views.EVALUATION_VIEWS["create"].as_view(), name="evaluation_create"),
    path("danh-gia/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation"),
    path("danh-gia/<int:pk>/sua/", views.EVALUATION_VIEWS["edit"].as_view(), name="evaluation_edit"),
    path("danh-gia/<int:pk>/gui/", views.EVALUATION_VIEWS["submit"].as_view(), name="evaluation_submit"),
    path("danh-gia/<int:pk>/tra-lai/", views.EVALUATION_VIEWS["return"].as_view(), name="evaluation_return"),
    path("danh-gia/<int:pk>/tham-dinh/", views.EvaluationAssessView.as_view(), name="evaluation_assess"),
    *statistics_urlpatterns,
]

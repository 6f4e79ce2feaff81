from django.urls import path

from . import views
from .statistics_urls import urlpatterns as statistics_urlpatterns

app_name = "models_danvan"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaigns"),
    path("dot/moi/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("dot/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("dot/<int:pk>/sua/", views.CampaignUpdateView.as_view(), name="campaign_edit"),
    path("dot/<int:pk>/dang-ky/", views.RegistrationListView.as_view(), name="registrations"),
    path("dot/<int:pk>/dang-ky/moi/", views.RegistrationCreateView.as_view(), name="registration_create"),
    path("dot/<int:pk>/tiep-tuc/", views.CarryOverView.as_view(), name="carry_over"),
    path("dang-ky/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration"),
    path("dang-ky/<int:pk>/sua/", views.RegistrationUpdateView.as_view(), name="registration_edit"),
    path("dang-ky/<int:pk>/gui/", views.RegistrationSubmitView.as_view(), name="registration_submit"),
    path("dang-ky/<int:pk>/tra-lai/", views.RegistrationReturnView.as_view(), name="registration_return"),
    path("dang-ky/<int:pk>/tiep-nhan/", views.RegistrationAcceptView.as_view(), name="registration_accept"),
    path("dang-ky/<int:pk>/tep/", views.RegistrationAttachView.as_view(), name="registration_attach"),
    path("dang-ky/<int:pk>/rut-lai/", views.RegistrationWithdrawView.as_view(), name="registration_withdraw"),
    path("dang-ky/<int:pk>/xoa/", views.RegistrationDeleteView.as_view(), name="registration_delete"),
    path("dang-ky/<int:pk>/khen-thuong/", views.RegistrationOutstandingView.as_view(), name="registration_outstanding"),
    path("dang-ky/<int:pk>/danh-gia/moi/", views.EvaluationCreateView.as_view(), name="evaluation_create"),
    path("danh-gia/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation"),
    path("danh-gia/<int:pk>/sua/", views.EvaluationUpdateView.as_view(), name="evaluation_edit"),
    path("danh-gia/<int:pk>/gui/", views.EvaluationSubmitView.as_view(), name="evaluation_submit"),
    path("danh-gia/<int:pk>/tra-lai/", views.EvaluationReturnView.as_view(), name="evaluation_return"),
    path("danh-gia/<int:pk>/tham-dinh/", views.EvaluationAssessView.as_view(), name="evaluation_assess"),
    *statistics_urlpatterns,
]

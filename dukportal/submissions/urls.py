from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("tep/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("tep/<int:pk>/go/", views.AttachmentRemoveView.as_view(), name="attachment_remove"),
    path("khong-phat-sinh/han/<int:pk>/", views.NilReturnCreateView.as_view(), name="nil_return_create"),
    path("khong-phat-sinh/<int:pk>/", views.NilReturnDetailView.as_view(), name="nil_return"),
]

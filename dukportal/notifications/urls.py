from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.NotificationListView.as_view(), name="list"),
    path("thong-bao/<int:pk>/da-doc/", views.NotificationReadView.as_view(), name="read"),
    path("thong-bao/da-doc-tat-ca/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("theo-doi-han-nop/", views.TrackingView.as_view(), name="tracking"),
    path("theo-doi-han-nop/ma-tran/", views.ComplianceMatrixView.as_view(), name="matrix"),
    path("theo-doi-han-nop/ma-tran/excel/", views.ComplianceMatrixExportView.as_view(), name="matrix_xlsx"),
    path("theo-doi-han-nop/han/<int:pk>/nhac/", views.ReminderJobCreateView.as_view(), name="remind"),
    path("theo-doi-han-nop/han/<int:pk>/dong/", views.DeadlineCloseView.as_view(), name="close_deadline"),
    path("theo-doi-han-nop/nhac-nho/", views.ReminderJobsView.as_view(), name="jobs"),
    path("theo-doi-han-nop/nhac-nho/<int:pk>/thu-lai/", views.ReminderJobRetryView.as_view(), name="job_retry"),
]

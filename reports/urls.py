from django.urls import path

from dukportal.submissions.generic_views import ACTION_SEGMENTS

from . import delivery_views, editor_views, reply_views, views

app_name = "reports"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="documents"),
    path("moi/", views.DocumentCreateView.as_view(), name="document_create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document"),
    path("<int:pk>/sua/", editor_views.DocumentEditorView.as_view(), name="document_edit"),
    path("<int:pk>/sua/xem-truoc/", editor_views.DocumentEditorPreviewView.as_view(), name="document_editor_preview"),
    path("<int:pk>/sua/kiem-tra/", editor_views.DocumentEditorChecksView.as_view(), name="document_editor_checks"),
    path("<int:pk>/xem-truoc/", views.DocumentPreviewView.as_view(), name="document_preview"),
    path("<int:pk>/soan-lai/", views.DocumentRegenerateView.as_view(), name="document_regenerate"),
    path("<int:pk>/phat-hanh/", views.DocumentIssueView.as_view(), name="document_issue"),
    path("<int:pk>/xoa/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("<int:pk>/tai-ve.<str:fmt>", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<int:pk>/tao-tep.<str:fmt>", views.DocumentRenderJobView.as_view(), name="document_render_job"),
    path("<int:pk>/bang-so-lieu.xlsx", views.DocumentTablesXlsxView.as_view(), name="document_tables_xlsx"),
    path("<int:pk>/noi-nhan/", views.DocumentRecipientsView.as_view(), name="document_recipients"),
    path("<int:pk>/nguoi-ky/", views.DocumentSignerView.as_view(), name="document_signer"),
    path("<int:pk>/tao-han-nop/", delivery_views.DocumentRequestCreateView.as_view(), name="document_requests"),
    path("den/", delivery_views.InboxRedirectView.as_view(), name="inbox_own"),
    path("den/to-chuc/<int:pk>/", delivery_views.InboxView.as_view(), name="inbox"),
    path("den/<int:pk>/", delivery_views.InboxDocumentView.as_view(), name="inbox_document"),
    path("den/<int:pk>/tai-ve.pdf", delivery_views.InboxDownloadView.as_view(), name="inbox_download"),
    path("den/yeu-cau/<int:pk>/bao-cao/", reply_views.ReplyCreateView.as_view(), name="reply_create"),
    path("bao-cao-theo-yeu-cau/<int:pk>/", reply_views.ReplyDetailView.as_view(), name="reply"),
    path("bao-cao-theo-yeu-cau/<int:pk>/sua/", reply_views.ReplyEditView.as_view(), name="reply_edit"),
    *(
        path(f"bao-cao-theo-yeu-cau/<int:pk>/{ACTION_SEGMENTS[action]}/", view.as_view(), name=f"reply_{action}")
        for action, view in reply_views.ACTIONS.items()
    ),
    path("van-ban-trich-dan/", views.ReferenceListView.as_view(), name="references"),
    path("van-ban-trich-dan/moi/", views.ReferenceFormView.as_view(), name="reference_create"),
    path("van-ban-trich-dan/<int:pk>/sua/", views.ReferenceFormView.as_view(), name="reference_edit"),
    path("co-quan-ban-hanh/<int:pk>/nguoi-ky/", views.SignersView.as_view(), name="signers"),
    path("nguoi-ky/<int:pk>/sua/", views.SignerEditView.as_view(), name="signer_edit"),
    path("co-quan-cap-tren/", views.SuperiorBodiesView.as_view(), name="superior_bodies"),
    path("co-quan-cap-tren/<int:pk>/sua/", views.SuperiorBodyEditView.as_view(), name="superior_body_edit"),
    path("so-van-ban-di/", views.RegisterView.as_view(), name="register"),
    path("so-van-ban-di.xlsx", views.RegisterXlsxView.as_view(), name="register_xlsx"),
    path("xuat-du-lieu/", views.ExportStartView.as_view(), name="export_start"),
    path("xuat-du-lieu/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("xuat-du-lieu/<int:pk>/tai-ve/", views.ExportDownloadView.as_view(), name="export_download"),
    path("xuat-du-lieu/<int:pk>/thu-lai/", views.ExportRetryView.as_view(), name="export_retry"),
]

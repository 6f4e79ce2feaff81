from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "dukportal.submissions"
    label = "submissions"
    verbose_name = "Quy trình gửi và duyệt"

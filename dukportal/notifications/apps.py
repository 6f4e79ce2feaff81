from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dukportal.notifications"
    label = "notifications"
    verbose_name = "Theo dõi hạn nộp và nhắc nhở"

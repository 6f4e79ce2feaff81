from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dukportal.notifications"
    label = "notifications"
    verbose_name = "Theo dõi hạn nộp và nhắc nhở"

    def ready(self):
        # The workflow below announces its steps; this package tells staff and organisations of them.
        from dukportal.core import navigation
        from dukportal.submissions import listeners

        from . import organization_page, services

        navigation.register(
            navigation.Entry(
                "notifications.tracking",
                "Theo dõi hạn nộp",
                "notifications:tracking",
                order=50,
                group=navigation.DEADLINES_GROUP,
            )
        )

        listeners.listen(listeners.SENT, services.submission_received)
        listeners.listen(listeners.DECIDED, services.submission_decided)
        organization_page.register()

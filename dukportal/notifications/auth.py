from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Func, IntegerField, OuterRef, Subquery

from .models import Notification

UNREAD_SHOWN = 100  # the bell counts up to this many unread notifications and shows "99+" from 100 on


class UnreadCountBackend(ModelBackend):
    """ModelBackend that loads the signed-in user together with their unread notification count, in the one
    query Django makes anyway, so the bell in the navigation bar adds no query to any page."""

    def get_user(self, user_id):
        # The bell shows "99+" past 99: counting at most UNREAD_SHOWN rows keeps this query, run on every page,
        # from reading every unread notification of a staff member (1,000 at 1,000 organisations; issue 13).
        unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).order_by().values("pk")
        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(
                unread_notification_count=Func(
                    Subquery(unread[:UNREAD_SHOWN]),
                    template="(SELECT COUNT(*) FROM %(expressions)s unread)",
                    output_field=IntegerField(),
                )
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

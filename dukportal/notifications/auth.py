from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Notification


class UnreadCountBackend(ModelBackend):
    """ModelBackend that loads the signed-in user together with their unread notification count, in the one
    query Django makes anyway, so the bell in the navigation bar adds no query to any page."""

    def get_user(self, user_id):
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(
                unread_notification_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

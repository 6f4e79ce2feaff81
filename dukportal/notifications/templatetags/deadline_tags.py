from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_organization_deadlines.html")
def organization_deadlines(organization):
    """The organisation page's panel: this year's obligations with their status, and the reminders received.
    The page's view has already checked the user may see `organization`."""
    today = timezone.localdate()
    return {
        "organization": organization,
        "obligations": selectors.organization_obligations(organization, today=today),
        "reminders": selectors.organization_reminders(organization),
        "today": today,
    }

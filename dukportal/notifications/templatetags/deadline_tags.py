from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_organization_deadlines.html")
def organization_deadlines(organization, on=None):
    """The organisation page's panel: the obligations of the year of `on` (default today) with where the
    organisation stood at the end of that day, by the shared rule (a page that takes a reference date passes
    it: `{% organization_deadlines organization on %}`), and the reminders received. The page's view has
    already checked the user may see `organization`."""
    on = on or timezone.localdate()
    return {
        "organization": organization,
        "obligations": selectors.organization_obligations(organization, on=on),
        "reminders": selectors.organization_reminders(organization),
        "today": on,
    }

from django import template
from django.utils import timezone

from organizations import access

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_organization_deadlines.html", takes_context=True)
def organization_deadlines(context, organization, on=None):
    """The organisation page's panel: the obligations of the year of `on` (default today) with where the
    organisation stood at the end of that day, by the shared rule (a page that takes a reference date passes
    it: `{% organization_deadlines organization on %}`), and the reminders received. The page's view has
    already checked the user may see `organization`."""
    on = on or timezone.localdate()
    user = context.get("user")
    return {
        # Only the organisation's own officers answer "Không phát sinh" for it.
        "can_answer_nil": bool(user and access.is_officer(user) and user.organization_id == organization.pk),
        "organization": organization,
        "obligations": selectors.organization_obligations(organization, on=on),
        "reminders": selectors.organization_reminders(organization),
        "today": on,
    }

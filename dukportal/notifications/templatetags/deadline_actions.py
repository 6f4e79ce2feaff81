from django import template

from .. import deadline_actions as registry

register = template.Library()


@register.inclusion_tag("notifications/_deadline_actions.html")
def deadline_actions(deadline, reference_query=""):
    """The registered actions' buttons for `deadline` (URLs only: no query)."""
    return {"actions": registry.shown_actions(deadline, reference_query)}

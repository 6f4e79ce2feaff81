from django import template

from dukportal.core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_bar(context):
    """The main bar's items for the page's user, as the apps registered them (dukportal.core.navigation)."""
    return navigation.bar_for(context.get("user"))

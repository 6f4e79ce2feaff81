"""`{% link %}`: Django's `{% url %}` (same arguments, `as var`, escaping, current app) with the route reversed once
per process (dukportal.core.links) when it takes no argument or an integer id first and constant strings after.

Why (issue 13, bench/load.py --profile): `{% url %}` walks the URL patterns on every render, ~25–30 µs a tag; the
header has five on every page and the review page about fifteen more."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as url_tag
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from dukportal.core import links

register = template.Library()


class LinkNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if args and not all(type(arg) is str for arg in args[1:]):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        address = ""
        try:
            if args:
                address = links.url_with_pk(view_name, *args, current_app=current_app)
            else:
                address = links.url(view_name, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def link(parser, token):
    """As `{% url %}`: `{% link 'app:name' object.pk %}`, `{% link urls.edit pk as edit_url %}`."""
    node = url_tag(parser, token)
    return LinkNode(node.view_name, node.args, node.kwargs, node.asvar)

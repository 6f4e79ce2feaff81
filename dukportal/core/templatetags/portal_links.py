"""`{% link %}`: Django's `{% url %}` (same arguments, `as var`, escaping, current app) with the route reversed once
per process (dukportal.core.links) when it takes no argument or an integer id first and constant strings after.

Why (issue 13, bench/load.py --profile): `{% url %}` walks the URL patterns on every render, ~25–30 µs a tag; the
header has five on every page and the review page about fifteen more."""

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as url_tag
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from dukportal.core import links

register = template.Library()


def current_app_of(context) -> str | None:
    """The current application `{% url %}` reverses with (the request's, else its resolved namespace)."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class LinkNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if args and not all(type(arg) is str for arg in args[1:]):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        current_app = current_app_of(context)
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


# {% asset %}'s addresses, cleared whenever a setting changes (tests' override_settings: the storage, STATIC_URL,
# DEBUG, INSTALLED_APPS all decide the address); in a served process they never change.
_ASSETS: dict[str, str] = {}
setting_changed.connect(lambda **kwargs: _ASSETS.clear(), weak=False, dispatch_uid="portal_links.assets")


class AssetNode(template.Node):
    def __init__(self, path: str):
        self.path = path

    def render(self, context):
        address = _ASSETS.get(self.path)
        if address is None:
            address = _ASSETS[self.path] = static(self.path)
        return conditional_escape(address) if context.autoescape else address


@register.tag
def asset(parser, token):
    """`{% static 'path' %}` for a constant path, its address found once per process: ManifestStaticFilesStorage
    looks the hashed name up and joins it to STATIC_URL on every render (~40 µs; base.html has six)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% asset %} takes one quoted path")
    return AssetNode(bits[1][1:-1])

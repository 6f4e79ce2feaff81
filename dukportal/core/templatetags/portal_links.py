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
from django_htmx.templatetags.django_htmx import htmx_script

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


# {% asset %}'s addresses (as given and escaped) and {% htmx_script_once %}'s tag, cleared whenever a setting
# changes (tests' override_settings: the storage, STATIC_URL, DEBUG, INSTALLED_APPS all decide them); in a served
# process they never change.
_ASSETS: dict[str, tuple[str, str]] = {}
setting_changed.connect(lambda **kwargs: _ASSETS.clear(), weak=False, dispatch_uid="portal_links.assets")


class AssetNode(template.Node):
    def __init__(self, path: str):
        self.path = path

    def render(self, context):
        found = _ASSETS.get(self.path)
        if found is None:
            address = static(self.path)
            found = _ASSETS[self.path] = (address, conditional_escape(address))
        return found[1] if context.autoescape else found[0]


@register.tag
def asset(parser, token):
    """`{% static 'path' %}` for a constant path, its address found once per process: ManifestStaticFilesStorage
    looks the hashed name up and joins it to STATIC_URL on every render (~40 µs; base.html has six)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% asset %} takes one quoted path")
    return AssetNode(bits[1][1:-1])


@register.simple_tag(takes_context=True)
def htmx_script_once(context):
    """django-htmx's `{% htmx_script %}` (its defaults: htmx 2, minified, no extension), made once per process
    while the page has no CSP nonce to put in it (the portal's pages have none: the policy allows 'self')."""
    if context.get("csp_nonce") is not None:
        return htmx_script(context)
    found = _ASSETS.get("\0htmx")
    if found is None:
        found = _ASSETS["\0htmx"] = (htmx_script(context), "")
    return found[0]

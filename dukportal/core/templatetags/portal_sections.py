from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_section(context, shown):
    """Render a registered page section (`template_name` and its computed `context`) with that context alone,
    as an inclusion tag renders its template: the section sees nothing of the page but what it was given."""
    section = context.new(shown.context)
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        section["csrf_token"] = csrf_token
    return context.template.engine.get_template(shown.template_name).render(section)

"""Template helpers of paginated lists: a page link keeps every filter, search and reference date of the
request (only `page` changes)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page") -> str:
    """`?<the request's parameters>&page=<number>`, the parameters (q, status, sector, ngay, …) kept as sent.
    `param` names the page parameter where a page uses another (the compliance matrix's `trang`)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query.setlist(param, [str(number)])
    return "?" + query.urlencode()

"""The items of templates/notifications/notification_list.html, formatted in Python from the columns they show
(views.NOTIFICATION_ROW_FIELDS), every text escaped.

Why (issue 13, branch pages74b, `bench/lists.py --profile` at 74 organisations): each of the 30 items was an
instance with about fifteen template nodes (a `date`, a `yesno`, a `{% url %}`, a `{% csrf_token %}`,
get_category_display, four `{% if %}`): the template was most of the page's CPU. A tag, not the view, so the
forms carry the page's own CSRF token (the one `{% csrf_token %}` prints elsewhere on the page)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from dukportal.core.cells import day_time, html_row, labels, rows_html
from dukportal.core.links import url_with_pk

from ..models import NotificationCategory

register = template.Library()

ITEM = (
    '<div class="list-group-item{}" data-unread="{}">\n'
    '    <div class="d-flex justify-content-between gap-2">\n'
    "      <div>\n"
    '        <div class="small text-muted">{} · {}{}</div>\n'
    '        <div class="fw-semibold">{}</div>\n'
    "        {}\n"
    "      </div>\n"
    '      <form method="post" action="{}" class="text-nowrap">{}\n'
    "        {}\n"
    "        {}\n"
    "      </form>\n"
    "    </div>\n"
    "  </div>"
)
BODY = (
    '<details><summary class="small">Nội dung</summary><pre class="small mb-0" style="white-space: pre-wrap">{}'
    "</pre></details>"
)
OPEN = mark_safe('<button type="submit" name="open" value="1" class="btn btn-sm btn-primary">Xem</button>')
MARK_READ = mark_safe('<button type="submit" class="btn btn-sm btn-outline-secondary">Đã đọc</button>')
UNREAD = mark_safe(" · <strong>Chưa đọc</strong>")


@register.simple_tag(takes_context=True)
def notification_rows(context, rows) -> str:
    """The list's items for named rows of views.NOTIFICATION_ROW_FIELDS, with the whitespace the template loop
    printed between them ("" for none: the template then says there are none)."""
    csrf = CsrfTokenNode().render(context)
    categories = labels(NotificationCategory.choices)
    items = []
    for row in rows:
        unread = not row.read_at
        items.append(
            html_row(
                ITEM,
                " list-group-item-warning" if unread else "",
                "1" if unread else "0",
                categories.get(row.category, row.category),
                day_time(row.created_at),
                UNREAD if unread else "",
                row.title,
                html_row(BODY, row.body) if row.body else "",
                url_with_pk("notifications:read", row.pk),
                csrf,
                OPEN if row.url else "",
                MARK_READ if unread else "",
            )
        )
    return rows_html(items, "\n  ", "\n")

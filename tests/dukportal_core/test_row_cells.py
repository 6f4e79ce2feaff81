"""dukportal.core.cells' row helpers (issue 13): html_row is format_html's text for every kind of value a row
passes, rows_html the text the template loop printed, day_time the `date:"d/m/Y H:i"` filter's."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dukportal.core.cells import day_time, html_row, rows_html

TRICKY = "Nguyễn <b>An</b> & \"Bình\" 'C'"


class Marked:
    def __html__(self):
        return "<i>đã đánh dấu</i>"


def test_html_row_is_format_html_for_every_kind_of_value():
    template = "<tr>" + "<td>{}</td>" * 9 + "</tr>"
    values = (
        TRICKY,
        1234,
        -5,
        None,
        mark_safe("<b>an toàn</b>"),
        _("Phát triển kinh tế"),
        date(2024, 5, 1),
        True,
        Marked(),
    )
    assert html_row(template, *values) == format_html(template, *values)
    assert isinstance(html_row(template, *values), SafeString)
    assert "&lt;b&gt;An&lt;/b&gt; &amp; &quot;Bình&quot; &#x27;C&#x27;" in html_row(template, *values)


def test_rows_html_is_the_template_loops_text():
    rows = [mark_safe("<tr>1</tr>"), mark_safe("<tr>2</tr>")]
    loop = Template("{% for row in rows %}\n    {{ row }}\n  {% endfor %}")
    assert rows_html(rows) == loop.render(Context({"rows": rows}))
    assert rows_html([]) == ""


def test_day_time_is_the_date_filters_text_in_local_time(settings):
    filter_ = Template('{{ value|date:"d/m/Y H:i" }}')
    for value in (datetime(2024, 5, 1, 23, 5, tzinfo=UTC), datetime(2024, 1, 2, 3, 4), None):
        assert day_time(value) == filter_.render(Context({"value": value})), value

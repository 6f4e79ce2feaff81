"""Table cells formatted in Python as the templates' filters print them, for lists that build their rows once a
page with `format_html` (issue 13: ten template variables and filters a row, with a model instance and a
reverse() each, were most of a list page's CPU at 74 organisations; bench/lists.py --profile).

- `day(value)`: as `{{ value|date:"d/m/Y" }}` (a moment in local time, "" for none);
- `Thousands()`: as `{{ value|intcomma }}` for integers in the active language (1.234 in Vietnamese), the
  locale's separator read once a page;
- `labels(choices)`: {value: label} translated once a page (get_FOO_display prints an unknown value as is);
- `html_row(template, *values)`: `format_html` for a row's plain values, escaped the same way without its
  lazy-text checks on every value (issue 13, branch pages74b: conditional_escape was a third of a row's cost);
- `rows_html(rows)`: a page's rows as one text, with the whitespace the template loop
  `{% for row in rows %}\n    {{ row }}\n  {% endfor %}` printed around each (one template variable a table
  instead of a loop iteration and a variable a row)."""

from datetime import date, datetime
from html import escape

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def day(value) -> str:
    """As the template filter `date:"d/m/Y"`."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    elif not isinstance(value, date):
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def day_time(value) -> str:
    """As the template filter `date:"d/m/Y H:i"` for a moment (in local time), "" for none."""
    if not isinstance(value, datetime):
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"


class Thousands:
    """As `intcomma` for the active language, built once a page: int → "1.234"."""

    def __init__(self):
        self.separator = get_format("THOUSAND_SEPARATOR")
        self.simple = get_format("NUMBER_GROUPING") == 3

    def __call__(self, value) -> str:
        if type(value) is int and self.simple:
            return f"{value:,}".replace(",", self.separator)
        return str(intcomma(value))


def labels(choices) -> dict:
    """{value: label as shown} of a field's choices, each label translated once."""
    return {value: str(label) for value, label in choices}


def _escaped(value) -> str:
    """conditional_escape(value) as text: html.escape is what django.utils.html.escape runs on a str."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is int or kind is SafeString:
        return value if kind is SafeString else str(value)
    return conditional_escape(value)


def html_row(template: str, *values) -> SafeString:
    """As `format_html(template, *values)` (the same text): plain str and int values escaped directly, safe text
    kept, anything else (None, dates, lazy text, objects with __html__) through conditional_escape."""
    return SafeString(template.format(*map(_escaped, values)))


def rows_html(rows, before: str = "\n    ", after: str = "\n  ") -> SafeString:
    """The rows (each safe HTML) as one safe text, each between `before` and `after` as the template loop
    printed them: "" for no rows (the template's `{% else %}` then prints its empty row)."""
    return SafeString("".join(f"{before}{row}{after}" for row in rows))

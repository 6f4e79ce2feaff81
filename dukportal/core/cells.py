"""Table cells formatted in Python as the templates' filters print them, for lists that build their rows once a
page with `format_html` (issue 13: ten template variables and filters a row, with a model instance and a
reverse() each, were most of a list page's CPU at 74 organisations; bench/lists.py --profile).

- `day(value)`: as `{{ value|date:"d/m/Y" }}` (a moment in local time, "" for none);
- `Thousands()`: as `{{ value|intcomma }}` for integers in the active language (1.234 in Vietnamese), the
  locale's separator read once a page;
- `labels(choices)`: {value: label} translated once a page (get_FOO_display prints an unknown value as is)."""

from datetime import date, datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.formats import get_format


def day(value) -> str:
    """As the template filter `date:"d/m/Y"`."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    elif not isinstance(value, date):
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


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

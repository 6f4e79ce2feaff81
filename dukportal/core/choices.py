"""`get_<field>_display()` without translating every label of the field on each call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on every call, and hashing
each (value, label) pair forces every lazy Vietnamese label through gettext: a field of 6 choices costs 6
translations to show one. The officer's list of 50 registrations shows three such fields a row, about 900
translations a page (2–3 ms of its CPU, issue 13). ChoiceLabels builds the same mapping keyed by the values
only, so only the label shown is translated: the same result for every value (an unknown one is returned as it
is), in the language active when it is shown (the labels stay lazy)."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


class ChoiceLabels:
    """Mixin for a model (put it before models.Model): its `get_<field>_display` methods use this. Django binds
    them to `cls._get_FIELD_display` when each field is added to the class, so it must be a base of the model
    (an abstract base's fields are added to each concrete model, which finds it through the abstract base)."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        key = make_hashable(value)
        labels, shown_in = _labels(field)
        if key not in labels:
            return force_str(value, strings_only=True)  # outside the choices: the value as it is, as Django
        if shown_in is None:
            return force_str(labels[key], strings_only=True)
        # Each label translated once per process and language (the catalogues do not change while it runs).
        shown = shown_in.setdefault(get_language(), {})
        label = shown.get(key)
        if label is None:
            label = shown[key] = force_str(labels[key], strings_only=True)
        return label


# A field's {value: lazy label}, with the choices list it was built from and {language: {value: label as shown}}:
# a reassigned `choices` is read afresh (with its own shown labels), and so is a callable one, each time (never
# kept), as Django does.
_LABELS: dict = {}


def _labels(field) -> tuple[dict, dict | None]:
    choices = field.choices
    if not isinstance(choices, list | tuple):
        return {make_hashable(choice): label for choice, label in field.flatchoices}, None
    built = _LABELS.get(field)
    if built is None or built[0] is not choices:
        mapping = {make_hashable(choice): label for choice, label in field.flatchoices}
        built = _LABELS[field] = (choices, mapping, {})
    return built[1], built[2]

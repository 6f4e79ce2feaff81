"""`get_<field>_display()` without translating every label of the field on each call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on every call, and hashing
each (value, label) pair forces every lazy Vietnamese label through gettext: a field of 6 choices costs 6
translations to show one. The officer's list of 50 registrations shows three such fields a row, about 900
translations a page (2–3 ms of its CPU, issue 13). ChoiceLabels builds the same mapping keyed by the values
only, so only the label shown is translated: the same result for every value (an unknown one is returned as it
is), in the language active when it is shown (the labels stay lazy)."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabels:
    """Mixin for a model (put it before models.Model): its `get_<field>_display` methods use this. Django binds
    them to `cls._get_FIELD_display` when each field is added to the class, so it must be a base of the model
    (an abstract base's fields are added to each concrete model, which finds it through the abstract base)."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)


# A field's {value: lazy label}, with the choices list it was built from: a reassigned `choices` is read afresh,
# and so is a callable one, each time, as Django does.
_LABELS: dict = {}


def _labels(field) -> dict:
    choices = field.choices
    if not isinstance(choices, list | tuple):
        return {make_hashable(choice): label for choice, label in field.flatchoices}
    built = _LABELS.get(field)
    if built is None or built[0] is not choices:
        built = _LABELS[field] = (choices, {make_hashable(choice): label for choice, label in field.flatchoices})
    return built[1]

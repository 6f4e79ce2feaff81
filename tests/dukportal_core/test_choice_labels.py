"""dukportal.core.choices.ChoiceLabels: every model that uses it shows the same `get_<field>_display()` as Django's
own implementation, for every choice and for a value outside the choices, in the language active when shown."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from dukportal.core.choices import ChoiceLabels
from models_danvan.models import Registration


def _choice_fields():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices is not None:
                yield model, field


def test_the_mixin_reaches_the_pages_models():
    models_with_it = {model for model, _ in _choice_fields()}
    assert Registration in models_with_it
    assert {"SubmissionEvent", "BaseOrganization", "Member", "DemocracyPlan"} <= {m.__name__ for m in models_with_it}


@pytest.mark.parametrize(("model", "field"), list(_choice_fields()), ids=lambda x: getattr(x, "label", None))
def test_every_label_is_djangos(model, field):
    instance = model()
    shown = getattr(instance, f"get_{field.name}_display")
    for value, _label in [*field.flatchoices, ("not-a-choice", "")]:
        setattr(instance, field.attname, value)
        assert shown() == models.Model._get_FIELD_display(instance, field), (field, value)


def test_the_label_is_translated_when_shown():
    registration = Registration(status="draft")
    assert registration.get_status_display() == "Bản nháp"
    with translation.override("en"):
        # No English catalogue: the source text, as Django's own would show it; still a str, not a lazy proxy.
        assert registration.get_status_display() == models.Model._get_FIELD_display(
            registration, Registration._meta.get_field("status")
        )
        assert type(registration.get_status_display()) is str

"""The form_fields tag (dukportal.core.forms.form_fields_html) writes partials/_form_fields.html's fields in
Python (issue 13): the same text as the template loop it replaced, for unbound and refused forms, the form's
own errors, required marks, help texts, hidden fields, a file field's wrapper and a dropped file's note."""

from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.template.loader import render_to_string

from dukportal.core.forms import BootstrapBoundField
from models_danvan.forms import RegistrationForm, StaffRegistrationForm
from tests.dukportal_core.test_widget_renderer import TRICKY, Everything

# The partial as it was before the tag (its loop in the template language).
BEFORE = (Path(__file__).parent / "_form_fields_before.html").read_text()


class Plain(Everything):
    bound_field_class = BootstrapBoundField

    def clean(self):
        if self.cleaned_data.get("text") == "sai":
            raise forms.ValidationError(["Lỗi chung <1>", "Lỗi & hai"])
        return self.cleaned_data


def _both(form) -> tuple[str, str]:
    # {% form_errors %} first, as the form page does: it writes the dropped file's note into the help text.
    lead = "{% load portal_forms %}{% form_errors form %}"
    before = Template(lead + BEFORE).render(Context({"form": form}))
    after = Template(lead).render(Context({"form": form})) + render_to_string(
        "partials/_form_fields.html", {"form": form}
    )
    return before, after


@pytest.mark.django_db
def test_the_fields_are_the_templates_text(staff_user, bloc):
    from models_danvan.models import Campaign, Registration

    campaign = Campaign(year=2024, plan_number="1", plan_date=date(2024, 3, 1))

    def registration(form_class=RegistrationForm, data=None, files=None, **extra):
        form = form_class(data, files, instance=Registration(campaign=campaign), **extra)
        form.is_valid() if data is not None else None
        return form

    upload = {"attachment": SimpleUploadedFile("<i>ho so<i>.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}
    staff = {"user": staff_user, "organizations": None, "year": 2024}
    forms_ = [
        registration(),
        registration(data={"name": TRICKY, "start_date": "31/02/2024"}, files=upload),
        registration(data={"category": "economy", "name": "A", "person_in_charge": "B", "start_date": "01/01/2024"}),
        registration(StaffRegistrationForm, **staff),
        registration(StaffRegistrationForm, data={"organization": "<x>"}, **staff),
        Plain(),
        Plain(data={"text": "sai", "number": "1", "day": "01/06/2024", "area": "x", "choice": "a", "numbers": "1"}),
        Plain(data={"text": TRICKY * 3, "hidden": TRICKY}),
    ]
    for number, form in enumerate(forms_):
        before, after = _both(form)
        assert after == before, number
    before, _ = _both(forms_[6])
    assert "Lỗi chung &lt;1&gt;" in before and 'type="hidden"' in before
    assert "&lt;i&gt;ho so&lt;i&gt;.pdf" in _both(forms_[1])[0]

"""dukportal.core.forms.WIDGET_RENDERER writes the plain widgets in Python (issue 13): the same text as Django's
own widget templates for every widget it writes, values and attributes escaped alike, and the templates for
whatever it does not write (a stored file's link, a label the templates would localise)."""

from datetime import date

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dukportal.core.forms import WIDGET_RENDERER, BootstrapBoundField
from models_danvan.forms import RegistrationForm, StaffRegistrationForm

TRICKY = "Nguyễn <b>An</b> & \"Bình\" 'C'"


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Gợi ý", widget=forms.TextInput(attrs={"placeholder": TRICKY}))
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": True, "data-x": False}))
    number = forms.IntegerField(min_value=0)
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}))
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(choices=[("", "— Chọn —"), ("a", _("Phát triển kinh tế")), ("b&c", TRICKY)])
    grouped = forms.ChoiceField(
        required=False, choices=[("Nhóm <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")], widget=forms.Select
    )
    numbers = forms.TypedChoiceField(coerce=int, choices=[(1, "Một"), (2, "Hai")])
    numeric_labels = forms.ChoiceField(required=False, choices=[(1, 1000), (2, 2000)])
    many = forms.MultipleChoiceField(required=False, choices=[("p", "P"), ("q", "Q")])
    disabled = forms.CharField(required=False, disabled=True, initial=mark_safe("<i>đã khóa</i>"))
    upload = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))
    plain_upload = forms.FileField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


class Reference(Everything):
    default_renderer = get_default_renderer()


class Fast(Everything):
    default_renderer = WIDGET_RENDERER


class _StoredFile:
    url = "/media/tep/ho-so.pdf"

    def __str__(self):
        return "ho-so <1>.pdf"


CASES = [
    {},
    {"initial": {"text": TRICKY, "day": date(2024, 6, 1), "area": TRICKY, "choice": "b&c", "numbers": 2}},
    {"initial": {"upload": _StoredFile(), "grouped": "y", "many": ["p", "q"], "numeric_labels": 2}},
    {
        "data": {
            "text": TRICKY * 2,
            "number": "-3",
            "email": "khong-hop-le",
            "day": "31/02/2024",
            "area": "",
            "choice": "zzz",
            "grouped": "x",
            "numbers": "1",
            "many": ["q"],
        },
        "files": {"upload": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
    },
    {"data": {"text": "ok", "number": "5", "day": "01/06/2024", "area": "\nDòng 1\n<Dòng 2>", "choice": "a"}},
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_every_widget_is_the_templates_text(case):
    kwargs = CASES[case]
    reference, fast = Reference(**kwargs), Fast(**kwargs)
    if "data" in kwargs:
        reference.is_valid(), fast.is_valid()
    for name in Everything.base_fields:
        assert str(fast[name]) == str(reference[name]), name
    assert str(fast) == str(reference)


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True])
def test_the_registration_forms_are_the_templates_text(bound, staff_user, bloc):
    from models_danvan.models import Campaign, Registration

    campaign = Campaign(year=2024, plan_number="1", plan_date=date(2024, 3, 1))
    data = {"category": "economy", "name": TRICKY, "aims": TRICKY, "start_date": "01/13/2024"} if bound else None

    def page(form_class, renderer, **extra):
        class Form(form_class):
            default_renderer = renderer

        form = Form(data, instance=Registration(campaign=campaign), **extra)
        if bound:
            form.is_valid()
        return render_to_string("partials/_form_fields.html", {"form": form})

    for form_class, extra in (
        (RegistrationForm, {}),
        (StaffRegistrationForm, {"user": staff_user, "organizations": None, "year": 2024}),
    ):
        assert form_class.default_renderer is WIDGET_RENDERER
        assert form_class.bound_field_class is BootstrapBoundField
        fast = page(form_class, WIDGET_RENDERER, **extra)
        assert fast == page(form_class, get_default_renderer(), **extra)
        assert '<select name="category"' in fast and "<textarea" in fast


def test_the_plain_widgets_and_the_registration_form_use_no_template(monkeypatch, settings):
    """The point of it: no widget template rendered for the registration form's widgets, bound or not; a stored
    file's link and numeric labels still go to the templates."""
    from django.forms import renderers

    used = []
    original = renderers.BaseRenderer.render
    monkeypatch.setattr(
        renderers.BaseRenderer, "render", lambda self, name, *a, **k: used.append(name) or original(self, name, *a, **k)
    )
    for kwargs in (CASES[0], CASES[3]):
        form = RegistrationForm(**kwargs)
        form.is_valid() if "data" in kwargs else None
        for field in form:
            str(field)
    assert used == []
    form = Fast(initial={"upload": _StoredFile()})
    str(form["upload"]), str(form["numeric_labels"]), str(form["text"])
    assert used == ["django/forms/widgets/clearable_file_input.html", "django/forms/widgets/select.html"]

"""`{% link %}` (dukportal.core.templatetags.portal_links) renders what `{% url %}` renders, with the route
reversed once per process: no argument, an id, an id and constant parts, `as var`, a failed reversal, a script
prefix, escaping."""

import pytest
from django.template import Context, Template
from django.test.utils import override_script_prefix
from django.urls import NoReverseMatch, reverse

from dukportal.core.links import url

CASES = [
    ("'home'", {}),
    ("'notifications:list'", {}),
    ("'models_danvan:registration' pk", {"pk": 42}),
    ("'models_danvan:registration' pk", {"pk": 0}),
    ("'models_danvan:registration' pk", {"pk": "17"}),
    ("'reports:document_download' pk 'pdf'", {"pk": 9}),
    ("name pk", {"name": "models_danvan:registration_edit", "pk": 3}),
    ("'models_danvan:registration' pk=pk", {"pk": 5}),
]


def _both(arguments: str, context: dict, suffix: str = "") -> tuple[str, str]:
    def render(tag):
        return Template("{% load portal_links %}{% " + tag + " " + arguments + suffix + " %}[{{ out }}]").render(
            Context(context)
        )

    return render("url"), render("link")


@pytest.mark.parametrize(("arguments", "context"), CASES)
def test_the_same_address_as_the_url_tag(arguments, context):
    expected, got = _both(arguments, context)
    assert got == expected
    expected, got = _both(arguments, context, " as out")
    assert got == expected and got != "[]"


def test_under_a_script_prefix():
    with override_script_prefix("/cong/"):
        for arguments, context in CASES:
            expected, got = _both(arguments, context)
            assert got == expected and got.startswith("/cong/")
    assert _both("'home'", {})[1] == reverse("home") + "[]"


def test_a_failed_reversal_raises_or_gives_nothing_as_the_url_tag():
    with pytest.raises(NoReverseMatch):
        _both("'no-such-page'", {})
    with pytest.raises(NoReverseMatch):
        Template("{% load portal_links %}{% link 'models_danvan:registration' %}").render(Context({}))
    assert _both("'no-such-page'", {}, " as out") == ("[]", "[]")
    assert _both("'models_danvan:registration' pk", {"pk": -1}, " as out") == ("[]", "[]")


def test_the_address_is_escaped_as_the_url_tag():
    with override_script_prefix("/a&b/"):
        for arguments, context in CASES:
            expected, got = _both(arguments, context)
            assert got == expected and got.startswith("/a&amp;b/")
            off = Template("{% load portal_links %}{% autoescape off %}{% link " + arguments + " %}{% endautoescape %}")
            assert off.render(Context(context)).startswith("/a&b/")


def test_url_is_reverse():
    for name in ("home", "notifications:list", "password_change", "logout", "models_danvan:campaigns"):
        assert url(name) == reverse(name)

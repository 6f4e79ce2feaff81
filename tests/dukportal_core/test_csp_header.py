"""The portal's CSP middleware (dukportal.core.middleware.CSPMiddleware) writes the headers django-csp's writes,
byte for byte: for a plain response (its policy built once per process), a page that used its nonce, a view's own
policy (@csp_update, @csp_replace, @csp), an exempt view, a header already set, a report-only policy, an excluded
prefix and DEBUG's error pages; and it follows settings changes."""

import csp.middleware
import pytest
from csp.decorators import csp as csp_policy
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dukportal.core import middleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _plain(request):
    return HttpResponse("ok")


def _nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def _not_found(request):
    return HttpResponse("absent", status=404)


def _preset(request):
    response = HttpResponse("ok")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


VIEWS = {
    "plain": _plain,
    "nonce": _nonce,
    "not found": _not_found,
    "preset header": _preset,
    "update": csp_update({"img-src": ["https://example.org"]})(_plain),
    "replace": csp_replace({"script-src": ["'self'"]})(_plain),
    "own policy": csp_policy({"default-src": ["'none'"]})(_plain),
    "exempt": csp_exempt()(_plain),
}


def _headers(middleware_class, view, path="/to-chuc/"):
    request = RequestFactory().get(path)
    handler = middleware_class(view)
    response = handler(request)
    return [response.get(name) for name in HEADERS], request


def _same(view, path="/to-chuc/"):
    def headers(middleware_class):
        found, request = _headers(middleware_class, view, path)
        nonce = getattr(request, "_csp_nonce", None)  # random: one per request
        return [value.replace(nonce, "NONCE") if value and nonce else value for value in found]

    ours = headers(middleware.CSPMiddleware)
    assert ours == headers(csp.middleware.CSPMiddleware)
    return ours


def test_the_portal_uses_it():
    assert "dukportal.core.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE


@pytest.mark.parametrize("name", VIEWS)
def test_the_headers_are_django_csps(name):
    enforced, report_only = _same(VIEWS[name])
    if name == "exempt":
        assert enforced is None
    else:
        assert enforced
    assert report_only is None


def test_a_plain_response_gets_the_settings_policy_and_a_nonce_one_its_nonce():
    (plain, _), _ = _headers(middleware.CSPMiddleware, _plain)
    assert "default-src 'self'" in plain.split("; ") and "nonce-" not in plain
    (nonced, _), request = _headers(middleware.CSPMiddleware, _nonce)
    assert f"'nonce-{request._csp_nonce}'" in nonced


def test_a_nonce_asked_for_after_the_header_is_an_error():
    _, request = _headers(middleware.CSPMiddleware, _plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@pytest.mark.parametrize("name", ["plain", "nonce", "update", "exempt"])
def test_a_report_only_policy_and_excluded_prefixes_as_django_csp(name):
    policy = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/quan-tri/"]}
    report_only = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
        enforced, reported = _same(VIEWS[name])
        assert reported == "default-src 'self'; report-uri /csp-report/"
        excluded, _ = _same(VIEWS[name], path="/quan-tri/nguoi-dung/")
        assert excluded is None


@pytest.mark.parametrize("name", ["plain", "not found"])
def test_debugs_error_pages_as_django_csp(name):
    with override_settings(DEBUG=True):
        _same(VIEWS[name])


def test_a_changed_policy_is_followed():
    before = _same(_plain)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert _same(_plain) == ["default-src 'none'", None]
    assert _same(_plain) == before

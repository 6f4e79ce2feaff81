"""Guards that run before any view: the request body's size, control characters in parameters, and the cache
headers of signed-in pages.

`RequestSizeLimitMiddleware` is first in MIDDLEWARE, ahead of SecurityMiddleware, WhiteNoise and sessions, so
an over-cap body is refused before anything reads it (Django's multipart parser would otherwise spool every
file part to disk before a form could look at its size).
"""

import http.client
import re
from functools import cache
from tempfile import SpooledTemporaryFile

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.template.loader import render_to_string

from .text import strip_control

# C0 control characters except tab, line feed and carriage return: nothing a person types, and PostgreSQL
# refuses NUL in text (psycopg raises, the view answered 500).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 64 * 1024


def _page(request, template: str, status: int, **context) -> HttpResponse:
    # Rendered without the request: these pages answer before sessions and users exist.
    response = HttpResponse(render_to_string(template, context), status=status)
    response["Cache-Control"] = "no-store"
    return response


def _megabytes(size: int) -> str:
    # Not filesizeformat: the page answers before LocaleMiddleware, and "10 MB" reads better than "10,0 MB".
    return f"{size / (1024 * 1024):g} MB"


def request_too_large(request) -> HttpResponse:
    return _page(
        request,
        "413.html",
        413,
        limit=_megabytes(settings.UPLOAD_MAX_BYTES),
        request_limit=_megabytes(settings.REQUEST_MAX_BYTES),
    )


def bad_request(request, reason: str) -> HttpResponse:
    return _page(request, "400.html", 400, reason=reason)


class RequestSizeLimitMiddleware:
    """Refuse (413) a request whose body is larger than settings.REQUEST_MAX_BYTES, without reading it.

    A declared Content-Length above the cap is refused at once. A chunked body (no Content-Length; gunicorn
    passes it on as it arrives) is read here through the cap: past it the request is refused and nothing more
    is read; within it the body is handed to Django with its length, which Django needs to parse a form
    (without one it would see an empty body and the data would be lost without a word).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                return bad_request(request, "Độ dài dữ liệu gửi lên (Content-Length) không hợp lệ.")
            if length > limit:
                return request_too_large(request)
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = self._take_chunked_body(request, limit)
            if body is None:
                return request_too_large(request)
            with body:
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _take_chunked_body(request, limit: int):
        """Read a body of unknown length up to limit + 1 bytes: the body (a file) or None when it is larger."""
        source = request.environ["wsgi.input"]
        body = SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115 (closed by caller)
        size = 0
        while size <= limit:
            chunk = source.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            body.write(chunk)
            size += len(chunk)
        if size > limit:
            body.close()
            return None
        body.seek(0)
        request.META["CONTENT_LENGTH"] = str(size)
        # WSGIRequest reads the body through a stream limited to the declared length (0 here); give it the
        # buffered body instead. Nothing has read the stream yet: this middleware is the first to run.
        request._stream = LimitedStream(body, size)
        return body


class ControlCharacterMiddleware:
    """Control characters (NUL and the other C0 characters but tab and line breaks) never reach a view.

    In the address (searches, filters, ?ngay=) they answer 400 with a Vietnamese page: nobody types them, and
    they caused the 500s (PostgreSQL refuses NUL; .docx XML refuses the rest). In posted form values they are
    removed (core.text.strip_control), so a vertical tab or NUL pasted from another file costs nothing of what
    was typed and no form can fail on one. A posted field *name* or a file field name with one is refused.
    Uploaded file names need nothing: Django's multipart parser already drops unprintable characters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_control_characters(request.GET):
            return bad_request(request, "Địa chỉ trang có ký tự điều khiển (ví dụ ký tự NUL) không được chấp nhận.")
        if request.method == "POST":
            if any(CONTROL_CHARACTERS.search(key) for key in [*request.POST, *request.FILES]):
                return bad_request(
                    request,
                    "Dữ liệu gửi lên có ký tự điều khiển ẩn không được chấp nhận. Hãy bấm nút Quay lại của trình "
                    "duyệt: nội dung đã nhập vẫn còn trong biểu mẫu; tải lại trang rồi gửi lại.",
                )
            if self._has_control_characters(request.POST):
                cleaned = request.POST.copy()
                for key, values in request.POST.lists():
                    cleaned.setlist(key, [strip_control(value) for value in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)

    @staticmethod
    def _has_control_characters(data) -> bool:
        return any(
            CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
            for key, values in data.lists()
        )


class PrivateCacheMiddleware:
    """Signed-in pages and downloads are `Cache-Control: private, no-store`: a shared proxy or the browser's
    disk cache must not keep another organisation's figures or a member list after the user has signed out.
    Static files never reach here (WhiteNoise answers them earlier in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            # An Expires or a max-age set by a view must not contradict it.
            if "Expires" in response:
                del response["Expires"]
        return response


# The attributes django-csp's decorators (@csp_update, @csp_replace, @csp) set on a response to change its policy.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@cache
def _default_policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) of the enforced and the report-only policy from settings."""
    found = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
        found.append((header, policy, prefixes))
    return tuple(found)


def _clear_policies(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _default_policies.cache_clear()


setting_changed.connect(_clear_policies)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a response that has no nonce and no per-view policy built
    once per process: django-csp rebuilds the same header text from settings for every response (≈ 30–60 µs a
    request, bench/README.md "Branch load7"). A page that used `request.csp_nonce`, a view decorated with
    `@csp_update`/`@csp_replace`/`@csp` and DEBUG's error pages take django-csp's own path. The same headers, byte
    for byte (tests/dukportal_core/test_csp_header.py)."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND):
            return response  # as django-csp: Django's debug pages carry no policy
        for (header, policy, prefixes), exempt in zip(
            _default_policies(), ("_csp_exempt", "_csp_exempt_ro"), strict=True
        ):
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silently unused nonce.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

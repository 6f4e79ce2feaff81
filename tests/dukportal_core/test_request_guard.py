"""Guards in front of every view (dukportal/core/middleware.py): an over-cap body is refused before it is read,
control characters in parameters get a 400 page instead of a 500, signed-in pages are never cached, and the
Content-Security-Policy header is on every page."""

import io
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.views import LoginView
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from dukportal.submissions.models import Attachment
from tests.factories import PASSWORD, CampaignFactory, RegistrationFactory

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class UnreadableStream(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the request body was read")

    readline = read


class EndlessStream(io.RawIOBase):
    """A chunked body that never ends (as a client streaming 1 GB would), counting what the portal reads."""

    def __init__(self):
        self.taken = 0

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else size
        self.taken += size
        return b"a" * size

    def readline(self, size=-1):
        return self.read(size)


class RecordingUploadHandler(FileUploadHandler):
    """Fails the test if an upload handler is ever asked to take a file."""

    def new_file(self, *args, **kwargs):
        raise AssertionError("an upload handler was reached")

    def receive_data_chunk(self, raw_data, start):
        raise AssertionError("an upload handler was reached")

    def file_complete(self, file_size):
        return None


def _raw_post(client, path, *, content_type, **environ):
    # With no data, RequestFactory.generic sets neither the body nor its type: both come from `environ`.
    return client.generic("POST", path, b"", CONTENT_TYPE=content_type, **environ)


# Request size ---------------------------------------------------------------------------------------------------


def test_request_cap_is_the_upload_cap_plus_one_megabyte_and_django_limits_agree():
    assert django_settings.REQUEST_MAX_BYTES == django_settings.UPLOAD_MAX_BYTES + 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= django_settings.REQUEST_MAX_BYTES
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE < django_settings.REQUEST_MAX_BYTES
    # Only the request id and the health probe (neither reads the body) come before the cap.
    cap = django_settings.MIDDLEWARE.index("dukportal.core.middleware.RequestSizeLimitMiddleware")
    assert django_settings.MIDDLEWARE[:cap] == [
        "dukportal.core.logging.RequestIdMiddleware",
        "dukportal.core.health.HealthCheckMiddleware",
    ]


def test_over_cap_post_to_login_is_refused_with_413_before_the_body_is_read(client, settings):
    settings.FILE_UPLOAD_HANDLERS = ["tests.dukportal_core.test_request_guard.RecordingUploadHandler"]
    one_gigabyte = 1024**3
    with mock.patch.object(LoginView, "dispatch", side_effect=AssertionError("the login view was reached")):
        response = _raw_post(
            client,
            reverse("login"),
            content_type="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH=str(one_gigabyte),
            **{"wsgi.input": UnreadableStream()},
        )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp hoặc dữ liệu gửi lên quá lớn (tối đa 10 MB" in page
    assert "Set-Cookie" not in response  # no session was started for it


@pytest.mark.django_db
def test_declared_length_just_over_the_cap_is_refused_and_at_the_cap_goes_on(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    over = _raw_post(
        client,
        reverse("login"),
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="1001",
        **{"wsgi.input": UnreadableStream()},
    )
    assert over.status_code == 413
    body = b"username=x&password=y".ljust(1000, b"&")
    at_cap = client.generic("POST", reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert at_cap.status_code == 200  # the login form again, with its message


def test_a_malformed_content_length_is_a_bad_request(client):
    response = _raw_post(
        client,
        reverse("login"),
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="-5",
        **{"wsgi.input": UnreadableStream()},
    )
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_over_cap_chunked_body_is_refused_after_reading_no_more_than_the_cap(client, settings):
    settings.REQUEST_MAX_BYTES = 200_000
    body = EndlessStream()
    with mock.patch.object(LoginView, "dispatch", side_effect=AssertionError("the login view was reached")):
        response = _raw_post(
            client,
            reverse("login"),
            content_type="multipart/form-data; boundary=xyz",
            CONTENT_LENGTH="",
            HTTP_TRANSFER_ENCODING="chunked",
            **{"wsgi.input": body},
        )
    assert response.status_code == 413
    # One byte past the cap is how the portal knows the body is too large; it stops there.
    assert body.taken <= settings.REQUEST_MAX_BYTES + 1


@pytest.mark.django_db
def test_chunked_body_within_the_cap_reaches_the_form(client, staff_user):
    form = urlencode({"username": staff_user.username, "password": PASSWORD}).encode()
    response = _raw_post(
        client,
        reverse("login"),
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(form)},
    )
    assert response.status_code == 302  # signed in: the body was read, not taken for empty
    assert int(client.session["_auth_user_id"]) == staff_user.pk


@pytest.mark.django_db
def test_over_cap_upload_of_a_signed_in_officer_is_refused_and_nothing_is_stored(
    officer_client, officer_user, settings
):
    registration = RegistrationFactory(
        campaign=CampaignFactory(year=2024), organization=officer_user.organization, status="draft"
    )
    response = _raw_post(
        officer_client,
        reverse("models_danvan:registration_attach", args=[registration.pk]),
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
        **{"wsgi.input": UnreadableStream()},
    )
    assert response.status_code == 413
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_ordinary_upload_near_the_cap_still_works(officer_client, officer_user):
    registration = RegistrationFactory(
        campaign=CampaignFactory(year=2024), organization=officer_user.organization, status="draft"
    )
    almost_ten_megabytes = MINIMAL_PDF + b" " * (django_settings.UPLOAD_MAX_BYTES - len(MINIMAL_PDF) - 1024)
    response = officer_client.post(
        reverse("models_danvan:registration_attach", args=[registration.pk]),
        {"file": SimpleUploadedFile("ke-hoach.pdf", almost_ten_megabytes, content_type="application/pdf")},
        follow=True,
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.original_name == "ke-hoach.pdf"
    assert attachment.file.size == len(almost_ten_megabytes)


# Control characters -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["\x00", "abc\x00def", "\x01", "\x1b[31m", "\x7f\x0b"])
def test_control_characters_in_a_search_get_400_with_a_vietnamese_page(staff_client, value):
    response = staff_client.get(reverse("organizations:member_search"), {"q": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "ký tự điều khiển" in page


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["\x00", "Hà\x00Nội", "\x1b[2J", "\x08"])
def test_control_characters_get_400_before_any_view_whichever_page_and_parameter(staff_client, value):
    # A list, a figures page, the compliance matrix and a download; a parameter the page reads and one it does not.
    # (test_parameter_fuzz.py sends one of these values to every page of the demo.)
    for path in ["/to-chuc/", "/tong-quan/", "/theo-doi-han-nop/ma-tran/", "/to-chuc/excel/mau/"]:
        for key in ["q", "ngay", "khong-co"]:
            response = staff_client.get(path, {key: value})
            assert response.status_code == 400, (path, key)
            assert "ký tự điều khiển" in response.content.decode(), (path, key)


@pytest.mark.django_db
def test_a_control_character_in_a_parameter_name_is_refused_too(staff_client):
    response = staff_client.get(reverse("organizations:list") + "?q%00=1")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["Hà Nội\tTây Hồ", "dòng 1\r\ndòng 2\n"])
def test_tab_and_line_breaks_are_ordinary_text(staff_client, value):
    response = staff_client.get(reverse("organizations:member_search"), {"q": value})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_nul_typed_into_the_login_form_is_dropped_and_no_database_error(client, staff_user):
    response = client.post(reverse("login"), {"username": "bantuyengiao\x00", "password": PASSWORD})
    assert response.status_code == 302  # the NUL removed, the name is the staff member's own
    assert client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_a_control_character_in_an_uploaded_file_name_never_reaches_the_database(officer_client, officer_user):
    registration = RegistrationFactory(
        campaign=CampaignFactory(year=2024), organization=officer_user.organization, status="draft"
    )
    response = officer_client.post(
        reverse("models_danvan:registration_attach", args=[registration.pk]),
        {"file": SimpleUploadedFile("ke\x00ho\x01ach.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "kehoach.pdf"  # Django's parser drops unprintables


# Search and filter forms (the demo-wide fuzz is in test_parameter_fuzz.py)


@pytest.mark.django_db
def test_a_search_of_a_pasted_page_is_answered_with_the_list(staff_client, organization):
    pasted = " ".join(f"từ{n}" for n in range(2000)) + " Đảng bộ " * 700
    for path in ["/to-chuc/", "/to-chuc/dang-vien/", f"/to-chuc/{organization.pk}/dang-vien/"]:
        response = staff_client.get(path, {"q": pasted})
        assert response.status_code == 200, path


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["01/01/0001", "31/12/1999"])
def test_a_reference_date_before_2000_is_refused_beside_the_field(staff_client, value):
    for path in ["/tong-quan/", "/theo-doi-han-nop/", "/theo-doi-han-nop/ma-tran/"]:
        response = staff_client.get(path, {"ngay": value})
        assert response.status_code == 200, path
        assert "Ngày tính số liệu không được trước ngày 01/01/2000." in response.content.decode(), path


# Cache-Control ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/tong-quan/",
        "/to-chuc/",
        "/theo-doi-han-nop/",
        "/thong-bao/",
        "/van-ban/",
        "/to-chuc/excel/mau/",  # a download
        "/quan-tri/",
    ],
)
def test_signed_in_pages_and_downloads_are_private_no_store(staff_client, path):
    response = staff_client.get(path)
    assert response.status_code == 200, path
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response


@pytest.mark.django_db
def test_an_attachment_download_is_private_no_store(officer_client, officer_user):
    registration = RegistrationFactory(
        campaign=CampaignFactory(year=2024), organization=officer_user.organization, status="draft"
    )
    officer_client.post(
        reverse("models_danvan:registration_attach", args=[registration.pk]),
        {"file": SimpleUploadedFile("ke-hoach.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )
    response = officer_client.get(reverse("submissions:attachment", args=[Attachment.objects.get().pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.fixture
def static_served(settings):
    # WhiteNoise serves from the finders as under runserver (nothing collected in tests); read at its start.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.mark.django_db
def test_anonymous_pages_and_static_files_keep_their_own_caching(client, static_served):
    login = client.get(reverse("login"))
    assert login["Cache-Control"] != "private, no-store"  # Django's own never_cache on the login form
    static = client.get(django_settings.STATIC_URL + "css/portal.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_static_file_asked_for_while_signed_in_is_not_marked_private(staff_client, static_served):
    response = staff_client.get(django_settings.STATIC_URL + "css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# Content-Security-Policy ------------------------------------------------------------------------------------------


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dang-nhap/", "/tong-quan/", "/to-chuc/", "/dan-van-kheo/thong-ke/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(staff_client, path):
    response = staff_client.get(path, follow=True)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"


@pytest.mark.django_db
def test_no_template_page_has_an_inline_script_or_event_handler(staff_client):
    for path in ["/tong-quan/", "/to-chuc/", "/theo-doi-han-nop/", "/van-ban/", "/dan-van-kheo/thong-ke/"]:
        page = staff_client.get(path, follow=True).content.decode()
        assert "<script>" not in page, path
        assert " onclick=" not in page, path

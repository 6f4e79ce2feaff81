"""dukportal.core.links.url_with_pk gives the address reverse() gives, for every id, under a script prefix too."""

import pytest
from django.urls import reverse, set_script_prefix

from dukportal.core.links import url_with_pk
from models_danvan.models import Registration


@pytest.mark.parametrize("pk", [0, 1, 7, 42, 1234, 10**12, 2**63 - 1])
def test_the_same_address_as_reverse(pk):
    assert url_with_pk("models_danvan:registration", pk) == reverse("models_danvan:registration", args=[pk])
    assert Registration(pk=pk).get_absolute_url() == reverse("models_danvan:registration", args=[pk])


def test_under_a_script_prefix():
    try:
        set_script_prefix("/cong/")
        assert url_with_pk("models_danvan:registration", 5) == "/cong" + "/dan-van-kheo/dang-ky/5/"
        assert url_with_pk("models_danvan:registration", 5) == reverse("models_danvan:registration", args=[5])
    finally:
        set_script_prefix("/")
    assert url_with_pk("models_danvan:registration", 5) == "/dan-van-kheo/dang-ky/5/"


def test_anything_but_an_id_goes_to_reverse():
    assert url_with_pk("models_danvan:registration", "12") == reverse("models_danvan:registration", args=["12"])


@pytest.mark.parametrize("pk", [0, 3, 10**9])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_arguments_after_the_id_as_reverse(pk, fmt):
    expected = reverse("reports:document_download", args=[pk, fmt])
    assert url_with_pk("reports:document_download", pk, fmt) == expected
    assert url_with_pk("reports:document_download", str(pk), fmt) == expected

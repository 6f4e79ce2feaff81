"""Media on S3-compatible object storage: a real S3 endpoint (moto's server on 127.0.0.1) holds the attachment
uploaded through the portal; the download still goes through the permission check and streams from the bucket."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dukportal.submissions.models import Attachment
from tests import forked
from tests.factories import RegistrationFactory

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "dukportal-media"
PDF = b"%PDF-1.4\n% bao cao quy\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, s3_endpoint, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "k",
                "secret_key": "s",
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_attachment_round_trip_through_the_portal_on_s3(client, s3_media, officer_user, other_officer_user):
    registration = RegistrationFactory(organization=officer_user.organization, status="draft")
    client.force_login(officer_user)
    response = client.post(
        reverse("models_danvan:registration_attach", args=[registration.pk]),
        {"file": SimpleUploadedFile("bao-cao-quy.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()

    # The object is in the bucket, private, and the portal never hands out its URL.
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [attachment.file.name]
    grants = s3_media.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)
    assert storages["default"].__class__.__name__ == "S3Storage"

    url = reverse("submissions:attachment", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert BUCKET not in download.get("Location", "")

    client.force_login(other_officer_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_bucket_setting_selects_s3_and_none_keeps_local_files():
    import os

    code = (
        "import django; django.setup(); from django.conf import settings; d = settings.STORAGES['default'];"
        "print(d['BACKEND'], d.get('OPTIONS', {}).get('default_acl'), d.get('OPTIONS', {}).get('file_overwrite'))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}

    def backend(**env):
        result = forked.run(["-c", code], env={**base, **env}, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert backend() == ["django.core.files.storage.FileSystemStorage", "None", "None"]
    assert backend(AWS_STORAGE_BUCKET_NAME="media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000") == [
        "storages.backends.s3.S3Storage",
        "private",
        "False",
    ]

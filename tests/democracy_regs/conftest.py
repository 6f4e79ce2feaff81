import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of these tests go to a temporary directory, never the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"

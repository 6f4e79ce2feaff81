import pytest

from tests.reports.factories import IssuingBodyFactory, TermFactory


@pytest.fixture
def issuing_body(bloc):
    return IssuingBodyFactory(bloc=bloc)


@pytest.fixture
def term(bloc):
    return TermFactory(bloc=bloc)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Issued files go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

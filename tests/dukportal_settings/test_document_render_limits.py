"""The size up to which a draft's PDF or Word file is made inside the request comes from the environment
(DOCUMENT_INLINE_PDF_MAX_SIZE, DOCUMENT_INLINE_DOCX_MAX_SIZE); above it the download is a render job."""

import secrets

from tests.dukportal_settings.test_deploy_settings import _manage

PRINT = "from django.conf import settings; d = settings.DOCUMENT_INLINE_RENDER_MAX_SIZE; print(d['pdf'], d['docx'])"


def _limits(**env) -> str:
    result = _manage("shell", "-c", PRINT, SECRET_KEY=secrets.token_urlsafe(60), **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_inline_render_limits_default_and_come_from_the_environment():
    assert _limits(DOCUMENT_INLINE_PDF_MAX_SIZE=None, DOCUMENT_INLINE_DOCX_MAX_SIZE=None) == "250 4000"
    assert _limits(DOCUMENT_INLINE_PDF_MAX_SIZE="40", DOCUMENT_INLINE_DOCX_MAX_SIZE="900") == "40 900"

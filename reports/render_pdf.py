"""OfficialDocument → HTML (the print template, also the browser preview) → PDF with WeasyPrint.

The PDF embeds the vendored Liberation Serif (static/fonts/liberation, metric-compatible with Times New Roman)
through @font-face, so it looks the same on every machine. The URL fetcher serves those font files and nothing
else: no network, no other local file, whatever ends up in the text (deps.md P3)."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

from dukportal.core.text import strip_control

from . import layout as L
from .document import OfficialDocument

TEMPLATE = "reports/document_print.html"
FONT_FILE = "fonts/liberation/LiberationSerif-Regular.ttf"


@lru_cache(maxsize=1)
def font_dir() -> Path:
    found = finders.find(FONT_FILE)
    if not found:  # pragma: no cover - a broken checkout
        raise RuntimeError(f"Không tìm thấy phông chữ {FONT_FILE} trong static/.")
    return Path(found).resolve().parent


def _fetcher():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    allowed = font_dir()

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("file://"):
                raise ValueError(f"refused: {url[:80]}")
            path = Path(url[len("file://") :].split("?")[0]).resolve()
            if path.parent != allowed or path.suffix != ".ttf":
                raise ValueError(f"refused: {url[:80]}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})

    return FontsOnlyFetcher(allowed_protocols={"file"})


def render_html(doc: OfficialDocument, *, preview: bool = False, style_nonce: str = "") -> str:
    """The print HTML. `preview` draws the page on screen, with fonts from the static URL; `style_nonce` lets
    its <style> pass the Content-Security-Policy (request.csp_nonce)."""
    font_base = static("fonts/liberation/") if preview else font_dir().as_uri() + "/"
    context = {
        "doc": doc,
        "L": L.css_context(),
        "font_base": font_base,
        "preview": preview,
        "style_nonce": style_nonce,
        "signature_gap_pt": round(L.SIGNATURE_GAP_LINES * L.SIZE_SIGNATURE * 1.15),
    }
    # Control characters are not allowed in HTML/XML; a document saved before the edit form stripped them
    # must still print.
    return strip_control(render_to_string(TEMPLATE, context))


def render_pdf(doc: OfficialDocument) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s, only PDF work pays it

    html = HTML(string=render_html(doc), base_url=font_dir().as_uri() + "/", url_fetcher=_fetcher())
    return html.write_pdf()


def render_empty_pdf() -> bytes:
    """An empty A4 page: the baseline the bench compares against."""
    from weasyprint import HTML

    return HTML(string="<html><body><p></p></body></html>", base_url=str(settings.BASE_DIR)).write_pdf()

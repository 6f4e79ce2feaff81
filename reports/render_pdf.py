"""OfficialDocument → HTML (the print template, also the browser preview) → PDF with WeasyPrint.

The PDF embeds the vendored Liberation Serif (static/fonts/liberation, metric-compatible with Times New Roman)
through @font-face, so it looks the same on every machine. The URL fetcher serves those font files and nothing
else: no network, no other local file, whatever ends up in the text (deps.md P3).

The print stylesheet (templates/reports/_document_print.css) and its fonts are parsed once per process
(`pdf_resources`): a document's HTML carries only its content, and WeasyPrint reuses the parsed CSS and the
loaded font faces for every document the worker renders."""

import atexit
from dataclasses import dataclass
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
STYLESHEET = "reports/_document_print.css"
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


def _style_context(font_base: str) -> dict:
    return {
        "L": L.css_context(),
        "font_base": font_base,
        "signature_gap_pt": round(L.SIGNATURE_GAP_LINES * L.SIZE_SIGNATURE * 1.15),
    }


def render_html(doc: OfficialDocument, *, preview: bool = False, style_nonce: str = "") -> str:
    """The print HTML. `preview` draws the page on screen with the stylesheet inline and fonts from the static
    URL; `style_nonce` lets its <style> pass the Content-Security-Policy (request.csp_nonce). For the PDF the
    stylesheet is not inlined: render_pdf gives WeasyPrint the one parsed in `pdf_resources`."""
    context = {
        "doc": doc,
        "preview": preview,
        "style_nonce": style_nonce,
        **_style_context(static("fonts/liberation/") if preview else ""),
    }
    # Control characters are not allowed in HTML/XML; a document saved before the edit form stripped them
    # must still print.
    return strip_control(render_to_string(TEMPLATE, context))


@dataclass(frozen=True)
class PdfResources:
    font_config: object  # weasyprint.text.fonts.FontConfiguration
    stylesheet: object  # weasyprint.CSS
    base_url: str
    url_fetcher: object


@lru_cache(maxsize=1)
def pdf_resources() -> PdfResources:
    """The print stylesheet parsed and its @font-face fonts loaded, once per process."""
    from weasyprint import CSS  # imported late: loading Pango costs ~0.3 s, only PDF work pays it
    from weasyprint.text.fonts import FontConfiguration

    base_url = font_dir().as_uri() + "/"
    fetcher = _fetcher()
    font_config = FontConfiguration()
    css = render_to_string(STYLESHEET, _style_context(base_url))
    stylesheet = CSS(string=css, base_url=base_url, url_fetcher=fetcher, font_config=font_config)
    return PdfResources(font_config=font_config, stylesheet=stylesheet, base_url=base_url, url_fetcher=fetcher)


# Dropped before the interpreter tears its modules down (FontConfiguration's finaliser needs them).
atexit.register(pdf_resources.cache_clear)


def html_to_pdf(html: str, *, progress=None) -> bytes:
    """The renderer alone: WeasyPrint on print HTML with the process's stylesheet and fonts. `progress(percent)`
    hears of the layout being done (most of the time) and of the file being written."""
    from weasyprint import HTML

    resources = pdf_resources()
    document = HTML(string=html, base_url=resources.base_url, url_fetcher=resources.url_fetcher).render(
        stylesheets=[resources.stylesheet], font_config=resources.font_config
    )
    if progress:
        progress(80)
    data = document.write_pdf()
    if progress:
        progress(95)
    return data


def render_pdf(doc: OfficialDocument, *, progress=None) -> bytes:
    return html_to_pdf(render_html(doc), progress=progress)


def render_empty_pdf() -> bytes:
    """An empty A4 page: the baseline the bench compares against."""
    from weasyprint import HTML

    return HTML(string="<html><body><p></p></body></html>", base_url=str(settings.BASE_DIR)).write_pdf()

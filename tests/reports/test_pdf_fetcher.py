"""The PDF renderer loads the vendored fonts and nothing else (deps.md P3): no network, no other local file,
and text typed by staff is escaped, never markup."""

import pytest

from reports.document import compose
from reports.render_pdf import _fetcher, font_dir, render_html


def test_fetcher_serves_only_the_vendored_fonts():
    fetcher = _fetcher()
    font = (font_dir() / "LiberationSerif-Regular.ttf").as_uri()
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    for url in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", f"{font}/../../../settings.py"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_typed_markup_is_printed_as_text():
    doc = compose(
        superior_line="Đảng bộ tỉnh Yên Bái",
        issuer_line="Đảng ủy Khối",
        symbol="ĐUK",
        place="Yên Bái",
        doc_type="CV",
        type_name="",
        content={"subject": "V/v <img src='file:///etc/passwd'>", "body": "<link rel=stylesheet href=http://x/>"},
    )
    html = render_html(doc)
    assert "<img src=" not in html and "&lt;img src=" in html
    assert "<link rel=stylesheet" not in html

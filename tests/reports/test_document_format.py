"""The structure both renderers draw: dates, numbers and the body markup staff edit."""

from datetime import date

import pytest

from reports.document import BLANK, number_text, parse_body, party_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 5, 22), "Yên Bái, ngày 22 tháng 5 năm 2024"),
        (date(2024, 1, 5), "Yên Bái, ngày 05 tháng 01 năm 2024"),
        (date(2024, 2, 29), "Yên Bái, ngày 29 tháng 02 năm 2024"),
        (date(2024, 3, 9), "Yên Bái, ngày 09 tháng 3 năm 2024"),
        (date(2024, 12, 1), "Yên Bái, ngày 01 tháng 12 năm 2024"),
    ],
)
def test_place_and_date_follow_party_zero_padding(day, expected):
    assert party_date(day, "Yên Bái") == expected


def test_unissued_draft_leaves_day_and_month_blank():
    assert party_date(None, "Yên Bái", year=2024) == f"Yên Bái, ngày{BLANK}tháng{BLANK}năm 2024"


def test_number_and_symbol_have_no_colon_and_pad_small_numbers():
    assert number_text(1720, "CV", "ĐUK") == "Số 1720-CV/ĐUK"
    assert number_text(5, "BC", "BTGĐUK") == "Số 05-BC/BTGĐUK"
    assert number_text(None, "CV", "ĐUK") == f"Số {BLANK}-CV/ĐUK"


def test_body_markup_gives_headings_paragraphs_and_tables():
    blocks = parse_body("# I- KẾT QUẢ\nĐoạn một.\n\n| A | B |\n| 1 | 2 |\nĐoạn hai.")
    assert [b.kind for b in blocks] == ["heading", "paragraph", "table", "paragraph"]
    assert blocks[0].text == "I- KẾT QUẢ"
    assert blocks[2].rows == (("A", "B"), ("1", "2"))

"""The shared .xlsx writer: valid sheet titles, Vietnamese text, dd/mm/yyyy date cells, a download response."""

import io
from datetime import date

import openpyxl

from dukportal.core import xlsx


def _read(workbook):
    return openpyxl.load_workbook(io.BytesIO(xlsx.to_bytes(workbook)))


def test_sheet_titles_are_made_valid_and_unique():
    assert xlsx.sheet_title("Văn hóa – xã hội") == "Văn hóa – xã hội"
    assert xlsx.sheet_title("Báo cáo 01/2024: [nháp]?") == "Báo cáo 01-2024- -nháp--"
    long = "Xây dựng hệ thống chính trị ở cơ sở trong năm"
    assert len(xlsx.sheet_title(long)) == 31
    assert xlsx.sheet_title("Tổng hợp", ["tổng hợp"]) == "Tổng hợp (2)"
    assert xlsx.sheet_title(long, [long[:31]]).endswith(" (2)")


def test_table_sheet_has_heading_header_rows_total_dates_and_filter():
    workbook = xlsx.new_workbook()
    xlsx.add_table(
        workbook,
        "Danh sách",
        [xlsx.Column("STT", 6), xlsx.Column("Tên mô hình", 40), xlsx.Column("Ngày bắt đầu", 14)],
        [(1, "Mô hình “Bữa cơm nghĩa tình”", date(2024, 3, 5)), (2, "Dân vận khéo", None)],
        heading=["DANH SÁCH", "Năm 2024"],
        total=("", "Cộng", 2),
    )
    sheet = _read(workbook)["Danh sách"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH" and rows[1][0] == "Năm 2024"
    assert rows[3] == ("STT", "Tên mô hình", "Ngày bắt đầu")
    assert rows[4][1] == "Mô hình “Bữa cơm nghĩa tình”" and rows[4][2].date() == date(2024, 3, 5)
    assert rows[6] == (None, "Cộng", 2)  # an empty string is an empty cell
    assert sheet["C5"].number_format == "DD/MM/YYYY"
    assert sheet["A4"].font.bold and sheet["B7"].font.bold
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:C6"
    assert sheet.column_dimensions["B"].width == 40


def test_response_is_an_xlsx_download_with_a_vietnamese_name():
    workbook = xlsx.new_workbook()
    xlsx.add_table(workbook, "Trang", [xlsx.Column("Cột")], [])
    response = xlsx.response(workbook, "thống-kê-2024.xlsx")
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''th%E1%BB%91ng-k%C3%AA-2024.xlsx" in response["Content-Disposition"]
    assert _read_bytes(b"".join(response.streaming_content)).sheetnames == ["Trang"]


def _read_bytes(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))

"""The blank workbook to fill in, and the sheet styling the export shares with it."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dukportal.core import xlsx

from .columns import CHOICE, DATE, DATE_NUMBER_FORMAT, EMAIL, GUIDE_TITLE, SHEETS, Column, SheetFormat, titles

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="F8D7DA")
OPTIONAL_FILL = PatternFill("solid", fgColor="E9ECEF")
_WRAP = Alignment(wrap_text=True, vertical="top")


def choice_validation(column: Column) -> DataValidation:
    labels = [str(label) for label in column.choices.labels]
    # An inline list is comma-separated, quoted and capped at 255 characters by Excel.
    assert all("," not in label and '"' not in label for label in labels)
    formula = '"' + ",".join(labels) + '"'
    assert len(formula) <= 255
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error=f"Hãy chọn một giá trị trong danh sách: {'; '.join(labels)}.",
        showInputMessage=True,
        promptTitle=column.header,
        prompt="Chọn trong danh sách.",
    )


def _add_format_sheet(workbook: Workbook, sheet: SheetFormat, rows) -> None:
    worksheet = workbook.create_sheet(sheet.title)
    xlsx.append_row(worksheet, sheet.headers)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(row=1, column=index)
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        dimension = worksheet.column_dimensions[letter]
        dimension.width = column.width
        # Cells the user types into are text: codes and phone numbers keep their zeros ("0216…", "001"), and a
        # typed "05/03/2026" stays text that we read as dd/mm/yyyy, where an Excel set to a US locale would
        # silently turn it into 3 May. Dates written by the export are real date cells (formatted below).
        dimension.number_format = "@"
        if column.kind == CHOICE:
            validation = choice_validation(column)
            validation.add(f"{letter}2:{letter}1048576")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    date_columns = [index for index, column in enumerate(sheet.columns, start=1) if column.kind == DATE]
    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        xlsx.append_row(worksheet, values)
        for index in date_columns:
            worksheet.cell(row=last_row, column=index).number_format = DATE_NUMBER_FORMAT
    # (worksheet.max_row scans every cell, so it is not asked once per row.)
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(last_row, 2)}"


def _add_guide(workbook: Workbook) -> None:
    worksheet = workbook.create_sheet(GUIDE_TITLE, 0)
    worksheet.column_dimensions["A"].width = 20
    worksheet.column_dimensions["B"].width = 28
    worksheet.column_dimensions["C"].width = 10
    worksheet.column_dimensions["D"].width = 90
    xlsx.append_row(worksheet, ["HƯỚNG DẪN NHẬP DỮ LIỆU TỔ CHỨC CƠ SỞ ĐẢNG, CHI BỘ TRỰC THUỘC VÀ ĐẢNG VIÊN"])
    worksheet["A1"].font = Font(bold=True, size=13)
    notes = [
        f"Mỗi loại dữ liệu nằm ở một trang tính: {titles()}. Giữ nguyên tên trang tính và dòng tiêu đề "
        "(dòng 1); trang tính không cần nhập thì có thể xóa.",
        "Mỗi dòng được nhận ra theo mã (với đảng viên là số thẻ đảng viên): mã đã có trong hệ thống thì cập nhật, "
        "mã chưa có thì thêm mới. Nhập lại đúng tệp đã nhập không làm thay đổi gì.",
        "Tệp được kiểm tra toàn bộ trước khi nhập: chỉ cần một dòng có lỗi thì không dòng nào được nhập; hệ thống "
        "liệt kê từng lỗi theo trang tính, dòng và cột để sửa.",
        "Ngày tháng nhập theo dạng dd/mm/yyyy (ví dụ 05/03/2026) hoặc dùng ô kiểu ngày của Excel. Các cột "
        "trong mẫu để định dạng chữ (Text) để Excel không tự đổi ngày theo kiểu tháng/ngày.",
        "Cột có danh sách chọn phải dùng đúng một giá trị trong danh sách. Cột tô màu đỏ nhạt là cột bắt buộc.",
        "Ô để trống ở cột không bắt buộc sẽ xóa giá trị đang có; riêng “Hiệu lực từ ngày” và “Tình trạng” để "
        "trống thì giữ nguyên giá trị đang có.",
        "Chi bộ trực thuộc và đảng viên có thể dùng mã của tổ chức mới khai báo ở trang “Tổ chức cơ sở” trong "
        "cùng tệp.",
        "Chỉ nhận tệp .xlsx (Excel Workbook).",
    ]
    for number, note in enumerate(notes, start=1):
        xlsx.append_row(worksheet, [f"{number}.", note])
        worksheet.merge_cells(start_row=worksheet.max_row, start_column=2, end_row=worksheet.max_row, end_column=4)
        worksheet.cell(row=worksheet.max_row, column=2).alignment = _WRAP
        worksheet.row_dimensions[worksheet.max_row].height = 32
    xlsx.append_row(worksheet, [])
    xlsx.append_row(worksheet, ["Trang tính", "Cột", "Bắt buộc", "Cách nhập"])
    for cell in worksheet[worksheet.max_row]:
        cell.font = HEADER_FONT
        cell.fill = OPTIONAL_FILL
    for sheet in SHEETS:
        for column in sheet.columns:
            hint = column.hint
            if column.kind == CHOICE:
                labels = "; ".join(str(label) for label in column.choices.labels)
                hint = f"Chọn: {labels}. {hint}".strip()
            elif column.kind == DATE and not hint:
                hint = "Dạng dd/mm/yyyy."
            elif column.kind == EMAIL and not hint:
                hint = "Một địa chỉ thư điện tử hợp lệ."
            xlsx.append_row(worksheet, [sheet.title, column.header, "Có" if column.required else "", hint])
            worksheet.cell(row=worksheet.max_row, column=4).alignment = _WRAP


def build_template() -> Workbook:
    """The blank workbook to fill in: the guide, then one sheet per kind of row with headers and dropdowns."""
    workbook = xlsx.new_workbook(write_only=False)
    for sheet in SHEETS:
        _add_format_sheet(workbook, sheet, rows=())
    _add_guide(workbook)
    workbook.active = 0
    return workbook

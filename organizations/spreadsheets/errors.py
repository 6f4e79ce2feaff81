"""Problems found in an uploaded workbook, located by sheet, row and column."""

from dataclasses import dataclass

from .columns import SHEETS


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded workbook. sheet "" and row None: the file as a whole."""

    sheet: str
    row: int | None
    column: str
    message: str


def _error_order(error: RowError):
    titles = [sheet.title for sheet in SHEETS]
    sheet_index = titles.index(error.sheet) if error.sheet in titles else -1
    headers = SHEETS[sheet_index].headers if sheet_index >= 0 else []
    column_index = headers.index(error.column) if error.column in headers else -1
    return sheet_index, error.row or 0, column_index, error.message


class ImportRejected(Exception):
    """The workbook was refused as a whole and nothing was written; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=_error_order)
        super().__init__(f"Tệp bị từ chối: {len(self.errors)} lỗi.")


def file_error(message: str, **params) -> ImportRejected:
    return ImportRejected([RowError("", None, "", message % params if params else message)])

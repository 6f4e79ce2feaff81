"""The Excel import's entry point for views and callers (the code lives in organizations.spreadsheets.importing)."""

from .spreadsheets.importing import ImportRejected, ImportResult, SheetCounts, import_workbook

__all__ = ["ImportRejected", "ImportResult", "SheetCounts", "import_workbook"]

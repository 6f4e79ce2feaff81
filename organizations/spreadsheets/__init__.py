"""The Excel workbook the committee exchanges about organisations, cells and members: one format shared by the
blank template, the export and the import. By concern:

- columns: the sheets and their columns (the format itself);
- errors: RowError and ImportRejected, a problem located by sheet, row and column;
- reading: the upload checks and parsing each sheet's cells into values;
- validation: checking rows against the file and the database, and planning the changes (reads only);
- importing: writing a plan, all or nothing (the one place that writes);
- template / exporting: the blank workbook and the streamed export.

Every workbook is built through dukportal.core.xlsx. The names below are those the rest of the portal uses.
"""

from .columns import CELLS, MEMBERS, ORGANIZATIONS, SHEETS, SheetFormat
from .errors import ImportRejected, RowError
from .exporting import build_export, export_xlsx
from .reading import check_upload
from .template import build_template
from .validation import Change, ImportPlan, prepare_import

EXPORT_CHUNK = 2000  # rows fetched per round trip while streaming the export (memory stays flat)

__all__ = [
    "CELLS",
    "EXPORT_CHUNK",
    "MEMBERS",
    "ORGANIZATIONS",
    "SHEETS",
    "Change",
    "ImportPlan",
    "ImportRejected",
    "RowError",
    "SheetFormat",
    "build_export",
    "build_template",
    "check_upload",
    "export_xlsx",
    "prepare_import",
]

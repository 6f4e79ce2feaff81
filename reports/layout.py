"""Layout of a Party document (Hướng dẫn 36-HD/VPTW, see shared/party-document-format.md).

Both renderers read these constants: render_docx turns them into python-docx lengths, the print template
(templates/reports/document_print.html, used for the PDF and the browser preview) into CSS. Sizes in mm and pt.
"""

RULESET = "HD36-2018"

# Page (§1): A4 portrait, front-page margins.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # page number 10 mm from the top edge (§7)
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165

# Header block and signature block: two borderless columns (§2, §5, §6).
LEFT_COLUMN_MM = 75
RIGHT_COLUMN_MM = TEXT_WIDTH_MM - LEFT_COLUMN_MM  # 90

# The font the .docx names (clerks open it in Word) and the metric-compatible font the PDF embeds.
DOCX_FONT = "Times New Roman"
PDF_FONT = "Liberation Serif"

# Font sizes in pt.
SIZE_NATIONAL_HEADING = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM", bold, rule below (H1)
SIZE_HEADER = 14  # superior body, issuing body, "*", number, place and date (H2-H6)
SIZE_CV_SUBJECT = 12  # "V/v …" under the number, italic (C1)
SIZE_TYPE_NAME = 15  # "BÁO CÁO", bold (T1)
SIZE_TYPE_SUBJECT = 14  # subject under the type name, bold (T2)
SIZE_RECIPIENTS = 14  # "Kính gửi: …" (C2)
SIZE_BODY = 14  # (B1)
SIZE_TABLE = 12  # figures tables inside the body
SIZE_SIGNATURE = 14  # (S1, S2, S4)
SIZE_DISTRIBUTION_LABEL = 14  # "Nơi nhận:", underlined (N1)
SIZE_DISTRIBUTION = 12  # "- Như trên," (N2)
SIZE_PAGE_NUMBER = 14  # (PG1)

# Body paragraphs (§4).
BODY_FIRST_LINE_INDENT_MM = 10
BODY_SPACE_BEFORE_PT = 6
BODY_LINE_SPACING_PT = 18  # "exactly"
SIGNATURE_GAP_LINES = 4  # room for signature and seal (S3)

NATIONAL_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_LABEL = "Kính gửi:"
DISTRIBUTION_LABEL = "Nơi nhận:"
TYPE_SEPARATOR = "-----"

# Several recipients (§3 C2): "Kính gửi:" centred, then a dash list left-aligned under it, indented so the
# list starts under the label. Punctuation: ";" after each recipient (names contain commas), "," after each
# "Nơi nhận" line (U4), the last of each list ".".
RECIPIENTS_LIST_INDENT_MM = 45
RECIPIENT_LIST_SEPARATOR = ";"
DISTRIBUTION_SEPARATOR = ","


def css_context() -> dict:
    """The constants as the print template uses them."""
    return {name: value for name, value in globals().items() if name.isupper()}

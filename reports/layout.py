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

# Figures tables in the body: fixed layout over the text width, so Word, LibreOffice and the PDF agree on every
# column whatever the content (an automatic layout lets one long name or URL squeeze the figures). A column's
# share follows its longest cell, within bounds: a figures column never narrower than a 3-digit number and its
# header word, a text column never wider than needed nor so wide that the others go under their minimum.
TABLE_WIDTH_MM = TEXT_WIDTH_MM
TABLE_CELL_PADDING_MM = 2  # left and right, each
TABLE_MIN_COLUMN_MM = 12
TABLE_MAX_TEXT_CHARS = 40  # a longer cell wraps: it does not claim more than this many characters of width
TABLE_NUMBER_MAX_CHARS = 10  # a figures column is sized from its header up to this many characters


def table_column_widths(rows, numeric_columns) -> tuple[float, ...]:
    """Column widths in mm (summing to TABLE_WIDTH_MM) for a figures table: the one rule both renderers use."""
    count = len(numeric_columns)
    if not count:
        return ()
    weights = []
    for column, numeric in enumerate(numeric_columns):
        cells = [str(row[column]) if column < len(row) else "" for row in rows]
        longest = max((len(cell) for cell in cells), default=1)
        cap = TABLE_NUMBER_MAX_CHARS if numeric else TABLE_MAX_TEXT_CHARS
        weights.append(max(min(longest, cap), 3))
    minimum = min(TABLE_MIN_COLUMN_MM, TABLE_WIDTH_MM / count)
    spare = TABLE_WIDTH_MM - minimum * count
    total = sum(weights)
    widths = [minimum + spare * weight / total for weight in weights]
    # Rounded to 0.1 mm; the last column takes the rounding so the table is exactly the text width.
    widths = [round(width, 1) for width in widths]
    widths[-1] = round(TABLE_WIDTH_MM - sum(widths[:-1]), 1)
    return tuple(widths)


def css_context() -> dict:
    """The constants as the print template uses them."""
    return {name: value for name, value in globals().items() if name.isupper()}

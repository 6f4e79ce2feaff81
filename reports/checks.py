"""What still keeps a draft from being issued: the list the draft page shows and document_issue refuses with.

A number from the register is final, so nothing unfinished may take one: no signer, a công văn without
recipients, placeholders left from a generated or blank draft ("…", "về …", "[tên đơn vị]"), a heading with
nothing under it, or a subject too long for its place in the header (the renderers never cut it)."""

import re

from .document import HEADING_PREFIX, body_text, empty_sections, split_lines
from .models import DocType, Document

# §3 C1/T2 of party-document-format.md: a công văn's trích yếu sits in the header's left column in 12 pt and may
# wrap to 2–3 lines (about 50 characters a line); a report's subject line is centred in 14 pt under the type name.
SUBJECT_MAX_CHARS = {DocType.CV: 150}
SUBJECT_MAX_CHARS_OTHER = 200

# An ellipsis (one character or three dots) or a bracketed hole is text still to be written.
PLACEHOLDER = re.compile(r"…|\.{3,}|\[[^\]]*\]")


def _placeholder_where(label: str, text: str) -> str | None:
    return f"{label} còn chỗ để trống chưa điền (“…” hoặc “[…]”)." if PLACEHOLDER.search(text or "") else None


def _empty_sections(body: str) -> list[str]:
    """Headings followed by no paragraph or table before the next heading or the end."""
    empty, heading, filled = [], None, False
    for line in split_lines(body):
        if line.startswith(HEADING_PREFIX):
            if heading is not None and not filled:
                empty.append(heading)
            heading, filled = line[len(HEADING_PREFIX) :].strip(), False
        else:  # a paragraph or a table row (split_lines drops blank lines)
            filled = True
    if heading is not None and not filled:
        empty.append(heading)
    return empty


def subject_limit(doc_type: str) -> int:
    return SUBJECT_MAX_CHARS.get(doc_type, SUBJECT_MAX_CHARS_OTHER)


def issue_problems(document: Document) -> list[str]:
    """Vietnamese sentences, one per problem, in the order the page shows them; empty when it can be issued."""
    content = document.content if isinstance(document.content, dict) else {}
    subject = (content.get("subject") or "").strip()
    body = body_text(content)
    recipients = [line for line in content.get("recipients") or [] if line.strip()]
    distribution = [line for line in content.get("distribution") or [] if line.strip()]
    problems: list[str] = []

    if not subject or subject in {"V/v", "về"}:
        problems.append("Chưa có trích yếu.")
    elif len(subject) > (limit := subject_limit(document.doc_type)):
        problems.append(
            f"Trích yếu dài {len(subject)} ký tự, vượt quá {limit} ký tự mà thể thức cho phép "
            "(tối đa 3 dòng ở vị trí trích yếu): hãy rút gọn."
        )
    if document.doc_type == DocType.CV and not recipients:
        problems.append("Công văn chưa có nơi nhận ở dòng “Kính gửi”.")
    if not split_lines(body):
        problems.append("Nội dung văn bản còn trống.")
    structured_empty = empty_sections(content)
    for heading in _empty_sections(body) if structured_empty is None else structured_empty:
        problems.append(f"Mục “{heading}” chưa có nội dung.")
    if not (content.get("signer_name") or "").strip():
        problems.append("Chưa có họ tên người ký.")
    if not (content.get("signer_title") or "").strip():
        problems.append("Chưa có chức vụ người ký.")
    if not distribution:
        problems.append("Chưa có “Nơi nhận”.")
    for label, text in (
        ("Trích yếu", subject),
        ("Dòng “Kính gửi”", "\n".join(recipients)),
        ("Nội dung", body),
        ("Phần người ký", " ".join(content.get(k) or "" for k in ("signer_authority", "signer_title", "signer_name"))),
        ("“Nơi nhận”", "\n".join(distribution)),
    ):
        if found := _placeholder_where(label, text):
            problems.append(found)
    return problems

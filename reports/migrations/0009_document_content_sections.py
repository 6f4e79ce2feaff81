"""Drafts' bodies from the generators' text ("# " headings, "|" table rows) to the section editor's structure
(opening, numbered sections with their tables as lists of rows, closing, contact person; reports.document).
Issued documents keep the text they were issued with (their rows are frozen; both forms render the same)."""

from django.db import migrations


def to_sections(apps, schema_editor):
    from reports.document import is_structured, structured_content

    Document = apps.get_model("reports", "Document")
    for document in Document.objects.filter(status="draft").only("pk", "content").iterator():
        content = document.content if isinstance(document.content, dict) else {}
        if is_structured(content) or "body" not in content:
            continue
        Document.objects.filter(pk=document.pk).update(content=structured_content(content))


def to_text(apps, schema_editor):
    from reports.document import STRUCTURED_BODY_KEYS, body_text, is_structured

    Document = apps.get_model("reports", "Document")
    for document in Document.objects.filter(status="draft").only("pk", "content").iterator():
        content = document.content if isinstance(document.content, dict) else {}
        if not is_structured(content):
            continue
        text = body_text(content)
        kept = {key: value for key, value in content.items() if key not in STRUCTURED_BODY_KEYS}
        Document.objects.filter(pk=document.pk).update(content={**kept, "body": text})


class Migration(migrations.Migration):
    dependencies = [("reports", "0008_document_delivery")]

    operations = [migrations.RunPython(to_sections, to_text)]

"""Existing data into the new rows: each issuing body's signer fields (and the signers of its dated profiles)
become Signer rows, and every document already issued becomes a Reference later documents can cite."""

from django.db import migrations

MODES = ("T/M", "K/T", "T/L")
KIND_OF_DOC_TYPE = {"CV": "CV", "BC": "BC", "KH": "KH", "TB": "TB", "HD": "HD"}


def _mode(authority: str) -> tuple[str, str]:
    """"T/M BAN THƯỜNG VỤ" → ("T/M", "BAN THƯỜNG VỤ"); empty or anything else → a direct signature."""
    authority = (authority or "").strip().upper()
    for mode in MODES:
        if authority.startswith(mode + " ") and authority[len(mode) :].strip():
            return mode, authority[len(mode) :].strip()
    return "direct", ""


def signers_and_references(apps, schema_editor):
    IssuingBody = apps.get_model("reports", "IssuingBody")
    Signer = apps.get_model("reports", "Signer")
    Document = apps.get_model("reports", "Document")
    Reference = apps.get_model("reports", "Reference")
    for body in IssuingBody.objects.all():
        seen = set()
        candidates = [(body.signer_authority, body.signer_title, body.signer_name, True)]
        candidates += [
            (p.signer_authority, p.signer_title, p.signer_name, False)
            for p in body.profiles.order_by("-valid_from")
        ]
        for order, (authority, title, name, active) in enumerate(candidates):
            key = (authority, title, name)
            if not (name or "").strip() or key in seen or Signer.objects.filter(issuing_body=body, name=name).exists():
                continue
            seen.add(key)
            mode, on_behalf_of = _mode(authority)
            Signer.objects.create(
                issuing_body=body,
                name=name.strip(),
                position=(title or "").strip().upper(),
                mode=mode,
                on_behalf_of=on_behalf_of,
                is_active=active,
                sort_order=order,
            )
    for document in Document.objects.filter(status="issued").select_related("issuing_body__bloc"):
        body, bloc = document.issuing_body, document.issuing_body.bloc
        symbol = document.symbol or body.symbol or (bloc.symbol if body.kind == "committee" else f"BTG{bloc.symbol}")
        number = f"{document.number:02d}-{document.doc_type}/{symbol}"
        if Reference.objects.filter(document=document).exists():
            continue
        subject = (document.content or {}).get("subject", "").strip().rstrip(".")
        if subject[:4].lower() == "v/v ":
            summary = f"về việc {subject[4:].strip()}"
        elif subject.lower().startswith("về ") or not subject:
            summary = subject
        else:
            summary = f"về {subject}"
        existing = Reference.objects.filter(number=number, issued_on=document.issued_on, document__isnull=True).first()
        if existing is not None:
            existing.document = document
            existing.save(update_fields=["document"])
            continue
        Reference.objects.create(
            kind=KIND_OF_DOC_TYPE.get(document.doc_type, "CV"),
            number=number,
            issued_on=document.issued_on,
            issuer="Ban Thường vụ Đảng ủy Khối" if body.kind == "committee" else (document.issuer_name or body.name),
            summary=summary[:500],
            document=document,
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_references_signers_superior_bodies")]

    operations = [migrations.RunPython(signers_and_references, migrations.RunPython.noop)]

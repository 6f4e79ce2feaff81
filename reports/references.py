"""Citations from recorded references: generated sections cite the documents they implement without retyping
them ("Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về …").

A source is anything a section is written from (a campaign, a QCDC cycle, a deadline); its references are the
ReferenceLink rows pointing at it. A deadline with no reference of its own cites its campaign's or cycle's.
Documents the portal issues are references too: document_issue records a Reference row for each (see
reference_for_issued), so a later dispatch can cite an earlier one like any other document.

Citations follow party-document-format.md §2: "<Loại> số <số>, ngày d/m/yyyy của <cơ quan> <trích yếu>",
the date as reports.document.text_date writes it ("25/3/2024", "01/9/2024")."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from dukportal.documents import sources
from dukportal.submissions.models import Deadline

from .document import text_date
from .models import DocType, Document, IssuerKind, Reference, ReferenceKind, ReferenceLink


def source_pickers() -> list[tuple[str, type[Model]]]:
    """The kinds of source a reference can be linked to, as the references form's fields: each registered
    document source ("campaigns", "cycles": its `field` + "s"), then deadlines."""
    return [(f"{entry.field}s", entry.model) for entry in sources.sources()] + [("deadlines", Deadline)]


def phrase(reference: Reference) -> str:
    """ "Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về …"."""
    text = f"{reference.get_kind_display()} số {reference.number}, ngày {text_date(reference.issued_on)}"
    if reference.issuer:
        text += f" của {reference.issuer}"
    if reference.summary:
        text += f" {reference.summary}"
    return text


def links_of(source: Model):
    return ReferenceLink.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)


def links_of_reference(reference: Reference) -> dict[str, list]:
    """What a reference is cited for, by kind of source: {"campaigns": […], "cycles": […], "deadlines": […]}."""
    found = {}
    for key, model in source_pickers():
        ids = reference.links.filter(source_type=ContentType.objects.get_for_model(model)).values("source_id")
        found[key] = list(model.objects.filter(pk__in=ids))
    return found


def references_of(source: Model, *, on: date | None = None) -> list[Reference]:
    """The references linked to `source` that existed on `on` (a draft for 15/5 never cites a plan of 20/5),
    oldest first; a deadline without its own falls back to its campaign's or cycle's."""
    queryset = Reference.objects.filter(pk__in=links_of(source).values("reference_id")).prefetch_related("implements")
    if on is not None:
        queryset = queryset.filter(issued_on__lte=on)
    found = list(queryset.order_by("issued_on", "number"))
    if not found and isinstance(source, Deadline) and source.source is not None:
        return references_of(source.source, on=on)
    return found


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " và " + phrases[-1]


def citation_for(source: Model, *, on: date | None = None, superiors: bool = False) -> str:
    """The opening "Thực hiện …" clause for a section written from `source`, as of `on`; "" when nothing is
    recorded (the generator then keeps its own wording). With `superiors`, the documents the cited ones
    implement come first, as the committee writes a plan's background:
    "Thực hiện Đề án số 13-ĐA/TU, … và Hướng dẫn số 02-HD/BDVTU, …; Kế hoạch số 252-KH/ĐUK, …"."""
    cited = references_of(source, on=on)
    if not cited:
        return ""
    own = _join([phrase(reference) for reference in cited])
    if not superiors:
        return f"Thực hiện {own}"
    seen, above = {r.pk for r in cited}, []
    for reference in cited:
        for superior in sorted(reference.implements.all(), key=lambda r: (r.issued_on, r.number)):
            if superior.pk not in seen and (on is None or superior.issued_on <= on):
                seen.add(superior.pk)
                above.append(phrase(superior))
    if not above:
        return f"Thực hiện {own}"
    return f"Thực hiện {_join(above)}; {own}"


# --- documents issued by the portal ---------------------------------------------------------------------------

REFERENCE_KIND_OF_DOC_TYPE = {
    DocType.CV: ReferenceKind.DISPATCH,
    DocType.BC: ReferenceKind.REPORT,
    DocType.KH: ReferenceKind.PLAN,
    DocType.TB: ReferenceKind.NOTICE,
    DocType.HD: ReferenceKind.GUIDE,
}


def summary_of_subject(subject: str) -> str:
    """A subject as a citation's tail: "V/v đôn đốc …" → "về việc đôn đốc …", "kết quả …" → "về kết quả …"."""
    subject = (subject or "").strip().rstrip(".")
    if subject[:4].lower() == "v/v ":
        return f"về việc {subject[4:].strip()}"
    if subject.lower().startswith(("về ", "về việc ")):
        return subject
    return f"về {subject}" if subject else ""


def issuer_of(document: Document) -> str:
    """Who the citation names for an issued document: the standing committee for the bloc committee's own
    documents (as the committee writes it), else the issuing body's frozen name."""
    if document.issuing_body.kind == IssuerKind.COMMITTEE:
        return "Ban Thường vụ Đảng ủy Khối"
    return document.issuer_name or document.issuing_body.name


def reference_for_issued(document: Document) -> Reference:
    """The Reference row of a document just issued (called by document_issue in its transaction). A row staff
    recorded by hand for the same number and date (the paper copy, before) becomes this document's."""
    existing = Reference.objects.filter(document=document).first()
    if existing is not None:
        return existing
    recorded = Reference.objects.filter(
        number=document.number_label, issued_on=document.issued_on, document__isnull=True
    ).first()
    if recorded is not None:
        recorded.document = document
        recorded.save(update_fields=["document"])
        return recorded
    reference = Reference(
        kind=REFERENCE_KIND_OF_DOC_TYPE.get(document.doc_type, ReferenceKind.DISPATCH),
        number=document.number_label,
        issued_on=document.issued_on,
        issuer=issuer_of(document),
        summary=summary_of_subject(document.content.get("subject", ""))[:500],
        document=document,
    )
    reference.full_clean(validate_unique=False, validate_constraints=False)
    reference.save()
    return reference

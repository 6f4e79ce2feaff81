"""Reads for official documents. Documents are the committee's own: staff and leaders read them, officers of
base organisations do not (the views answer 403 before any lookup)."""

from collections import namedtuple
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from dukportal.core import figures_cache, prepared
from dukportal.documents import sources
from dukportal.notifications.selectors import deadline_progress
from dukportal.submissions.models import Deadline
from organizations import access, blocs
from organizations.history import with_name_on
from organizations.models import BaseOrganization
from organizations.selectors import scope_key

from .exports import DOCUMENT_ISSUE, DOCUMENT_RENDER
from .models import (
    ISSUING_BODY_DATED_FIELDS,
    Document,
    DocumentStatus,
    IssuerKind,
    IssuingBody,
    NumberCounter,
    Reference,
    Signer,
    SuperiorBody,
    Term,
    TopicKind,
)


@dataclass(frozen=True)
class Header:
    """What a document of an issuing body prints on a given day: header lines, symbol, place, the body's name
    and its default signer. Issued documents keep these frozen on their row."""

    superior: str
    name: str
    symbol: str
    place_name: str
    issuer_name: str
    propaganda_department_name: str
    signer_authority: str
    signer_title: str
    signer_name: str


def issuing_body_values_on(issuing_body: IssuingBody, day: date) -> dict:
    """The issuing body's dated fields in force on `day` (its row when it has no recorded change)."""
    profiles = sorted(issuing_body.profiles.all(), key=lambda profile: profile.valid_from)
    source = issuing_body
    if profiles:
        source = profiles[0]
        for profile in profiles:
            if profile.valid_from <= day:
                source = profile
    return {field: getattr(source, field) for field in ISSUING_BODY_DATED_FIELDS}


def header_for(issuing_body: IssuingBody, day: date) -> Header:
    """The header values for a document of `issuing_body` dated `day`: the body's own lines when it overrides
    them, else the bloc's values in force that day."""
    bloc = blocs.bloc_values_on(issuing_body.bloc, day)
    body = issuing_body_values_on(issuing_body, day)
    committee = issuing_body.kind == IssuerKind.COMMITTEE
    return Header(
        superior=body["superior_line"] or (bloc.parent_name if committee else bloc.name),
        name=body["name_line"] or (bloc.name if committee else bloc.propaganda_department_name),
        symbol=body["symbol"] or (bloc.symbol if committee else f"BTG{bloc.symbol}"),
        place_name=bloc.place_name,
        issuer_name=body["name"],
        propaganda_department_name=bloc.propaganda_department_name,
        signer_authority=body["signer_authority"],
        signer_title=body["signer_title"],
        signer_name=body["signer_name"],
    )


def documents_visible_to(user) -> QuerySet:
    if not access.reads_everything(user):
        return Document.objects.none()
    return Document.objects.select_related("issuing_body__bloc", "term", "issued_by", "created_by")


def job_in_scope(user, job) -> bool:
    """Whether `user` may follow and download an export or render job: only its requester, and a document's
    file only while they may still read that document."""
    if job.created_by_id != user.pk:
        return False
    if job.kind in (DOCUMENT_RENDER, DOCUMENT_ISSUE):
        return documents_visible_to(user).filter(pk=job.params.get("document")).exists()
    return True


def document_list(user, *, status: str = "", doc_type: str = "", issuing_body_id=None) -> QuerySet:
    queryset = documents_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    if issuing_body_id:
        queryset = queryset.filter(issuing_body_id=issuing_body_id)
    return queryset


# The columns of a row of the document list and of the register (reports/rows.py formats them).
ROW_HEAD = (
    "id",
    "number",
    "doc_type",
    "symbol",
    "issuing_body__symbol",
    "issuing_body__kind",
    "issuing_body__bloc__symbol",
    "issuing_body__name",
    "status",
    "issuer_name",
)
DOCUMENT_ROW_FIELDS = (*ROW_HEAD, "issued_on", "created_at", "figures_as_of", "content__subject")
REGISTER_ROW_FIELDS = (
    *ROW_HEAD,
    "issued_on",
    "header_superior",
    "header_name",
    "place_name",
    "content__subject",
    "content__signer_title",
    "content__signer_name",
)


DocumentRow = namedtuple("DocumentRow", DOCUMENT_ROW_FIELDS)
RegisterRow = namedtuple("RegisterRow", REGISTER_ROW_FIELDS)


def document_rows(user, *, status: str = "", doc_type: str = "") -> prepared.KeyedList:
    """document_list's rows as DocumentRow for a Paginator, the count and each page compiled once per process
    for the filters (issue 13, branch pages74b: building the page's query cost more than running it)."""
    return prepared.KeyedList(
        ("document list", scope_key(user), status, doc_type),
        lambda: document_list(user, status=status, doc_type=doc_type).values_list(*DOCUMENT_ROW_FIELDS),
        DocumentRow,
    )


def issued_document_rows(user) -> prepared.KeyedList:
    """issued_documents' rows as RegisterRow for the register's Paginator (compiled once per process, as above)."""
    return prepared.KeyedList(
        ("register", scope_key(user)),
        lambda: issued_documents(user).values_list(*REGISTER_ROW_FIELDS),
        RegisterRow,
    )


def issued_documents(user) -> QuerySet:
    """The register's entries, newest first: issued documents with the header values frozen on them."""
    return documents_visible_to(user).filter(status=DocumentStatus.ISSUED).order_by("-issued_on", "-number", "-id")


def register_rows(user) -> list[NumberCounter]:
    """The register page: every sequence with its last number (three queries: counters, bodies, terms)."""
    if not access.reads_everything(user):
        return []
    return list(NumberCounter.objects.select_related("issuing_body__bloc", "term").order_by("-term__start_date"))


def issuing_bodies() -> QuerySet:
    return IssuingBody.objects.filter(is_active=True).select_related("bloc")


def superior_bodies() -> QuerySet:
    """Every bloc's superior bodies, retired ones included (the staff page lists them all)."""
    return SuperiorBody.objects.select_related("bloc").order_by("bloc__name", "sort_order", "name")


def terms() -> QuerySet:
    return Term.objects.select_related("bloc")


def deadline_choices() -> QuerySet:
    return Deadline.objects.order_by("-due_date", "id")


@dataclass(frozen=True)
class TopicCandidate:
    """A topic staff may pick for a dispatch or report of several topics, on the create page."""

    key: str  # "deadline-12": the form field's suffix
    kind: str  # TopicKind
    source: object
    label: str
    detail: str  # what the page shows beside it: the due date and x/y, or the year


def topic_candidates(user, on: date) -> list[TopicCandidate]:
    """What may be a topic on the reference date `on`: every deadline open on that day, as tracking shows them
    (not closed, recent or still owed; with its x/y on that day), then the whole sources the feature apps
    offer for that date (dukportal.documents.sources: the campaigns and QCDC cycles of that year and the one
    before)."""
    candidates = []
    # The tracking page's figure for the same date and viewer (dukportal/notifications/views.py TrackingView).
    progress_rows = figures_cache.cached(
        "tracking", on=on, user=user, compute=lambda: deadline_progress(user, today=on)
    )
    for progress in progress_rows:
        deadline = progress.deadline
        candidates.append(
            TopicCandidate(
                key=f"{TopicKind.DEADLINE}-{deadline.pk}",
                kind=TopicKind.DEADLINE,
                source=deadline,
                label=deadline.title,
                detail=f"hạn {deadline.due_date:%d/%m/%Y}; đã gửi {progress.ratio_label}",
            )
        )
    for entry in sources.sources():
        if not entry.topic_kind or entry.topic_sources is None:
            continue
        for source in entry.topic_sources(on):
            candidates.append(
                TopicCandidate(
                    key=f"{entry.topic_kind}-{source.pk}",
                    kind=entry.topic_kind,
                    source=source,
                    label=entry.topic_label(source) if entry.topic_label else f"Toàn bộ {source}",
                    detail=entry.topic_detail(source) if entry.topic_detail else "",
                )
            )
    return candidates


# --- references, signers, recipients ---------------------------------------------------------------------------


def references_visible_to(user) -> QuerySet:
    """The recorded references (committee data: staff and leaders)."""
    if not access.reads_everything(user):
        return Reference.objects.none()
    return Reference.objects.select_related("document").prefetch_related("implements")


def reference_list(user, *, query: str = "") -> QuerySet:
    queryset = references_visible_to(user).order_by("-issued_on", "number")
    if query:
        queryset = queryset.filter(
            Q(number__icontains=query) | Q(summary__icontains=query) | Q(issuer__icontains=query)
        )
    return queryset


def signers_of(issuing_body: IssuingBody, *, active_only: bool = True) -> QuerySet:
    queryset = Signer.objects.filter(issuing_body=issuing_body)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("-is_active", "sort_order", "id")


def recipient_organization_choices(bloc, on: date) -> QuerySet:
    """The base organisations a document can be addressed to on `on`, with their names of that day."""
    return with_name_on(BaseOrganization.objects.filter(bloc=bloc).active_on(on), on).order_by("sort_key", "id")

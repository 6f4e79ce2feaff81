"""Reads for official documents. Documents are the committee's own: staff and leaders read them, officers of
base organisations do not (the views answer 403 before any lookup)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from democracy_regs.models import DemocracyCycle
from dukportal.notifications.selectors import deadline_progress
from dukportal.submissions.models import Deadline
from dukportal.submissions.timeline import counted_on
from models_danvan.models import Campaign, Category, Evaluation, EvaluationPeriod, Level, Origin, Rating, Registration
from organizations import access, blocs
from organizations.history import with_name_on
from organizations.models import BaseOrganization

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


def campaign_choices() -> QuerySet:
    return Campaign.objects.order_by("-year")


def cycle_choices() -> QuerySet:
    return DemocracyCycle.objects.order_by("-year")


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
    (not closed, recent or still owed; with its x/y on that day), then the campaigns and QCDC cycles of that
    year and the year before."""
    candidates = []
    for progress in deadline_progress(user, today=on):
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
    years = (on.year, on.year - 1)
    for kind, queryset in ((TopicKind.CAMPAIGN, campaign_choices()), (TopicKind.CYCLE, cycle_choices())):
        for source in queryset.filter(year__in=years):
            candidates.append(
                TopicCandidate(
                    key=f"{kind}-{source.pk}",
                    kind=kind,
                    source=source,
                    label=f"Toàn bộ {source}"
                    if kind == TopicKind.CYCLE
                    else f"Toàn bộ “Dân vận khéo” năm {source.year}",
                    detail=f"năm {source.year}",
                )
            )
    return candidates


@dataclass
class DanvanYearFigures:
    by_category_rows: list = field(default_factory=list)  # header + one row per category + total
    rating_rows: list = field(default_factory=list)
    outstanding_rows: list = field(default_factory=list)  # header + commended or excellent models
    evaluated: int = 0
    not_evaluated: int = 0


def danvan_year_figures(campaign: Campaign, on: date) -> DanvanYearFigures:
    """Cross-tabs of one campaign year for the year report, at the end of `on`. Which registrations and
    evaluations count comes from their timelines (submissions.timeline.counted_on: sent by then, not
    withdrawn), as in campaign_statistics; the committee's rating and the commendation flag are read as they
    are now (they carry no dates). A fixed number of queries whatever the number of models."""
    sent = Registration.objects.filter(
        pk__in=counted_on(Registration.objects.filter(campaign=campaign), on).values("pk")
    )
    evaluations = Evaluation.objects.filter(
        pk__in=counted_on(Evaluation.objects.filter(registration__campaign=campaign), on).values("pk")
    )
    counts = Counter()
    for row in sent.values("category", "level", "origin").annotate(n=Count("id")):
        counts[(row["category"], row["level"])] += row["n"]
        counts[(row["category"], row["origin"])] += row["n"]
    header = ["Lĩnh vực / loại", "Cấp Đảng ủy Khối", "Cấp cơ sở", "Tiếp tục thực hiện", "Đăng ký mới", "Tổng số"]
    columns = [Level.BLOC, Level.BASE, Origin.CONTINUED, Origin.NEW]
    rows = [header]
    totals = [0] * len(columns)
    for value, label in Category.choices:
        figures = [counts[(value, column)] for column in columns]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append([str(label), *map(str, figures), str(figures[0] + figures[1])])
    rows.append(["Cộng", *map(str, totals), str(totals[0] + totals[1])])

    ratings = Counter(
        evaluations.filter(registration__in=sent, period=EvaluationPeriod.YEAR_END)
        .exclude(committee_rating="")
        .values_list("committee_rating", flat=True)
    )
    evaluated = sum(ratings.values())
    total = sum(totals[0:2])
    rating_rows = [["Kết quả đánh giá", "Số mô hình, điển hình"]]
    rating_rows += [[str(label), str(ratings[value])] for value, label in Rating.choices]
    rating_rows.append(["Chưa đánh giá", str(max(total - evaluated, 0))])

    excellent = evaluations.filter(
        registration__in=sent, period=EvaluationPeriod.YEAR_END, committee_rating=Rating.EXCELLENT
    ).values("registration_id")
    outstanding = (
        (sent.filter(commended=True) | sent.filter(pk__in=excellent))
        .select_related("organization")
        .order_by("level", "organization__sort_key", "id")
    )
    outstanding_rows = [["STT", "Tên mô hình, điển hình", "Đơn vị", "Lĩnh vực"]]
    outstanding_rows += [
        [str(i), r.name, r.organization.name if r.organization else "Đảng ủy Khối", r.get_category_display()]
        for i, r in enumerate(outstanding, start=1)
    ]
    return DanvanYearFigures(
        by_category_rows=rows,
        rating_rows=rating_rows,
        outstanding_rows=outstanding_rows,
        evaluated=evaluated,
        not_evaluated=max(total - evaluated, 0),
    )


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

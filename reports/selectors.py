"""Reads for official documents. Documents are the committee's own: staff and leaders read them, officers of
base organisations do not (the views answer 403 before any lookup)."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from democracy_regs.models import DemocracyCycle
from dukportal.submissions.models import Deadline, SubmissionStatus
from models_danvan.models import Campaign, Category, Evaluation, EvaluationPeriod, Level, Origin, Rating, Registration
from organizations import access

from .models import Document, IssuingBody, NumberCounter, Term


def documents_visible_to(user) -> QuerySet:
    if not access.reads_everything(user):
        return Document.objects.none()
    return Document.objects.select_related("issuing_body__bloc", "term", "issued_by", "created_by")


def document_list(user, *, status: str = "", doc_type: str = "", issuing_body_id=None) -> QuerySet:
    queryset = documents_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    if issuing_body_id:
        queryset = queryset.filter(issuing_body_id=issuing_body_id)
    return queryset


def register_rows(user) -> list[NumberCounter]:
    """The register page: every sequence with its last number (three queries: counters, bodies, terms)."""
    if not access.reads_everything(user):
        return []
    return list(NumberCounter.objects.select_related("issuing_body__bloc", "term").order_by("-term__start_date"))


def issuing_bodies() -> QuerySet:
    return IssuingBody.objects.filter(is_active=True).select_related("bloc")


def terms() -> QuerySet:
    return Term.objects.select_related("bloc")


def deadline_choices() -> QuerySet:
    return Deadline.objects.order_by("-due_date", "id")


def campaign_choices() -> QuerySet:
    return Campaign.objects.order_by("-year")


def cycle_choices() -> QuerySet:
    return DemocracyCycle.objects.order_by("-year")


@dataclass
class DanvanYearFigures:
    by_category_rows: list = field(default_factory=list)  # header + one row per category + total
    rating_rows: list = field(default_factory=list)
    outstanding_rows: list = field(default_factory=list)  # header + commended or excellent models
    evaluated: int = 0
    not_evaluated: int = 0


def danvan_year_figures(campaign: Campaign) -> DanvanYearFigures:
    """Cross-tabs of one campaign year for the year report. Three queries whatever the number of models."""
    sent = Registration.objects.filter(campaign=campaign).exclude(status=SubmissionStatus.DRAFT)
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
        Evaluation.objects.filter(registration__in=sent, period=EvaluationPeriod.YEAR_END)
        .exclude(committee_rating="")
        .values_list("committee_rating", flat=True)
    )
    evaluated = sum(ratings.values())
    total = sum(totals[0:2])
    rating_rows = [["Kết quả đánh giá", "Số mô hình, điển hình"]]
    rating_rows += [[str(label), str(ratings[value])] for value, label in Rating.choices]
    rating_rows.append(["Chưa đánh giá", str(max(total - evaluated, 0))])

    excellent = Evaluation.objects.filter(
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

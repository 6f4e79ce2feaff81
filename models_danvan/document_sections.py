"""What “Dân vận khéo” contributes to official documents, registered in dukportal.documents.sources (reports
composes them and names no app): the year report of a campaign, the reminder of its registration deadline, its
deadlines as topics of a dispatch of several topics and the whole campaign as one topic. Figures come from
models_danvan.selectors.campaign_statistics (the same x/y as the statistics page) and, for whom to chase, the
shared deadline layer; everything is read for the end of the draft's date."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from dukportal.documents import sources
from dukportal.documents.sections import Draft, Overview, Reminder, Report, Wording, missing_organizations
from dukportal.documents.text import BASES, HEADING_PREFIX, count, report_closing, table_lines, text_date
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from dukportal.submissions.timeline import counted_on

from . import obligations
from .models import Campaign, Category, Evaluation, EvaluationPeriod, Level, Origin, Rating, Registration
from .selectors import campaign_deadlines, campaign_statistics

KIND = "danvan_report"


def _statistics(campaign: Campaign, draft: Draft):
    return draft.memo(("danvan", campaign.pk), lambda: campaign_statistics(campaign, on=draft.as_of))


def _campaign_plan(campaign: Campaign) -> str:
    return (
        f"Thực hiện Kế hoạch số {campaign.plan_number}, ngày {text_date(campaign.plan_date)} của Ban Thường vụ "
        f"Đảng ủy Khối về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm {campaign.year}"
    )


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


def year_report(campaign: Campaign, draft: Draft) -> Report:
    """Báo cáo for a campaign year: models by field and level, new vs continued, evaluation results, commended
    and outstanding models and exemplars."""
    as_of = draft.as_of
    stats = campaign_statistics(campaign, on=as_of)
    figures = danvan_year_figures(campaign, as_of)
    year = campaign.year
    h = HEADING_PREFIX
    body = [
        f"{draft.cite(campaign) or _campaign_plan(campaign)}, "
        f"{draft.actor} báo cáo kết quả thực hiện năm {year} (số liệu tính đến ngày "
        f"{text_date(as_of)}) như sau:",
        f"{h}I- KẾT QUẢ ĐĂNG KÝ XÂY DỰNG MÔ HÌNH, ĐIỂN HÌNH",
        f"Năm {year} có {stats.registered}/{stats.expected} chi, đảng bộ cơ sở đăng ký với {count(stats.total)} "
        f"mô hình, điển hình, trong đó {count(stats.models)} mô hình và {count(stats.exemplars)} điển hình; "
        f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
        f"trong số mô hình cấp cơ sở có {count(stats.base_continued)} mô hình tiếp tục thực hiện và "
        f"{count(stats.base_new)} mô hình đăng ký mới.",
        "Kết quả theo lĩnh vực và cấp:",
        *table_lines(figures.by_category_rows),
        f"{h}II- KẾT QUẢ ĐÁNH GIÁ",
        f"Có {count(figures.evaluated)} mô hình, điển hình được Đảng ủy Khối đánh giá tổng kết năm {year}; "
        f"{count(figures.not_evaluated)} mô hình, điển hình chưa có kết quả đánh giá.",
        *table_lines(figures.rating_rows),
        f"{h}III- MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU",
        f"Có {count(stats.commended)} mô hình, điển hình được đề nghị khen thưởng và {count(stats.replicated)} "
        "mô hình được nhân rộng.",
    ]
    if len(figures.outstanding_rows) > 1:
        body.extend(table_lines(figures.outstanding_rows))
    body += report_closing(year, f"Tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo” năm {year + 1}; …")
    return Report(subject=f"kết quả thực hiện phong trào thi đua “Dân vận khéo” năm {year}", body=body)


def registration_reminder(deadline: Deadline, draft: Draft) -> Reminder:
    """The reminder of a registration deadline: the campaign's figures (models by level, continued and new)."""
    campaign = Campaign.objects.get(pk=deadline.source_id)
    stats = campaign_statistics(campaign, on=draft.as_of)
    year = campaign.year
    return Reminder(
        subject=f"V/v đôn đốc đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm {year}",
        lines=[
            f"{draft.cite(deadline) or _campaign_plan(campaign)}, "
            "Đảng ủy Khối đã hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn thể khối đăng ký xây dựng mô hình, "
            f"điển hình “Dân vận khéo” năm {year} (hạn gửi đăng ký ngày {text_date(deadline.due_date)}).",
            f"Tính đến ngày {text_date(draft.as_of)} đã có {stats.registered}/{stats.expected} chi, đảng bộ cơ sở gửi "
            f"đăng ký mô hình “Dân vận khéo” năm {year}, với {count(stats.total)} mô hình đăng ký, trong đó có "
            f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
            f"{count(stats.base_continued)} mô hình tiếp tục thực hiện từ năm {year - 1} và {count(stats.base_new)} mô hình "
            f"đăng ký mới năm {year}.",
        ],
        what=f"đăng ký xây dựng mô hình “Dân vận khéo” năm {year}",
    )


# --- the campaign's deadlines as topics of a dispatch or report of several topics -------------------------------


def registration_wording(deadline: Deadline, draft: Draft, close: bool) -> Wording:
    campaign = deadline.source
    year, due = campaign.year, text_date(deadline.due_date)
    wording = Wording(
        title=f"Về việc triển khai thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
        background=[
            f"Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số {campaign.plan_number}, ngày "
            f"{text_date(campaign.plan_date)} về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm "
            f"{year}; đồng thời hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn thể khối đăng ký xây dựng mô hình, "
            f"điển hình “Dân vận khéo” năm {year}, gửi đăng ký {draft.via()} trước ngày {due}."
        ],
        ask=f"gửi đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm {year}",
    )
    if close:
        stats = _statistics(campaign, draft)
        wording.figures.append(
            f"Tính đến ngày {text_date(draft.as_of)} đã có {stats.registered}/{stats.expected} {BASES} gửi đăng ký "
            f"mô hình “Dân vận khéo” năm {year}, với {count(stats.total)} mô hình đăng ký, trong đó có "
            f"{count(stats.bloc_level)} mô hình cấp Đảng ủy Khối và {count(stats.base_level)} mô hình cấp cơ sở; "
            f"{count(stats.base_continued)} mô hình tiếp tục thực hiện từ năm {year - 1} và "
            f"{count(stats.base_new)} mô hình đăng ký mới năm {year}."
        )
        missing_organizations(wording, deadline, draft, f"{BASES} chưa gửi đăng ký")
    return wording


def evaluation_wording(period_words: str, report: str, whole: str):
    """Mid-year ("sơ kết 6 tháng") and year-end ("tổng kết năm") evaluations: owed by organisations with a
    model accepted by the date (the obligation's own rule, applied by deadline_figures)."""

    def writer(deadline: Deadline, draft: Draft, close: bool) -> Wording:
        campaign = deadline.source
        year, due = campaign.year, text_date(deadline.due_date)
        wording = Wording(
            title=f"Về việc {period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}",
            background=[
                f"Theo Kế hoạch số {campaign.plan_number}, ngày {text_date(campaign.plan_date)} của Ban Thường vụ "
                f"Đảng ủy Khối, các {BASES} có mô hình, điển hình “Dân vận khéo” năm {year} đã được tiếp nhận đánh "
                f"giá kết quả thực hiện {whole}, gửi {report} {draft.via()} trước ngày {due}."
            ],
            ask=f"gửi báo cáo {period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}",
        )
        if close:
            figures = deadlines.deadline_figures(deadline, draft.as_of)
            if not figures.expected:
                wording.figures.append(
                    f"Tính đến ngày {text_date(draft.as_of)} chưa có {BASES} nào có mô hình, điển hình được tiếp nhận "
                    f"phải gửi báo cáo {period_words}."
                )
                return wording
            wording.figures.append(
                f"Tính đến ngày {text_date(draft.as_of)} đã có {figures.sent}/{figures.expected} {BASES} gửi báo cáo "
                f"{period_words} thực hiện mô hình, điển hình “Dân vận khéo” năm {year}."
            )
            missing_organizations(wording, deadline, draft, f"{BASES} chưa gửi {report}", figures=figures)
        return wording

    return writer


def campaign_overview(campaign: Campaign, draft: Draft) -> Overview:
    year = campaign.year
    return Overview(
        title=f"Về việc thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
        opening=f"Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số {campaign.plan_number}, ngày "
        f"{text_date(campaign.plan_date)} về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm "
        f"{year}. Kết quả thực hiện như sau:",
        deadlines=list(campaign_deadlines(campaign).values()),
        request=f"{draft.requester} đề nghị các {BASES} tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo”, thực hiện "
        "đầy đủ các nội dung trên theo kế hoạch.",
    )


def register() -> None:
    sources.register(
        sources.DocumentSource(
            kind=KIND,
            label="Báo cáo kết quả “Dân vận khéo” năm",
            model=Campaign,
            field="campaign",
            field_label="Đợt “Dân vận khéo”",
            help_text="Cho báo cáo kết quả năm.",
            missing="Chọn đợt “Dân vận khéo”.",
            choices=lambda: Campaign.objects.order_by("-year"),
            report=year_report,
            order=10,
            reference_label="Trích dẫn cho đợt “Dân vận khéo”",
            reminders={obligations.REGISTRATION: registration_reminder},
            topic_kind="campaign",
            topic_sources=lambda on: Campaign.objects.order_by("-year").filter(year__in=(on.year, on.year - 1)),
            topic_label=lambda campaign: f"Toàn bộ “Dân vận khéo” năm {campaign.year}",
            topic_detail=lambda campaign: f"năm {campaign.year}",
            overview=campaign_overview,
            wordings={
                obligations.REGISTRATION: registration_wording,
                obligations.MID_YEAR: evaluation_wording("sơ kết 6 tháng", "báo cáo sơ kết", "6 tháng đầu năm"),
                obligations.YEAR_END: evaluation_wording("tổng kết", "báo cáo tổng kết", "cả năm"),
            },
        )
    )

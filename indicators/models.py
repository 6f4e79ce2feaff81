"""Periodic indicator reports (báo cáo định kỳ) that staff define without code: a versioned definition with its
sections and indicators, the rounds (one period each) organisations answer, and the reports they send on the
shared submission workflow.

Values are kept in one JSONField per report, keyed by indicator code, rather than one row per value: a report is
always read and written whole, the shared workflow snapshots it as one revision (SubmissionRevision.data) and
field comments address its indicators by code; the aggregates read at most a few hundred reports per round
(one per organisation), which Python folds in milliseconds."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.submissions.models import Submission
from organizations.models import Sector


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Năm")


PERIODS_PER_YEAR = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}


class AudienceKind(models.TextChoices):
    ALL = "all", _("Tất cả tổ chức cơ sở đảng")
    SECTOR = "sector", _("Các tổ chức của một khối")
    CHOSEN = "chosen", _("Danh sách tổ chức được chọn")


class IndicatorKind(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    MONEY = "money", _("Số tiền (đồng)")
    PERCENT = "percent", _("Tỷ lệ (%)")
    SHORT_TEXT = "short_text", _("Văn bản ngắn")
    LONG_TEXT = "long_text", _("Văn bản dài")
    YES_NO = "yes_no", _("Có/Không")


NUMERIC_KINDS = (IndicatorKind.INTEGER, IndicatorKind.MONEY, IndicatorKind.PERCENT)
TEXT_KINDS = (IndicatorKind.SHORT_TEXT, IndicatorKind.LONG_TEXT)


class Aggregation(models.TextChoices):
    SUM = "sum", _("Tổng")
    AVERAGE = "average", _("Trung bình")
    COUNT_YES = "count_yes", _("Số đơn vị trả lời “Có”")
    LIST = "list", _("Danh sách nội dung")


class ReportDefinition(models.Model):
    """One version of a periodic report staff defined: what is asked, of whom, how often and by when.

    A version that organisations have filled in is never edited in place: editing it makes a new version
    (`supersedes` the old one, `version` + 1, same `family`), and each report keeps the version it was filled
    against. `family` is the first version; rounds belong to the family, so a period is answered once whatever
    the version."""

    family = models.ForeignKey(
        "self",
        verbose_name=_("báo cáo gốc"),
        on_delete=models.PROTECT,
        related_name="versions",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế phiên bản"),
        on_delete=models.PROTECT,
        related_name="superseded_by",
        null=True,
        blank=True,
    )
    name = models.CharField(_("tên báo cáo"), max_length=255)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=20, choices=PeriodKind.choices)
    audience = models.CharField(_("đơn vị phải báo cáo"), max_length=20, choices=AudienceKind.choices)
    sector = models.CharField(_("khối"), max_length=20, choices=Sector.choices, blank=True)
    organizations = models.ManyToManyField(
        "organizations.BaseOrganization", verbose_name=_("tổ chức được chọn"), blank=True, related_name="+"
    )
    due_days = models.PositiveSmallIntegerField(
        _("hạn nộp (số ngày sau khi kết thúc kỳ)"),
        default=15,
        help_text=_("Ví dụ 15: báo cáo 6 tháng đầu năm hạn ngày 15/7."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu báo cáo định kỳ")
        verbose_name_plural = _("các mẫu báo cáo định kỳ")
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "version"],
                name="reportdef_unique_version",
                violation_error_message=_("Phiên bản này của mẫu báo cáo đã tồn tại."),
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="sector") | ~models.Q(sector=""),
                name="reportdef_sector_audience_has_sector",
                violation_error_message=_("Vui lòng chọn khối phải báo cáo."),
            ),
        ]

    def __str__(self):
        return self.name if self.version == 1 else f"{self.name} (phiên bản {self.version})"

    def get_absolute_url(self):
        return reverse("indicators:definition", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")


class IndicatorSection(models.Model):
    """A titled group of indicators in a definition ("I. Công tác dân vận chính quyền")."""

    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("mẫu báo cáo"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("tên phần"), max_length=255)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phần của báo cáo")
        verbose_name_plural = _("các phần của báo cáo")
        ordering = ["definition", "position", "id"]

    def __str__(self):
        return self.title


# The order indicators are asked, shown and exported in: by section, then position. Indicators outside any
# section come last on every database (PostgreSQL sorts NULL last, SQLite first).
INDICATOR_ORDER = (F("section__position").asc(nulls_last=True), "position", "id")


class Indicator(models.Model):
    """One figure or answer a report asks for, with its kind, unit, bounds and how the bloc adds it up."""

    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("mẫu báo cáo"), on_delete=models.CASCADE, related_name="indicators"
    )
    section = models.ForeignKey(
        IndicatorSection,
        verbose_name=_("phần"),
        on_delete=models.CASCADE,
        related_name="indicators",
        null=True,
        blank=True,
    )
    code = models.SlugField(_("mã chỉ tiêu"), max_length=50)
    label = models.CharField(_("tên chỉ tiêu"), max_length=500)
    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=True)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=20, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=20, decimal_places=2, null=True, blank=True)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=20, choices=Aggregation.choices)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("các chỉ tiêu")
        ordering = ["definition", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "code"],
                name="indicator_unique_code",
                violation_error_message=_("Mã chỉ tiêu đã được dùng trong mẫu báo cáo này."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="indicator_bounds_ordered",
                violation_error_message=_("Giá trị nhỏ nhất không được lớn hơn giá trị lớn nhất."),
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.label}"


class ReportRound(models.Model):
    """One period of a report family (6 tháng đầu năm 2024): the source of its deadline."""

    family = models.ForeignKey(
        ReportDefinition, verbose_name=_("mẫu báo cáo"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("kỳ số"), default=1)  # quarter 1–4, half 1–2, year 1
    due_date = models.DateField(_("hạn nộp"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("các kỳ báo cáo")
        ordering = ["-year", "-number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "year", "number"],
                name="reportround_one_per_period",
                violation_error_message=_("Kỳ báo cáo này đã được mở."),
            )
        ]

    def __str__(self):
        return f"{self.family.name} {self.period_label}"

    def get_absolute_url(self):
        return reverse("indicators:round", args=[self.pk])

    @property
    def period_label(self) -> str:
        name = period_name(self.family.period_kind, self.number)
        return f"{name} năm {self.year}" if name else f"năm {self.year}"

    @property
    def period_end(self) -> date:
        months = 12 // PERIODS_PER_YEAR[PeriodKind(self.family.period_kind)]
        month = months * self.number
        return date(self.year, 12, 31) if month == 12 else date(self.year, month + 1, 1) - timedelta(days=1)


def _roman(number: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}.get(number, str(number))


def period_name(kind: str, number: int) -> str:
    """The period of a year without the year: "quý II", "6 tháng đầu", "" for a yearly report."""
    if kind == PeriodKind.QUARTER:
        return f"quý {_roman(number)}"
    if kind == PeriodKind.HALF_YEAR:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'}"
    return ""


class IndicatorReport(Submission):
    """What one organisation reports for one round, against the definition version it was filled in on."""

    round = models.ForeignKey(ReportRound, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="+")
    definition = models.ForeignKey(
        ReportDefinition, verbose_name=_("phiên bản mẫu báo cáo"), on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField(_("số liệu"), default=dict, blank=True)

    snapshot_fields = ("values",)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["round", "organization", "id"]
        # counted_from: timeline.counted_on over one round's reports (first sent before the end of a day).
        indexes = [models.Index(fields=["round", "counted_from"], name="indicatorreport_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization"],
                # A withdrawn report no longer stands in the way of a new one.
                condition=~models.Q(status="withdrawn"),
                name="indicatorreport_one_per_round",
                violation_error_message=_("Đơn vị đã có báo cáo cho kỳ này."),
            ),
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False),
                name="indicatorreport_has_organization",
                violation_error_message=_("Báo cáo định kỳ phải thuộc một tổ chức cơ sở đảng."),
            ),
        ]

    def __str__(self):
        return f"{self.round.family.name} {self.round.period_label}"

    def get_absolute_url(self):
        return reverse("indicators:report", args=[self.pk])

    @property
    def review_fields(self) -> tuple[str, ...]:
        """Staff comment on each indicator (by code) when returning a report."""
        return tuple(self.review_field_labels())

    def review_field_labels(self) -> dict[str, str]:
        """{code: label} of the version it was filled against, in form order (read once per instance)."""
        if "_indicator_labels" not in self.__dict__:
            indicators = self.definition.indicators.order_by(*INDICATOR_ORDER)
            self._indicator_labels = dict(indicators.values_list("code", "label"))
        return self._indicator_labels

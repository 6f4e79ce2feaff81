"""“Dân vận khéo” (skilful mass mobilisation): yearly campaigns, the models and exemplars organisations
register for them, and their mid-year and year-end evaluations."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.core.links import url_with_pk
from dukportal.submissions.models import Submission
from organizations import history


class Category(models.TextChoices):
    ECONOMY = "economy", _("Phát triển kinh tế")
    CULTURE_SOCIETY = "culture_society", _("Văn hóa – xã hội")
    DEFENCE_SECURITY = "defence_security", _("Quốc phòng – an ninh")
    POLITICAL_SYSTEM = "political_system", _("Xây dựng hệ thống chính trị")
    EXEMPLAR_COLLECTIVE = "exemplar_collective", _("Điển hình tập thể")
    EXEMPLAR_INDIVIDUAL = "exemplar_individual", _("Điển hình cá nhân")

    @classmethod
    def fields(cls):
        return [cls.ECONOMY, cls.CULTURE_SOCIETY, cls.DEFENCE_SECURITY, cls.POLITICAL_SYSTEM]

    @classmethod
    def exemplars(cls):
        return [cls.EXEMPLAR_COLLECTIVE, cls.EXEMPLAR_INDIVIDUAL]


class Level(models.TextChoices):
    BLOC = "bloc", _("Cấp Đảng ủy Khối")
    BASE = "base", _("Cấp cơ sở")


class Origin(models.TextChoices):
    NEW = "new", _("Đăng ký mới")
    CONTINUED = "continued", _("Tiếp tục thực hiện")


class EvaluationPeriod(models.TextChoices):
    MID_YEAR = "mid_year", _("Sơ kết 6 tháng")
    YEAR_END = "year_end", _("Tổng kết năm")


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    NOT_ACHIEVED = "not_achieved", _("Chưa đạt")


class Campaign(models.Model):
    """One year of the movement, opened by the standing committee's plan (e.g. 252-KH/ĐUK of 25/3/2024)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    plan_number = models.CharField(_("số kế hoạch"), max_length=50, help_text=_("Ví dụ: 252-KH/ĐUK"))
    plan_date = models.DateField(_("ngày ban hành kế hoạch"))
    registration_deadline = models.DateField(_("hạn đăng ký mô hình"))
    midyear_deadline = models.DateField(_("hạn báo cáo sơ kết 6 tháng"))
    yearend_deadline = models.DateField(_("hạn báo cáo tổng kết năm"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt “Dân vận khéo”")
        verbose_name_plural = _("các đợt “Dân vận khéo”")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("midyear_deadline"))
                & Q(midyear_deadline__lte=F("yearend_deadline")),
                name="campaign_deadlines_in_order",
                violation_error_message=_("Các hạn phải theo thứ tự: đăng ký, sơ kết 6 tháng, tổng kết năm."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="campaign_year_plausible",
                violation_error_message=_("Năm không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"“Dân vận khéo” năm {self.year}"

    def get_absolute_url(self):
        return reverse("models_danvan:campaign", args=[self.pk])

    def clean(self):
        super().clean()
        if self.registration_deadline and self.year and self.registration_deadline.year != self.year:
            raise ValidationError({"registration_deadline": _("Hạn đăng ký phải nằm trong năm của đợt.")})

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)


class Registration(Submission):
    """A model or exemplar an organisation (or the committee itself, at bloc level) registers for a year."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="registrations"
    )
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, default=Level.BASE)
    category = models.CharField(_("lĩnh vực / loại điển hình"), max_length=30, choices=Category.choices)
    origin = models.CharField(_("hình thức"), max_length=10, choices=Origin.choices, default=Origin.NEW)
    continued_from = models.ForeignKey(
        "self",
        verbose_name=_("tiếp tục từ mô hình năm trước"),
        on_delete=models.PROTECT,
        related_name="continuations",
        null=True,
        blank=True,
    )
    name = models.CharField(_("tên mô hình, điển hình"), max_length=300)
    aims = models.TextField(_("mục đích, yêu cầu"), blank=True)
    content = models.TextField(_("nội dung, giải pháp thực hiện"), blank=True)
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    person_in_charge = models.CharField(_("người phụ trách"), max_length=150)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    commended = models.BooleanField(_("đề nghị khen thưởng"), default=False)
    replicated = models.BooleanField(_("nhân rộng"), default=False)

    snapshot_fields = (
        "level", "category", "origin", "continued_from", "name", "aims", "content", "expected_results",
        "person_in_charge", "start_date", "end_date",
    )  # fmt: skip
    # Level, origin and predecessor are set by how the model was registered, not typed in by the organisation.
    review_fields = (
        "category", "name", "aims", "content", "expected_results", "person_in_charge", "start_date", "end_date",
    )  # fmt: skip

    class Meta:
        verbose_name = _("đăng ký mô hình “Dân vận khéo”")
        verbose_name_plural = _("đăng ký mô hình “Dân vận khéo”")
        ordering = ["campaign", "organization", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=Level.BLOC) & Q(organization__isnull=True))
                | (Q(level=Level.BASE) & Q(organization__isnull=False)),
                name="registration_level_matches_organization",
                violation_error_message=_(
                    "Mô hình cấp cơ sở phải thuộc một tổ chức; mô hình cấp Đảng ủy Khối thì không."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="registration_end_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(origin=Origin.NEW, continued_from__isnull=True) | Q(origin=Origin.CONTINUED),
                name="registration_new_has_no_predecessor",
                violation_error_message=_("Mô hình đăng ký mới không gắn với mô hình năm trước."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "continued_from"],
                condition=Q(continued_from__isnull=False),
                name="registration_continued_once_per_year",
                violation_error_message=_("Mô hình này đã được đăng ký tiếp tục thực hiện trong năm nay."),
            ),
        ]
        # Serves the statistics page: registrations of a campaign by status.
        indexes = [
            models.Index(fields=["campaign", "status"], name="registration_campaign_idx"),
            # counted_from: timeline.counted_on over one campaign's registrations (first sent before the end of a day).
            models.Index(fields=["campaign", "counted_from"], name="registration_counted_idx"),
            # campaign_statistics: each organisation's count of counted registrations in the campaign (a
            # correlated count per organisation; without it, one bitmap AND of the campaign's and the
            # organisation's entries per organisation). Its included columns let the statistics page's counts
            # (selectors.campaign_summary, yearly_totals: ten years of registrations) read this index alone,
            # never the wide rows (17 MB of heap for 20,000 registrations, 1.7 MB of index).
            models.Index(
                fields=["campaign", "organization"],
                include=["counted_from", "counted_until", "level", "category", "origin", "commended", "replicated"],
                name="registration_counts_idx",
            ),
            # The registration list (views.RegistrationListView, selectors.registration_list): its count and its
            # page's ids, filtered by status and ordered by level, the organisation's name and category, read
            # from this index alone instead of every registration row of the campaign.
            models.Index(
                fields=["campaign", "status", "organization", "level", "category", "id"], name="registration_list_idx"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return url_with_pk("models_danvan:registration", self.pk)  # as reverse(), once per process (list rows)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.campaign_id and self.start_date and self.end_date:
            year = self.campaign.year
            if self.start_date > date(year, 12, 31) or self.end_date < date(year, 1, 1):
                errors["start_date"] = _("Thời gian thực hiện phải nằm trong năm %(year)s của đợt đăng ký.") % {
                    "year": year
                }
        if self.continued_from_id and self.campaign_id:
            previous = self.continued_from
            if previous.campaign.year >= self.campaign.year:
                errors["continued_from"] = _("Chỉ tiếp tục được mô hình của năm trước.")
            elif previous.organization_id != self.organization_id and not (
                # a successor continues the models of the organisations merged or split into it
                previous.organization_id
                and self.organization_id
                and previous.organization_id in history.ancestor_ids([self.organization_id])
            ):
                errors["continued_from"] = _(
                    "Chỉ tiếp tục được mô hình của chính đơn vị mình hoặc của tổ chức tiền thân (trước khi hợp nhất, chia tách)."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_exemplar(self) -> bool:
        return self.category in Category.exemplars()


class Evaluation(Submission):
    """An organisation's self-evaluation of one registration at mid-year or year-end, and the committee's
    assessment of it."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("mô hình"), on_delete=models.CASCADE, related_name="evaluations"
    )
    period = models.CharField(_("kỳ đánh giá"), max_length=10, choices=EvaluationPeriod.choices)
    results = models.TextField(_("kết quả đạt được"))
    figures = models.TextField(_("số liệu cụ thể"), blank=True)
    self_rating = models.CharField(_("tự đánh giá"), max_length=20, choices=Rating.choices)
    committee_rating = models.CharField(_("Đảng ủy Khối đánh giá"), max_length=20, choices=Rating.choices, blank=True)
    committee_comment = models.TextField(_("nhận xét của Đảng ủy Khối"), blank=True)

    snapshot_fields = ("period", "results", "figures", "self_rating")

    class Meta:
        verbose_name = _("đánh giá mô hình")
        verbose_name_plural = _("đánh giá mô hình")
        ordering = ["registration", "period"]
        # counted_from: timeline.counted_on over one registration's evaluations (first sent before the end of a day).
        indexes = [models.Index(fields=["registration", "counted_from"], name="evaluation_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "period"],
                name="evaluation_once_per_period",
                violation_error_message=_("Mô hình đã có báo cáo đánh giá cho kỳ này."),
            )
        ]

    def __str__(self):
        return f"{self.get_period_display()}: {self.registration}"

    def get_absolute_url(self):
        return reverse("models_danvan:evaluation", args=[self.pk])

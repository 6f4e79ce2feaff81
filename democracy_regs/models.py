"""Grassroots democracy (Quy chế dân chủ ở cơ sở, QCDC): the committee's yearly cycle, and what each base
organisation sends for it — its implementation plan, its steering committee, its self-inspection report — plus
the bright spots (điểm sáng) of QCDC and of government mass mobilisation.

Every submission uses the shared workflow (dukportal.submissions): status, timeline, revisions, attachments."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.submissions.models import Submission


class DemocracyCycle(models.Model):
    """One year of QCDC follow-up, opened by the committee's own plan (e.g. 253-KH/ĐUK of 25/3/2024).

    Every deadline is data of the cycle. Units chosen for a direct inspection visit send their self-inspection
    report by their own, earlier deadline, covering a review period (e.g. 01/10/2023 – 30/9/2024)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    bloc_plan_number = models.CharField(
        _("số kế hoạch của Đảng ủy Khối"), max_length=50, help_text=_("Ví dụ: 253-KH/ĐUK")
    )
    bloc_plan_date = models.DateField(_("ngày ban hành kế hoạch"))
    plan_deadline = models.DateField(_("hạn gửi kế hoạch thực hiện QCDC"))
    committee_deadline = models.DateField(_("hạn kiện toàn Ban chỉ đạo"))
    self_inspection_deadline = models.DateField(_("hạn gửi báo cáo tự kiểm tra, giám sát"))
    committee_min_members = models.PositiveSmallIntegerField(
        _("số thành viên tối thiểu của Ban chỉ đạo"),
        default=3,
        help_text=_(
            "Ban chỉ đạo “đã kiện toàn” khi có đúng một trưởng ban và ít nhất số thành viên này (kể cả trưởng ban)."
        ),
    )
    inspected_organizations = models.ManyToManyField(
        "organizations.BaseOrganization",
        verbose_name=_("đơn vị được kiểm tra trực tiếp"),
        blank=True,
        related_name="+",
    )
    inspection_deadline = models.DateField(_("hạn gửi báo cáo của đơn vị được kiểm tra"), null=True, blank=True)
    review_start = models.DateField(_("kỳ rà soát từ ngày"), null=True, blank=True)
    review_end = models.DateField(_("kỳ rà soát đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt thực hiện Quy chế dân chủ")
        verbose_name_plural = _("các đợt thực hiện Quy chế dân chủ")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="democracycycle_year_plausible",
                violation_error_message=_("Năm không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(plan_deadline__lte=F("self_inspection_deadline")),
                name="democracycycle_plan_before_report",
                violation_error_message=_("Hạn gửi kế hoạch phải trước hạn gửi báo cáo tự kiểm tra."),
            ),
            models.CheckConstraint(
                condition=Q(review_start__isnull=True)
                | Q(review_end__isnull=True)
                | Q(review_end__gte=F("review_start")),
                name="democracycycle_review_period_order",
                violation_error_message=_("Ngày kết thúc kỳ rà soát phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(inspection_deadline__isnull=True)
                | Q(inspection_deadline__lte=F("self_inspection_deadline")),
                name="democracycycle_inspection_deadline_earlier",
                violation_error_message=_(
                    "Hạn gửi báo cáo của đơn vị được kiểm tra không được sau hạn chung gửi báo cáo tự kiểm tra."
                ),
            ),
        ]

    def __str__(self):
        return f"Quy chế dân chủ ở cơ sở năm {self.year}"

    def get_absolute_url(self):
        return reverse("democracy_regs:cycle", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.year and self.plan_deadline and self.plan_deadline.year != self.year:
            errors["plan_deadline"] = _("Hạn gửi kế hoạch phải nằm trong năm của đợt.")
        if self.inspection_deadline and not (self.review_start and self.review_end):
            errors["review_start"] = _("Vui lòng nhập kỳ rà soát (từ ngày – đến ngày) cho đơn vị được kiểm tra.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_inspection_visit(self) -> bool:
        return self.inspection_deadline is not None


class DemocracyPlan(Submission):
    """A base organisation's plan to implement QCDC in a year, with the officer it puts in charge. The signed
    plan is an attachment, required before sending."""

    cycle = models.ForeignKey(DemocracyCycle, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="plans")
    number = models.CharField(_("số kế hoạch"), max_length=50, help_text=_("Ví dụ: 05-KH/ĐU"))
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.TextField(_("nội dung chính"))
    officer_in_charge = models.CharField(_("cán bộ phụ trách QCDC"), max_length=120)
    officer_position = models.CharField(_("chức vụ cán bộ phụ trách"), max_length=150, blank=True)
    officer_phone = models.CharField(_("điện thoại cán bộ phụ trách"), max_length=30, blank=True)

    snapshot_fields = ("number", "issued_on", "summary", "officer_in_charge", "officer_position", "officer_phone")

    class Meta:
        verbose_name = _("kế hoạch thực hiện Quy chế dân chủ")
        verbose_name_plural = _("kế hoạch thực hiện Quy chế dân chủ")
        ordering = ["cycle", "organization", "id"]
        # counted_from: timeline.counted_on over one cycle's plans (first sent before the end of a day).
        indexes = [models.Index(fields=["cycle", "counted_from"], name="democracyplan_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                # A withdrawn one no longer stands in the way of a new one.
                condition=~Q(status="withdrawn"),
                name="democracyplan_one_per_cycle",
                violation_error_message=_("Đơn vị đã có kế hoạch thực hiện Quy chế dân chủ cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False),
                name="democracyplan_has_organization",
                violation_error_message=_("Kế hoạch phải thuộc một tổ chức cơ sở đảng."),
            ),
        ]

    def __str__(self):
        return f"Kế hoạch {self.number}"

    def get_absolute_url(self):
        return reverse("democracy_regs:plan", args=[self.pk])


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    DEPUTY = "deputy", _("Phó trưởng ban")
    MEMBER = "member", _("Thành viên")


class SteeringCommittee(Submission):
    """An organisation's yearly declaration of its QCDC steering committee (Ban chỉ đạo), under the decision
    that set it up or completed it. The make-up itself lives in SteeringCommitteeMembership rows of the
    organisation, dated, so the committee on any day is known; `roster` keeps the make-up as it was sent."""

    cycle = models.ForeignKey(
        DemocracyCycle, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="committees"
    )
    decision_number = models.CharField(_("số quyết định kiện toàn"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"))
    notes = models.TextField(_("ghi chú"), blank=True)
    roster = models.JSONField(_("thành phần khi gửi"), default=list, blank=True)

    snapshot_fields = ("decision_number", "decision_date", "notes", "roster")

    class Meta:
        verbose_name = _("Ban chỉ đạo thực hiện Quy chế dân chủ")
        verbose_name_plural = _("Ban chỉ đạo thực hiện Quy chế dân chủ")
        ordering = ["cycle", "organization", "id"]
        # counted_from: timeline.counted_on over one cycle's committees (first sent before the end of a day).
        indexes = [models.Index(fields=["cycle", "counted_from"], name="committee_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                # A withdrawn one no longer stands in the way of a new one.
                condition=~Q(status="withdrawn"),
                name="steeringcommittee_one_per_cycle",
                violation_error_message=_("Đơn vị đã khai báo Ban chỉ đạo cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False),
                name="steeringcommittee_has_organization",
                violation_error_message=_("Ban chỉ đạo phải thuộc một tổ chức cơ sở đảng."),
            ),
        ]

    def __str__(self):
        return f"Ban chỉ đạo QCDC năm {self.cycle.year}"

    def get_absolute_url(self):
        return reverse("democracy_regs:committee", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def on(self, day: date):
        """Members on `day`: joined on or before it and not yet left (left_on is the first day away)."""
        return self.filter(Q(joined_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day))


class SteeringCommitteeMembership(models.Model):
    """One person's seat on an organisation's steering committee, from `joined_on` until the day before
    `left_on`. A change of role closes the seat and opens a new one on the same date: rows are never
    rewritten, so the committee's make-up on any past date can be read back."""

    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="qcdc_memberships",
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=150)
    role = models.CharField(_("nhiệm vụ trong Ban chỉ đạo"), max_length=10, choices=CommitteeRole.choices)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    change_note = models.CharField(_("lý do thay đổi"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên Ban chỉ đạo")
        verbose_name_plural = _("thành viên Ban chỉ đạo")
        ordering = ["organization", "joined_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("Ngày thôi tham gia phải sau ngày tham gia."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=CommitteeRole.values),
                name="membership_role_valid",
                violation_error_message=_("Nhiệm vụ trong Ban chỉ đạo không hợp lệ."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(role="head", left_on__isnull=True),
                name="membership_one_current_head",
                violation_error_message=_(
                    "Ban chỉ đạo đã có trưởng ban; hãy ghi nhận trưởng ban cũ thôi nhiệm vụ trước."
                ),
            ),
        ]
        # Serves the make-up of every organisation's committee on one date (statistics page).
        indexes = [models.Index(fields=["organization", "joined_on"], name="membership_org_joined_idx")]

    def __str__(self):
        return f"{self.full_name} – {self.get_role_display()}"

    def is_member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class InspectionReportKind(models.TextChoices):
    GENERAL = "general", _("Báo cáo tự kiểm tra, giám sát")
    INSPECTION_VISIT = "inspection_visit", _("Báo cáo của đơn vị được kiểm tra trực tiếp")


class SelfInspectionReport(Submission):
    """An organisation's self-inspection (tự kiểm tra, giám sát) report on carrying out QCDC. A unit chosen for
    a direct inspection visit sends an `inspection_visit` report by the cycle's earlier deadline, covering the
    cycle's review period; it also counts as that unit's general self-inspection report."""

    cycle = models.ForeignKey(
        DemocracyCycle, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="inspection_reports"
    )
    kind = models.CharField(
        _("loại báo cáo"), max_length=20, choices=InspectionReportKind.choices, default=InspectionReportKind.GENERAL
    )
    period_start = models.DateField(_("kỳ rà soát từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("kỳ rà soát đến ngày"), null=True, blank=True)
    findings_leadership = models.TextField(_("công tác lãnh đạo, chỉ đạo, tổ chức thực hiện"))
    findings_publicity = models.TextField(_("việc công khai thông tin"), blank=True)
    findings_participation = models.TextField(_("người lao động bàn, quyết định, tham gia ý kiến"), blank=True)
    findings_supervision = models.TextField(_("người lao động kiểm tra, giám sát"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)

    snapshot_fields = (
        "kind", "period_start", "period_end", "findings_leadership", "findings_publicity", "findings_participation",
        "findings_supervision", "shortcomings", "proposals",
    )  # fmt: skip

    class Meta:
        verbose_name = _("báo cáo tự kiểm tra, giám sát thực hiện QCDC")
        verbose_name_plural = _("báo cáo tự kiểm tra, giám sát thực hiện QCDC")
        ordering = ["cycle", "organization", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization", "kind"],
                # A withdrawn one no longer stands in the way of a new one.
                condition=~Q(status="withdrawn"),
                name="selfinspection_one_per_kind",
                violation_error_message=_("Đơn vị đã có báo cáo loại này cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False),
                name="selfinspection_has_organization",
                violation_error_message=_("Báo cáo phải thuộc một tổ chức cơ sở đảng."),
            ),
            models.CheckConstraint(
                condition=Q(kind="general") | (Q(period_start__isnull=False) & Q(period_end__isnull=False)),
                name="selfinspection_visit_has_period",
                violation_error_message=_("Báo cáo của đơn vị được kiểm tra phải ghi kỳ rà soát."),
            ),
        ]
        # Serves the statistics page: reports of a cycle by kind.
        indexes = [
            models.Index(fields=["cycle", "kind"], name="selfinspection_cycle_kind_idx"),
            # counted_from: timeline.counted_on over one cycle's reports (first sent before the end of a day).
            models.Index(fields=["cycle", "counted_from"], name="selfinspection_counted_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} năm {self.cycle.year}"

    def get_absolute_url(self):
        return reverse("democracy_regs:report", args=[self.pk])

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Ngày kết thúc kỳ rà soát phải sau ngày bắt đầu.")})

    @property
    def is_inspection_visit(self) -> bool:
        return self.kind == InspectionReportKind.INSPECTION_VISIT


class BrightSpotKind(models.TextChoices):
    DEMOCRACY = "democracy", _("Điểm sáng thực hiện Quy chế dân chủ ở cơ sở")
    GOVERNMENT = "government", _("Điểm sáng “Dân vận chính quyền”")


class BrightSpot(Submission):
    """A bright spot (điểm sáng) an organisation registers: of QCDC or of government mass mobilisation."""

    cycle = models.ForeignKey(
        DemocracyCycle, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="bright_spots"
    )
    kind = models.CharField(_("loại điểm sáng"), max_length=20, choices=BrightSpotKind.choices)
    title = models.CharField(_("tên điểm sáng"), max_length=300)
    description = models.TextField(_("mô tả, kết quả"))

    snapshot_fields = ("kind", "title", "description")

    class Meta:
        verbose_name = _("điểm sáng")
        verbose_name_plural = _("điểm sáng")
        ordering = ["cycle", "kind", "organization", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BrightSpotKind.values),
                name="brightspot_kind_valid",
                violation_error_message=_("Loại điểm sáng không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False),
                name="brightspot_has_organization",
                violation_error_message=_("Điểm sáng phải thuộc một tổ chức cơ sở đảng."),
            ),
        ]
        # Serves the count of bright spots of a cycle by kind.
        indexes = [
            models.Index(fields=["cycle", "kind"], name="brightspot_cycle_kind_idx"),
            # counted_from: timeline.counted_on over one cycle's bright spots (first sent before the end of a day).
            models.Index(fields=["cycle", "counted_from"], name="brightspot_counted_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("democracy_regs:bright_spot", args=[self.pk])

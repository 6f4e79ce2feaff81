"""The submission/review workflow shared by every kind of submission (model registrations, evaluations, QCDC
plans, self-inspection reports…): a status on the submission itself, plus a timeline of events, the
revisions kept at each submission and staff edit, and attachments, all linked generically."""

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dukportal.core.choices import ChoiceLabels
from dukportal.core.constraints import ValidatedInPython


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút lại")


class Submission(ChoiceLabels, ValidatedInPython, models.Model):
    """Abstract base for anything a base organisation submits and committee staff review.

    `organization` is empty for work the committee registers for itself (bloc level)."""

    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("lần gửi"), default=0)
    # The two moments of the timeline that decide whether the submission counts on a day (timeline.py): its first
    # SUBMITTED/RESUBMITTED event and its WITHDRAWN event (final: nothing leaves "withdrawn"). Written by the
    # services in the transaction that records the event, so "counted on D" is two comparisons on the row
    # instead of subqueries over the events; rows written around the services get them from
    # timeline.store_counted_moments.
    counted_from = models.DateTimeField(_("tính từ lúc gửi lần đầu"), null=True, blank=True, editable=False)
    counted_until = models.DateTimeField(_("thôi tính từ lúc rút lại"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    # Fields copied into each revision snapshot; concrete models list their own content fields.
    snapshot_fields: tuple[str, ...] = ()
    # The event a service's transition has just recorded (set on the instance it returns; never stored).
    last_event: "SubmissionEvent"

    if TYPE_CHECKING:  # every concrete kind defines its page

        def get_absolute_url(self) -> str: ...

    # Fields staff may comment on when returning (those the organisation fills in); None: the snapshot fields
    # that are not structured data. The files are always commentable (dukportal.submissions.revisions).
    review_fields: tuple[str, ...] | None = None

    class Meta:
        abstract = True

    @property
    def is_editable_by_organization(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    @property
    def has_been_sent(self) -> bool:
        return self.status != SubmissionStatus.DRAFT

    @property
    def is_withdrawable(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED, SubmissionStatus.ACCEPTED)


class EventAction(models.TextChoices):
    CREATED = "created", _("Tạo bản nháp")
    EDITED = "edited", _("Sửa nội dung")
    SUBMITTED = "submitted", _("Gửi")
    RESUBMITTED = "resubmitted", _("Gửi lại sau khi bổ sung")
    RETURNED = "returned", _("Trả lại")
    ACCEPTED = "accepted", _("Tiếp nhận")
    STAFF_EDITED = "staff_edited", _("Cán bộ Đảng ủy Khối chỉnh sửa")
    FILE_ADDED = "file_added", _("Đính kèm tệp")
    WITHDRAWN = "withdrawn", _("Rút lại")
    FILE_REMOVED = "file_removed", _("Gỡ tệp đính kèm")


class GenericTarget(ChoiceLabels, models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("mã hồ sơ"))
    target = GenericForeignKey("content_type", "object_id")
    # Copied from the submission so access checks need no join through the generic relation.
    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True
        # Serves "everything attached to this submission".
        indexes = [models.Index(fields=["content_type", "object_id"])]


class SubmissionEvent(GenericTarget):
    """One step in a submission's timeline: who did what, when, with which comment."""

    action = models.CharField(_("thao tác"), max_length=20, choices=EventAction.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=SubmissionStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    # A default, not auto_now_add, so records loaded in bulk keep the moment they really happened.
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, editable=False)
    comment = models.TextField(_("ý kiến"), blank=True)
    # On a return: staff's comment on individual fields, {field name: comment}; "attachment" means the files.
    field_comments = models.JSONField(_("ý kiến theo từng mục"), default=dict, blank=True)

    class Meta(GenericTarget.Meta):
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["at", "id"]
        # Serves the timeline reads of dukportal.submissions.timeline (first sending, status on a day).
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="subevent_target_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d/%m/%Y %H:%M})"


class SubmissionRevision(GenericTarget):
    """The content of a submission as it stood when sent or before staff changed it: nothing is lost."""

    number = models.PositiveIntegerField(_("phiên bản"))
    data = models.JSONField(_("nội dung"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta(GenericTarget.Meta):
        verbose_name = _("phiên bản đã gửi")
        verbose_name_plural = _("các phiên bản đã gửi")
        ordering = ["number"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="subrev_target_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"],
                name="subrev_unique_number",
                violation_error_message=_("Phiên bản này đã tồn tại."),
            )
        ]

    def __str__(self) -> str:
        return f"Phiên bản {self.number}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"attachments/{instance.content_type_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(GenericTarget):
    """A file attached to a submission. Stored under MEDIA_ROOT with no public URL; served by a view that
    checks the user may see the submission's organisation."""

    file = models.FileField(_("tệp"), upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    mime_type = models.CharField(_("định dạng"), max_length=120)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    purpose = models.CharField(_("loại tài liệu"), max_length=50, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    # A file removed before (re)sending stays stored and in the timeline; only the lists leave it out.
    removed_at = models.DateTimeField(_("thời điểm gỡ bỏ"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gỡ bỏ"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta(GenericTarget.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_target_idx")]

    def __str__(self) -> str:
        return self.original_name


class Audience(models.TextChoices):
    ALL_ACTIVE = "all_active", _("Tất cả tổ chức cơ sở đảng đang hoạt động")
    CHOSEN = "chosen", _("Danh sách tổ chức được chọn")


class Deadline(models.Model):
    """What is due, from whom, by when — one mechanism for every kind of submission.

    The app that owns a kind (registrations, evaluations, QCDC plans…) creates and updates its deadlines through
    `deadline_sync` when staff open a campaign or cycle, and registers an Obligation telling how to read each
    organisation's state (dukportal.submissions.deadlines)."""

    kind = models.CharField(_("loại nghĩa vụ"), max_length=50)
    title = models.CharField(_("nội dung"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"))
    due_date = models.DateField(_("hạn"))
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    audience = models.CharField(_("đối tượng"), max_length=20, choices=Audience.choices, default=Audience.ALL_ACTIVE)
    organizations = models.ManyToManyField(
        "organizations.BaseOrganization", verbose_name=_("tổ chức phải nộp"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Staff close a deadline they no longer chase (it then leaves tracking and reminders from that moment; pages
    # asked about an earlier day still show it). Until then it stays tracked while anyone expected owes it.
    closed_at = models.DateTimeField(_("thời điểm đóng hạn nộp"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đóng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    close_reason = models.TextField(_("lý do đóng"), blank=True)

    class Meta:
        verbose_name = _("hạn nộp")
        verbose_name_plural = _("các hạn nộp")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                name="deadline_one_per_kind_and_source",
                violation_error_message=_("Đã có hạn nộp loại này cho đợt này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (hạn {self.due_date:%d/%m/%Y})"


class FormSubmissionToken(models.Model):
    """The hidden token of one rendering of a create form, claimed by the first post that carries it. A double
    click or a replay of the same form finds the record the first post created instead of making another
    (dukportal.submissions.idempotency)."""

    token = models.UUIDField(_("mã biểu mẫu"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty between the claim and the creation, inside one transaction: others never see it empty.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mã biểu mẫu đã dùng")
        verbose_name_plural = _("mã biểu mẫu đã dùng")

    def __str__(self) -> str:
        return str(self.token)


class NilReturn(Submission):
    """“Không phát sinh”: an organisation's answer that it had nothing to report for a deadline whose kind allows
    it (Obligation.allows_nil), with the reason. Sent like any submission (its timeline says from when it
    counts), it counts as sent for x/y and is shown apart on tracking, the matrix and the statistics."""

    deadline = models.ForeignKey(Deadline, verbose_name=_("hạn nộp"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do không phát sinh"))

    snapshot_fields = ("reason",)

    class Meta:
        verbose_name = _("báo cáo không phát sinh")
        verbose_name_plural = _("báo cáo không phát sinh")
        ordering = ["deadline", "organization", "id"]
        # counted_from: timeline.counted_on over one deadline's nil returns (first sent before the end of a day).
        indexes = [models.Index(fields=["deadline", "counted_from"], name="nilreturn_counted_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "organization"],
                # A withdrawn one no longer stands in the way of a new one.
                condition=~models.Q(status="withdrawn"),
                name="nilreturn_one_per_deadline",
                violation_error_message=_("Đơn vị đã báo cáo không phát sinh cho hạn nộp này."),
            ),
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False),
                name="nilreturn_has_organization",
                violation_error_message=_("Báo cáo không phát sinh phải thuộc một tổ chức cơ sở đảng."),
            ),
        ]

    def __str__(self) -> str:
        return f"Không phát sinh: {self.deadline.title}"

    def get_absolute_url(self) -> str:
        return reverse("submissions:nil_return", args=[self.pk])

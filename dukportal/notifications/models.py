"""In-app notifications (the bell), the record of every deadline reminder sent to an organisation, and the
manual "remind every missing organisation" jobs queued from the tracking page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Sector


class NotificationCategory(models.TextChoices):
    REMINDER = "reminder", _("Nhắc hạn nộp")
    SUBMISSION = "submission", _("Hồ sơ mới gửi")
    DECISION = "decision", _("Kết quả xử lý hồ sơ")
    DOCUMENT = "document", _("Văn bản đến")


class Notification(models.Model):
    """One message to one user, shown under the bell in the navigation bar until it is marked read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("loại"), max_length=20, choices=NotificationCategory.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # What the notice is about ("event:123"): a task run twice tells nobody twice.
    source_key = models.CharField(max_length=100, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        # Serves the bell's unread count (recipient, read_at IS NULL) and each user's list.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source_key"],
                condition=~models.Q(source_key=""),
                name="notification_once_per_source",
                violation_error_message=_("Thông báo này đã được gửi."),
            )
        ]

    def __str__(self):
        return self.title


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    DUE = "due", _("Nhắc đúng ngày hạn")
    LATE = "late", _("Thông báo quá hạn")
    MANUAL = "manual", _("Nhắc bởi Ban Tuyên giáo")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ trong hàng đợi")
    RUNNING = "running", _("Đang gửi")
    DONE = "done", _("Đã gửi xong")
    FAILED = "failed", _("Không gửi được")


class ReminderJob(models.Model):
    """A request by staff to remind every organisation still missing one deadline (optionally one sector). It is
    queued to Celery; the worker fills in the result, which the tracking page shows."""

    deadline = models.ForeignKey(
        "submissions.Deadline", verbose_name=_("hạn nộp"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(_("khối"), max_length=20, choices=Sector.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    reminded = models.PositiveIntegerField(_("số tổ chức đã nhắc"), default=0)
    skipped = models.PositiveIntegerField(_("số tổ chức đã được nhắc trong ngày"), default=0)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("yêu cầu gửi nhắc nhở")
        verbose_name_plural = _("các yêu cầu gửi nhắc nhở")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.deadline} ({self.get_status_display()})"


class ReminderDigest(models.Model):
    """One reminder e-mail to one organisation: of the day's automatic reminders, listing every deadline it was
    reminded of that day, or of one manual job (staff pressing "Nhắc"). Written with its reminders (the unique
    constraints make it once per organisation and day, or per organisation and job) with its text, so sending
    is only delivering; `email_sent_at` makes it once."""

    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("ngày nhắc"))
    # A manual job's digest; empty for the daily job's.
    job = models.ForeignKey(
        ReminderJob, verbose_name=_("yêu cầu"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The daily run that wrote it: read back after an INSERT … ON CONFLICT DO NOTHING to know which are new.
    run = models.UUIDField(editable=False)
    subject = models.CharField(_("tiêu đề thư"), max_length=255)
    body = models.TextField(_("nội dung thư"))
    emailed_to = models.TextField(_("gửi thư tới"), blank=True, help_text=_("Các địa chỉ, cách nhau bởi dấu phẩy."))
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    email_sent_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_error = models.CharField(_("lỗi gửi thư"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thư nhắc hạn trong ngày")
        verbose_name_plural = _("các thư nhắc hạn trong ngày")
        ordering = ["-day", "organization_id"]
        # Serves the read-back of one run's new digests.
        indexes = [models.Index(fields=["run"], name="reminderdigest_run_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day"],
                condition=models.Q(job__isnull=True),
                name="reminder_digest_once_per_org_day",
                violation_error_message=_("Tổ chức này đã được gửi thư nhắc hạn trong ngày."),
            ),
            models.UniqueConstraint(
                fields=["organization", "job"],
                condition=models.Q(job__isnull=False),
                name="reminder_digest_once_per_org_job",
                violation_error_message=_("Tổ chức này đã được gửi thư nhắc của yêu cầu này."),
            ),
        ]

    def __str__(self):
        return f"{self.subject} · {self.day:%d/%m/%Y}"

    @property
    def email_addresses(self) -> list[str]:
        return [address for address in self.emailed_to.split(",") if address]


class Reminder(models.Model):
    """One reminder of one deadline to one organisation on one day, kept so staff can answer "we were never
    told". The row is inserted before anything is sent, and the unique constraint lets only one of two runs
    (the same day, or at the same moment) insert it: the other sends nothing."""

    organization = models.ForeignKey(
        "organizations.BaseOrganization",
        verbose_name=_("tổ chức cơ sở đảng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.ForeignKey(
        "submissions.Deadline", verbose_name=_("hạn nộp"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại nhắc"), max_length=20, choices=ReminderKind.choices)
    day = models.DateField(_("ngày nhắc"))
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    notified_users = models.PositiveIntegerField(_("số tài khoản nhận thông báo"), default=0)
    emailed_to = models.TextField(_("gửi thư tới"), blank=True, help_text=_("Các địa chỉ, cách nhau bởi dấu phẩy."))
    email_sent_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_error = models.CharField(_("lỗi gửi thư"), max_length=500, blank=True)
    job = models.ForeignKey(
        ReminderJob, verbose_name=_("yêu cầu"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The daily job's reminders: the day's e-mail that listed this one, and the run that inserted the row (read
    # back after an INSERT … ON CONFLICT DO NOTHING: the rows of this run are the new ones).
    digest = models.ForeignKey(
        ReminderDigest,
        verbose_name=_("thư nhắc hạn"),
        on_delete=models.PROTECT,
        related_name="reminders",
        null=True,
        blank=True,
    )
    run = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("các lần nhắc hạn")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Also serves "the reminders this organisation received" (it leads with organization).
            models.UniqueConstraint(
                fields=["organization", "deadline", "kind", "day"],
                name="reminder_once_per_org_deadline_kind_day",
                violation_error_message=_("Tổ chức này đã được nhắc hạn nộp này trong ngày."),
            )
        ]
        # Serves the daily job's read-back of the rows its run inserted.
        indexes = [models.Index(fields=["run"], name="reminder_run_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.deadline} · {self.day:%d/%m/%Y}"

    @property
    def email_addresses(self) -> list[str]:
        return [address for address in self.emailed_to.split(",") if address]

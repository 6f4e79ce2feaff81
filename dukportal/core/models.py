from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One recorded write: who did what to which object, when, with the changed values.

    Written by the service layer (the only write path), so it works on SQLite and PostgreSQL alike.
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=64)
    target_type = models.CharField(_("loại đối tượng"), max_length=100)
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    target_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("nội dung thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at", "-id"]
        # Serves the "history of this object" lookup on detail pages.
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_repr}"


class SignInLockout(AccessAttempt):
    """django-axes' count of failed sign-ins for one account from one client, under a Vietnamese name in the data
    admin; deleting a row there unlocks that pair (audited)."""

    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("lần đăng nhập sai (khóa đăng nhập)")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class OutboxMessage(models.Model):
    """One piece of background work (an e-mail, a job) written in the same transaction as the change that asks for
    it, so a broker outage or a crash after the commit cannot lose it. `dukportal.core.outbox` queues it, runs it
    once (claimed by a conditional UPDATE) and the periodic relay/sweeper re-sends what was not run."""

    task = models.CharField(_("tác vụ"), max_length=100)
    args = models.JSONField(_("tham số"), default=list, blank=True)
    kwargs = models.JSONField(_("tham số có tên"), default=dict, blank=True)
    # What the work is about ("reminder-email:12"): asked twice, it is queued once.
    key = models.CharField(_("khóa"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần chạy tối đa"), default=5)
    available_at = models.DateTimeField(_("chạy từ lúc"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("bắt đầu chạy lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at", "-id"]
        # Serves the relay ("pending and due") and the sweeper ("running since before the lease").
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_status_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=~models.Q(key=""),
                name="outbox_once_per_key",
                violation_error_message=_("Công việc này đã được đưa vào hàng đợi."),
            )
        ]

    def __str__(self):
        return f"{self.task} #{self.pk} ({self.get_status_display()})"

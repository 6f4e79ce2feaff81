from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
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

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dukportal.submissions.models import Submission


class Drive(models.Model):
    """A round of outreach staff open (as a campaign is for registrations): its deadline points at it."""

    title = models.CharField(_("tên đợt"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"))
    due_date = models.DateField(_("hạn báo cáo"))

    class Meta:
        verbose_name = _("đợt tuyên truyền")
        verbose_name_plural = _("các đợt tuyên truyền")

    def __str__(self) -> str:
        return self.title


class OutreachReport(Submission):
    """What a base organisation reports for a drive: how many sessions it held."""

    drive = models.ForeignKey(Drive, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="reports")
    sessions = models.PositiveIntegerField(_("số buổi tuyên truyền"))

    snapshot_fields = ("sessions",)

    class Meta:
        verbose_name = _("báo cáo kết quả tuyên truyền")
        verbose_name_plural = _("báo cáo kết quả tuyên truyền")

    def __str__(self) -> str:
        return f"Báo cáo tuyên truyền: {self.drive}"

    def get_absolute_url(self) -> str:
        # The throw-away kind has no pages of its own; a real kind points at its detail page.
        return reverse("organizations:detail", args=[self.organization_id])

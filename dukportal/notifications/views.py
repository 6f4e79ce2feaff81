"""Views for deadline tracking, the compliance matrix, manual reminders and the notification list. Thin: they
parse input, call a selector or a service, and render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from dukportal.core import figures_cache, xlsx
from dukportal.core.forms import reference_date_of, rows_cap_of
from dukportal.submissions import services as workflow
from dukportal.submissions.models import Deadline
from organizations import access
from organizations.models import Sector

from . import selectors, services, spreadsheets
from .models import Notification, ReminderJob


def _matrix_params(request) -> tuple[int, str]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    year = year if 2000 <= year <= 2100 else today.year
    sector = request.GET.get("khoi", "")
    return year, sector if sector in Sector.values else ""


class TrackingView(access.RoleRequiredMixin, TemplateView):
    """For each deadline open on the reference date (`ngay`, default today): who had sent it by then, who was
    missing or late, and the contact to call. Reminding is for today's figures only."""

    allow = "readers"
    template_name = "notifications/tracking.html"

    def get_context_data(self, **kwargs):
        reference_form, on = reference_date_of(self.request)
        today = timezone.localdate()
        jobs = selectors.recent_jobs()
        cap = rows_cap_of(self.request)
        # Only the organisations listed are read: the first TRACKING_ROWS to chase of each deadline (ROWS_CAP if
        # lower), all with ?tat_ca=1.
        if not cap["show_all"]:
            rows = min(cap["rows_cap"], selectors.TRACKING_ROWS)
            cap.update(rows_cap=rows, row_slice=f":{rows}")
        shown = None if cap["show_all"] else cap["rows_cap"]
        return super().get_context_data(
            progress=figures_cache.cached(
                "tracking",
                on=on,
                user=self.request.user,
                params=("shown", shown),
                compute=lambda: selectors.deadline_progress(self.request.user, today=on, shown=shown),
            ),
            jobs=jobs,
            jobs_pending=selectors.jobs_pending(jobs),
            can_retry=access.is_staff(self.request.user),
            today=on,
            on=on,
            is_today=on == today,
            reference_form=reference_form,
            reference_query=reference_form.query_string,
            days_after=selectors.TRACKING_DAYS_AFTER,
            can_remind=access.is_staff(self.request.user) and on == today,
            **cap,
            **kwargs,
        )


class ComplianceMatrixView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "notifications/compliance_matrix.html"

    def get_context_data(self, **kwargs):
        reference_form, on = reference_date_of(self.request)
        today = timezone.localdate()
        year, sector = _matrix_params(self.request)
        page_number = self.request.GET.get("trang") or 1
        jobs = selectors.recent_jobs()
        return super().get_context_data(
            matrix=figures_cache.cached(
                "matrix",
                on=on,
                user=self.request.user,
                params=(year, sector, page_number),
                compute=lambda: selectors.compliance_matrix(
                    self.request.user, year=year, sector=sector, on=on, page_number=page_number
                ),
            ),
            years=selectors.matrix_years(today),
            sectors=Sector.choices,
            jobs=jobs,
            jobs_pending=selectors.jobs_pending(jobs),
            can_retry=access.is_staff(self.request.user),
            on=on,
            reference_form=reference_form,
            reference_query=reference_form.query_string,
            # "Nhắc" reminds by today's figures: offered only when the matrix shows today's.
            can_remind=access.is_staff(self.request.user) and on == today,
            **kwargs,
        )


class ReminderJobsView(access.RoleRequiredMixin, TemplateView):
    """The jobs table alone: the tracking page and the matrix poll it (htmx) while a job is waiting."""

    allow = "readers"
    template_name = "notifications/_jobs.html"

    def get_context_data(self, **kwargs):
        jobs = selectors.recent_jobs()
        return super().get_context_data(
            jobs=jobs,
            jobs_pending=selectors.jobs_pending(jobs),
            can_retry=access.is_staff(self.request.user),
            **kwargs,
        )


class ComplianceMatrixExportView(access.RoleRequiredMixin, View):
    allow = "readers"

    def get(self, request):
        _form, on = reference_date_of(request)
        year, sector = _matrix_params(request)
        matrix = selectors.compliance_matrix(request.user, year=year, sector=sector, on=on)
        return xlsx.response(
            spreadsheets.build_matrix(matrix),
            f"tinh-hinh-nop-ho-so-{year}{'-' + sector if sector else ''}"
            f"{'' if on == timezone.localdate() else f'-den-{on:%d%m%Y}'}.xlsx",
        )


class ReminderJobCreateView(access.RoleRequiredMixin, View):
    """Staff: remind every organisation still missing one deadline (one column of the matrix). Queued."""

    allow = "staff"

    def post(self, request, pk):
        deadline = get_object_or_404(
            Deadline.objects.filter(kind__in=selectors.registered_kinds(), closed_at__isnull=True), pk=pk
        )
        sector = request.POST.get("sector", "")
        next_url = request.POST.get("next", "")
        back = next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) else ""
        if request.POST.get("confirm") != "1":  # a mass send always goes through the confirmation
            messages.error(request, "Chưa gửi nhắc: vui lòng bấm “Xác nhận gửi nhắc” để gửi.")
            return redirect(back or "notifications:tracking")
        services.reminder_job_create(
            actor=request.user, deadline=deadline, sector=sector if sector in Sector.values else ""
        )
        messages.info(
            request,
            f"Đã đưa yêu cầu nhắc các đơn vị chưa nộp “{deadline.title}” vào hàng đợi. "
            "Kết quả (số đơn vị đã được nhắc) hiện ở mục “Các lần gửi nhắc nhở” khi gửi xong.",
        )
        return redirect(back or "notifications:tracking")


class DeadlineCloseView(access.RoleRequiredMixin, View):
    """Staff: stop tracking a deadline ("Đóng hạn nộp"), with a reason."""

    allow = "staff"

    def post(self, request, pk):
        deadline = get_object_or_404(Deadline.objects.filter(kind__in=selectors.registered_kinds()), pk=pk)
        try:
            workflow.deadline_close(actor=request.user, deadline=deadline, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Đã đóng hạn nộp “{deadline.title}”: hạn nộp không còn theo dõi và không nhắc nữa."
            )
        return redirect("notifications:tracking")


# What an item of the list shows (templatetags/notification_rows.py formats it).
NOTIFICATION_ROW_FIELDS = ("pk", "category", "created_at", "read_at", "title", "body", "url")


class NotificationListView(access.RoleRequiredMixin, TemplateView):
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs):
        rows = selectors.notifications_of(self.request.user).values_list(*NOTIFICATION_ROW_FIELDS, named=True)
        page = Paginator(rows, 30).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


class NotificationReadView(access.RoleRequiredMixin, View):
    """Mark one of one's own notifications read (another user's: 404), then open its link if asked."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.notification_mark_read(user=request.user, notification_id=notification.pk)
        if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return redirect(notification.url)
        return redirect("notifications:list")


class NotificationReadAllView(access.RoleRequiredMixin, View):
    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
        return redirect("notifications:list")


class ReminderJobRetryView(access.RoleRequiredMixin, View):
    """Staff: send a failed manual reminder job again ("Thử lại" in the jobs table)."""

    allow = "staff"

    def post(self, request, pk):
        job = get_object_or_404(ReminderJob, pk=pk)
        try:
            services.reminder_job_retry(actor=request.user, job_id=job.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.info(request, f"Đã đưa lại yêu cầu nhắc “{job.deadline.title}” vào hàng đợi.")
        next_url = request.POST.get("next", "")
        back = next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) else ""
        return redirect(back or "notifications:tracking")

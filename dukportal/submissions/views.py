"""Views of the shared workflow. Concrete apps subclass the action views with their own visible queryset."""

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from dukportal.core.forms import add_service_errors
from organizations import access

from . import deadlines, idempotency, selectors, services
from .forms import NilReturnForm, field_comments_from
from .models import Deadline, NilReturn, Submission, SubmissionStatus


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def answer_replay(request: HttpRequest, error: ValidationError) -> HttpResponseBase | None:
    """The loser of a double click (the same form posted twice): the normal page of the item the first post
    made, with a message. None for any other refusal, which the form shows."""
    if not (isinstance(error, idempotency.AlreadyCreated) and error.replay):  # None included
        return None
    messages.info(request, error_text(error))
    existing: Any = error.existing  # every record a form creates has its page
    response: HttpResponseBase = redirect(existing.get_absolute_url())
    return response


def saved_message(request: HttpRequest, what: str, submission: Submission | None = None) -> str:
    """What a create/edit form did, in words: sent, saved as a draft, or changed."""
    if request.POST.get("action") == "submit":
        return f"Đã gửi Ban Tuyên giáo: {what}."
    if submission is None or submission.status == SubmissionStatus.DRAFT:
        return f"Đã lưu bản nháp: {what}. Bấm “Gửi” khi hoàn tất."
    if submission.status == SubmissionStatus.RETURNED:
        return f"Đã lưu thay đổi: {what}. Hồ sơ chưa được gửi lại: bấm “Gửi” khi hoàn tất."
    return f"Đã lưu thay đổi: {what}; nội dung trước đó được giữ thành một phiên bản."


# The state each action leaves a submission in: a second identical post finding it there is not an error.
ACTION_RESULT = {
    "submit": (SubmissionStatus.SUBMITTED, "Hồ sơ đã được gửi."),
    "return": (SubmissionStatus.RETURNED, "Hồ sơ đã được trả lại."),
    "accept": (SubmissionStatus.ACCEPTED, "Hồ sơ đã được tiếp nhận."),
    "withdraw": (SubmissionStatus.WITHDRAWN, "Hồ sơ đã được rút lại."),
}


def already_done_message(submission: Submission, action: str, error: ValidationError) -> str:
    """ "Hồ sơ đã được gửi." when `error` only says that an identical post (a double click, another tab) has
    already done `action`; "" for a real refusal."""
    if getattr(error, "code", None) != "invalid_transition" or action not in ACTION_RESULT:
        return ""
    status, message = ACTION_RESULT[action]
    current = type(submission)._default_manager.filter(pk=submission.pk).values_list("status", flat=True).first()
    if current == status or (action == "submit" and current == SubmissionStatus.ACCEPTED):
        return message
    return ""


class AttachmentDownloadView(access.RoleRequiredMixin, View):
    """Serve an attachment only to users who may see its organisation (others get 404)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = access.get_visible_or_404(selectors.attachments_visible_to(request.user), request.user, pk=pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.mime_type,
        )


class AttachmentRemoveView(access.RoleRequiredMixin, View):
    """POST: take a wrong file off a draft or a returned submission (the user must see it: others get 404)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access.signed_in(request)
        attachment = access.get_visible_or_404(selectors.attachments_visible_to(user), user, pk=pk)
        submission: Submission = attachment.target  # type: ignore[assignment]  # a file always has its submission
        services.require_owner_or_staff(user, submission)  # readers: 403
        try:
            services.attachment_remove(actor=user, attachment=attachment)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Đã gỡ tệp “{attachment.original_name}” khỏi hồ sơ.")
        return redirect(submission.get_absolute_url())


class SubmissionActionView(access.RoleRequiredMixin, View):
    """POST-only step of the workflow on one submission the user may see (others: 404).

    Subclasses set `visible` (a function user → queryset) and `action`."""

    visible: ClassVar[Callable[[Any], QuerySet[Any]] | None] = None
    action = ""  # "submit", "return", "accept", "attach" or "withdraw"
    success_messages = {
        "submit": "Đã gửi hồ sơ tới Ban Tuyên giáo.",
        "return": "Đã trả lại hồ sơ kèm lý do cho đơn vị.",
        "accept": "Đã tiếp nhận hồ sơ.",
        "attach": "Đã đính kèm tệp.",
        "delete": "Đã xóa bản nháp.",
        "withdraw": "Đã rút lại hồ sơ: từ hôm nay hồ sơ không còn được tính là đã gửi (số liệu các ngày trước giữ nguyên).",
    }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = access.signed_in(request)
        visible = type(self).visible
        assert visible is not None, f"{type(self).__name__} sets no `visible`"
        submission = access.get_visible_or_404(visible(user), user, pk=pk)
        services.require_owner_or_staff(user, submission)  # before reading any input: 403 for readers
        after = self.after_delete_url(submission) if self.action == "delete" else submission.get_absolute_url()
        try:
            self.perform(request, submission)
        except ValidationError as error:
            if done := already_done_message(submission, self.action, error):
                messages.info(request, done)
            else:
                messages.error(request, error_text(error))
            after = submission.get_absolute_url()
        else:
            messages.success(request, self.success_message(request, submission))
        return redirect(after)

    def success_message(self, request: HttpRequest, submission: Submission) -> str:
        """Say what happened and to whom: “Đã trả lại hồ sơ cho Đảng bộ Sở Tài chính kèm lý do…”."""
        organization = submission.organization.name if submission.organization else "Đảng ủy Khối"
        if self.action == "submit":
            return f"Đã gửi hồ sơ tới Ban Tuyên giáo. “{submission}” đang chờ duyệt."
        if self.action == "return":
            return f"Đã trả lại hồ sơ “{submission}” cho {organization} kèm lý do để bổ sung."
        if self.action == "accept":
            return f"Đã tiếp nhận hồ sơ “{submission}” của {organization}."
        if self.action == "attach":
            uploaded = request.FILES.get("file")
            return f"Đã đính kèm tệp “{uploaded.name}” vào hồ sơ." if uploaded else self.success_messages["attach"]
        return self.success_messages[self.action]

    def after_delete_url(self, submission: Submission) -> str:
        """Where to go once a draft is deleted (its own page is gone): the subclass says."""
        raise NotImplementedError

    def perform(self, request: HttpRequest, submission: Submission) -> None:
        user = access.signed_in(request)
        if self.action == "submit":
            services.submission_submit(actor=user, submission=submission)
        elif self.action == "return":
            services.submission_return(
                actor=user,
                submission=submission,
                comment=request.POST.get("comment", ""),
                field_comments=field_comments_from(request.POST),
            )
        elif self.action == "accept":
            services.submission_accept(actor=user, submission=submission, comment=request.POST.get("comment", ""))
        elif self.action == "delete":
            services.submission_delete_draft(actor=user, submission=submission)
        elif self.action == "withdraw":
            services.submission_withdraw(actor=user, submission=submission, comment=request.POST.get("comment", ""))
        elif self.action == "attach":
            uploaded = request.FILES.get("file")
            if uploaded is None:
                raise ValidationError("Vui lòng chọn tệp để đính kèm.")
            services.attachment_add(actor=user, submission=submission, uploaded=uploaded)
        else:  # pragma: no cover - a subclass forgot to say what it does
            raise ValueError(self.action)


class NilReturnCreateView(access.RoleRequiredMixin, TemplateView):
    """An officer answers “Không phát sinh” for their organisation, with a reason (kinds that allow it only)."""

    template_name = "submissions/nil_return_form.html"

    def get_deadline(self) -> Deadline:
        if not access.is_officer(self.request.user):
            raise PermissionDenied
        deadline = get_object_or_404(Deadline, pk=self.kwargs["pk"])
        if not deadlines.obligation(deadline.kind).allows_nil:
            raise Http404
        return deadline

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(deadline=self.get_deadline(), form=NilReturnForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = access.signed_in(request)
        deadline = self.get_deadline()  # officers only: each has an organisation
        assert user.organization is not None
        form = NilReturnForm(request.POST)
        if form.is_valid():
            try:
                nil = services.nil_return_send(
                    actor=user,
                    deadline=deadline,
                    organization=user.organization,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã gửi Ban Tuyên giáo báo cáo không phát sinh: “{deadline.title}”.")
                return redirect(nil)
        return self.render_to_response(self.get_context_data(deadline=deadline, form=form))


class NilReturnDetailView(access.RoleRequiredMixin, TemplateView):
    template_name = "submissions/nil_return_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        nil = access.get_visible_or_404(NilReturn.objects.select_related("deadline"), user, pk=kwargs["pk"])
        return super().get_context_data(nil=nil, events=list(selectors.timeline(nil)), **kwargs)

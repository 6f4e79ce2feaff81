"""Pages of an organisation's reply to a dispatch's request (reports.replies): the officer writes and sends it
from the delivered document; staff review it with the shared actions (dukportal.submissions.generic_views)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from dukportal.core.forms import add_service_errors
from dukportal.submissions import generic_views, idempotency
from dukportal.submissions import services as workflow
from dukportal.submissions.forms import show_field_comments
from dukportal.submissions.revisions import open_field_comments
from dukportal.submissions.views import answer_replay, saved_message
from organizations import access

from . import obligations, replies
from .delivery_forms import ReplyForm
from .models import DocumentRequest

URLS = {"edit": "reports:reply_edit", **{action: f"reports:reply_{action}" for action in generic_views.ACTIONS}}
ACTIONS = generic_views.action_views(
    name="document_reply",
    visible=replies.replies_visible_to,
    # A deleted draft sends the officer back to the document that asked for it.
    after_delete_url=lambda reply: reverse("reports:inbox_document", args=[reply.request.document_id]),
)


class ReplyCreateView(access.RoleRequiredMixin, TemplateView):
    """An officer answers a request of a document delivered to their organisation."""

    template_name = "reports/reply_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_officer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _request(self):
        # Only a request of a document delivered to the officer's organisation exists for them.
        return get_object_or_404(
            DocumentRequest.objects.select_related("document"),
            pk=self.kwargs["pk"],
            document__deliveries__organization_id=self.request.user.organization_id,
        )

    def get(self, request, pk):
        document_request = self._request()
        if existing := replies.reply_of(document_request, request.user.organization_id):
            return redirect(existing)
        return self.render_to_response(self.get_context_data(form=ReplyForm(), document_request=document_request))

    def post(self, request, pk):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        document_request = self._request()
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                reply = generic_views.save_attach_send(
                    request,
                    lambda: replies.reply_create(
                        actor=request.user,
                        request=document_request,
                        organization=request.user.organization,
                        note=form.cleaned_data["note"],
                        token=idempotency.token_of(request),
                    ),
                    form.cleaned_data.get("attachment"),
                )
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, saved_message(request, str(reply), reply))
                return redirect(reply)
        return self.render_to_response(self.get_context_data(form=form, document_request=document_request))


class ReplyEditView(access.RoleRequiredMixin, TemplateView):
    template_name = "reports/reply_form.html"

    def _reply(self):
        user = self.request.user
        access.require_writer(user)
        reply = access.get_visible_or_404(replies.replies_visible_to(user), user, pk=self.kwargs["pk"])
        workflow.require_owner_or_staff(user, reply)
        if not reply.is_editable_by_organization and not access.is_staff(user):
            raise PermissionDenied
        return reply

    def _render(self, reply, form):
        show_field_comments(form, open_field_comments(reply))
        return self.render_to_response(self.get_context_data(form=form, reply=reply, document_request=reply.request))

    def get(self, request, pk):
        reply = self._reply()
        return self._render(reply, ReplyForm(initial={"note": reply.note}))

    def post(self, request, pk):
        reply = self._reply()
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                reply = generic_views.save_attach_send(
                    request,
                    lambda: replies.reply_update(actor=request.user, reply=reply, note=form.cleaned_data["note"]),
                    form.cleaned_data.get("attachment"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, saved_message(request, str(reply), reply))
                return redirect(reply)
        return self._render(reply, form)


class ReplyDetailView(access.RoleRequiredMixin, TemplateView):
    template_name = "reports/reply_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        reply = access.get_visible_or_404(replies.replies_visible_to(user), user, pk=kwargs["pk"])
        context = generic_views.review_context(user, reply, urls=URLS, deadline=obligations.deadline_of(reply.request))
        return super().get_context_data(reply=reply, **context, **kwargs)

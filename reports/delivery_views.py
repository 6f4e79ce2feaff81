"""Views of delivered documents ("Văn bản đến") and of the deadlines made from a dispatch's sections. Thin:
they parse input, call reports.delivery or reports.delivery_selectors and render or redirect. Officers see only
what was delivered to their organisation (404 otherwise); staff's reading is never counted."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from dukportal.core.forms import add_service_errors
from dukportal.submissions import idempotency
from dukportal.submissions.views import answer_replay
from organizations import access
from organizations.models import BaseOrganization

from . import delivery, delivery_selectors, requests, selectors
from .delivery_forms import DocumentRequestForm
from .document import body_blocks, body_text
from .models import DocType

INBOX_PAGE_SIZE = 20


def _year(value: str) -> int | None:
    """The inbox's year filter: four ASCII digits of a plausible year, anything else is no filter."""
    return int(value) if len(value) == 4 and value.isascii() and value.isdigit() and value >= "1900" else None


class InboxRedirectView(access.RoleRequiredMixin, View):
    """ "Văn bản đến" in an officer's navigation: their organisation's inbox."""

    def get(self, request):
        if not access.is_officer(request.user):
            raise Http404
        return redirect("reports:inbox", request.user.organization_id)


class InboxView(access.RoleRequiredMixin, TemplateView):
    """An organisation's "Văn bản đến": its officers, and staff and leaders (who read everything)."""

    template_name = "reports/inbox.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(BaseOrganization.objects.all(), user, "", pk=kwargs["pk"])
        year = _year(self.request.GET.get("nam", ""))
        page = Paginator(delivery_selectors.inbox(organization, year=year), INBOX_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            organization=organization,
            page=page,
            deliveries=page.object_list,
            year=year,
            years=delivery_selectors.inbox_years(organization),
            **kwargs,
        )


class InboxDocumentView(access.RoleRequiredMixin, TemplateView):
    """A delivered document opened by an officer of a recipient organisation: the first opening of the
    organisation is recorded. Staff and leaders are sent to the document's own page (not counted)."""

    template_name = "reports/inbox_document.html"

    def get(self, request, *args, **kwargs):
        document, received = delivery_selectors.delivered_document_or_404(request.user, kwargs["pk"])
        if received is None:
            return redirect(document)
        delivery.document_open(user=request.user, document=document)
        return self.render_to_response(
            self.get_context_data(
                document=document,
                delivery=received,
                requests=[
                    row
                    for row in delivery_selectors.requests_of(document, organization_id=received.organization_id)
                    if row.deadline
                ],
                blocks=body_blocks(document.content),
            )
        )


class InboxDownloadView(access.RoleRequiredMixin, View):
    """The issued PDF from an inbox (the e-mail's link): counts as opening it, for an officer."""

    def get(self, request, pk):
        document, received = delivery_selectors.delivered_document_or_404(request.user, pk)
        if received is None:
            return redirect("reports:document_download", document.pk, "pdf")
        delivery.document_open(user=request.user, document=document)
        return FileResponse(
            document.pdf_file.open("rb"),
            as_attachment=True,
            filename=f"{document.file_stem()}.pdf",
            content_type="application/pdf",
        )


class DocumentRequestCreateView(access.RoleRequiredMixin, TemplateView):
    """Tạo hạn nộp từ văn bản: each section of a dispatch with its own pre-filled form; one click makes the
    deadline of that section (a double click makes one: the form token, then the one-per-section rule)."""

    allow = "staff"
    template_name = "reports/document_requests.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            self.document = get_object_or_404(selectors.documents_visible_to(request.user), pk=kwargs["pk"])
            if self.document.doc_type != DocType.CV:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _forms(self, posted=None):
        found = requests.sections(body_text(self.document.content))
        done = {row.request.section for row in delivery_selectors.requests_of(self.document)}
        forms = []
        for index, section in enumerate(found):
            form = DocumentRequestForm.for_section(section, index)
            if posted is not None and posted[0] == index:
                form = posted[1]
            forms.append((section, form, section.heading in done))
        return forms

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            document=self.document,
            organizations=list(delivery.recipient_organizations_of(self.document).order_by("sort_key", "code")),
            existing=delivery_selectors.requests_of(self.document),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self._forms()))

    def post(self, request, *args, **kwargs):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        index = request.POST.get("muc", "")
        index = int(index) if index.isdigit() else -1
        form = DocumentRequestForm(request.POST, prefix=f"muc{index}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    made = delivery.document_request_create(
                        actor=request.user,
                        document=self.document,
                        section=data["section"],
                        title=data["title"],
                        due_date=data["due_date"],
                    )
                    idempotency.bind(claimed, made)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã tạo hạn nộp “{made.title}” (hạn {made.due_date:%d/%m/%Y}); hạn nộp có trên trang "
                    "Theo dõi hạn nộp và trong nhắc hạn.",
                )
                return redirect(self.document)
        return self.render_to_response(self.get_context_data(forms=self._forms(posted=(index, form))))

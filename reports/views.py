"""Views for official documents: thin, they parse input, call a selector or a service and render or redirect.
Staff write; leaders read (list, preview, download); officers of base organisations get 403."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView, View

from dukportal.core import xlsx
from dukportal.core.cells import rows_html
from dukportal.core.forms import ReferenceDateForm, add_service_errors, reference_date_of
from dukportal.documents import sources as document_sources
from dukportal.submissions import idempotency
from dukportal.submissions.views import answer_replay
from organizations import access
from organizations.selectors import current_bloc

from . import checks, delivery_selectors, exports, rows, selectors, services
from .forms import (
    ContactForm,
    CounterForm,
    DocumentCreateForm,
    DocumentEditForm,
    DocumentIssueForm,
    DocumentRegenerateForm,
    DocumentTopicsForm,
    RecipientPickerForm,
    ReferenceForm,
    SignerChoiceForm,
    SignerForm,
    SuperiorBodyForm,
    TermForm,
)
from .models import DocType, DocumentStatus, ExportJob, ExportStatus, IssuerKind, Signer
from .render_docx import render_docx
from .render_pdf import render_html, render_pdf

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _document(user, pk):
    return get_object_or_404(selectors.documents_visible_to(user), pk=pk)


class DocumentListView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "reports/document_list.html"

    def get_context_data(self, **kwargs):
        params = {k: self.request.GET.get(k, "") for k in ("status", "doc_type")}
        page = Paginator(selectors.document_rows(self.request.user, **params), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page=page,
            documents=page.object_list,
            document_rows=rows_html(rows.document_rows(page.object_list)),
            params=params,
            statuses=DocumentStatus.choices,
            doc_types=DocType.choices,
            **kwargs,
        )


class DocumentCreateView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "reports/document_create.html"

    def get(self, request, **kwargs):
        fields = ("kind", "deadline", *(entry.field for entry in document_sources.sources()))
        initial = {key: request.GET.get(key, "") for key in fields}
        initial["issuing_body"] = selectors.issuing_bodies().filter(kind=IssuerKind.COMMITTEE).first()
        # Written from a page viewed for a past date (?ngay=…): the draft starts from that date's figures.
        reference_form, on = reference_date_of(request)
        if reference_form.query_string:
            initial["figures_as_of"] = on
        topics_form = DocumentTopicsForm(candidates=selectors.topic_candidates(request.user, on))
        return self.render_to_response(
            self.get_context_data(
                form=DocumentCreateForm(initial=initial),
                topics_form=topics_form,
                reference_form=reference_form,
                on=on,
            )
        )

    def post(self, request, **kwargs):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        form = DocumentCreateForm(request.POST)
        valid = form.is_valid()
        # The topics offered are those open on the draft's reference date.
        on = form.cleaned_data.get("figures_as_of") if valid else None
        on = on or timezone.localdate()
        topics_form = DocumentTopicsForm(request.POST, candidates=selectors.topic_candidates(request.user, on))
        with_topics = valid and form.cleaned_data["kind"] in services.TOPIC_KINDS
        if valid and (not with_topics or topics_form.is_valid()):
            data = form.cleaned_data
            try:
                # A double click on "Tạo dự thảo" makes one draft: the form's token is claimed with it.
                with transaction.atomic():
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    document = services.document_create(
                        actor=request.user,
                        kind=data["kind"],
                        issuing_body=data["issuing_body"],
                        deadline=data.get("deadline"),
                        source=form.source(),
                        doc_type=data.get("doc_type") or "",
                        as_of=data["figures_as_of"],
                        topic_specs=topics_form.specs if with_topics else None,
                    )
                    idempotency.bind(claimed, document)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã tạo dự thảo với số liệu tính đến ngày {document.figures_as_of:%d/%m/%Y}. "
                    "Hãy soát lại nội dung trước khi phát hành.",
                )
                return redirect("reports:document_edit", document.pk)
        return self.render_to_response(self.get_context_data(form=form, topics_form=topics_form, on=on))


class DocumentDetailView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "reports/document_detail.html"

    def get_context_data(self, **kwargs):
        document = _document(self.request.user, kwargs["pk"])
        term = None if document.is_issued else services.term_for_or_none(document.issuing_body.bloc)
        return super().get_context_data(
            document=document,
            header=services.header_of(document),
            issue_form=DocumentIssueForm(),
            regenerate_form=DocumentRegenerateForm(initial={"figures_as_of": document.figures_as_of}),
            next_number=None
            if document.is_issued
            else services.next_number_preview(
                issuing_body=document.issuing_body, doc_type=document.doc_type, term=term
            ),
            term=term or document.term,
            can_write=access.is_staff(self.request.user) and not document.is_issued,
            # A long draft's files are made by a job: its buttons post instead of linking.
            render_jobs={fmt: not services.document_renders_inline(document, fmt) for fmt in CONTENT_TYPES},
            issue_problems=[] if document.is_issued else checks.issue_problems(document),
            # reports/_delivery_status.html: who has opened it, the deadlines made from its sections
            delivery=delivery_selectors.delivery_status(document) if document.is_issued else None,
            document_requests=delivery_selectors.requests_of(document),
            **kwargs,
        )


class DocumentEditView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "reports/document_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            self.document = _document(request.user, kwargs["pk"])
            if self.document.is_issued:
                messages.error(request, "Văn bản đã phát hành không thể sửa. Muốn đính chính, hãy soạn văn bản mới.")
                return redirect(self.document)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        document = self.document
        on = document.figures_as_of or timezone.localdate()
        signer_form = SignerChoiceForm(
            initial={"signer": document.content.get("signer_id")}, issuing_body=document.issuing_body
        )
        return super().get_context_data(
            recipient_form=RecipientPickerForm(
                initial=RecipientPickerForm.initial_from(document.content), bloc=document.issuing_body.bloc, on=on
            ),
            signer_form=signer_form,
            has_signers=signer_form.fields["signer"].queryset.exists(),
            **kwargs,
        )

    def get(self, request, **kwargs):
        form = DocumentEditForm(initial=DocumentEditForm.initial_from(self.document.content))
        return self.render_to_response(self.get_context_data(form=form, document=self.document))

    def post(self, request, **kwargs):
        form = DocumentEditForm(request.POST)
        if form.is_valid():
            try:
                services.document_update(actor=request.user, document=self.document, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu dự thảo “{self.document}”; văn bản chưa được phát hành.")
                return redirect(self.document)
        return self.render_to_response(self.get_context_data(form=form, document=self.document))


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": [SELF]}), name="dispatch")  # the same iframe, for the CSP
class DocumentPreviewView(access.RoleRequiredMixin, View):
    """The print HTML in the browser: the same template the PDF is made from (shown in a same-origin iframe on
    the document page)."""

    allow = "readers"

    def get(self, request, pk):
        document = _document(request.user, pk)
        structure = services.structure_of(document)
        return HttpResponse(render_html(structure, preview=True, style_nonce=str(request.csp_nonce)))


class DocumentIssueView(access.RoleRequiredMixin, View):
    allow = "staff"

    def post(self, request, pk):
        document = _document(request.user, pk)
        form = DocumentIssueForm(request.POST)
        if not form.is_valid():
            typed = request.POST.get("issued_on", "")
            messages.error(request, f"Ngày ban hành “{typed}”: " + " ".join(form.errors["issued_on"]))
            return redirect(document)
        if not services.document_issues_inline(document):
            # A long draft: its files take seconds to render, so a job issues it and the page follows its progress.
            try:
                job = services.document_issue_job_create(
                    actor=request.user, document=document, issued_on=form.cleaned_data.get("issued_on")
                )
            except ValidationError as error:
                messages.error(request, "Chưa thể phát hành: " + " ".join(error.messages))
                return redirect(document)
            messages.info(request, "Văn bản dài: đang tạo tệp và lấy số; trang này báo khi phát hành xong.")
            return redirect("reports:export_job", job.pk)
        try:
            document = services.document_issue(
                actor=request.user, document=document, issued_on=form.cleaned_data.get("issued_on")
            )
        except ValidationError as error:
            messages.error(request, "Chưa thể phát hành: " + " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Đã phát hành văn bản số {document.number_label}. Ngày ban hành {document.issued_on:%d/%m/%Y}.",
            )
        return redirect(document)


class DocumentRegenerateView(access.RoleRequiredMixin, View):
    """Soạn lại số liệu: the draft's generated text recomputed for its kept date (or the one chosen)."""

    allow = "staff"

    def post(self, request, pk):
        document = _document(request.user, pk)
        form = DocumentRegenerateForm(request.POST)
        if not form.is_valid():
            typed = request.POST.get("figures_as_of", "")
            messages.error(request, f"Số liệu tính đến ngày “{typed}”: " + " ".join(form.errors["figures_as_of"]))
            return redirect(document)
        try:
            document = services.document_regenerate(
                actor=request.user, document=document, as_of=form.cleaned_data.get("figures_as_of")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Đã soạn lại dự thảo với số liệu tính đến ngày {document.figures_as_of:%d/%m/%Y}."
            )
        return redirect(document)


class DocumentDeleteView(access.RoleRequiredMixin, View):
    allow = "staff"

    def post(self, request, pk):
        document = _document(request.user, pk)
        try:
            services.document_delete_draft(actor=request.user, document=document)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(document)
        messages.success(request, "Đã xóa dự thảo.")
        return redirect("reports:documents")


class DocumentDownloadView(access.RoleRequiredMixin, View):
    """An issued document: the stored file, exactly as issued. A short draft: rendered now, named as a draft. A
    long draft is rendered by a job (POST to document_render_job): a link followed here is sent to the document
    page, whose button starts it."""

    allow = "readers"

    def get(self, request, pk, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        document = _document(request.user, pk)
        filename = f"{document.file_stem()}.{fmt}"
        if document.is_issued:
            stored = document.docx_file if fmt == "docx" else document.pdf_file
            return FileResponse(
                stored.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
            )
        if not services.document_renders_inline(document, fmt):
            messages.info(
                request,
                f"Văn bản dài: tệp {exports.DOCUMENT_FORMATS[fmt]} được tạo ở chế độ nền. "
                f"Bấm “Tạo tệp {exports.DOCUMENT_FORMATS[fmt]}” rồi theo dõi tiến độ.",
            )
            return redirect(document)
        structure = services.structure_of(document)
        data = render_docx(structure) if fmt == "docx" else render_pdf(structure)
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DocumentRenderJobView(access.RoleRequiredMixin, View):
    """A long draft's PDF or Word file as a job of the structure shown now; the job page shows its progress."""

    allow = "readers"

    def post(self, request, pk, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        document = _document(request.user, pk)
        if services.document_renders_inline(document, fmt):  # issued, or short enough: the direct download
            return redirect("reports:document_download", document.pk, fmt)
        job = services.document_render_job_create(actor=request.user, document=document, fmt=fmt)
        return redirect("reports:export_job", job.pk)


class DocumentTablesXlsxView(access.RoleRequiredMixin, View):
    """The document's figure tables as a workbook (small: downloaded at once)."""

    allow = "readers"

    def get(self, request, pk):
        document = _document(request.user, pk)
        data = exports.document_tables_xlsx(services.structure_of(document))
        return xlsx.response(data, f"{document.file_stem()}-bang-so-lieu.xlsx")


class RegisterView(access.RoleRequiredMixin, TemplateView):
    """Sổ văn bản đi: sequences and their last numbers; staff add terms and enter numbers used on paper."""

    allow = "readers"
    template_name = "reports/register.html"

    def get_context_data(self, **kwargs):
        context = {
            "counters": selectors.register_rows(self.request.user),
            "page": Paginator(selectors.issued_document_rows(self.request.user), 50).get_page(
                self.request.GET.get("page")
            ),
            "terms": list(selectors.terms()),
            "issuing_bodies": list(selectors.issuing_bodies()),
            "can_write": access.is_staff(self.request.user),
        }
        context["issued"] = context["page"].object_list
        context["issued_rows"] = rows_html(rows.register_rows(context["issued"]))
        context["reference_form"], context["on"] = reference_date_of(self.request)
        context.setdefault("term_form", TermForm())
        context.update(kwargs)
        context.setdefault("counter_form", CounterForm())
        context["counter_form"].offer(context["issuing_bodies"], context["terms"])
        return super().get_context_data(**context)

    def post(self, request, **kwargs):
        access.require_staff(request.user)
        action = request.POST.get("action")
        bloc = current_bloc()
        if bloc is None:
            messages.error(request, "Chưa có dữ liệu đảng ủy khối.")
            return redirect("reports:register")
        if action == "bodies":
            services.issuing_bodies_ensure(actor=request.user, bloc=bloc)
            messages.success(request, "Đã tạo các cơ quan ban hành từ dữ liệu đảng ủy khối.")
            return redirect("reports:register")
        if action == "term":
            form = TermForm(request.POST)
            if form.is_valid():
                try:
                    services.term_create(actor=request.user, bloc=bloc, **form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Đã thêm nhiệm kỳ.")
                    return redirect("reports:register")
            return self.render_to_response(self.get_context_data(term_form=form))
        form = CounterForm(request.POST)
        if form.is_valid():
            try:
                counter = services.counter_set_last_number(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã ghi số cuối cùng {counter.last_number}; văn bản tiếp theo sẽ mang số {counter.last_number + 1}.",
                )
                return redirect("reports:register")
        return self.render_to_response(self.get_context_data(counter_form=form))


class RegisterXlsxView(access.RoleRequiredMixin, View):
    """Small export: downloaded at once."""

    allow = "readers"

    def get(self, request):
        return xlsx.response(exports.register_xlsx(selectors.documents_visible_to(request.user)), "so-van-ban-di.xlsx")


class ExportStartView(access.RoleRequiredMixin, View):
    """Long export: a job row and a Celery task; the job page shows its progress."""

    allow = "readers"

    def post(self, request):
        kind = request.POST.get("kind", "")
        if kind not in exports.EXPORTS:
            raise Http404
        reference = ReferenceDateForm(request.POST)
        if not reference.is_valid():
            messages.error(request, " ".join(reference.errors["ngay"]))
            return redirect("reports:register")
        day = reference.cleaned_data.get("ngay")
        job = services.export_job_create(actor=request.user, kind=kind, params={"on": day.isoformat()} if day else {})
        return redirect("reports:export_job", job.pk)


def _own_export(request, pk: int, **filters) -> ExportJob:
    """Only the requester sees their job, and only while they may still ask for that kind (a staff member
    moved to another role loses the member export they had started) and read what it holds (a document's)."""
    job = get_object_or_404(ExportJob, pk=pk, created_by=request.user, **filters)
    if not exports.may_export(request.user, job.kind):
        raise PermissionDenied
    if not selectors.job_in_scope(request.user, job):
        raise Http404
    return job


class ExportJobView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "reports/export_job.html"

    def get(self, request, *args, **kwargs):
        job = _own_export(request, kwargs["pk"])
        issuing = job.kind == exports.DOCUMENT_ISSUE
        # An issue job ends on the issued document's page; the others on their file.
        done_url = (
            reverse("reports:document", args=[job.params["document"]])
            if issuing
            else reverse("reports:export_download", args=[job.pk])
        )
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": job.status,
                    "status_label": job.get_status_display(),
                    "progress": job.progress,
                    "download": done_url if job.status == ExportStatus.DONE else "",
                    "error": job.error,
                }
            )
        title, download_label = exports.job_labels(job)
        document_id = job.params.get("document") if job.kind == exports.DOCUMENT_RENDER else None
        return self.render_to_response(
            self.get_context_data(
                job=job,
                title=title,
                download_label=download_label,
                document_id=document_id,
                done_url=done_url,
                failed_prefix="Chưa phát hành được:" if issuing else "Không xuất được dữ liệu:",
            )
        )


class ExportDownloadView(access.RoleRequiredMixin, View):
    allow = "readers"

    def get(self, request, pk):
        job = _own_export(request, pk, status=ExportStatus.DONE)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=exports.export_filename(job))


class ExportRetryView(access.RoleRequiredMixin, View):
    """The requester runs a failed export again ("Thử lại" on the job page)."""

    allow = "readers"

    def post(self, request, pk):
        job = _own_export(request, pk)
        try:
            services.export_job_retry(actor=request.user, job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("reports:export_job", job.pk)


# --- references, signers, recipients ---------------------------------------------------------------------------


class ReferenceListView(access.RoleRequiredMixin, TemplateView):
    """Văn bản được trích dẫn: the bloc's plans, the superior documents they implement, issued documents."""

    allow = "readers"
    template_name = "reports/reference_list.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:100]
        return super().get_context_data(
            references=list(selectors.reference_list(self.request.user, query=query)[:300]),
            query=query,
            can_write=access.is_staff(self.request.user),
            **kwargs,
        )


class ReferenceFormView(access.RoleRequiredMixin, TemplateView):
    """Create (no pk) or edit a reference and its links."""

    allow = "staff"
    template_name = "reports/reference_form.html"

    def _reference(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(selectors.references_visible_to(self.request.user), pk=pk) if pk else None

    def get(self, request, **kwargs):
        reference = self._reference()
        initial = ReferenceForm.initial_from(reference) if reference else {}
        form = ReferenceForm(initial=initial, reference=reference)
        return self.render_to_response(self.get_context_data(form=form, reference=reference))

    def post(self, request, **kwargs):
        reference = self._reference()
        if reference is None and (replayed := answer_replay(request, idempotency.earlier_post(request))):
            return replayed
        form = ReferenceForm(request.POST, reference=reference)
        if form.is_valid():
            try:
                if reference is None:
                    # A double click on "Lưu" records one reference: the form's token is claimed with it.
                    with transaction.atomic():
                        claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                        reference = services.reference_create(actor=request.user, **form.service_kwargs())
                        idempotency.bind(claimed, reference)
                else:
                    reference = services.reference_update(
                        actor=request.user, reference=reference, **form.service_kwargs()
                    )
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu {reference}.")
                return redirect("reports:references")
        return self.render_to_response(self.get_context_data(form=form, reference=reference))


class SignersView(access.RoleRequiredMixin, TemplateView):
    """An issuing body's signers and contact person, managed by staff on one page."""

    allow = "staff"
    template_name = "reports/signers.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            self.issuing_body = get_object_or_404(selectors.issuing_bodies(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        body = self.issuing_body
        kwargs.setdefault("signer_form", SignerForm())
        kwargs.setdefault(
            "contact_form",
            ContactForm(initial={"name": body.contact_name, "title": body.contact_title, "phone": body.contact_phone}),
        )
        return super().get_context_data(
            issuing_body=body, signers=list(selectors.signers_of(body, active_only=False)), **kwargs
        )

    def post(self, request, **kwargs):
        body = self.issuing_body
        if request.POST.get("action") == "contact":
            form = ContactForm(request.POST)
            if form.is_valid():
                services.issuing_body_set_contact(actor=request.user, issuing_body=body, **form.cleaned_data)
                messages.success(request, "Đã lưu người liên hệ.")
                return redirect("reports:signers", body.pk)
            return self.render_to_response(self.get_context_data(contact_form=form))
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        form = SignerForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():  # one signer per form post, whatever the browser does
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    signer = services.signer_create(actor=request.user, issuing_body=body, **form.cleaned_data)
                    idempotency.bind(claimed, signer)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã thêm người ký {signer.name}.")
                return redirect("reports:signers", body.pk)
        return self.render_to_response(self.get_context_data(signer_form=form))


class SignerEditView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "reports/signer_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            self.signer = get_object_or_404(
                Signer.objects.select_related("issuing_body").filter(issuing_body__in=selectors.issuing_bodies()),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        signer = self.signer
        initial = {name: getattr(signer, name) for name in services.SIGNER_FIELDS}
        return self.render_to_response(self.get_context_data(form=SignerForm(initial=initial), signer=signer))

    def post(self, request, **kwargs):
        form = SignerForm(request.POST)
        if form.is_valid():
            try:
                services.signer_update(actor=request.user, signer=self.signer, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Đã lưu người ký.")
                return redirect("reports:signers", self.signer.issuing_body_id)
        return self.render_to_response(self.get_context_data(form=form, signer=self.signer))


class SuperiorBodiesView(access.RoleRequiredMixin, TemplateView):
    """The superior bodies staff name "(b/c)" in Nơi nhận (Thường trực Tỉnh ủy, Ban Dân vận Tỉnh ủy …)."""

    allow = "staff"
    template_name = "reports/superior_bodies.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SuperiorBodyForm())
        return super().get_context_data(bodies=list(selectors.superior_bodies()), **kwargs)

    def post(self, request, **kwargs):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        form = SuperiorBodyForm(request.POST)
        bloc = current_bloc()
        if form.is_valid() and bloc is None:
            form.add_error(None, "Chưa có đảng ủy khối nào; hãy khai báo đảng ủy khối trước.")
        if form.is_valid():
            try:
                with transaction.atomic():  # one row per form post, whatever the browser does
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    body = services.superior_body_create(actor=request.user, bloc=bloc, **form.cleaned_data)
                    idempotency.bind(claimed, body)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã thêm {body.name}.")
                return redirect("reports:superior_bodies")
        return self.render_to_response(self.get_context_data(form=form))


class SuperiorBodyEditView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "reports/superior_body_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            self.body = get_object_or_404(selectors.superior_bodies(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        initial = {name: getattr(self.body, name) for name in services.SUPERIOR_BODY_FIELDS}
        return self.render_to_response(self.get_context_data(form=SuperiorBodyForm(initial=initial), body=self.body))

    def post(self, request, **kwargs):
        form = SuperiorBodyForm(request.POST)
        if form.is_valid():
            try:
                services.superior_body_update(actor=request.user, body=self.body, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Đã lưu cơ quan cấp trên.")
                return redirect("reports:superior_bodies")
        return self.render_to_response(self.get_context_data(form=form, body=self.body))


def _draft_for_write(request, pk):
    document = _document(request.user, pk)
    if document.is_issued:
        messages.error(request, "Văn bản đã phát hành không thể sửa. Muốn đính chính, hãy soạn văn bản mới.")
    return document


class DocumentRecipientsView(access.RoleRequiredMixin, View):
    """Kính gửi and Nơi nhận filled from the picker on the edit page."""

    allow = "staff"

    def post(self, request, pk):
        document = _draft_for_write(request, pk)
        if document.is_issued:
            return redirect(document)
        form = RecipientPickerForm(
            request.POST, bloc=document.issuing_body.bloc, on=document.figures_as_of or timezone.localdate()
        )
        if not form.is_valid():
            messages.error(
                request, "Chưa chọn được nơi nhận: " + " ".join(e for errors in form.errors.values() for e in errors)
            )
            return redirect("reports:document_edit", document.pk)
        try:
            services.document_choose_recipients(actor=request.user, document=document, choice=form.choice())
        except ValidationError as error:
            messages.error(request, "Chưa chọn được nơi nhận: " + " ".join(error.messages))
        else:
            messages.success(request, "Đã điền “Kính gửi” và “Nơi nhận” từ danh sách đã chọn.")
        return redirect("reports:document_edit", document.pk)


class DocumentSignerView(access.RoleRequiredMixin, View):
    """The signer of a draft chosen from its issuing body's signers."""

    allow = "staff"

    def post(self, request, pk):
        document = _draft_for_write(request, pk)
        if document.is_issued:
            return redirect(document)
        form = SignerChoiceForm(request.POST, issuing_body=document.issuing_body)
        if not form.is_valid():
            messages.error(request, "Chọn một người ký trong danh sách.")
            return redirect("reports:document_edit", document.pk)
        try:
            services.document_choose_signer(actor=request.user, document=document, signer=form.cleaned_data["signer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Người ký: {form.cleaned_data['signer']}.")
        return redirect("reports:document_edit", document.pk)

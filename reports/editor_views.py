"""The section editor of a draft, its live preview and its list of what still keeps it from being issued.

The editor page posts everything it shows: "Lưu dự thảo" saves (reports.editor.document_save_sections),
"Xem trước" posts the same form into the preview frame (the print HTML the PDF is made from, for what is typed,
nothing saved), "Tạo lại từ số liệu" of a table fills that table from the data of the draft's reference date
and shows the page again, nothing saved. A POST of the whole-text form (no section formset) is the earlier
editor's, still served by views.DocumentEditView."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView, View

from dukportal.core.text import without_control
from organizations import access

from . import checks, editor, selectors, services, views
from .document import structured_content
from .editor_forms import Editor
from .forms import RecipientPickerForm
from .models import DocumentKind
from .render_pdf import render_html

MANAGEMENT_FIELD = "sections-TOTAL_FORMS"


def _cleaned_post(request):
    # Pasted control characters would break the Word and PDF renderers: dropped from every field, newlines kept.
    return without_control(request.POST, list(request.POST.keys()))


def _draft(request, pk):
    """The staff member's draft, or None (with the message) when it is already issued."""
    document = views._document(request.user, pk)
    if document.is_issued:
        messages.error(request, "Văn bản đã phát hành không thể sửa. Muốn đính chính, hãy soạn văn bản mới.")
        return None, document
    return document, document


class DocumentEditorView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "reports/document_editor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.is_staff(request.user):
            legacy = request.GET.get("dang") == "van-ban" or (
                request.method == "POST" and MANAGEMENT_FIELD not in request.POST
            )
            if legacy:
                return views.DocumentEditView.as_view()(request, *args, **kwargs)
            self.document, found = _draft(request, kwargs["pk"])
            if self.document is None:
                return redirect(found)
        return super().dispatch(request, *args, **kwargs)

    def _page(self, editor_forms: Editor, *, errors=(), status=200):
        document = self.document
        on = document.figures_as_of or timezone.localdate()
        shown = editor.draft_with(document, editor_forms.content())
        context = self.get_context_data(
            document=document,
            signers=list(selectors.signers_of(document.issuing_body)),
            chosen_signer=str(editor_forms.head._value("signer_id") or document.content.get("signer_id") or ""),
            editor=editor_forms,
            form_errors=list(errors),
            issue_problems=checks.issue_problems(shown),
            can_regenerate=document.kind != DocumentKind.OTHER,
            recipient_form=RecipientPickerForm(
                initial=RecipientPickerForm.initial_from(document.content), bloc=document.issuing_body.bloc, on=on
            ),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, **kwargs):
        return self._page(Editor(structured_content(self.document.content)))

    def post(self, request, **kwargs):
        data = _cleaned_post(request)
        if "pick_signer" in data or "pick_contact" in data:
            return self._fill_from_data(data)
        forms_ = Editor(data=data)
        if target := request.POST.get("regenerate"):
            return self._regenerate(forms_, target)
        if (target := request.POST.get("add_table")) and (part := forms_.part(target)) is not None:
            part.add_table()
            messages.info(request, "Đã thêm một bảng trống ở cuối phần này. Bấm “Lưu dự thảo” để giữ thay đổi.")
            return self._page(forms_)
        if not forms_.is_valid():
            return self._page(forms_, errors=forms_.errors())
        try:
            editor.document_save_sections(actor=request.user, document=self.document, content=forms_.content())
        except ValidationError as error:
            return self._page(forms_, errors=error.messages)
        messages.success(
            request, f"Đã lưu dự thảo “{self.document.content.get('subject', '')}”; văn bản chưa được phát hành."
        )
        return redirect("reports:document_edit", self.document.pk)

    def _fill_from_data(self, data):
        """ "Điền theo người ký" / "Lấy người liên hệ của cơ quan": the lines filled in the form from the data,
        everything else as typed; nothing saved."""
        body = self.document.issuing_body
        if "pick_signer" in data:
            raw = str(data.get("signer_pick") or "")
            signer = selectors.signers_of(body).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
            if signer is None:
                messages.error(self.request, "Chọn một người ký trong danh sách.")
            else:
                for name, value in services.signer_content(signer).items():
                    data[name] = value
                messages.info(self.request, f"Đã điền người ký: {signer}. Bấm “Lưu dự thảo” để giữ thay đổi.")
        else:
            data.update(
                {
                    "contact_name": body.contact_name,
                    "contact_title": body.contact_title,
                    "contact_phone": body.contact_phone,
                }
            )
            messages.info(
                self.request, "Đã điền người liên hệ của cơ quan ban hành. Bấm “Lưu dự thảo” để giữ thay đổi."
            )
        return self._page(Editor(data=data))

    def _regenerate(self, forms_: Editor, target: str):
        """One table filled again from the data; everything else as typed. Shown, not saved."""
        prefix, _, index = target.rpartition(":")
        part = forms_.part(prefix)
        if part is None or not index.isdigit():
            return self._page(forms_, errors=["Không tìm thấy bảng cần tạo lại."])
        position = forms_.sections.forms.index(part) if part in forms_.sections.forms else 0
        try:
            rows = editor.table_from_data(
                self.document,
                part=prefix if prefix in ("opening", "closing") else "section",
                heading=str(part._value("heading") or "") if part.has_heading else "",
                index=int(index),
                position=position,
            )
        except ValidationError as error:
            return self._page(forms_, errors=error.messages)
        on = self.document.figures_as_of or timezone.localdate()
        if rows is None:
            return self._page(forms_, errors=[f"Số liệu tính đến ngày {on:%d/%m/%Y} không còn bảng này."])
        content = forms_.content(replace={(prefix, int(index)): rows})
        messages.info(
            self.request,
            f"Đã tạo lại bảng từ số liệu tính đến ngày {on:%d/%m/%Y}. Bấm “Lưu dự thảo” để giữ thay đổi.",
        )
        return self._page(Editor({**structured_content(self.document.content), **content}))


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": [SELF]}), name="dispatch")  # shown in the editor's frame
class DocumentEditorPreviewView(access.RoleRequiredMixin, View):
    """What is typed in the editor, in the print template the PDF is made from; nothing is saved."""

    allow = "staff"

    def post(self, request, pk):
        document = views._document(request.user, pk)
        if document.is_issued:
            raise PermissionDenied
        shown = editor.draft_with(document, Editor(data=_cleaned_post(request)).content())
        structure = services.structure_of(shown)
        return HttpResponse(render_html(structure, preview=True, style_nonce=str(request.csp_nonce)))


class DocumentEditorChecksView(access.RoleRequiredMixin, View):
    """The list of what still keeps the typed draft from being issued (refreshed by htmx as the clerk types)."""

    allow = "staff"

    def post(self, request, pk):
        document = views._document(request.user, pk)
        if document.is_issued:
            raise PermissionDenied
        shown = editor.draft_with(document, Editor(data=_cleaned_post(request)).content())
        html = render_to_string(
            "reports/_editor_checks.html", {"issue_problems": checks.issue_problems(shown)}, request=request
        )
        return HttpResponse(html)

"""“Tổ chức lại”: the staff page, reached from an organisation's page, that records a rename, a dissolution, a
merge, a split or a move of cells on an effective date. Thin: each form parses input and calls one service of
organizations.reorganization; success → message and redirect; a refused operation → the same page with the
Vietnamese reason beside the form, and what was typed kept."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from dukportal.core.forms import add_service_errors

from . import access, history, reorganization
from .models import BaseOrganization, BaseOrganizationKind, Cell, Sector

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
PARTS = 3  # parts a split form offers; a split into more is done in several steps


def _date_field(
    label="Ngày hiệu lực",
    help_text="Từ ngày này tổ chức kế tục có hiệu lực; tổ chức cũ hoạt động đến hết ngày hôm trước.",
):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=help_text,
        error_messages={
            "required": "Vui lòng nhập ngày hiệu lực.",
            "invalid": "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025.",
        },
    )


def _active_organizations(exclude: BaseOrganization):
    return BaseOrganization.objects.active_on(timezone.localdate()).exclude(pk=exclude.pk).order_by("sort_key")


class ActionForm(forms.Form):
    action = ""

    def __init__(self, *args, organization: BaseOrganization, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.organization = organization


class RenameForm(ActionForm):
    action = "rename"
    name = forms.CharField(label="Tên mới", max_length=255)
    effective_on = _date_field(
        "Dùng tên mới từ ngày", "Hồ sơ, văn bản và danh sách của những ngày trước vẫn mang tên cũ."
    )

    def run(self, actor):
        reorganization.organization_rename(actor=actor, organization=self.organization, **self.cleaned_data)
        return "Đã đổi tên tổ chức; các hồ sơ, văn bản trước ngày hiệu lực vẫn mang tên cũ."


class DissolveForm(ActionForm):
    action = "dissolve"
    effective_on = _date_field(
        "Giải thể từ ngày", "Tổ chức hoạt động đến hết ngày hôm trước; từ ngày này không còn tồn tại."
    )
    reason = forms.CharField(label="Lý do, căn cứ (số quyết định)", widget=forms.Textarea(attrs={"rows": 2}))

    def run(self, actor):
        reorganization.organization_dissolve(actor=actor, organization=self.organization, **self.cleaned_data)
        return "Đã ghi nhận giải thể tổ chức."


class MergeForm(ActionForm):
    action = "merge"
    INTO_THIS, INTO_PARTNER, NEW = "into_this", "into_partner", "new"
    mode = forms.ChoiceField(
        label="Hình thức",
        choices=[
            (INTO_THIS, "Sáp nhập các tổ chức được chọn vào tổ chức này"),
            (INTO_PARTNER, "Sáp nhập tổ chức này vào tổ chức được chọn (chọn đúng một)"),
            (NEW, "Hợp nhất tổ chức này với các tổ chức được chọn thành tổ chức mới"),
        ],
        widget=forms.RadioSelect,
    )
    partners = forms.ModelMultipleChoiceField(
        label="Các tổ chức cùng tham gia",
        queryset=BaseOrganization.objects.none(),
        error_messages={"required": "Chọn ít nhất một tổ chức."},
    )
    effective_on = _date_field()
    new_code = forms.CharField(label="Mã tổ chức mới", max_length=30, required=False)
    new_name = forms.CharField(label="Tên tổ chức mới", max_length=255, required=False)
    new_kind = forms.ChoiceField(label="Loại hình", choices=BaseOrganizationKind.choices, required=False)
    new_sector = forms.ChoiceField(label="Khối", choices=Sector.choices, required=False)
    move_cells = forms.BooleanField(label="Chuyển chi bộ trực thuộc sang tổ chức kế tục", required=False, initial=True)
    move_officers = forms.BooleanField(
        label="Chuyển tài khoản cán bộ sang tổ chức kế tục", required=False, initial=True
    )
    note = forms.CharField(label="Ghi chú (căn cứ)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = _active_organizations(self.organization)

    def clean(self):
        data = super().clean()
        mode, partners = data.get("mode"), data.get("partners")
        if mode == self.INTO_PARTNER and partners is not None and len(partners) != 1:
            self.add_error("partners", "Chọn đúng một tổ chức để sáp nhập vào.")
        if mode == self.NEW:
            for name in ("new_code", "new_name", "new_kind", "new_sector"):
                if not data.get(name):
                    self.add_error(name, "Vui lòng nhập thông tin tổ chức mới.")
        return data

    def run(self, actor):
        data = self.cleaned_data
        partners = list(data["partners"])
        common = {
            "actor": actor,
            "effective_on": data["effective_on"],
            "move_cells": data["move_cells"],
            "move_officers": data["move_officers"],
            "note": data["note"],
        }
        if data["mode"] == self.INTO_THIS:
            successor = reorganization.organizations_merge(predecessors=partners, into=self.organization, **common)
        elif data["mode"] == self.INTO_PARTNER:
            successor = reorganization.organizations_merge(predecessors=[self.organization], into=partners[0], **common)
        else:
            fields = {"code": data["new_code"], "name": data["new_name"], "kind": data["new_kind"]}
            successor = reorganization.organizations_merge(
                predecessors=[self.organization, *partners],
                new_organization={**fields, "sector": data["new_sector"]},
                **common,
            )
        self.successor = successor
        return f"Đã ghi nhận hợp nhất, sáp nhập; tổ chức kế tục: {successor.name}."


class SplitForm(ActionForm):
    action = "split"
    effective_on = _date_field()
    officers_to = forms.TypedChoiceField(label="Tài khoản cán bộ chuyển sang", required=False, coerce=int)
    note = forms.CharField(label="Ghi chú (căn cứ)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        part_choices = [(str(i), f"Phần {i + 1}") for i in range(PARTS)]
        for i in range(PARTS):
            self.fields[f"part{i}_existing"] = forms.ModelChoiceField(
                label=f"Phần {i + 1}: tổ chức có sẵn",
                queryset=_active_organizations(self.organization),
                required=False,
            )
            self.fields[f"part{i}_code"] = forms.CharField(label=f"Phần {i + 1}: mã mới", max_length=30, required=False)
            self.fields[f"part{i}_name"] = forms.CharField(
                label=f"Phần {i + 1}: tên mới", max_length=255, required=False
            )
            self.fields[f"part{i}_kind"] = forms.ChoiceField(
                label=f"Phần {i + 1}: loại hình", choices=BaseOrganizationKind.choices, required=False
            )
            self.fields[f"part{i}_sector"] = forms.ChoiceField(
                label=f"Phần {i + 1}: khối", choices=Sector.choices, required=False
            )
        self.cells = list(self.organization.cells.filter(valid_to__isnull=True).order_by("sort_key"))
        for cell in self.cells:
            self.fields[f"cell_{cell.pk}"] = forms.ChoiceField(
                label=f"Chi bộ {cell.code} — {cell.name}",
                choices=[("", "Kết thúc cùng tổ chức"), *part_choices],
                required=False,
            )
        self.fields["officers_to"].choices = [("", "Giữ nguyên"), *part_choices]

    def clean(self):
        data = super().clean()
        self.parts, used = [], []
        for i in range(PARTS):
            existing = data.get(f"part{i}_existing")
            new = {k: data.get(f"part{i}_{k}") for k in ("code", "name", "kind", "sector")}
            if existing is not None:
                self.parts.append(existing)
                used.append(i)
            elif new["code"] or new["name"]:
                if not (new["code"] and new["name"]):
                    self.add_error(f"part{i}_name", "Nhập cả mã và tên của tổ chức mới.")
                self.parts.append(new)
                used.append(i)
        if len(self.parts) < 2:
            raise ValidationError("Chia tách cần ít nhất hai tổ chức kế tục (chọn tổ chức có sẵn hoặc nhập mã, tên).")
        index = {i: position for position, i in enumerate(used)}
        self.cell_targets = {}
        for cell in self.cells:
            chosen = data.get(f"cell_{cell.pk}")
            if chosen:
                if int(chosen) not in index:
                    self.add_error(f"cell_{cell.pk}", "Phần này chưa được nhập.")
                else:
                    self.cell_targets[cell] = index[int(chosen)]
        officers_to = data.get("officers_to")
        self.officers_to = None
        if officers_to not in (None, ""):
            if officers_to not in index:
                self.add_error("officers_to", "Phần này chưa được nhập.")
            else:
                self.officers_to = index[officers_to]
        return data

    def run(self, actor):
        parts = reorganization.organization_split(
            actor=actor,
            organization=self.organization,
            into=self.parts,
            effective_on=self.cleaned_data["effective_on"],
            cells=self.cell_targets,
            officers_to=self.officers_to,
            note=self.cleaned_data["note"],
        )
        return "Đã ghi nhận chia tách thành: {}.".format(", ".join(p.name for p in parts))


class MoveCellsForm(ActionForm):
    action = "move_cells"
    cells = forms.ModelMultipleChoiceField(
        label="Chi bộ trực thuộc cần chuyển",
        queryset=Cell.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một chi bộ để chuyển."},
    )
    to_organization = forms.ModelChoiceField(
        label="Chuyển sang đảng bộ cơ sở", queryset=BaseOrganization.objects.none()
    )
    effective_on = _date_field(
        help_text="Chi bộ thuộc đảng bộ cũ đến hết ngày hôm trước, thuộc đảng bộ mới từ ngày này."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cells"].queryset = self.organization.cells.filter(valid_to__isnull=True).order_by("sort_key")
        self.fields["to_organization"].queryset = _active_organizations(self.organization).filter(
            kind=BaseOrganizationKind.COMMITTEE
        )

    def run(self, actor):
        moved = reorganization.cells_move(actor=actor, **self.cleaned_data)
        return f"Đã chuyển {len(moved)} chi bộ sang {self.cleaned_data['to_organization'].name}."


def history_context(organization: BaseOrganization) -> dict:
    """What the history section (templates/organizations/_reorganization_history.html) shows: two queries."""
    predecessors, successors = history.links_of(organization)
    return {"names": history.name_periods(organization), "predecessors": predecessors, "successors": successors}


FORMS = {form.action: form for form in (RenameForm, DissolveForm, MergeForm, SplitForm, MoveCellsForm)}


class ReorganizationView(access.RoleRequiredMixin, TemplateView):
    """Staff only: leaders and officers get 403 (they see no link to it either)."""

    allow = "staff"
    template_name = "organizations/reorganization_form.html"

    def get_organization(self):
        return get_object_or_404(BaseOrganization, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        organization = kwargs.pop("organization", None) or self.get_organization()
        bound = kwargs.pop("bound", None)
        forms_ = {
            action: bound if bound is not None and bound.action == action else form(organization=organization)
            for action, form in FORMS.items()
        }
        return super().get_context_data(
            organization=organization,
            forms=forms_,
            active=bound.action if bound is not None else "rename",
            has_open_cells=organization.cells.filter(valid_to__isnull=True).exists(),
            **history_context(organization),
            **kwargs,
        )

    def post(self, request, pk):
        organization = self.get_organization()
        form_class = FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            messages.error(request, "Thao tác không hợp lệ.")
            return redirect("organizations:reorganize", pk=organization.pk)
        form = form_class(request.POST, organization=organization)
        if form.is_valid():
            try:
                message = form.run(request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                target = getattr(form, "successor", None) or organization
                return redirect("organizations:detail", pk=target.pk)
        messages.error(request, "Chưa ghi nhận được: vui lòng xem lại thông tin bên dưới.")
        return self.render_to_response(self.get_context_data(organization=organization, bound=form))

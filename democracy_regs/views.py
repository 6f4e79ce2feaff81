"""Views for grassroots democracy (QCDC): thin, they parse input, call a selector or a service and render or
redirect. The four kinds of submission (plans, committees, self-inspection reports, bright spots) use the shared
generic views (dukportal.submissions.generic_views), each described by a `SubmissionPages` in `KINDS`; this
module adds what only QCDC has: cycles, a report's two kinds, a committee's make-up."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html
from django.views.generic import TemplateView, View

from dukportal.core import figures_cache, xlsx
from dukportal.core.cells import rows_html
from dukportal.core.forms import ROWS_CAP, add_service_errors, reference_date_of
from dukportal.core.links import url_with_pk
from dukportal.core.templatetags.portal_lists import status_badge
from dukportal.submissions import generic_views, idempotency
from dukportal.submissions.models import SubmissionStatus
from dukportal.submissions.views import answer_replay, error_text
from organizations import access
from organizations.models import BaseOrganization

from . import exports, rows, selectors, services
from .forms import (
    BrightSpotForm,
    CommitteeForm,
    CycleForm,
    MembershipEndForm,
    MembershipForm,
    MembershipRoleForm,
    OnDateForm,
    PlanForm,
    ReportForm,
)
from .models import BrightSpotKind, DemocracyCycle, InspectionReportKind

# --- Cycles -----------------------------------------------------------------------------------------------------


class CycleListView(access.RoleRequiredMixin, TemplateView):
    template_name = "democracy_regs/cycle_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycles=list(DemocracyCycle.objects.all()), **kwargs)


class CycleFormView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "democracy_regs/cycle_form.html"

    def get_instance(self):
        return None

    def make_form(self, data=None):
        instance = self.get_instance()
        return CycleForm(
            data, instance=instance, organizations=BaseOrganization.objects.active_on(timezone.localdate())
        )

    def get(self, request, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, **kwargs):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        form = self.make_form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("inspected_organizations")
            instance = self.get_instance()
            try:
                with transaction.atomic():
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    cycle = services.cycle_save(
                        actor=request.user,
                        instance=DemocracyCycle.objects.get(pk=instance.pk) if instance else None,
                        inspected_organizations=chosen,
                        **data,
                    )
                    idempotency.bind(claimed, cycle)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu đợt thực hiện Quy chế dân chủ năm {cycle.year}.")
                return redirect(cycle)
        return self.render_to_response(self.get_context_data(form=form))


class CycleCreateView(CycleFormView):
    pass


class CycleUpdateView(CycleFormView):
    def get_instance(self):
        return get_object_or_404(DemocracyCycle, pk=self.kwargs["pk"])


class CycleDetailView(access.RoleRequiredMixin, TemplateView):
    """Readers see the cycle's figures and what has been sent; an officer sees their own items and what to do."""

    template_name = "democracy_regs/cycle_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cycle = get_object_or_404(DemocracyCycle, pk=kwargs["pk"])
        context = {"cycle": cycle, "inspected": list(cycle.inspected_organizations.all())}
        if access.reads_everything(user):
            reference_form, on = reference_date_of(self.request)
            context.update(reference_form=reference_form, on=on, reference_query=reference_form.query_string)
            context["stats"] = _cycle_summary(self.request, cycle, on)
            context["sent"] = {
                "plans": list(selectors.submissions_of_cycle(user, cycle, KINDS["plan"].model, on=on)),
                "committees": list(selectors.submissions_of_cycle(user, cycle, KINDS["committee"].model, on=on)),
                "reports": list(selectors.submissions_of_cycle(user, cycle, KINDS["report"].model, on=on)),
            }
        if access.is_officer(user):
            context["own"] = selectors.own_items(user, cycle, user.organization_id)
        return super().get_context_data(**context, **kwargs)


def _cycle_summary(request, cycle: DemocracyCycle, on):
    """The figures of the statistics and cycle pages (cached: counts and a few missing organisations per item)."""
    return figures_cache.cached(
        "qcdc_statistics",
        on=on,
        user=request.user,
        params=(cycle.pk,),
        compute=lambda: selectors.cycle_summary(cycle, on=on),
    )


class StatisticsView(access.RoleRequiredMixin, TemplateView):
    """A cycle's figures for the reference date `ngay` (default today; a bad date: Vietnamese message, today's
    figures), each item with its first selectors.MISSING_PREVIEW missing organisations and a link to all."""

    allow = "readers"
    template_name = "democracy_regs/statistics.html"

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(DemocracyCycle, pk=kwargs["pk"])
        reference_form, on = reference_date_of(self.request)
        return super().get_context_data(
            cycle=cycle,
            stats=_cycle_summary(self.request, cycle, on),
            on=on,
            is_today=on == timezone.localdate(),
            reference_form=reference_form,
            reference_query=reference_form.query_string,
            **kwargs,
        )


class MissingListView(access.RoleRequiredMixin, TemplateView):
    """Every organisation still missing one item of a cycle (`muc`: plan, committee, self-inspection,
    inspection-visit; default plan) at the end of the reference date `ngay`, a page at a time (`page`), with
    the contact to call: the statistics page lists the first few of each item and links here."""

    allow = "readers"
    template_name = "democracy_regs/missing_list.html"
    paginate_by = ROWS_CAP

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(DemocracyCycle, pk=kwargs["pk"])
        slug = self.request.GET.get("muc", "")
        slug = slug if slug in selectors.ITEM_SLUGS else "plan"
        reference_form, on = reference_date_of(self.request)
        stats = _cycle_summary(self.request, cycle, on)
        rows = selectors.MissingList(cycle, selectors.ITEM_SLUGS[slug], on)
        return super().get_context_data(
            cycle=cycle,
            stats=stats,
            item=stats.item(selectors.ITEM_SLUGS[slug]),
            slug=slug,
            page=Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page")),
            on=on,
            reference_form=reference_form,
            reference_query=reference_form.query_string,
            **kwargs,
        )


class StatisticsExportView(access.RoleRequiredMixin, View):
    allow = "readers"

    def get(self, request, pk):
        cycle = get_object_or_404(DemocracyCycle, pk=pk)
        _form, on = reference_date_of(request)
        content = exports.statistics_workbook(
            selectors.cycle_summary(cycle, on=on, missing=0, rows=True),
            list(selectors.bright_spots_on(request.user, cycle, on)),
        )
        suffix = "" if on == timezone.localdate() else f"-den-{on:%d%m%Y}"
        return xlsx.response(content, f"qcdc-{cycle.year}{suffix}.xlsx")


class CycleSubmissionsView(access.RoleRequiredMixin, TemplateView):
    """One kind of what organisations have sent for a cycle (`loai`: plan, committee, report) as it stood at the
    end of the reference date (`ngay`), a page at a time, searchable by organisation."""

    allow = "readers"
    template_name = "democracy_regs/cycle_submissions.html"
    paginate_by = 50
    titles = {
        "plan": "Kế hoạch đã gửi",
        "committee": "Ban chỉ đạo đã gửi",
        "report": "Báo cáo tự kiểm tra đã gửi",
    }

    def get_context_data(self, **kwargs):
        cycle = get_object_or_404(DemocracyCycle, pk=kwargs["pk"])
        kind = self.request.GET.get("loai", "")
        kind = kind if kind in selectors.SENT_KINDS else "plan"
        query = self.request.GET.get("q", "")
        reference_form, on = reference_date_of(self.request)
        model = selectors.SENT_KINDS[kind]
        submissions = selectors.sent_rows_of_cycle(
            self.request.user, cycle, model, rows.sent_fields(model), on=on, query=query
        )
        page = Paginator(submissions, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            cycle=cycle,
            kind=kind,
            kinds=self.titles,
            title=self.titles[kind],
            query=query,
            page=page,
            submission_rows=rows_html(rows.sent_rows(model, page.object_list, start=page.start_index())),
            reference_form=reference_form,
            reference_query=reference_form.query_string,
            on=on,
            **kwargs,
        )


# One row of the bright spot list: title (a link), kind, organisation, status badge.
BRIGHT_SPOT_ROW = '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>'


def bright_spot_rows(rows) -> list[str]:
    """The bright spot list's table rows (BRIGHT_SPOT_ROW) from values of selectors.BRIGHT_SPOT_ROW_FIELDS,
    every text escaped, each label translated once a page. Built here rather than as five template variables
    and a tag per row on model instances with get_*_display (about 500 Python calls a row, 100 here): the page
    of 50 is full at 1,000 organisations (135 bright spots) and holds 10 at 74, so the cost of a row is what
    grew with the bloc (issue 13)."""
    kinds = {value: str(label) for value, label in BrightSpotKind.choices}
    statuses = {value: str(label) for value, label in SubmissionStatus.choices}
    return [
        format_html(
            BRIGHT_SPOT_ROW,
            url_with_pk("democracy_regs:bright_spot", pk),
            title,
            kinds.get(kind, kind),
            organization,
            status_badge(status, statuses.get(status, status)),
        )
        for pk, title, kind, status, organization in rows
    ]


class BrightSpotListView(access.RoleRequiredMixin, TemplateView):
    template_name = "democracy_regs/bright_spot_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        cycle = get_object_or_404(DemocracyCycle, pk=kwargs["pk"])
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in BrightSpotKind.values else ""
        rows = selectors.bright_spot_list(user, cycle, kind=kind).values_list(*selectors.BRIGHT_SPOT_ROW_FIELDS)
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            cycle=cycle,
            page=page,
            spots=bright_spot_rows(page.object_list),
            counts=selectors.bright_spot_counts(cycle),
            kinds=BrightSpotKind.choices,
            kind=kind,
            can_write=access.is_staff(user) or access.is_officer(user),
            **kwargs,
        )


class OrganizationHistoryView(access.RoleRequiredMixin, TemplateView):
    template_name = "democracy_regs/organization_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        organization = access.get_visible_or_404(BaseOrganization.objects.all(), user, "", pk=kwargs["pk"])
        return super().get_context_data(
            organization=organization, rows=selectors.organization_history(user, organization), **kwargs
        )


# --- Submissions: the shared generic views, one SubmissionPages per kind ---------------------------------------


def _pages(name: str, noun: str, form_class, visible, one_per_cycle: bool, *, create, update, submit):
    """A kind's pages from its services: `create(cycle=…)`, `update(<name>=…)` (the service's keyword is the
    kind's name) and `submit`, which checks the kind's own rules first (a signed file, a complete committee)."""
    return generic_views.SubmissionPages(
        namespace="democracy_regs",
        name=name,
        noun=noun,
        form_class=form_class,
        visible=visible,
        parent_model=DemocracyCycle,
        parent_attr="cycle",
        create=lambda *, parent, **fields: create(cycle=parent, **fields),
        update=lambda *, submission, **fields: update(**{name: submission}, **fields),
        submit=submit,
        deadline=selectors.deadline_for,
        describe=lambda submission: f"{noun} năm {submission.cycle.year}",
        one_per_parent=one_per_cycle,
        form_template="democracy_regs/submission_form.html",
        detail_template="democracy_regs/submission_detail.html",
    )


KINDS = {
    pages.name: pages
    for pages in (
        _pages(
            "plan",
            "kế hoạch thực hiện QCDC",
            PlanForm,
            selectors.plans_visible_to,
            True,
            create=services.plan_create,
            update=services.plan_update,
            submit=services.plan_submit,
        ),
        _pages(
            "committee",
            "Ban chỉ đạo QCDC",
            CommitteeForm,
            selectors.committees_visible_to,
            True,
            create=services.committee_create,
            update=services.committee_update,
            submit=services.committee_submit,
        ),
        _pages(
            "report",
            "báo cáo tự kiểm tra, giám sát",
            ReportForm,
            selectors.reports_visible_to,
            True,
            create=services.report_create,
            update=services.report_update,
            submit=services.report_submit,
        ),
        _pages(
            "bright_spot",
            "điểm sáng",
            BrightSpotForm,
            selectors.bright_spots_visible_to,
            False,
            create=services.bright_spot_create,
            update=services.bright_spot_update,
            submit=services.bright_spot_submit,
        ),
    )
}


class QcdcCreateView(generic_views.SubmissionCreateView):
    """A self-inspection report is one of two (`loai`: general, or for the inspection team's visit): one of
    each per cycle."""

    def report_kind(self) -> str:
        value = self.request.GET.get("loai") or self.request.POST.get("loai") or InspectionReportKind.GENERAL
        return value if value in InspectionReportKind.values else InspectionReportKind.GENERAL

    def extra(self) -> dict:
        return {"kind": self.report_kind()} if self.pages.name == "report" else {}

    def existing_filter(self) -> dict:
        return self.extra()

    def fields_of(self, form) -> dict:
        return {**super().fields_of(form), **self.extra()}

    def form_context(self, context) -> dict:
        return {**context, "report_kind": self.extra().get("kind", "")}


class QcdcDetailView(generic_views.SubmissionDetailView):
    """The body of each kind; a committee's page also shows its make-up today and what it lacks."""

    def extra_context_for(self, submission) -> dict:
        context = {"body_template": f"democracy_regs/_{self.pages.name}_body.html"}
        if self.pages.name == "committee":
            today = timezone.localdate()
            context["current_members"] = selectors.committee_on(submission.organization_id, today)
            context["problems"] = services.completeness_problems(
                services.roster_on(submission.organization_id, today), submission.cycle.committee_min_members
            )
        return context


def kind_views(kind: generic_views.SubmissionPages) -> dict:
    """The view classes of one kind of submission, keyed by URL name suffix."""
    return generic_views.kind_views(kind, create=QcdcCreateView, detail=QcdcDetailView)


# --- Steering committee make-up -----------------------------------------------------------------------------------


class OrganizationCommitteeView(access.RoleRequiredMixin, TemplateView):
    """An organisation's steering committee: its make-up on any date, every change, and the forms to record a
    change (officer of the organisation, or staff)."""

    template_name = "democracy_regs/organization_committee.html"

    def get_organization(self):
        user = self.request.user
        return access.get_visible_or_404(BaseOrganization.objects.all(), user, "", pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        organization = self.get_organization()
        user = self.request.user
        date_form = OnDateForm(self.request.GET or None)
        on = timezone.localdate()
        if date_form.is_valid() and date_form.cleaned_data["on"]:
            on = date_form.cleaned_data["on"]
        members = selectors.committee_on(organization.pk, on)
        for seat in members:  # each row's change forms get their own element ids
            seat.end_form = MembershipEndForm(auto_id=f"id_end{seat.pk}_%s")
            seat.role_form = MembershipRoleForm(auto_id=f"id_role{seat.pk}_%s")
        cycle = DemocracyCycle.objects.filter(year__lte=on.year).order_by("-year").first()
        minimum = (
            cycle.committee_min_members if cycle else DemocracyCycle._meta.get_field("committee_min_members").default
        )
        context = {
            "organization": organization,
            "on": on,
            "date_form": date_form,
            "members": members,
            "problems": services.completeness_problems([{"role": m.role} for m in members], minimum),
            "minimum": minimum,
            "history": list(selectors.membership_history(organization.pk)),
            "can_write": access.can_submit_for(user, organization.pk),
            "can_remove": access.is_staff(user),
        }
        context.setdefault("form", MembershipForm())
        context.update(kwargs)
        return super().get_context_data(**context)

    def post(self, request, pk):
        organization = self.get_organization()
        if not access.can_submit_for(request.user, organization.pk):
            raise PermissionDenied
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                seat = services.membership_add(actor=request.user, organization=organization, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã ghi nhận thành viên Ban chỉ đạo: {seat.full_name} ({seat.get_role_display().lower()}) "
                    f"từ ngày {seat.joined_on:%d/%m/%Y}.",
                )
                return redirect("democracy_regs:organization_committee", pk=organization.pk)
        return self.render_to_response(self.get_context_data(form=form))


class MembershipChangeView(access.RoleRequiredMixin, View):
    """POST: end a seat, or change its role from a date."""

    change = ""  # "end", "role" or "remove"

    def post(self, request, pk):
        user = request.user
        seat = access.get_visible_or_404(selectors.memberships_visible_to(user), user, pk=pk)
        if not access.can_submit_for(user, seat.organization_id):
            raise PermissionDenied
        if self.change == "remove":
            return self.remove(request, seat)
        form = (MembershipEndForm if self.change == "end" else MembershipRoleForm)(request.POST)
        if not form.is_valid():
            messages.error(request, "Vui lòng nhập ngày hợp lệ (dd/mm/yyyy).")
        else:
            try:
                if self.change == "end":
                    services.membership_end(actor=user, membership=seat, **form.cleaned_data)
                else:
                    services.membership_change_role(actor=user, membership=seat, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, "Đã ghi nhận thay đổi thành phần Ban chỉ đạo.")
        return redirect("democracy_regs:organization_committee", pk=seat.organization_id)

    def remove(self, request, seat):
        try:
            services.membership_remove(actor=request.user, membership=seat, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "Đã xóa dòng nhập nhầm; nội dung đã xóa vẫn được lưu trong nhật ký.")
        return redirect("democracy_regs:organization_committee", pk=seat.organization_id)

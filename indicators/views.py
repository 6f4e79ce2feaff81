"""Pages of periodic indicator reports: staff define a report and open its periods, officers fill the form
built from the definition and send it, staff review with the shared actions (dukportal.submissions.
generic_views) and read the aggregate for any reference date and sector."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView, View
from django.views.generic.base import TemplateResponseMixin

from dukportal.core import xlsx
from dukportal.core.forms import add_service_errors, reference_date_of
from dukportal.submissions import deadlines, generic_views
from dukportal.submissions.views import error_text
from organizations import access
from organizations.models import BaseOrganization, Sector

from . import charts, exports, selectors, services
from .forms import DefinitionForm, IndicatorForm, RoundForm, SectionForm, report_form
from .models import INDICATOR_ORDER, ReportDefinition, ReportRound
from .obligations import current_version

# --- Definitions ------------------------------------------------------------------------------------------------


class DefinitionListView(access.RoleRequiredMixin, TemplateView):
    template_name = "indicators/definition_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(definitions=selectors.definitions_current(), **kwargs)


class DefinitionFormView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "indicators/definition_form.html"

    def get_instance(self):
        return None

    def make_form(self, data=None):
        return DefinitionForm(
            data,
            instance=self.get_instance(),
            organizations=BaseOrganization.objects.active_on(timezone.localdate()).order_by("sort_key", "code"),
        )

    def get(self, request, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form(), definition=self.get_instance()))

    def post(self, request, **kwargs):
        instance = self.get_instance()
        form = self.make_form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organizations = list(data.pop("organizations"))
            try:
                if instance is None:
                    definition = services.definition_create(actor=request.user, organizations=organizations, **data)
                else:
                    definition = services.definition_update(
                        actor=request.user, definition=instance, organizations=organizations, **data
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _version_message(instance, definition, "Đã lưu mẫu báo cáo"))
                return redirect(definition)
        return self.render_to_response(self.get_context_data(form=form, definition=instance))


def _version_message(before, after, text: str) -> str:
    if before is not None and after.pk != before.pk:
        return f"{text}. Mẫu đã có đơn vị báo cáo nên được lưu thành phiên bản {after.version}; báo cáo đã lập giữ phiên bản cũ."
    return f"{text}."


class DefinitionCreateView(DefinitionFormView):
    pass


class DefinitionUpdateView(DefinitionFormView):
    def get_instance(self):
        return get_object_or_404(ReportDefinition, pk=self.kwargs["pk"])


class DefinitionDetailView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "indicators/definition_detail.html"

    def get_context_data(self, **kwargs):
        definition = get_object_or_404(ReportDefinition.objects.select_related("family"), pk=kwargs["pk"])
        sections = list(definition.sections.all())
        indicators = list(definition.indicators.select_related("section").order_by(*INDICATOR_ORDER))
        context = {
            "definition": definition,
            "current": current_version(definition.family),
            "versions": list(ReportDefinition.objects.filter(family=definition.family_id).order_by("version")),
            "sections": sections,
            "indicators": indicators,
            "rounds": list(ReportRound.objects.filter(family=definition.family_id)),
            "can_manage": access.is_staff(self.request.user) and definition.is_current,
            "periods": _across_periods(definition),
            "section_form": SectionForm(),
            "indicator_form": IndicatorForm(definition=definition),
            "round_form": RoundForm(initial={"year": timezone.localdate().year}, definition=definition),
        }
        context.update(kwargs)
        return super().get_context_data(**context)


def _across_periods(definition) -> list:
    """Rows of the "Qua các kỳ" table: (round, ratio, [total label per figure indicator]), as of today."""
    indicators, periods = selectors.across_periods(definition, timezone.localdate())
    return indicators, [
        (round_, aggregate.figures.ratio_label, [aggregate.total_by_code[i.code].label for i in indicators])
        for round_, aggregate in periods
    ]


class DefinitionChangeView(access.RoleRequiredMixin, TemplateResponseMixin, View):
    """POST: add a section, add an indicator, move an indicator up or down, or open a period. A definition in
    use gets a new version first (the page then shows that version)."""

    allow = "staff"
    template_name = "indicators/definition_detail.html"
    change = ""

    def post(self, request, pk):
        definition = get_object_or_404(ReportDefinition, pk=pk)
        user = request.user
        form = None
        try:
            if self.change == "section":
                form = SectionForm(request.POST)
                if not form.is_valid():
                    return self.invalid(definition, section_form=form)
                section = services.section_add(actor=user, definition=definition, title=form.cleaned_data["title"])
                target, text = section.definition, f"Đã thêm phần “{section.title}”"
            elif self.change == "indicator":
                form = IndicatorForm(request.POST, definition=definition)
                if not form.is_valid():
                    return self.invalid(definition, indicator_form=form)
                indicator = services.indicator_add(actor=user, definition=definition, **form.cleaned_data)
                target, text = indicator.definition, f"Đã thêm chỉ tiêu “{indicator.label}”"
            elif self.change == "move":
                target, text = self.move(request, definition), "Đã sắp xếp lại các chỉ tiêu"
            else:
                form = RoundForm(request.POST, definition=current_version(definition.family or definition))
                if not form.is_valid():
                    return self.invalid(definition, round_form=form)
                round_ = services.round_open(actor=user, definition=definition, **form.cleaned_data)
                messages.success(
                    request, f"Đã mở kỳ báo cáo {round_.period_label}, hạn nộp {round_.due_date:%d/%m/%Y}."
                )
                return redirect(round_)
        except ValidationError as error:
            if form is None:
                messages.error(request, error_text(error))
                return redirect(definition)
            add_service_errors(form, error)
            return self.invalid(definition, **{f"{self.change}_form": form})
        messages.success(request, _version_message(definition, target, text))
        return redirect(target)

    def move(self, request, definition):
        codes = list(definition.indicators.order_by("position", "id").values_list("code", flat=True))
        code, direction = request.POST.get("code", ""), request.POST.get("direction", "")
        if code not in codes:
            raise ValidationError("Không tìm thấy chỉ tiêu.")
        index = codes.index(code)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(codes):
            codes[index], codes[other] = codes[other], codes[index]
        return services.indicators_reorder(actor=request.user, definition=definition, codes=codes)

    def invalid(self, definition, **forms):
        view = DefinitionDetailView()
        view.setup(self.request, pk=definition.pk)
        context = view.get_context_data(pk=definition.pk, **forms)
        return self.render_to_response(context)


# --- Rounds and aggregates --------------------------------------------------------------------------------------


class RoundDetailView(access.RoleRequiredMixin, TemplateView):
    """Readers see who has sent and the links to the aggregate; an officer sees their own report and what to do."""

    template_name = "indicators/round_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        round_ = get_object_or_404(ReportRound.objects.select_related("family"), pk=kwargs["pk"])
        deadline = services.round_deadline(round_)
        context = {"round": round_, "deadline": deadline, "definition": current_version(round_.family)}
        if access.reads_everything(user):
            # x/y as of today, nil returns included (they are not reports, so the table below cannot show them).
            context["figures"] = deadlines.deadline_figures(
                deadline, timezone.localdate(), organizations=access.organizations_visible_to(user)
            )
            context["reports"] = list(
                selectors.reports_visible_to(user).filter(round=round_).order_by("organization__sort_key")
            )
        if access.is_officer(user):
            context["own"] = (
                selectors.reports_visible_to(user)
                .filter(round=round_, organization_id=user.organization_id)
                .exclude(status="withdrawn")
                .first()
            )
            # The organisation's reports of the family's other periods, to compare with when filling this one.
            context["own_history"] = list(
                selectors.reports_visible_to(user)
                .filter(round__family=round_.family, organization_id=user.organization_id)
                .exclude(round=round_)
                .order_by("-round__year", "-round__number")
            )
            cells = deadlines.deadline_cells(deadline, [user.organization_id], timezone.localdate())
            context["own_standing"] = cells[user.organization_id]
            context["owes"] = (
                services.deadlines.expected_organizations(deadline, timezone.localdate())
                .filter(pk=user.organization_id)
                .exists()
            )
        return super().get_context_data(**context, **kwargs)


def _aggregate_of(request, pk):
    round_ = get_object_or_404(ReportRound.objects.select_related("family"), pk=pk)
    reference_form, on = reference_date_of(request)
    sector = request.GET.get("khoi", "")
    sector = sector if sector in Sector.values else ""
    return round_, reference_form, on, sector, selectors.round_aggregate(round_, on, sector=sector, user=request.user)


class AggregateView(access.RoleRequiredMixin, TemplateView):
    allow = "readers"
    template_name = "indicators/aggregate.html"

    def get_context_data(self, **kwargs):
        round_, reference_form, on, sector, aggregate = _aggregate_of(self.request, kwargs["pk"])
        query = "&".join(q for q in (reference_form.query_string, f"khoi={sector}" if sector else "") if q)
        return super().get_context_data(
            round=round_,
            definition=aggregate.definition,  # the breadcrumbs lead back to the report's page
            aggregate=aggregate,
            reference_form=reference_form,
            on=on,
            sector=sector,
            sectors=Sector.choices,
            query=query,
            rows=[(row, row.cells(aggregate.indicators)) for row in aggregate.rows],
            **_chart_context(self.request, aggregate),
            **kwargs,
        )


def _chart_context(request, aggregate) -> dict:
    """The chart the page's small form asks for: `chi_tieu` (an indicator code; the first number by default)
    and `bieu_do` (per organisation, the default, or across periods)."""
    choices = selectors.chart_indicators(aggregate)
    if not choices:
        return {"chart": None, "chart_indicators": []}
    indicator = next((i for i in choices if i.code == request.GET.get("chi_tieu")), choices[0])
    mode = request.GET.get("bieu_do")
    mode = mode if mode in dict(charts.MODES) else charts.BY_ORGANIZATION
    if mode == charts.BY_PERIOD:
        chart = selectors.chart_by_period(aggregate, indicator, user=request.user)
    else:
        chart = selectors.chart_by_organization(aggregate, indicator)
    return {
        "chart": chart,
        "chart_indicators": choices,
        "chart_indicator": indicator,
        "chart_mode": mode,
        "chart_modes": charts.MODES,
    }


class AggregateExportView(access.RoleRequiredMixin, View):
    allow = "readers"

    def get(self, request, pk):
        round_, _form, on, sector, aggregate = _aggregate_of(request, pk)
        suffix = f"-{sector}" if sector else ""
        return xlsx.response(
            exports.aggregate_workbook(aggregate), f"bao-cao-dinh-ky-{round_.pk}-{on:%d%m%Y}{suffix}.xlsx"
        )


# --- Reports ----------------------------------------------------------------------------------------------------


def _sections(form):
    """[(section title, [bound fields])] in form order, for the template."""
    groups = []
    for name in form.fields:
        bound = form[name]
        title = form.fields[name].section
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(bound)
    return groups


REPORT_PAGES = generic_views.SubmissionPages(
    namespace="indicators",
    name="report",
    noun="báo cáo định kỳ",
    form_class=None,  # built from the report's definition (forms.report_form)
    visible=selectors.reports_visible_to,
    parent_model=ReportRound,
    parent_attr="round",
    parent_visible=lambda user: ReportRound.objects.select_related("family"),
    create=lambda *, parent, **fields: services.report_create(round_=parent, **fields),
    update=lambda *, submission, **fields: services.report_update(report=submission, **fields),
    submit=lambda *, actor, submission: services.report_submit(actor=actor, report=submission),
    deadline=lambda report: services.round_deadline(report.round),
    one_per_parent=True,
    # The figures of a date are read from what each report had sent by then: a sent report changes only by
    # being returned and sent again, staff included (services.report_update).
    staff_edits_sent=False,
    show_diffs=False,  # the values are one JSON field: the detail page shows them as a table instead
    form_template="indicators/report_form.html",
    detail_template="indicators/report_detail.html",
    context_name="report",
)


class _ReportForm:
    """The form is built from the report's definition; the service validates (a draft may be incomplete)."""

    def is_valid(self, form):
        form.is_valid()  # cleaned_data for the service, which says what is wrong
        return True

    def fields_of(self, form):
        return {"values": form.cleaned_data}

    def form_context(self, context):
        report = context.get("report")
        definition = report.definition if report else current_version(context["round"].family)
        return {**context, "definition": definition, "sections": _sections(context["form"])}


class ReportCreateView(_ReportForm, generic_views.SubmissionCreateView):
    """An officer opens their organisation's report for a period (staff fill through the officer's account)."""

    def get_target(self):
        if not access.is_officer(self.request.user):
            raise PermissionDenied
        return super().get_target()

    def make_form(self, parent, data=None, files=None):
        return report_form(current_version(parent.family), data)


class ReportUpdateView(_ReportForm, generic_views.SubmissionUpdateView):
    def make_form(self, submission, data=None, files=None):
        if data is None:
            return report_form(submission.definition, values=submission.values)
        return report_form(submission.definition, data)


class ReportDetailView(generic_views.SubmissionDetailView):
    """The shared review page; the body is the report's values, grouped by section."""

    def extra_context_for(self, report):
        indicators = report.definition.indicators.select_related("section").order_by(*INDICATOR_ORDER)
        groups = []
        for indicator in indicators:
            title = indicator.section.title if indicator.section else ""
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append((indicator, selectors.display(indicator, report.values.get(indicator.code))))
        return {"groups": groups}


REPORT_VIEWS = generic_views.kind_views(
    REPORT_PAGES, create=ReportCreateView, edit=ReportUpdateView, detail=ReportDetailView
)

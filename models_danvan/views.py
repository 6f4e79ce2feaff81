"""Views for “Dân vận khéo”: thin, they parse input, call a selector or a service and render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView, View

from dukportal.core import figures_cache, prepared
from dukportal.core.forms import add_service_errors, reference_date_of
from dukportal.core.pagination import IdsFirstPaginator
from dukportal.submissions import generic_views, idempotency
from dukportal.submissions.models import SubmissionStatus
from dukportal.submissions.views import (
    already_done_message,
    answer_replay,
    error_text,
)
from organizations import access
from organizations.models import BaseOrganization, Sector

from . import selectors, services
from .forms import AssessForm, CampaignForm, EvaluationForm, RegistrationForm, StaffRegistrationForm
from .models import Campaign, Category, Evaluation, EvaluationPeriod, Registration


class CampaignListView(access.RoleRequiredMixin, TemplateView):
    template_name = "models_danvan/campaign_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaigns=Campaign.objects.all(), **kwargs)


class CampaignFormView(access.RoleRequiredMixin, TemplateView):
    allow = "staff"
    template_name = "models_danvan/campaign_form.html"

    def get_instance(self):
        return None

    def get(self, request, **kwargs):
        return self.render_to_response(self.get_context_data(form=CampaignForm(instance=self.get_instance())))

    def post(self, request, **kwargs):
        if replayed := answer_replay(request, idempotency.earlier_post(request)):
            return replayed
        instance = self.get_instance()
        form = CampaignForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                with transaction.atomic():
                    claimed = idempotency.claim(idempotency.token_of(request), actor=request.user)
                    campaign = services.campaign_save(
                        actor=request.user,
                        instance=Campaign.objects.get(pk=instance.pk) if instance else None,
                        **form.cleaned_data,
                    )
                    idempotency.bind(claimed, campaign)
            except ValidationError as error:
                if replayed := answer_replay(request, error):
                    return replayed
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu đợt “Dân vận khéo” năm {campaign.year}.")
                return redirect(campaign)
        return self.render_to_response(self.get_context_data(form=form))


class CampaignCreateView(CampaignFormView):
    pass


class CampaignUpdateView(CampaignFormView):
    def get_instance(self):
        return get_object_or_404(Campaign, pk=self.kwargs["pk"])


class CampaignDetailView(access.RoleRequiredMixin, TemplateView):
    """Readers see the campaign's headline figures for the reference date (`ngay`, default today; the same
    campaign_statistics as the statistics page, models and exemplars apart); an officer sees their own
    registrations and what to do."""

    template_name = "models_danvan/campaign_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        context = {"campaign": campaign}
        if access.reads_everything(user):
            reference_form, on = reference_date_of(self.request)
            context.update(reference_form=reference_form, on=on, date_query=reference_form.query_string)
            # The headline only, counted in SQL (the lists are on the statistics page), from the figures cache.
            context["stats"] = figures_cache.cached(
                "campaign_headline",
                on=on,
                user=user,
                params=(campaign.pk,),
                compute=lambda: selectors.campaign_headline(campaign, on=on),
            )
        if access.is_officer(user) or access.is_staff(user):
            context["own_registrations"] = (
                list(selectors.registration_list(user, campaign, organization_id=user.organization_id))
                if access.is_officer(user)
                else None
            )
            context["can_write"] = True
        return super().get_context_data(**context, **kwargs)


REGISTRATION_PAGES = generic_views.SubmissionPages(
    namespace="models_danvan",
    name="registration",
    noun="đăng ký mô hình",
    form_class=RegistrationForm,
    visible=selectors.registrations_visible_to,
    prepared_related=("campaign", "organization", "continued_from"),  # registrations_visible_to's
    parent_model=Campaign,
    parent_attr="campaign",
    create=lambda *, parent, **fields: services.registration_create(campaign=parent, **fields),
    update=lambda *, submission, **fields: services.registration_update(registration=submission, **fields),
    deadline=lambda registration: selectors.registration_deadline(registration.campaign),
    describe=lambda registration: f"đăng ký mô hình “{registration.name}”",
    list_template="models_danvan/registration_list.html",
    form_template="models_danvan/registration_form.html",
    detail_template="models_danvan/registration_detail.html",
    context_name="registration",
)


class RegistrationListView(generic_views.SubmissionListView):
    """The registrations to work on, filtered by their current status (selectors.registration_list). Its
    count is the length of this list, not a figure as of a date: those are on the statistics page. A page reads
    its 50 ids on registration_list_idx first, then their rows (a campaign has 2,000 registrations at 1,000
    organisations), the count and the page through SQL compiled once per process (selectors.registration_row_pages)."""

    paginator_class = IdsFirstPaginator

    def rows(self, parent):
        self.params = {k: self.request.GET.get(k, "") for k in ("status", "category", "sector")}
        return selectors.registration_row_pages(self.request.user, parent, **self.params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "registrations": context["page"].object_list,
            "statuses": SubmissionStatus.choices,
            "categories": Category.choices,
            "sectors": Sector.choices,
            "params": self.params,
        }


class RegistrationCreateView(generic_views.SubmissionCreateView):
    """Officers register their organisation's models; staff register bloc-level ones (no organisation) or act
    for an organisation."""

    def make_form(self, parent, data=None, files=None):
        user = self.request.user
        if not access.is_staff(user):
            return super().make_form(parent, data, files)
        # The organisations counted as expected on the statistics page: those active during the year.
        return StaffRegistrationForm(
            data,
            files,
            user=user,
            organizations=BaseOrganization.objects.active_during(parent.year),
            year=parent.year,
            instance=Registration(campaign=parent),
        )


def registration_evaluations(registration: Registration) -> list[Evaluation]:
    """list(registration.evaluations.all()), its SQL (ordered through the registration's own ordering: three
    joins) compiled once per process (dukportal.core.prepared; the registration's page, issue 13)."""
    evaluations = prepared.instances(
        ("registration evaluations",),
        Evaluation,
        lambda registration_id: Evaluation.objects.filter(registration_id=registration_id),
        registration.pk,
    )
    for evaluation in evaluations:
        evaluation.registration = registration  # as the related manager sets it
    return evaluations


class RegistrationDetailView(generic_views.SubmissionDetailView):
    """The shared review page, with the model's evaluations and, once accepted, commendation."""

    def extra_context_for(self, registration):
        user = self.request.user
        owner = access.is_officer(user) and registration.organization_id == user.organization_id
        evaluations = registration_evaluations(registration)
        done_periods = {e.period for e in evaluations}
        return {
            "evaluations": evaluations,
            "open_periods": [(v, label) for v, label in EvaluationPeriod.choices if v not in done_periods],
            "can_evaluate": (owner or access.is_staff(user)) and registration.status == SubmissionStatus.ACCEPTED,
        }


REGISTRATION_VIEWS = generic_views.kind_views(
    REGISTRATION_PAGES, list=RegistrationListView, create=RegistrationCreateView, detail=RegistrationDetailView
)


class CarryOverView(access.RoleRequiredMixin, TemplateView):
    """“Tiếp tục thực hiện”: carry last year's model over in one action."""

    template_name = "models_danvan/carry_over.html"

    def candidates(self, campaign):
        user = self.request.user
        access.require_writer(user)
        return selectors.carry_over_candidates(
            user, campaign, user.organization_id if access.is_officer(user) else None
        )

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        return super().get_context_data(campaign=campaign, candidates=list(self.candidates(campaign)), **kwargs)

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        previous = get_object_or_404(self.candidates(campaign), pk=request.POST.get("previous") or 0)
        try:
            registration = services.registration_continue(actor=request.user, previous=previous, campaign=campaign)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("models_danvan:carry_over", pk=campaign.pk)
        messages.success(request, "Đã tạo bản đăng ký tiếp tục thực hiện; kiểm tra lại nội dung rồi bấm “Gửi”.")
        return redirect("models_danvan:registration_edit", pk=registration.pk)


class RegistrationOutstandingView(access.RoleRequiredMixin, View):
    allow = "staff"

    def post(self, request, pk):
        registration = get_object_or_404(Registration, pk=pk)
        try:
            services.registration_mark_outstanding(
                actor=request.user,
                registration=registration,
                commended=bool(request.POST.get("commended")),
                replicated=bool(request.POST.get("replicated")),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Đã cập nhật khen thưởng, nhân rộng của mô hình “{registration.name}”.")
        return redirect(registration)


EVALUATION_PAGES = generic_views.SubmissionPages(
    namespace="models_danvan",
    name="evaluation",
    noun="báo cáo đánh giá",
    form_class=EvaluationForm,
    visible=selectors.evaluations_visible_to,
    parent_model=Registration,
    parent_attr="registration",
    parent_visible=selectors.registrations_visible_to,  # an outsider's registration: 404
    # An evaluation belongs to its registration's organisation: the service takes it from there.
    create=lambda *, parent, organization, **fields: services.evaluation_create(registration=parent, **fields),
    update=lambda *, submission, **fields: services.evaluation_update(evaluation=submission, **fields),
    describe=lambda evaluation: f"báo cáo {evaluation.get_period_display().lower()}",
    form_template="models_danvan/evaluation_form.html",
    context_name="evaluation",
)


class EvaluationCreateView(generic_views.SubmissionCreateView):
    """The mid-year or year-end report on an accepted model (`period` in the query string preselects one)."""

    def make_form(self, parent, data=None, files=None):
        return EvaluationForm(
            data, files, initial={"period": self.request.GET.get("period", EvaluationPeriod.MID_YEAR)}
        )


# The assessment (a rating with the acceptance) replaces the shared accept: only create, edit, send and return
# of the generic views serve evaluations, and its page (EvaluationDetailView) shows the assessment form.
EVALUATION_VIEWS = generic_views.kind_views(EVALUATION_PAGES, create=EvaluationCreateView)


class EvaluationDetailView(access.RoleRequiredMixin, TemplateView):
    """The shared review context (generic_views.review_context); staff accept by assessing (a rating)."""

    template_name = "models_danvan/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        evaluation = access.get_visible_or_404(selectors.evaluations_visible_to(user), user, pk=kwargs["pk"])
        urls = {key: EVALUATION_PAGES.urls[key] for key in ("edit", "submit", "return")}
        return super().get_context_data(
            **generic_views.review_context(user, evaluation, urls=urls, staff_edits_sent=True),
            evaluation=evaluation,
            registration=evaluation.registration,
            assess_form=AssessForm(),
            **kwargs,
        )


class EvaluationAssessView(access.RoleRequiredMixin, View):
    allow = "staff"

    def post(self, request, pk):
        evaluation = get_object_or_404(selectors.evaluations_visible_to(request.user), pk=pk)
        form = AssessForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Vui lòng chọn mức đánh giá của Đảng ủy Khối.")
            return redirect(evaluation)
        try:
            assessed = services.evaluation_assess(actor=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            if done := already_done_message(evaluation, "accept", error):
                messages.info(request, done)
            else:
                messages.error(request, error_text(error))
        else:
            owner = assessed.organization.name if assessed.organization_id else "Đảng ủy Khối"
            messages.success(
                request,
                f"Đã ghi nhận đánh giá của Đảng ủy Khối ({assessed.get_committee_rating_display()}) và tiếp nhận "
                f"báo cáo của {owner}.",
            )
        return redirect(evaluation)

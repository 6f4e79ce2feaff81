"""What organisations owe for a “Dân vận khéo” campaign, in the shared deadline mechanism."""

from dukportal.core import links
from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import SubmissionStatus

from .models import Campaign, Evaluation, EvaluationPeriod, Registration

REGISTRATION = "danvan.registration"
MID_YEAR = "danvan.mid_year"
YEAR_END = "danvan.year_end"


def _registrations(deadline):
    return Registration.objects.filter(campaign_id=deadline.source_id)


def _evaluations(period):
    def submissions(deadline):
        return Evaluation.objects.filter(registration__campaign_id=deadline.source_id, period=period)

    return submissions


def _with_accepted_models(deadline, organizations, on):
    """Only organisations with a model of the campaign accepted by `on` (and still counted then) owe its
    mid-year and year-end evaluations."""
    accepted = Registration.objects.filter(
        timeline.counted_q(on),
        timeline.status_on_is(Registration, on, SubmissionStatus.ACCEPTED),
        campaign_id=deadline.source_id,
        organization__isnull=False,
    )
    return organizations.filter(pk__in=accepted.values("organization_id"))


def _campaign_page(deadline) -> str:
    """The officer registers, fixes and evaluates from the campaign's page (their own models are listed there)."""
    return links.url_with_pk("models_danvan:campaign", deadline.source_id)  # reverse() once per process


def register() -> None:
    deadlines.register(
        deadlines.Obligation(
            REGISTRATION, "Đăng ký “Dân vận khéo”", _registrations, order=10, action_url=_campaign_page
        )
    )
    deadlines.register(
        deadlines.Obligation(
            MID_YEAR,
            "Sơ kết 6 tháng",
            _evaluations(EvaluationPeriod.MID_YEAR),
            order=11,
            expected=_with_accepted_models,
            action_url=_campaign_page,
        )
    )
    deadlines.register(
        deadlines.Obligation(
            YEAR_END,
            "Tổng kết năm",
            _evaluations(EvaluationPeriod.YEAR_END),
            order=12,
            expected=_with_accepted_models,
            action_url=_campaign_page,
        )
    )


def sync_campaign_deadlines(campaign: Campaign) -> None:
    year = campaign.year
    deadlines.deadline_sync(
        kind=REGISTRATION,
        source=campaign,
        title=f"Đăng ký mô hình “Dân vận khéo” năm {year}",
        year=year,
        due_date=campaign.registration_deadline,
    )
    deadlines.deadline_sync(
        kind=MID_YEAR,
        source=campaign,
        title=f"Báo cáo sơ kết 6 tháng mô hình “Dân vận khéo” năm {year}",
        year=year,
        due_date=campaign.midyear_deadline,
    )
    deadlines.deadline_sync(
        kind=YEAR_END,
        source=campaign,
        title=f"Báo cáo tổng kết mô hình “Dân vận khéo” năm {year}",
        year=year,
        due_date=campaign.yearend_deadline,
    )

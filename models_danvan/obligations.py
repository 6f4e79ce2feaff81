"""What organisations owe for a “Dân vận khéo” campaign, in the shared deadline mechanism."""

from dukportal.submissions import deadlines
from dukportal.submissions.models import SubmissionStatus

from .models import Campaign, Evaluation, EvaluationPeriod, Registration

REGISTRATION = "danvan.registration"
MID_YEAR = "danvan.mid_year"
YEAR_END = "danvan.year_end"


def _registration_states(deadline, organization_ids):
    rows = Registration.objects.filter(campaign_id=deadline.source_id, organization_id__in=organization_ids)
    return deadlines.states_from_rows(rows.values("organization_id", "status", "submitted_at"))


def _evaluation_states(period):
    def states(deadline, organization_ids):
        rows = Evaluation.objects.filter(
            registration__campaign_id=deadline.source_id, period=period, organization_id__in=organization_ids
        )
        return deadlines.states_from_rows(rows.values("organization_id", "status", "submitted_at"))

    return states


def _with_accepted_models(deadline, organizations):
    """Only organisations with a model accepted in the campaign owe its mid-year and year-end evaluations."""
    accepted = Registration.objects.filter(
        campaign_id=deadline.source_id, status=SubmissionStatus.ACCEPTED, organization__isnull=False
    )
    return organizations.filter(pk__in=accepted.values("organization_id"))


def register() -> None:
    deadlines.register(deadlines.Obligation(REGISTRATION, "Đăng ký “Dân vận khéo”", _registration_states, order=10))
    deadlines.register(
        deadlines.Obligation(
            MID_YEAR,
            "Sơ kết 6 tháng",
            _evaluation_states(EvaluationPeriod.MID_YEAR),
            order=11,
            expected=_with_accepted_models,
        )
    )
    deadlines.register(
        deadlines.Obligation(
            YEAR_END,
            "Tổng kết năm",
            _evaluation_states(EvaluationPeriod.YEAR_END),
            order=12,
            expected=_with_accepted_models,
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

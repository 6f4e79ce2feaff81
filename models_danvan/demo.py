"""Demo “Dân vận khéo” data for `manage.py seed_demo`: last year's campaign and this year's, played out through
the services on plausible days (organizations.demo_calendar), so every timeline, lateness mark and past-date
figure looks like a real bloc's.

The year the demo calls "this year" is the current one once its plan is out (from 1 April), else the year before.
A year goes like this (cut at the moment the seed runs, so a demo seeded in June shows a year in progress):
- the plan (25/3) opens the campaign; registrations are due 15/5, mid-year evaluations 15/7, year-end 15/12;
- this year 30 organisations send by the deadline (most in its last fortnight) and 3 late, after it; 2 more
  keep a draft they never send; last year 46 on time and 4 late;
- Ban Tuyên giáo reviews on Tuesdays and Fridays: it accepts, or returns with a reason (this year 4, three of
  them resent a few days later and accepted, one still waiting for its revision; last year 3, all resent);
- accepted models get their mid-year and year-end evaluations around those deadlines (a few late, a few never
  sent), assessed on review days; last year's excellent ones are commended after the year-end review;
- the committee registers 2 bloc-level models of its own.

Keyed on the campaign year: once a year's campaign exists, nothing more is created for it."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dukportal.submissions import services as workflow
from dukportal.submissions.models import SubmissionStatus
from organizations import demo_calendar as calendar
from organizations.demo_calendar import HCM, at_work, demo_year, review_moment, while_active
from organizations.models import BaseOrganization, Role, User

from . import services
from .models import Campaign, Category, EvaluationPeriod, Rating, Registration

CAMPAIGNS, REGISTRATIONS = "đợt “Dân vận khéo”", "đăng ký mô hình"  # keys of the printed summary
FIELDS = [
    Category.ECONOMY,
    Category.CULTURE_SOCIETY,
    Category.DEFENCE_SECURITY,
    Category.POLITICAL_SYSTEM,
    Category.EXEMPLAR_COLLECTIVE,
]
FIELD_WEIGHTS = [26, 36, 4, 32, 9]
MODEL_NAMES = {
    Category.ECONOMY: ["Chi bộ giúp hộ nghèo phát triển kinh tế", "Kết nối tiêu thụ nông sản cho bà con thôn bản"],
    Category.CULTURE_SOCIETY: ["Nhà văn hóa sáng, xanh, sạch", "Đoàn viên đồng hành cùng học sinh vùng cao"],
    Category.DEFENCE_SECURITY: ["Cơ quan an toàn, không ma túy", "Tổ tự quản an ninh trật tự khu dân cư"],
    Category.POLITICAL_SYSTEM: ["Cải cách thủ tục hành chính “một cửa”", "Chi bộ sinh hoạt chuyên đề kiểu mẫu"],
    Category.EXEMPLAR_COLLECTIVE: ["Tập thể Phòng Một cửa tận tụy phục vụ nhân dân"],
}
RETURN_REASON = "Đề nghị bổ sung kết quả dự kiến bằng số liệu cụ thể và thời gian sơ kết."
REVISED_RESULTS = (
    "Người dân và người lao động đồng thuận, hài lòng; phấn đấu 100% đảng viên tham gia, sơ kết vào tháng 7, "
    "tổng kết vào tháng 12; mô hình được duy trì, nhân rộng."
)


class YearPlan:
    """How one demo year goes: how many send on time, late, never; which ones are returned."""

    def __init__(self, *, on_time: int, late: int, drafts: int, returned: tuple, not_resent: tuple):
        self.on_time, self.late, self.drafts = on_time, late, drafts
        self.returned, self.not_resent = returned, not_resent  # positions among the senders

    @property
    def organizations(self) -> int:
        return self.on_time + self.late + self.drafts


LAST_YEAR = YearPlan(on_time=46, late=4, drafts=0, returned=(7, 23, 41), not_resent=())
THIS_YEAR = YearPlan(on_time=30, late=3, drafts=2, returned=(4, 12, 21, 28), not_resent=(28,))
MIDYEAR_LATE, MIDYEAR_MISSING = 2, 2  # of the accepted models, sent after 15/7 / never sent
YEAREND_LATE = 3


def _registration_fields(rng: random.Random, category: str, year: int, person: str) -> dict:
    return {
        "category": category,
        "name": f"{rng.choice(MODEL_NAMES[category])} ({year})",
        "aims": "Nâng cao hiệu quả công tác dân vận tại cơ quan, đơn vị và địa bàn kết nghĩa.",
        "content": "Phân công đảng viên phụ trách; phối hợp với đoàn thể; sơ kết, rút kinh nghiệm hằng quý.",
        "expected_results": "Người dân và người lao động đồng thuận, hài lòng; mô hình được duy trì, nhân rộng.",
        "person_in_charge": person,
        "start_date": date(year, 3, 1),
        "end_date": date(year, 12, 31),
    }


def _in_the_day(moment: datetime, *, hours: int) -> datetime:
    return moment + timedelta(hours=hours)


class _Year:
    """The stories of one campaign year; `campaign` is filled in by the first of them."""

    def __init__(self, *, year, plan_number, plan: YearPlan, staff, officers, organizations, previous, rng, created):
        self.year, self.plan_number, self.plan = year, plan_number, plan
        self.staff, self.officers, self.previous, self.rng, self.created = staff, officers, previous, rng, created
        self.organizations = rng.sample(organizations, k=min(plan.organizations, len(organizations)))
        self.campaign = None
        self.accepted = {}  # organisation id → its registration once accepted (what next year continues)

    def stories(self):
        rng, year = self.rng, self.year
        yield self._open()
        senders = self.organizations[: self.plan.on_time + self.plan.late]
        on_time = calendar.days_spread(rng, date(year, 4, 2), date(year, 5, 15), min(self.plan.on_time, len(senders)))
        late = [date(year, 5, 15) + timedelta(days=3 + 4 * n + rng.randint(0, 2)) for n in range(self.plan.late)]
        for position, (organization, day) in enumerate(zip(senders, on_time + late, strict=False)):
            sent = at_work(rng, day, later=day > date(year, 5, 15))
            yield while_active(organization, self._registration(organization, position, sent))
        for organization in self.organizations[len(senders) :]:
            yield while_active(
                organization, self._draft(organization, at_work(rng, date(year, 4, rng.randint(10, 28))))
            )
        yield self._bloc_models(at_work(rng, date(year, 4, 8)))

    def _open(self):
        yield datetime.combine(date(self.year, 3, 25), time(9, 0), tzinfo=HCM)
        self.campaign = services.campaign_save(
            actor=self.staff,
            year=self.year,
            plan_number=self.plan_number,
            plan_date=date(self.year, 3, 25),
            registration_deadline=date(self.year, 5, 15),
            midyear_deadline=date(self.year, 7, 15),
            yearend_deadline=date(self.year, 12, 15),
        )
        self.created[CAMPAIGNS] += 1

    def _officer(self, organization):
        """The organisation's officer; staff act for an organisation left without one (its officer moved on)."""
        return self.officers.get(organization.pk, self.staff)

    def _create(self, organization, officer) -> Registration:
        self.created[REGISTRATIONS] += 1
        previous = self.previous.get(organization.pk)
        if previous is not None:
            return services.registration_continue(actor=officer, previous=previous, campaign=self.campaign)
        category = self.rng.choices(FIELDS, FIELD_WEIGHTS)[0]
        fields = _registration_fields(self.rng, category, self.year, organization.danvan_officer_name or "—")
        return services.registration_create(actor=officer, campaign=self.campaign, organization=organization, **fields)

    def _draft(self, organization, moment):
        yield moment
        self._create(organization, self._officer(organization))

    def _registration(self, organization, position: int, sent: datetime):
        rng, officer, staff = self.rng, self._officer(organization), self.staff
        yield sent - timedelta(days=rng.randint(1, 6))
        registration = self._create(organization, officer)
        yield sent
        registration = workflow.submission_submit(actor=officer, submission=registration)
        reviewed = review_moment(sent)
        if position in self.plan.returned:
            yield reviewed
            registration = workflow.submission_return(actor=staff, submission=registration, comment=RETURN_REASON)
            if position in self.plan.not_resent:
                return
            resent = at_work(rng, reviewed.date() + timedelta(days=rng.randint(2, 5)), later=True)
            yield resent
            registration = services.registration_update(
                actor=officer, registration=registration, expected_results=REVISED_RESULTS
            )
            registration = workflow.submission_submit(actor=officer, submission=registration)
            reviewed = review_moment(resent)
        yield reviewed
        registration = workflow.submission_accept(actor=staff, submission=registration)
        self.accepted[organization.pk] = registration
        yield from self._evaluations(registration, officer, position)

    def _evaluations(self, registration, officer, position: int):
        rng, year = self.rng, self.year
        senders = self.plan.on_time + self.plan.late
        if position >= senders - MIDYEAR_MISSING:
            return  # the last registered never report on their model
        late = position % 11 == 5 and position // 11 < MIDYEAR_LATE
        day = date(year, 7, 18 + rng.randint(0, 6)) if late else date(year, 7, rng.randint(1, 15))
        yield from self._evaluation(registration, officer, EvaluationPeriod.MID_YEAR, at_work(rng, day, later=late))
        late = position % 13 == 2 and position // 13 < YEAREND_LATE
        day = date(year, 12, 17 + rng.randint(0, 5)) if late else date(year, 11, 25) + timedelta(rng.randint(0, 20))
        rating = rng.choice([Rating.EXCELLENT, Rating.GOOD, Rating.GOOD, Rating.FAIR])
        assessed = yield from self._evaluation(
            registration, officer, EvaluationPeriod.YEAR_END, at_work(rng, day, later=late), rating=rating
        )
        if rating == Rating.EXCELLENT:
            replicated = rng.random() < 0.5
            yield _in_the_day(assessed, hours=1)
            services.registration_mark_outstanding(
                actor=self.staff, registration=registration, commended=True, replicated=replicated
            )

    def _evaluation(self, registration, officer, period, sent: datetime, *, rating=Rating.GOOD):
        yield _in_the_day(sent, hours=-1)
        evaluation = services.evaluation_create(
            actor=officer,
            registration=registration,
            period=period,
            results="Mô hình triển khai đúng kế hoạch, được cán bộ, nhân dân đồng tình hưởng ứng.",
            figures="12 buổi ra quân; 350 lượt người tham gia; 45 triệu đồng vận động.",
            self_rating=rating,
        )
        yield sent
        evaluation = workflow.submission_submit(actor=officer, submission=evaluation)
        assessed = review_moment(sent)
        yield assessed
        services.evaluation_assess(actor=self.staff, evaluation=evaluation, committee_rating=rating)
        return assessed

    def _bloc_models(self, moment):
        """The committee's own models (bloc level), registered by Ban Tuyên giáo itself."""
        yield moment
        for category in (Category.POLITICAL_SYSTEM, Category.CULTURE_SOCIETY):
            fields = _registration_fields(self.rng, category, self.year, "Ban Tuyên giáo Đảng ủy Khối")
            registration = services.registration_create(actor=self.staff, campaign=self.campaign, **fields)
            registration = workflow.submission_submit(actor=self.staff, submission=registration)
            self.created[REGISTRATIONS] += 1
        yield review_moment(moment)
        for registration in Registration.objects.filter(
            campaign=self.campaign, organization=None, status=SubmissionStatus.SUBMITTED
        ):
            workflow.submission_accept(actor=self.staff, submission=registration)


def _continued_from_db(year: int) -> dict:
    """Last year's accepted base-level models by organisation, when last year was seeded on an earlier run."""
    return {
        r.organization_id: r
        for r in Registration.objects.filter(
            campaign__year=year, organization__isnull=False, status=SubmissionStatus.ACCEPTED
        ).select_related("campaign")
    }


def seed(*, today: date) -> dict[str, int]:
    """Play out last year's and this year's campaigns if they do not exist yet, up to now (or the end of `today`
    if that is earlier). Returns {Vietnamese label: number created}."""
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    officers = {u.organization_id: u for u in User.objects.filter(role=Role.OFFICER, is_active=True)}
    this_year = demo_year(today)
    last_year = this_year - 1
    # Organisations of the demo years: those active when this year's registrations are due; one that ends later
    # (dissolved, merged) sends nothing after its end date.
    organizations = list(BaseOrganization.objects.active_on(date(this_year, 5, 15)).order_by("code"))
    created = {CAMPAIGNS: 0, REGISTRATIONS: 0}
    if staff is None or not organizations:
        return created
    now = min(timezone.now(), datetime.combine(today + timedelta(days=1), time.min, tzinfo=HCM))
    common = {"staff": staff, "officers": officers, "organizations": organizations, "created": created}
    years = []
    previous_year = None
    if not Campaign.objects.filter(year=last_year).exists():
        previous_year = _Year(
            year=last_year,
            plan_number="198-KH/ĐUK",
            plan=LAST_YEAR,
            previous={},
            rng=random.Random(last_year),
            **common,
        )
        years.append(previous_year)
    if not Campaign.objects.filter(year=this_year).exists():
        # Last year's accepted models are continued; played before this year starts, so the dict is full by then.
        previous = previous_year.accepted if previous_year else _continued_from_db(last_year)
        years.append(
            _Year(
                year=this_year,
                plan_number="252-KH/ĐUK",
                plan=THIS_YEAR,
                previous=previous,
                rng=random.Random(this_year),
                **common,
            )
        )
    calendar.play([story for year in years for story in year.stories()], now)
    return created

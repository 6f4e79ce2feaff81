"""Demo “Dân vận khéo” data for `manage.py seed_demo`: last year's campaign, evaluated and with commended models,
and this year's, with about 30 of the organisations registered (some models continued, some new, one returned).

Everything is written through the services, as users would, so timelines, revisions, audit rows and deadlines
exist too. Keyed on the campaign year: a second run creates nothing."""

import random
from datetime import date

from dukportal.submissions import services as workflow
from organizations.models import BaseOrganization, Role, User

from . import services
from .models import Campaign, Category, EvaluationPeriod, Rating

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


def _campaign(staff, year: int, plan_number: str) -> Campaign:
    return services.campaign_save(
        actor=staff,
        year=year,
        plan_number=plan_number,
        plan_date=date(year, 3, 25),
        registration_deadline=date(year, 5, 15),
        midyear_deadline=date(year, 7, 15),
        yearend_deadline=date(year, 12, 15),
    )


def _register(rng, campaign, organization, officer, staff, *, previous=None):
    if previous is not None:
        registration = services.registration_continue(actor=officer, previous=previous, campaign=campaign)
    else:
        category = rng.choices(FIELDS, FIELD_WEIGHTS)[0]
        fields = _registration_fields(rng, category, campaign.year, organization.danvan_officer_name or "—")
        registration = services.registration_create(
            actor=officer, campaign=campaign, organization=organization, **fields
        )
    return workflow.submission_submit(actor=officer, submission=registration)


def _evaluate(registration, officer, staff, period, rating):
    evaluation = services.evaluation_create(
        actor=officer,
        registration=registration,
        period=period,
        results="Mô hình triển khai đúng kế hoạch, được cán bộ, nhân dân đồng tình hưởng ứng.",
        figures="12 buổi ra quân; 350 lượt người tham gia; 45 triệu đồng vận động.",
        self_rating=rating,
    )
    evaluation = workflow.submission_submit(actor=officer, submission=evaluation)
    return services.evaluation_assess(actor=staff, evaluation=evaluation, committee_rating=rating)


def seed(*, today: date) -> dict[str, int]:
    """Create last year's and this year's campaigns if they do not exist yet. Returns {Vietnamese label: number created}."""
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    officers = {u.organization_id: u for u in User.objects.filter(role=Role.OFFICER, is_active=True)}
    organizations = [o for o in BaseOrganization.objects.active_on(today).order_by("code") if o.pk in officers]
    created = {CAMPAIGNS: 0, REGISTRATIONS: 0}
    if staff is None or not organizations:
        return created
    rng = random.Random(today.year)
    last_year, this_year = today.year - 1, today.year

    previous = {}
    if not Campaign.objects.filter(year=last_year).exists():
        campaign = _campaign(staff, last_year, "198-KH/ĐUK")
        created[CAMPAIGNS] += 1
        for organization in rng.sample(organizations, k=min(50, len(organizations))):
            officer = officers[organization.pk]
            registration = workflow.submission_accept(
                actor=staff, submission=_register(rng, campaign, organization, officer, staff)
            )
            created[REGISTRATIONS] += 1
            _evaluate(registration, officer, staff, EvaluationPeriod.MID_YEAR, Rating.GOOD)
            rating = rng.choice([Rating.EXCELLENT, Rating.GOOD, Rating.GOOD, Rating.FAIR])
            _evaluate(registration, officer, staff, EvaluationPeriod.YEAR_END, rating)
            if rating == Rating.EXCELLENT:
                services.registration_mark_outstanding(
                    actor=staff, registration=registration, commended=True, replicated=rng.random() < 0.5
                )
            previous[organization.pk] = registration

    if not Campaign.objects.filter(year=this_year).exists():
        campaign = _campaign(staff, this_year, "252-KH/ĐUK")
        created[CAMPAIGNS] += 1
        for index, organization in enumerate(rng.sample(organizations, k=min(30, len(organizations)))):
            officer = officers[organization.pk]
            registration = _register(
                rng, campaign, organization, officer, staff, previous=previous.get(organization.pk)
            )
            created[REGISTRATIONS] += 1
            if index % 10 == 9:
                workflow.submission_return(
                    actor=staff,
                    submission=registration,
                    comment="Đề nghị bổ sung kết quả dự kiến bằng số liệu cụ thể và thời gian sơ kết.",
                )
            elif index % 3 == 0:
                workflow.submission_accept(actor=staff, submission=registration)
        for category in (Category.POLITICAL_SYSTEM, Category.CULTURE_SOCIETY):  # the committee's own models
            fields = _registration_fields(rng, category, this_year, "Ban Tuyên giáo Đảng ủy Khối")
            registration = services.registration_create(actor=staff, campaign=campaign, **fields)
            workflow.submission_accept(
                actor=staff, submission=workflow.submission_submit(actor=staff, submission=registration)
            )
            created[REGISTRATIONS] += 1
    return created

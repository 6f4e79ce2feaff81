"""Factories and scenarios for official documents."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory

from dukportal.submissions.models import SubmissionStatus
from models_danvan import obligations
from models_danvan.models import Category, Level, Origin, Registration
from organizations.models import Bloc
from reports.models import IssuerKind, IssuingBody, Term
from tests.factories import BlocFactory, CampaignFactory, OrganizationFactory
from tests.timeline import complete_timelines

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


class IssuingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssuingBody

    bloc = factory.LazyFunction(lambda: Bloc.objects.first() or BlocFactory())
    kind = IssuerKind.COMMITTEE
    name = "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    signer_authority = "T/M BAN THƯỜNG VỤ"
    signer_title = "PHÓ BÍ THƯ"
    signer_name = "Nguyễn Văn An"
    contact_name = "Nguyễn Đức Phương"
    contact_title = "Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Đảng ủy Khối"
    contact_phone = "0915.367.487"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    bloc = factory.LazyFunction(lambda: Bloc.objects.first() or BlocFactory())
    name = "Nhiệm kỳ 2020 – 2025"
    start_date = date(2020, 10, 1)
    end_date = date(2025, 9, 30)


def danvan_scenario(*, staff, organizations=74, registered=30, bloc_level=2, base_level=131, continued=73):
    """The situation of dispatch 1720-CV/ĐUK: 74 organisations, 30 of them have sent 131 base-level models,
    plus 2 bloc-level ones; `continued` of the 131 base-level models continue last year's, the rest (and the
    bloc-level ones) are new, as the dispatch counts them: 73 continued and 58 new. Drafts of
    other organisations do not count."""
    campaign = CampaignFactory(year=2024, created_by=staff, plan_date=date(2024, 3, 25))
    obligations.sync_campaign_deadlines(campaign)
    orgs = OrganizationFactory.create_batch(organizations)
    rows = []
    categories = Category.fields()
    for i in range(base_level):
        rows.append((orgs[i % registered], Level.BASE, categories[i % len(categories)]))
    rows += [(None, Level.BLOC, Category.POLITICAL_SYSTEM)] * bloc_level
    registrations = []
    for index, (org, level, category) in enumerate(rows):
        registrations.append(
            Registration(
                campaign=campaign,
                organization=org,
                level=level,
                category=category,
                origin=Origin.CONTINUED if level == Level.BASE and index >= base_level - continued else Origin.NEW,
                name=f"Mô hình “Dân vận khéo” số {index + 1}",
                person_in_charge="Nguyễn Văn An",
                start_date=date(2024, 1, 1),
                end_date=date(2024, 12, 31),
                status=SubmissionStatus.SUBMITTED,
                submitted_at=datetime(2024, 5, 10, 9, tzinfo=HCM),  # before 15/5/2024, the dispatch's date
                commended=index < 3,
                created_by=staff,
            )
        )
    # A draft of an organisation that has sent nothing: it stays on the missing list.
    registrations.append(
        Registration(
            campaign=campaign,
            organization=orgs[-1],
            level=Level.BASE,
            category=Category.ECONOMY,
            name="Bản nháp chưa gửi",
            person_in_charge="Trần Thị Bình",
            start_date=date(2024, 1, 1),
            end_date=date(2024, 12, 31),
            status=SubmissionStatus.DRAFT,
            created_by=staff,
        )
    )
    Registration.objects.bulk_create(registrations)
    complete_timelines()
    return campaign, orgs


INSPECTED_UNITS = (
    "Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
    "Cục Thống kê tỉnh Yên Bái",
    "Trường Cao đẳng Yên Bái",
)


def dispatch_1720_scenario(*, staff, organizations=74):
    """The situation of dispatch 1720-CV/ĐUK on 15/5/2024: the “Dân vận khéo” registrations of
    danvan_scenario (30/74, 133 models) due 15/5; a QCDC cycle (253-KH/ĐUK) whose plans are due 15/5 and
    40/74 sent by 10/5; self-inspection reports due 25/10; the three units of INSPECTED_UNITS chosen for a
    direct visit, their report due 01/9 covering 01/10/2023 – 30/9/2024. Another number of `organizations`
    keeps the proportions (bench/documents.py drafts it for 1,000)."""
    from organizations import services as organization_services
    from tests.democracy_regs.factories import PlanFactory, open_cycle

    CampaignFactory(year=2024, created_by=staff, plan_date=date(2024, 3, 25), registration_deadline=date(2024, 5, 15))
    n = organizations
    campaign, orgs = danvan_scenario(
        staff=staff,
        organizations=n,
        registered=round(30 * n / 74),
        base_level=round(131 * n / 74),
        continued=round(73 * n / 74),
    )
    # The inspected units are among the 74 (their own names, in Vietnamese order, after everyone else's).
    for org, name in zip(orgs[-3:], INSPECTED_UNITS, strict=True):
        org.name = name
        organization_services.refresh_keys(org)
        org.save()
    cycle = open_cycle(staff, inspected=orgs[-3:])
    for org in orgs[: round(40 * n / 74)]:
        PlanFactory(cycle=cycle, organization=org, submitted_at=datetime(2024, 5, 10, 9, tzinfo=HCM))
    return campaign, cycle, orgs

"""A bloc's year built day by day through the services, with the clock set to each day (time_machine), in the
shape of dispatch 1720-CV/ĐUK: 74 base organisations; by 15/5/2024, 30 had registered 133 “Dân vận khéo” models
(02 bloc-level, 131 base-level; 73 continued from 2023, 58 new) and 40 had sent their QCDC plan. After that day
more arrive, one model is withdrawn, and the tree changes (tests add a merge, a dissolution and transfers)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from democracy_regs import services as qcdc
from dukportal.submissions import services as workflow
from models_danvan import services as danvan
from models_danvan.models import Campaign, Category, Origin, Registration
from tests.factories import CampaignFactory, MemberFactory
from tests.models_danvan.factories import YEN_BAI_SECTORS, make_organizations, registration
from tests.timeline import complete_timelines

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIELDS = Category.fields()

REGISTRATION_DUE = date(2024, 5, 10)
PLAN_DUE = date(2024, 5, 15)
DISPATCH_DAY = date(2024, 5, 15)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


@dataclass
class Year:
    staff: object
    organizations: list
    campaign: Campaign
    cycle: object
    late_registrants: list = field(default_factory=list)
    returned_registration: Registration | None = None
    withdrawn_registration: Registration | None = None


def _new(staff, campaign, organization, index: int) -> Registration:
    return danvan.registration_create(
        actor=staff,
        campaign=campaign,
        organization=organization,
        category=FIELDS[index % len(FIELDS)],
        origin=Origin.NEW,
        name=f"Mô hình mới {index + 1} của {organization.code if organization else 'Đảng ủy Khối'}",
        person_in_charge="Nguyễn Văn An",
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
    )


def _send(staff, items, moment: datetime):
    with time_machine.travel(moment, tick=False):
        return [workflow.submission_submit(actor=staff, submission=item) for item in items]


def _last_year(staff, organizations) -> list[Registration]:
    """2023: the 73 models that 2024 continues (accepted, sent in April 2023), 2-3 for each of the 30."""
    previous = CampaignFactory(year=2023, created_by=staff)
    rows = [
        registration(
            previous, organizations[i % 30], FIELDS[i % len(FIELDS)], status="accepted", name=f"Mô hình 2023 số {i + 1}"
        )
        for i in range(73)
    ]
    created = Registration.objects.bulk_create(rows)
    complete_timelines()
    return created


def build_1720_year(staff) -> Year:
    """Registrations and QCDC plans of spring 2024, day by day."""
    organizations = make_organizations(YEN_BAI_SECTORS, valid_from=date(2020, 1, 1))
    for organization in organizations:  # three members each, since 2020
        MemberFactory.create_batch(3, organization=organization, joined_on=date(2020, 1, 1))
    last_year = _last_year(staff, organizations)
    with time_machine.travel(at(date(2024, 3, 25)), tick=False):
        campaign = danvan.campaign_save(
            actor=staff,
            year=2024,
            plan_number="252-KH/ĐUK",
            plan_date=date(2024, 3, 25),
            registration_deadline=REGISTRATION_DUE,
            midyear_deadline=date(2024, 6, 30),
            yearend_deadline=date(2024, 11, 30),
        )
        cycle = qcdc.cycle_save(
            actor=staff,
            year=2024,
            bloc_plan_number="253-KH/ĐUK",
            bloc_plan_date=date(2024, 3, 25),
            plan_deadline=PLAN_DUE,
            committee_deadline=PLAN_DUE,
            self_inspection_deadline=date(2024, 10, 25),
            committee_min_members=3,
        )
    year = Year(staff=staff, organizations=organizations, campaign=campaign, cycle=cycle)

    # Each of the first 30 organisations registers its models on one day: 73 continued from 2023 + 58 new = 131.
    # Organisations 1-25 send on time (15/4 … 9/5), 26-30 after the 10/5 deadline (11/5 … 15/5, the last at
    # 22:30 on the 15th).
    new_total = 0
    by_organization: dict[int, list] = {i: [] for i in range(30)}
    for index, previous in enumerate(last_year):
        by_organization[index % 30].append(previous)
    for i in range(30):
        organization = organizations[i]
        day = date(2024, 4, 15 + i) if i < 16 else date(2024, 5, i - 15)  # 15/4 … 30/4, then 1/5 …
        if i >= 25:
            day = date(2024, 5, 11 + (i - 25))
        with time_machine.travel(at(day, 8), tick=False):
            items = [
                danvan.registration_continue(actor=staff, previous=p, campaign=campaign) for p in by_organization[i]
            ]
            news = 2 if i < 28 else 1  # 28 × 2 + 2 × 1 = 58
            items += [_new(staff, campaign, organization, new_total + k) for k in range(news)]
            new_total += news
        hour, minute = (22, 30) if i == 29 else (9, 0)
        sent = _send(staff, items, at(day, hour, minute))
        if i >= 25:
            year.late_registrants.append(organization)
        if i == 2:
            year.returned_registration = sent[0]
        if i == 0:
            year.withdrawn_registration = sent[-1]
    # The committee's own two bloc-level models, sent on 20/4.
    with time_machine.travel(at(date(2024, 4, 20), 8), tick=False):
        bloc_level = [_new(staff, campaign, None, 100 + k) for k in range(2)]
    _send(staff, bloc_level, at(date(2024, 4, 20)))
    # One registration is returned on 12/5 and sent again on 14/5: it never stops counting.
    with time_machine.travel(at(date(2024, 5, 12)), tick=False):
        returned = workflow.submission_return(
            actor=staff, submission=year.returned_registration, comment="Bổ sung địa bàn"
        )
    _send(staff, [returned], at(date(2024, 5, 14)))
    # Organisation 31 keeps a draft it never sends before the dispatch.
    with time_machine.travel(at(date(2024, 5, 2)), tick=False):
        late_draft = _new(staff, campaign, organizations[30], 200)

    # QCDC plans: 40 organisations by 15/5 (the 40th at 21:00 that day), one returned and resent; 8 more later.
    for i in range(48):
        day = (
            date(2024, 4, 20) + (date(2024, 5, 15) - date(2024, 4, 20)) * i // 39
            if i < 40
            else date(2024, 5, 16 + i - 40)
        )
        hour = 21 if i == 39 else 10
        organization = organizations[i]
        with time_machine.travel(at(day, 8), tick=False):
            plan = qcdc.plan_create(
                actor=staff,
                cycle=cycle,
                organization=organization,
                number=f"{i + 1:02d}-KH/ĐU",
                issued_on=day,
                summary="Kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm 2024",
                officer_in_charge="Trần Thị Bình",
            )
            workflow.attachment_add(actor=staff, submission=plan, uploaded=SimpleUploadedFile("ke-hoach.pdf", PDF))
        with time_machine.travel(at(day, hour), tick=False):
            plan = qcdc.plan_submit(actor=staff, submission=plan)
        if i == 5:
            with time_machine.travel(at(date(2024, 5, 13)), tick=False):
                plan = workflow.submission_return(actor=staff, submission=plan, comment="Thiếu chữ ký")
            with time_machine.travel(at(date(2024, 5, 20)), tick=False):
                qcdc.plan_submit(actor=staff, submission=plan)

    # After the dispatch's day: 10 more organisations register one model each (16/5 … 25/5), organisation 31
    # sends its draft on 20/5, and organisation 1 withdraws one model on 1/6.
    for i in range(31, 40):
        day = date(2024, 5, 16 + (i - 31))
        with time_machine.travel(at(day, 8), tick=False):
            item = _new(staff, campaign, organizations[i], 300 + i)
        _send(staff, [item], at(day))
    _send(staff, [late_draft], at(date(2024, 5, 20)))
    with time_machine.travel(at(date(2024, 6, 1)), tick=False):
        workflow.submission_withdraw(actor=staff, submission=year.withdrawn_registration, comment="Đăng ký trùng")
    return year


def reorganise_summer(year: Year) -> dict:
    """After the spring: on 1/7/2024 CS073 and CS074 merge into
    a new organisation (their members move) and two members move from CS010 to CS011; from 1/10/2024 CS072 is
    dissolved. Returns the organisations involved by role."""
    from organizations import reorganization
    from organizations import services as organizations

    by_code = {o.code: o for o in year.organizations}
    with time_machine.travel(at(date(2024, 7, 1)), tick=False):
        merged = reorganization.organizations_merge(
            actor=year.staff,
            predecessors=[by_code["CS073"], by_code["CS074"]],
            effective_on=date(2024, 7, 1),
            new_organization={
                "code": "CS075",
                "name": "Đảng bộ hợp nhất số 075",
                "kind": "committee",
                "sector": "enterprise",
            },
        )
        movers = list(by_code["CS010"].members.order_by("pk")[:2])
        organizations.member_transfer_many(
            actor=year.staff, members=movers, organization=by_code["CS011"], on=date(2024, 7, 1)
        )
    with time_machine.travel(at(date(2024, 10, 1)), tick=False):
        reorganization.organization_dissolve(
            actor=year.staff,
            organization=by_code["CS072"],
            effective_on=date(2024, 10, 1),
            reason="Giải thể theo quyết định",
        )
    return {"merged": merged, "dissolved": by_code["CS072"], "absorbed": [by_code["CS073"], by_code["CS074"]]}

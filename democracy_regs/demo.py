"""Demo rows for grassroots democracy, found by `manage.py seed_demo`: a cycle shaped like the one of dispatch
1720-CV/ĐUK (plan 253-KH/ĐUK, three units chosen for the inspection visit, 40 of 74 plans sent by mid-May),
steering committees with their members, and a few bright spots.

The year is the current one once its plans are due (mid-May), else the year before, so every date shown lies
in the past. Rows are written directly, with their timeline, because sending a plan through the services needs
a signed file on disk. Keyed on the cycle's year: once that cycle exists, nothing more is created."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from dukportal.submissions.models import EventAction, SubmissionEvent, SubmissionStatus
from organizations.models import BaseOrganization, Role, User
from organizations.names import vietnamese_full_name

from . import obligations
from .models import (
    BrightSpot,
    BrightSpotKind,
    CommitteeRole,
    DemocracyCycle,
    DemocracyPlan,
    SteeringCommittee,
    SteeringCommitteeMembership,
)

CYCLES, SUBMISSIONS = "đợt thực hiện Quy chế dân chủ", "hồ sơ dân chủ cơ sở"  # keys of the printed summary
INSPECTED_UNITS = [
    "Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
    "Cục Thống kê tỉnh Yên Bái",
    "Trường Cao đẳng Yên Bái",
]
PLANS_SENT = 40
COMMITTEES_SENT = 32
BRIGHT_SPOTS = [
    (BrightSpotKind.DEMOCRACY, "Hội nghị đối thoại định kỳ giữa thủ trưởng và người lao động"),
    (BrightSpotKind.DEMOCRACY, "Công khai tài chính, tuyển dụng trên bảng tin điện tử nội bộ"),
    (BrightSpotKind.DEMOCRACY, "Hòm thư góp ý và giải đáp ý kiến người lao động hằng tháng"),
    (BrightSpotKind.GOVERNMENT, "Tiếp nhận hồ sơ “không chờ đợi” tại bộ phận một cửa"),
    (BrightSpotKind.GOVERNMENT, "Cán bộ hướng dẫn nộp hồ sơ trực tuyến tại nhà cho người cao tuổi"),
]
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _sent_at(rng: random.Random, first: date, last: date) -> datetime:
    day = date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=HCM)


def _events(submission, staff, accepted: bool) -> list[tuple[SubmissionEvent, datetime]]:
    """The timeline rows of a demo submission, each with the time it should show."""
    target = {
        "content_type": ContentType.objects.get_for_model(submission),
        "object_id": submission.pk,
        "organization_id": submission.organization_id,
    }
    sent = SubmissionEvent(**target, action=EventAction.SUBMITTED, to_status="submitted", actor=submission.created_by)
    events = [(sent, submission.submitted_at)]
    if accepted:
        accept = SubmissionEvent(
            **target, action=EventAction.ACCEPTED, from_status="submitted", to_status="accepted", actor=staff
        )
        events.append((accept, submission.decided_at))
    return events


def seed(*, today: date) -> dict[str, int]:
    """Create the demo cycle if it does not exist yet. Returns {Vietnamese label: number created}."""
    year = today.year if today >= date(today.year, 5, 15) else today.year - 1
    created = {CYCLES: 0, SUBMISSIONS: 0}
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    organizations = list(BaseOrganization.objects.active_on(date(year, 4, 30)).order_by("code"))
    if staff is None or not organizations or DemocracyCycle.objects.filter(year=year).exists():
        return created
    rng = random.Random(year)
    inspected = [org for org in organizations if any(org.name.endswith(unit) for unit in INSPECTED_UNITS)]
    cycle = DemocracyCycle.objects.create(
        year=year,
        bloc_plan_number="253-KH/ĐUK",
        bloc_plan_date=date(year, 3, 25),
        plan_deadline=date(year, 4, 30),
        committee_deadline=date(year, 4, 30),
        self_inspection_deadline=date(year, 10, 25),
        inspection_deadline=date(year, 9, 1),
        review_start=date(year - 1, 10, 1),
        review_end=date(year, 9, 30),
        created_by=staff,
    )
    cycle.inspected_organizations.set(inspected)
    obligations.sync_cycle_deadlines(cycle)

    officers = {user.organization_id: user for user in User.objects.filter(organization__in=organizations)}
    events = []
    senders = rng.sample(organizations, min(PLANS_SENT, len(organizations)))
    for number, org in enumerate(sorted(senders, key=lambda o: o.code), start=1):
        accepted = rng.random() < 0.6
        submitted_at = _sent_at(rng, date(year, 4, 1), date(year, 5, 14))
        plan = DemocracyPlan.objects.create(
            cycle=cycle,
            organization=org,
            number=f"{rng.randint(1, 30):02d}-KH/{'ĐU' if org.has_cells else 'CB'}",
            issued_on=date(year, 4, rng.randint(1, 20)),
            summary="Xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024: công khai, bàn bạc, kiểm tra, giám sát.",
            officer_in_charge=org.danvan_officer_name,
            officer_position="Phó Bí thư",
            officer_phone=org.phone,
            status=SubmissionStatus.ACCEPTED if accepted else SubmissionStatus.SUBMITTED,
            submitted_at=submitted_at,
            decided_at=submitted_at + timedelta(days=2) if accepted else None,
            revision=1,
            created_by=officers.get(org.pk, staff),
        )
        events += _events(plan, staff, accepted)
        if number > COMMITTEES_SENT:
            continue
        joined = date(year, 3, rng.randint(1, 28))
        seats = [
            (org.secretary_name, "Bí thư", CommitteeRole.HEAD),
            (vietnamese_full_name(rng), "Thủ trưởng cơ quan", CommitteeRole.DEPUTY),
            (vietnamese_full_name(rng), "Chủ tịch Công đoàn", CommitteeRole.MEMBER),
            (vietnamese_full_name(rng), "Bí thư Chi đoàn", CommitteeRole.MEMBER),
        ]
        SteeringCommitteeMembership.objects.bulk_create(
            SteeringCommitteeMembership(
                organization=org, full_name=name, position=position, role=role, joined_on=joined, created_by=staff
            )
            for name, position, role in seats
        )
        committee = SteeringCommittee.objects.create(
            cycle=cycle,
            organization=org,
            decision_number=f"{rng.randint(1, 40):02d}-QĐ/{'ĐU' if org.has_cells else 'CB'}",
            decision_date=joined,
            roster=[{"full_name": n, "position": p, "role": r, "joined_on": joined.isoformat()} for n, p, r in seats],
            status=SubmissionStatus.SUBMITTED,
            submitted_at=_sent_at(rng, date(year, 4, 1), date(year, 5, 14)),
            revision=1,
            created_by=officers.get(org.pk, staff),
        )
        events += _events(committee, staff, accepted=False)
    for (kind, title), org in zip(
        BRIGHT_SPOTS, rng.sample(senders, min(len(senders), len(BRIGHT_SPOTS))), strict=False
    ):
        spot = BrightSpot.objects.create(
            cycle=cycle,
            organization=org,
            kind=kind,
            title=title,
            description="Cách làm được người lao động đồng tình, có thể nhân rộng.",
            status=SubmissionStatus.SUBMITTED,
            submitted_at=_sent_at(rng, date(year, 4, 15), date(year, 5, 14)),
            revision=1,
            created_by=officers.get(org.pk, staff),
        )
        events += _events(spot, staff, accepted=False)
    SubmissionEvent.objects.bulk_create(event for event, _ in events)
    # `at` is stamped on insert; date the demo timeline like the submissions themselves.
    for event, at in events:
        SubmissionEvent.objects.filter(pk=event.pk).update(at=at)
    created[CYCLES] = 1
    created[SUBMISSIONS] = len(senders) + min(COMMITTEES_SENT, len(senders)) + min(len(senders), len(BRIGHT_SPOTS))
    return created

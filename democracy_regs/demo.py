"""Demo rows for grassroots democracy, found by `manage.py seed_demo`: a cycle shaped like the one of dispatch
1720-CV/ĐUK (plan 253-KH/ĐUK of 25/3, three units chosen for the inspection visit, 40 of 74 plans sent by
mid-May), steering committees with their members, self-inspection reports and a few bright spots, each with a
timeline on plausible days (the organizations.demo_calendar review days):
- plans are due 30/4: 34 arrive over April (most in its last fortnight), 6 late before 15/5 (so 40/74 by then,
  as in the dispatch) and 8 more after the dispatch, into June; 4 are returned for their signed file and resent
  a few days later; the others are accepted on review days;
- steering committees, due 30/4 too: 28 on time, 4 late before 15/5, 6 more in June;
- the three inspected units send their report for the visit over late August (due 1/9), one of them late;
- self-inspection reports are due 25/10: 60 of the other units send over October, 5 of them late, 3 returned
  and resent.

The year is the current one once its plan is out (from 1 April), else the year before. History is cut at the
moment the seed runs, so a demo seeded in June shows plans and committees but no reports yet. Rows are written
directly with their timeline (the events carry their own moments) because sending a plan or report through the
services needs a signed file on disk. Keyed on the cycle's year: once that cycle exists, nothing more is created."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dukportal.submissions import timeline
from dukportal.submissions.models import EventAction, SubmissionEvent, SubmissionStatus
from organizations.demo_calendar import HCM, at_work, days_spread, demo_year, review_moment, working_day
from organizations.models import BaseOrganization, Role, User
from organizations.names import vietnamese_full_name

from . import obligations
from .models import (
    BrightSpot,
    BrightSpotKind,
    CommitteeRole,
    DemocracyCycle,
    DemocracyPlan,
    InspectionReportKind,
    SelfInspectionReport,
    SteeringCommittee,
    SteeringCommitteeMembership,
)

CYCLES, SUBMISSIONS = "đợt thực hiện Quy chế dân chủ", "hồ sơ dân chủ cơ sở"  # keys of the printed summary
INSPECTED_UNITS = [
    "Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
    "Cục Thống kê tỉnh Yên Bái",
    "Trường Cao đẳng Yên Bái",
]
# (on time, late before 15/5, late after it): plans 40 by mid-May as in dispatch 1720-CV/ĐUK.
PLANS = (34, 6, 8)
COMMITTEES = (28, 4, 6)
REPORTS = (55, 5)  # self-inspection reports: on time, late
PLAN_RETURNS, REPORT_RETURNS = (3, 11, 19, 27), (6, 30, 48)  # positions among the senders
STILL_WAITING = 2  # the last plans and reports to arrive are not reviewed yet
BRIGHT_SPOTS = [
    (BrightSpotKind.DEMOCRACY, "Hội nghị đối thoại định kỳ giữa thủ trưởng và người lao động"),
    (BrightSpotKind.DEMOCRACY, "Công khai tài chính, tuyển dụng trên bảng tin điện tử nội bộ"),
    (BrightSpotKind.DEMOCRACY, "Hòm thư góp ý và giải đáp ý kiến người lao động hằng tháng"),
    (BrightSpotKind.GOVERNMENT, "Tiếp nhận hồ sơ “không chờ đợi” tại bộ phận một cửa"),
    (BrightSpotKind.GOVERNMENT, "Cán bộ hướng dẫn nộp hồ sơ trực tuyến tại nhà cho người cao tuổi"),
]
PLAN_RETURN_REASON = "Đề nghị gửi lại bản kế hoạch có chữ ký, đóng dấu và bổ sung cán bộ phụ trách."
REPORT_RETURN_REASON = "Đề nghị bổ sung phần tồn tại, hạn chế và số liệu về hội nghị đối thoại."


@dataclass
class _Story:
    """The steps of one demo submission: (moment, action, status after, actor, comment), in time order."""

    created: datetime
    steps: list = field(default_factory=list)

    def send(self, moment, actor):
        resent = any(step[1] == EventAction.RETURNED for step in self.steps)
        action = EventAction.RESUBMITTED if resent else EventAction.SUBMITTED
        self.steps.append((moment, action, SubmissionStatus.SUBMITTED, actor, ""))
        return self

    def returned(self, moment, actor, reason):
        self.steps.append((moment, EventAction.RETURNED, SubmissionStatus.RETURNED, actor, reason))
        return self

    def accept(self, moment, actor):
        self.steps.append((moment, EventAction.ACCEPTED, SubmissionStatus.ACCEPTED, actor, ""))
        return self

    def until(self, now, organization):
        """The story as it stands at `now`: the steps that have happened, and the row's fields they imply. An
        organisation sends nothing after its end date (dissolved, merged)."""
        steps = []
        for step in self.steps:
            if step[0] > now or not organization.is_active_on(step[0].astimezone(HCM).date()):
                break
            steps.append(step)
        sends = [step[0] for step in steps if step[1] in (EventAction.SUBMITTED, EventAction.RESUBMITTED)]
        decisions = [step[0] for step in steps if step[1] in (EventAction.RETURNED, EventAction.ACCEPTED)]
        fields = {
            "status": steps[-1][2] if steps else SubmissionStatus.DRAFT,
            "submitted_at": sends[-1] if sends else None,
            "decided_at": decisions[-1] if decisions and sends and decisions[-1] > sends[-1] else None,
            "revision": len(sends),
        }
        return steps, fields


def _reviewed(story: _Story, sent: datetime, officer, staff, *, returned: str = "", waiting: bool = False):
    """Send, then the committee's review on its next review day: accepted, or returned and resent."""
    story.send(sent, officer)
    if waiting:
        return story
    review = review_moment(sent)
    if returned:
        story.returned(review, staff, returned)
        resent = datetime.combine(working_day(review.date() + timedelta(days=3), later=True), time(9, 30), tzinfo=HCM)
        story.send(resent, officer)
        review = review_moment(resent)
    return story.accept(review, staff)


def _sending_days(rng, first: date, due: date, counts: tuple, *, late_until: date | None = None) -> list:
    """(day, late) for each sender: counts = (on time, late soon after, [late much later until `late_until`])."""
    days = [(day, False) for day in days_spread(rng, first, due, counts[0])]
    soon = due + timedelta(days=14)
    days += [(due + timedelta(days=rng.randint(1, 14)), True) for _ in range(counts[1])]
    if len(counts) > 2:
        days += [(soon + timedelta(days=rng.randint(6, (late_until - soon).days)), True) for _ in range(counts[2])]
    return days


class _Writer:
    """Writes demo submissions with their creation time and their timeline events, cut at `now`."""

    def __init__(self, now):
        self.now, self.events, self.count = now, [], 0

    def write(self, model, story: _Story, officer, **row):
        if story.created > self.now or not row["organization"].is_active_on(story.created.astimezone(HCM).date()):
            return None
        steps, fields = story.until(self.now, row["organization"])
        with time_machine.travel(story.created, tick=False):  # created_at is stamped on insert
            submission = model.objects.create(**row, **fields, created_by=officer)
        with time_machine.travel(steps[-1][0] if steps else story.created, tick=False):
            model.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
        target = {
            "content_type": ContentType.objects.get_for_model(model),
            "object_id": submission.pk,
            "organization_id": submission.organization_id,
        }
        self.events.append(
            SubmissionEvent(**target, action=EventAction.CREATED, to_status="draft", actor=officer, at=story.created)
        )
        status = SubmissionStatus.DRAFT
        for moment, action, to_status, actor, comment in steps:
            self.events.append(
                SubmissionEvent(
                    **target,
                    action=action,
                    from_status=status,
                    to_status=to_status,
                    actor=actor,
                    comment=comment,
                    at=moment,
                )
            )
            status = to_status
        self.count += 1
        return submission

    def flush(self):
        SubmissionEvent.objects.bulk_create(self.events, batch_size=500)
        timeline.store_counted_moments_of(self.events)  # what the services write with each event


def seed(*, today: date) -> dict[str, int]:
    """Create the demo cycle if it does not exist yet, its history played up to now (or the end of `today` if
    that is earlier). Returns {Vietnamese label: number created}."""
    year = demo_year(today)
    created = {CYCLES: 0, SUBMISSIONS: 0}
    staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    organizations = list(BaseOrganization.objects.active_on(date(year, 4, 30)).order_by("code"))
    if staff is None or not organizations or DemocracyCycle.objects.filter(year=year).exists():
        return created
    now = min(timezone.now(), datetime.combine(today + timedelta(days=1), time.min, tzinfo=HCM))
    opened = datetime.combine(date(year, 3, 25), time(9, 30), tzinfo=HCM)
    if opened > now:
        return created
    rng = random.Random(year)
    inspected = [org for org in organizations if any(org.name.endswith(unit) for unit in INSPECTED_UNITS)]
    with time_machine.travel(opened, tick=False):
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
    writer = _Writer(now)
    symbol = {org.pk: "ĐU" if org.has_cells else "CB" for org in organizations}
    plan_days = _sending_days(rng, date(year, 4, 3), date(year, 4, 30), PLANS, late_until=date(year, 6, 30))
    senders = rng.sample(organizations, min(len(plan_days), len(organizations)))
    for position, (org, (day, late)) in enumerate(zip(senders, plan_days, strict=False)):
        officer = officers.get(org.pk, staff)
        sent = at_work(rng, day, later=late)
        story = _reviewed(
            _Story(created=sent - timedelta(days=rng.randint(1, 5))),
            sent,
            officer,
            staff,
            returned=PLAN_RETURN_REASON if position in PLAN_RETURNS else "",
            waiting=position >= len(plan_days) - STILL_WAITING,
        )
        writer.write(
            DemocracyPlan,
            story,
            officer,
            cycle=cycle,
            organization=org,
            number=f"{rng.randint(1, 30):02d}-KH/{symbol[org.pk]}",
            issued_on=min(sent.date(), date(year, 4, rng.randint(1, 20))),
            summary=f"Xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm {year}: công khai, bàn bạc, kiểm tra, "
            "giám sát.",
            officer_in_charge=org.danvan_officer_name,
            officer_position="Phó Bí thư",
            officer_phone=org.phone,
        )

    committee_days = _sending_days(rng, date(year, 4, 3), date(year, 4, 30), COMMITTEES, late_until=date(year, 6, 30))
    has_members = set(SteeringCommitteeMembership.objects.values_list("organization_id", flat=True))
    for org, (day, late) in zip(senders, committee_days, strict=False):
        officer = officers.get(org.pk, staff)
        joined = date(year, 3, rng.randint(1, 24))
        seats = [
            (org.secretary_name, "Bí thư", CommitteeRole.HEAD),
            (vietnamese_full_name(rng), "Thủ trưởng cơ quan", CommitteeRole.DEPUTY),
            (vietnamese_full_name(rng), "Chủ tịch Công đoàn", CommitteeRole.MEMBER),
            (vietnamese_full_name(rng), "Bí thư Chi đoàn", CommitteeRole.MEMBER),
        ]
        if org.pk not in has_members:  # the make-up belongs to the organisation, not to one year
            with time_machine.travel(datetime.combine(joined, time(10, 0), tzinfo=HCM), tick=False):
                SteeringCommitteeMembership.objects.bulk_create(
                    SteeringCommitteeMembership(
                        organization=org, full_name=n, position=p, role=r, joined_on=joined, created_by=staff
                    )
                    for n, p, r in seats
                )
        sent = at_work(rng, day, later=late)
        story = _reviewed(
            _Story(created=sent - timedelta(days=1)), sent, officer, staff, waiting=late and day.month > 5
        )
        writer.write(
            SteeringCommittee,
            story,
            officer,
            cycle=cycle,
            organization=org,
            decision_number=f"{rng.randint(1, 40):02d}-QĐ/{symbol[org.pk]}",
            decision_date=joined,
            roster=[{"full_name": n, "position": p, "role": r, "joined_on": joined.isoformat()} for n, p, r in seats],
        )

    report = {
        "findings_leadership": "Cấp ủy ban hành kế hoạch, phân công cán bộ phụ trách; triển khai đến toàn thể "
        "cán bộ, người lao động.",
        "findings_publicity": "Công khai tài chính, tuyển dụng, thi đua khen thưởng trên bảng tin và hội nghị.",
        "findings_participation": "Tổ chức hội nghị cán bộ, công chức, viên chức và đối thoại định kỳ.",
        "findings_supervision": "Ban Thanh tra nhân dân hoạt động đúng quy định.",
        "shortcomings": "Một số nội dung công khai còn chậm.",
        "proposals": "Đề nghị tiếp tục mở lớp bồi dưỡng nghiệp vụ cho cán bộ phụ trách.",
    }
    for number, org in enumerate(inspected):
        officer = officers.get(org.pk, staff)
        late = number == len(inspected) - 1 and number > 0
        sent = at_work(rng, date(year, 9, 3) if late else date(year, 8, 18 + 4 * number), later=late)
        returned = REPORT_RETURN_REASON if number == 0 else ""
        story = _reviewed(_Story(created=sent - timedelta(days=2)), sent, officer, staff, returned=returned)
        writer.write(
            SelfInspectionReport,
            story,
            officer,
            cycle=cycle,
            organization=org,
            kind=InspectionReportKind.INSPECTION_VISIT,
            period_start=cycle.review_start,
            period_end=cycle.review_end,
            **report,
        )
    others = [org for org in organizations if org not in inspected]
    report_days = _sending_days(rng, date(year, 10, 1), date(year, 10, 25), REPORTS)
    for position, (org, (day, late)) in enumerate(
        zip(rng.sample(others, min(len(report_days), len(others))), report_days, strict=False)
    ):
        officer = officers.get(org.pk, staff)
        sent = at_work(rng, day, later=late)
        story = _reviewed(
            _Story(created=sent - timedelta(days=rng.randint(1, 4))),
            sent,
            officer,
            staff,
            returned=REPORT_RETURN_REASON if position in REPORT_RETURNS else "",
            waiting=position >= len(report_days) - STILL_WAITING,
        )
        writer.write(SelfInspectionReport, story, officer, cycle=cycle, organization=org, **report)

    for (kind, title), org in zip(BRIGHT_SPOTS, senders[: len(BRIGHT_SPOTS)], strict=False):
        officer = officers.get(org.pk, staff)
        sent = at_work(rng, date(year, 4, 15) + timedelta(days=rng.randint(0, 29)))
        writer.write(
            BrightSpot,
            _reviewed(_Story(created=sent - timedelta(days=1)), sent, officer, staff),
            officer,
            cycle=cycle,
            organization=org,
            kind=kind,
            title=title,
            description="Cách làm được người lao động đồng tình, có thể nhân rộng.",
        )
    writer.flush()
    created[CYCLES] = 1
    created[SUBMISSIONS] = writer.count
    return created

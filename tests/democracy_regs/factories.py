"""Factories and helpers for QCDC tests. Cycles are opened through the service so their deadlines exist;
submissions are written directly in any status (tests of the workflow go through views and services)."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from democracy_regs import services
from democracy_regs.models import (
    BrightSpot,
    BrightSpotKind,
    CommitteeRole,
    DemocracyPlan,
    InspectionReportKind,
    SelfInspectionReport,
    SteeringCommittee,
    SteeringCommitteeMembership,
)
from dukportal.submissions.timeline import record_missing_timeline
from organizations.models import Role, User
from tests.factories import OrganizationFactory, UserFactory

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The first bytes of a Linux executable: what a renamed program looks like to libmagic.
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def _staff():
    return User.objects.filter(role=Role.STAFF).first() or UserFactory(role=Role.STAFF)


CYCLE_2024 = {
    "year": 2024,
    "bloc_plan_number": "253-KH/ĐUK",
    "bloc_plan_date": date(2024, 3, 25),
    "plan_deadline": date(2024, 5, 15),
    "committee_deadline": date(2024, 5, 15),
    "self_inspection_deadline": date(2024, 10, 25),
    "committee_min_members": 3,
    "inspection_deadline": date(2024, 9, 1),
    "review_start": date(2023, 10, 1),
    "review_end": date(2024, 9, 30),
}


def open_cycle(actor=None, *, inspected=(), **overrides):
    fields = {**CYCLE_2024, **overrides}
    if "year" in overrides and overrides["year"] != 2024:
        shift = overrides["year"] - 2024
        for name in ("bloc_plan_date", "plan_deadline", "committee_deadline", "self_inspection_deadline",
                     "inspection_deadline", "review_start", "review_end"):  # fmt: skip
            if name not in overrides and fields[name]:
                fields[name] = fields[name].replace(year=fields[name].year + shift)
    return services.cycle_save(actor=actor or _staff(), inspected_organizations=list(inspected), **fields)


class _SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    status = "submitted"
    created_by = factory.LazyFunction(_staff)

    @factory.post_generation
    def timeline(self, create, extracted, **kwargs):  # events, as the services would have written them
        if create:
            record_missing_timeline(type(self).objects.filter(pk=self.pk))


class PlanFactory(_SubmissionFactory):
    class Meta:
        model = DemocracyPlan

    number = factory.Sequence(lambda n: f"{n + 1:02d}-KH/ĐU")
    issued_on = date(2024, 4, 10)
    summary = "Triển khai Quy chế dân chủ trong cơ quan"
    officer_in_charge = "Nguyễn Văn An"


class CommitteeFactory(_SubmissionFactory):
    class Meta:
        model = SteeringCommittee

    decision_number = factory.Sequence(lambda n: f"{n + 1:02d}-QĐ/ĐU")
    decision_date = date(2024, 4, 1)


class ReportFactory(_SubmissionFactory):
    class Meta:
        model = SelfInspectionReport

    kind = InspectionReportKind.GENERAL
    findings_leadership = "Cấp ủy ban hành kế hoạch, phân công cán bộ phụ trách"


class BrightSpotFactory(_SubmissionFactory):
    class Meta:
        model = BrightSpot

    kind = BrightSpotKind.DEMOCRACY
    title = factory.Sequence(lambda n: f"Điểm sáng số {n}")
    description = "Đối thoại định kỳ với người lao động"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringCommitteeMembership

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Thành viên {n}")
    position = "Chuyên viên"
    role = CommitteeRole.MEMBER
    joined_on = date(2024, 1, 1)
    created_by = factory.LazyFunction(_staff)


def complete_committee(organization, joined_on=date(2024, 1, 1), size=3):
    """A head plus members: complete under the default rule (one head, three people)."""
    MembershipFactory(organization=organization, role=CommitteeRole.HEAD, position="Bí thư", joined_on=joined_on)
    for _ in range(size - 1):
        MembershipFactory(organization=organization, joined_on=joined_on)

"""Every create form of the portal, described once so the double-submit and concurrency tests cover each kind
(the QCDC kinds are read from the view factory's KINDS, so a new kind is covered without editing the tests).

A spec builds what its form needs (`setup(users) -> context`), and gives the URL, the posted data (a fresh file
each call: an upload is read once) and the rows that must exist exactly once afterwards."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from democracy_regs.views import KINDS
from models_danvan.models import Evaluation, Registration
from reports.models import Document, DocumentKind
from tests.democracy_regs.factories import complete_committee, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory
from tests.models_danvan.factories import registration_data
from tests.reports.factories import IssuingBodyFactory

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="ho-so.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@dataclass
class FormSpec:
    name: str
    model: type
    setup: object  # (staff, officer) -> context dict with "url"
    data: object  # context -> dict (without token / action)
    actor: str = "officer"
    one_per_period: bool = False  # a UniqueConstraint says one per period: different forms still make one row
    with_file: bool = True
    sends: bool = True  # has "Lưu và gửi"
    extra: dict = field(default_factory=dict)

    def post_data(self, context, *, token=None, action="submit"):
        data = {**self.data(context), "form_token": str(token or uuid.uuid4())}
        if self.sends:
            data["action"] = action
        if self.with_file:
            data["attachment"] = pdf()
        return data


def _campaign(staff, officer):
    campaign = CampaignFactory(year=2024, created_by=staff)
    return {"url": reverse("models_danvan:registration_create", args=[campaign.pk]), "campaign": campaign}


def _registration_data(context):
    return registration_data()


def _accepted_registration(staff, officer):
    campaign = CampaignFactory(year=2024, created_by=staff)
    registration = RegistrationFactory(
        campaign=campaign, organization=officer.organization, created_by=officer, status="accepted"
    )
    return {"url": reverse("models_danvan:evaluation_create", args=[registration.pk]), "registration": registration}


def _evaluation_data(context):
    return {"period": "mid_year", "results": "Đạt 100% chỉ tiêu", "figures": "", "self_rating": "good"}


QCDC_DATA = {
    "plan": lambda c: {
        "number": "05-KH/ĐU",
        "issued_on": "10/04/2024",
        "summary": "Thực hiện Quy chế dân chủ trong cơ quan năm 2024",
        "officer_in_charge": "Trần Thị Mai",
        "officer_position": "Phó Bí thư",
        "officer_phone": "0912 345 678",
    },
    "committee": lambda c: {"decision_number": "12-QĐ/ĐU", "decision_date": "01/04/2024", "notes": ""},
    "report": lambda c: {"findings_leadership": "Cấp ủy ban hành kế hoạch tự kiểm tra"},
    "bright_spot": lambda c: {"kind": "democracy", "title": "Đối thoại trực tiếp", "description": "Mô tả"},
}


def _qcdc_setup(kind_name):
    def setup(staff, officer):
        cycle = open_cycle(staff)
        complete_committee(officer.organization)  # the committee is sent with a complete make-up
        return {"url": reverse(f"democracy_regs:{kind_name}_create", args=[cycle.pk]), "cycle": cycle}

    return setup


def _document_setup(staff, officer):
    body = IssuingBodyFactory()
    return {"url": reverse("reports:document_create"), "issuing_body": body}


def _qcdc_specs():
    specs = []
    for name, kind in KINDS.items():
        if name not in QCDC_DATA:  # pragma: no cover - a new kind: add its form data above
            raise AssertionError(f"no test data for the QCDC kind {name!r}")
        specs.append(
            FormSpec(
                name=f"qcdc_{name}",
                model=kind.model,
                setup=_qcdc_setup(name),
                data=QCDC_DATA[name],
                one_per_period=kind.one_per_parent,
                with_file=name != "committee",
            )
        )
    return specs


SPECS = [
    FormSpec("registration", Registration, _campaign, _registration_data),
    FormSpec("evaluation", Evaluation, _accepted_registration, _evaluation_data, one_per_period=True),
    *_qcdc_specs(),
    FormSpec(
        "document",
        Document,
        _document_setup,
        lambda c: {"kind": DocumentKind.OTHER, "issuing_body": c["issuing_body"].pk, "figures_as_of": ""},
        actor="staff",
        with_file=False,
        sends=False,
    ),
]
SPEC_IDS = [spec.name for spec in SPECS]
TODAY = date(2024, 6, 3)

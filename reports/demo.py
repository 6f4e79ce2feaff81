"""Demo data for `manage.py seed_demo`: the bloc committee and its Ban Tuyên giáo as issuing bodies, their
signers, the superior bodies named "(b/c)", the committee terms 2020–2025 and 2025–2030, and the references
of dispatch 1720-CV/ĐUK (the bloc's plans and the provincial documents they implement, linked to the demo's
campaigns, QCDC cycle and self-inspection deadline), so staff can draft and issue documents at once. Written
through the services as the demo staff user; keyed on what exists, so a second run creates nothing. Nothing is
dated after `today`."""

from datetime import date

from democracy_regs import obligations as qcdc_obligations
from democracy_regs.models import DemocracyCycle
from dukportal.submissions.models import Deadline
from models_danvan.models import Campaign
from organizations.models import Bloc, Role, User

from . import services
from .models import IssuerKind, IssuingBody, Reference, ReferenceKind, SignerMode, SuperiorBody, Term

TERMS = [
    ("Nhiệm kỳ 2020 – 2025", date(2020, 10, 1), date(2025, 9, 30)),
    ("Nhiệm kỳ 2025 – 2030", date(2025, 10, 1), date(2030, 9, 30)),
]
BODIES, TERM_LABEL = "cơ quan ban hành", "nhiệm kỳ"  # keys of the printed summary
SIGNERS, SUPERIORS, REFERENCES = "người ký", "cơ quan cấp trên (b/c)", "văn bản được trích dẫn"

# (issuing body kind, name, position, mode, on behalf of); invented names.
DEMO_SIGNERS = [
    (IssuerKind.COMMITTEE, "Hoàng Văn Bình", "PHÓ BÍ THƯ", SignerMode.ON_BEHALF, "BAN THƯỜNG VỤ"),
    (IssuerKind.COMMITTEE, "Trần Quốc Hùng", "BÍ THƯ", SignerMode.ON_BEHALF, "BAN THƯỜNG VỤ"),
    (IssuerKind.DEPARTMENT, "Nguyễn Đức Phương", "TRƯỞNG BAN", SignerMode.DIRECT, ""),
    (IssuerKind.DEPARTMENT, "Lê Thị Thu", "PHÓ TRƯỞNG BAN", SignerMode.DEPUTY, "TRƯỞNG BAN"),
]
DEMO_SUPERIORS = [
    "Thường trực Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh",
    "Thường trực Đảng ủy Khối",
]
# The provincial documents dispatch 1720-CV/ĐUK cites (its own numbers and dates).
SCHEME_13 = (
    ReferenceKind.SCHEME,
    "13-ĐA/TU",
    date(2023, 3, 16),
    "Ban Thường vụ Tỉnh ủy",
    "về “Nâng cao chất lượng, hiệu quả phong trào thi đua “Dân vận khéo” trên địa bàn tỉnh Yên Bái, "
    "giai đoạn 2023 - 2025, định hướng đến năm 2030”",
)
GUIDE_02 = (
    ReferenceKind.GUIDE,
    "02-HD/BDVTU",
    date(2023, 6, 27),
    "Ban Dân vận Tỉnh ủy",
    "về hướng dẫn xây dựng mô hình “Dân vận khéo”",
)


def seed(*, today: date) -> dict[str, int]:
    created = {BODIES: 0, TERM_LABEL: 0}
    bloc = Bloc.objects.first()
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id").first()
    if bloc is None or staff is None:
        return created
    before = IssuingBody.objects.filter(bloc=bloc).count()
    bodies = services.issuing_bodies_ensure(actor=staff, bloc=bloc)
    created[BODIES] = IssuingBody.objects.filter(bloc=bloc).count() - before
    department = next(body for body in bodies if body.kind == IssuerKind.DEPARTMENT)
    if not department.contact_name:
        IssuingBody.objects.filter(pk=department.pk).update(
            contact_name=staff.get_full_name() or staff.username,
            contact_title="Chuyên viên Ban Tuyên giáo Đảng ủy Khối",
            contact_phone=staff.phone or "0216 3852 999",
        )
    for name, start, end in TERMS:
        if not Term.objects.filter(bloc=bloc, start_date=start).exists():
            services.term_create(actor=staff, bloc=bloc, name=name, start_date=start, end_date=end)
            created[TERM_LABEL] += 1
    created[SIGNERS] = _signers(staff, bodies)
    created[SUPERIORS] = _superiors(staff, bloc)
    created[REFERENCES] = _references(staff, today)
    return created


def _signers(staff, bodies) -> int:
    made = 0
    for order, (kind, name, position, mode, on_behalf_of) in enumerate(DEMO_SIGNERS):
        body = next(body for body in bodies if body.kind == kind)
        if not body.signers.filter(name=name).exists():
            services.signer_create(
                actor=staff,
                issuing_body=body,
                name=name,
                position=position,
                mode=mode,
                on_behalf_of=on_behalf_of,
                sort_order=order,
            )
            made += 1
    return made


def _superiors(staff, bloc) -> int:
    made = 0
    for order, name in enumerate(DEMO_SUPERIORS):
        if not SuperiorBody.objects.filter(bloc=bloc, name=name).exists():
            services.superior_body_create(actor=staff, bloc=bloc, name=name, sort_order=order)
            made += 1
    return made


def _reference(staff, today, kind, number, issued_on, issuer, summary, *, implements=(), sources=()):
    """One reference, unless it exists or would be dated after the demo's today (then None)."""
    if issued_on > today:
        return None
    found = Reference.objects.filter(number=number, issued_on=issued_on).first()
    if found is not None:
        return found
    return services.reference_create(
        actor=staff,
        kind=kind,
        number=number,
        issued_on=issued_on,
        issuer=issuer,
        summary=summary,
        implements=[r for r in implements if r is not None],
        sources=list(sources),
    )


def _references(staff, today) -> int:
    before = Reference.objects.count()
    scheme = _reference(staff, today, *SCHEME_13)
    guide = _reference(staff, today, *GUIDE_02)
    for campaign in Campaign.objects.order_by("year"):
        _reference(
            staff,
            today,
            ReferenceKind.PLAN,
            campaign.plan_number,
            campaign.plan_date,
            "Ban Thường vụ Đảng ủy Khối",
            f"về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm {campaign.year}",
            implements=[scheme, guide],
            sources=[campaign],
        )
    for cycle in DemocracyCycle.objects.order_by("year"):
        year = cycle.year
        provincial = _reference(
            staff,
            today,
            ReferenceKind.PLAN,
            "170-KH/BCĐTU",
            date(year, 3, 25),
            "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh",
            f"về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm {year}",
        )
        _reference(
            staff,
            today,
            ReferenceKind.PLAN,
            cycle.bloc_plan_number,
            cycle.bloc_plan_date,
            "Ban Thường vụ Đảng ủy Khối",
            f"về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm {year}",
            implements=[provincial],
            sources=[cycle],
        )
        self_inspection = Deadline.objects.filter(
            kind=qcdc_obligations.SELF_INSPECTION, source_id=cycle.pk, source_type__model="democracycycle"
        )
        _reference(
            staff,
            today,
            ReferenceKind.PLAN,
            "171-KH/BDVTU",
            date(year, 3, 25),
            "Ban Chỉ đạo Tỉnh ủy",
            f"về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm {year}",
            sources=list(self_inspection),
        )
        _reference(
            staff,
            today,
            ReferenceKind.DISPATCH,
            "780-CV/BDVTU",
            date(year, 5, 13),
            "Ban Dân vận Tỉnh ủy",
            "về việc tiếp tục đẩy mạnh thực hiện Kết luận số 114-KL/TW của Ban Bí thư gắn với thực hiện hiệu quả "
            "Chỉ thị số 33/CT-TTg của Thủ tướng Chính phủ",
        )
    return Reference.objects.count() - before

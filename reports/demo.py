"""Demo data for `manage.py seed_demo`: the bloc committee and its Ban Tuyên giáo as issuing bodies, and the
committee terms 2020–2025 and 2025–2030, so staff can draft and issue documents at once. Written through the
services as the demo staff user; keyed on what exists, so a second run creates nothing."""

from datetime import date

from organizations.models import Bloc, Role, User

from . import services
from .models import IssuerKind, IssuingBody, Term

TERMS = [
    ("Nhiệm kỳ 2020 – 2025", date(2020, 10, 1), date(2025, 9, 30)),
    ("Nhiệm kỳ 2025 – 2030", date(2025, 10, 1), date(2030, 9, 30)),
]
BODIES, TERM_LABEL = "cơ quan ban hành", "nhiệm kỳ"  # keys of the printed summary


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
    return created

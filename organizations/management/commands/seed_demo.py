"""Demo data modelled on the Yên Bái bloc: 74 base organisations, their cells, about 4,800 members and the
accounts to log in with.

Every row is keyed on a code (the bloc and the mass organisations on their names), so a second run creates
nothing. The figures live here and nowhere else: the portal itself counts whatever the database holds.
"""

import importlib
import importlib.util
import random
from datetime import date, timedelta
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dukportal.core import audit, outbox
from dukportal.core.models import OutboxMessage
from organizations.demo_members import seed_member_transfers
from organizations.demo_reorganization import seed_reorganisation
from organizations.models import (
    BaseOrganization,
    BaseOrganizationKind,
    Bloc,
    Cell,
    Gender,
    MassOrganization,
    MassOrganizationKind,
    Member,
    MemberStatus,
    Role,
    Sector,
    User,
)
from organizations.names import vietnamese_full_name
from organizations.services import refresh_keys

DEMO_PASSWORD = "DanVanKheo@2024"
STAFF_USERNAME = "bantuyengiao"
LEADER_USERNAME = "lanhdao"
OFFICER_USERNAME = "coso{:03d}"  # one per base organisation, numbered like the organisation codes
SEED = 2024
TOTAL_CELLS = 288
TOTAL_MEMBERS = 4800
TERM_START = date(2020, 10, 1)  # the bloc's 2020–2025 term
TODAY = date(2024, 5, 15)  # the demo's "now" for dates of birth and admission, so runs never differ
MAIL_DOMAIN = "dukyenbai.example.vn"
STATUSES = [MemberStatus.ACTIVE, MemberStatus.TRANSFERRED_OUT, MemberStatus.REMOVED]
STATUS_WEIGHTS = [975, 20, 5]
PORTAL_APPS = ["core", "submissions", "organizations", "models_danvan", "democracy_regs", "reports"]

BLOC = {
    "name": "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh",
    "parent_name": "Đảng bộ tỉnh Yên Bái",
    "symbol": "ĐUK",
    "place_name": "Yên Bái",
    "propaganda_department_name": "Ban Tuyên giáo",
}
MASS_ORGANIZATIONS = [
    ("Công đoàn Viên chức tỉnh", MassOrganizationKind.TRADE_UNION, "congdoan"),
    ("Đoàn Thanh niên Khối", MassOrganizationKind.YOUTH_UNION, "doanthanhnien"),
    ("Hội Cựu chiến binh Khối", MassOrganizationKind.VETERANS, "cuuchienbinh"),
]

D, C = BaseOrganizationKind.COMMITTEE, BaseOrganizationKind.CELL
# (unit name, đảng bộ cơ sở or chi bộ cơ sở); the organisation's name is "Đảng bộ <unit>" or "Chi bộ <unit>".
ORGANIZATIONS = {
    Sector.ADMINISTRATIVE: [
        ("Sở Tài chính", D), ("Sở Tư pháp", C), ("Sở Kế hoạch và Đầu tư", D), ("Sở Công Thương", D),
        ("Sở Nội vụ", D), ("Sở Xây dựng", D), ("Sở Giao thông vận tải", D), ("Sở Tài nguyên và Môi trường", D),
        ("Sở Nông nghiệp và Phát triển nông thôn", D), ("Sở Y tế", D), ("Sở Giáo dục và Đào tạo", D),
        ("Sở Văn hóa, Thể thao và Du lịch", D), ("Sở Thông tin và Truyền thông", C), ("Sở Khoa học và Công nghệ", C),
        ("Sở Lao động - Thương binh và Xã hội", D), ("Sở Ngoại vụ", C), ("Thanh tra tỉnh", C),
        ("Văn phòng Ủy ban nhân dân tỉnh", D), ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", C),
        ("Ban Dân tộc tỉnh", C), ("Ban Quản lý các khu công nghiệp tỉnh Yên Bái", C), ("Cục Thống kê tỉnh Yên Bái", D),
        ("Cục Thuế tỉnh", D), ("Kho bạc Nhà nước tỉnh", D), ("Bảo hiểm xã hội tỉnh", D),
        ("Ngân hàng Nhà nước Chi nhánh tỉnh Yên Bái", C), ("Cục Thi hành án dân sự tỉnh", D),
        ("Tòa án nhân dân tỉnh", D), ("Viện Kiểm sát nhân dân tỉnh", D), ("Cục Quản lý thị trường tỉnh", D),
        ("Chi cục Kiểm lâm tỉnh", D), ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", C), ("Liên đoàn Lao động tỉnh", C),
        ("Tỉnh đoàn Yên Bái", C), ("Hội Liên hiệp Phụ nữ tỉnh", C), ("Hội Nông dân tỉnh", C),
        ("Hội Cựu chiến binh tỉnh", C), ("Liên minh Hợp tác xã tỉnh", C), ("Hội Chữ thập đỏ tỉnh", C),
        ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", C), ("Hội Văn học Nghệ thuật tỉnh", C),
        ("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", C),
        ("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", C),
        ("Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn tỉnh", C),
        ("Quỹ Đầu tư phát triển tỉnh", C), ("Ngân hàng Chính sách xã hội Chi nhánh tỉnh", D),
        ("Trung tâm Phục vụ hành chính công tỉnh", C),
    ],
    Sector.PUBLIC_SERVICE: [
        ("Bệnh viện Đa khoa tỉnh", D), ("Bệnh viện Sản Nhi tỉnh", D), ("Trường Cao đẳng Yên Bái", D),
        ("Trường Chính trị tỉnh", C), ("Đài Phát thanh và Truyền hình tỉnh", D), ("Báo Yên Bái", C),
        ("Trung tâm Kiểm soát bệnh tật tỉnh", D), ("Trường Trung học phổ thông Chuyên Nguyễn Tất Thành", C),
    ],
    Sector.ENTERPRISE: [
        ("Công ty cổ phần Môi trường và Dịch vụ đô thị Yên Bái", D), ("Công ty Điện lực Yên Bái", D),
        ("Viễn thông Yên Bái", D), ("Viettel Yên Bái", D), ("Bưu điện tỉnh Yên Bái", D),
        ("Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh tỉnh Yên Bái", D),
        ("Ngân hàng Thương mại cổ phần Công Thương Chi nhánh Yên Bái", C),
        ("Ngân hàng Thương mại cổ phần Đầu tư và Phát triển Chi nhánh Yên Bái", C),
        ("Công ty cổ phần Cấp nước Yên Bái", D), ("Công ty TNHH MTV Xổ số kiến thiết Yên Bái", C),
        ("Công ty cổ phần Quản lý và Xây dựng đường bộ Yên Bái", C), ("Công ty TNHH MTV Lâm nghiệp Văn Chấn", C),
        ("Công ty TNHH MTV Lâm nghiệp Thác Bà", C), ("Công ty cổ phần Xi măng Yên Bình", D),
        ("Công ty cổ phần Khoáng sản Yên Bái VPG", C), ("Công ty Bảo Việt Yên Bái", C),
        ("Công ty cổ phần Vận tải ô tô Yên Bái", C), ("Công ty cổ phần Chè Văn Hưng", C),
        ("Công ty cổ phần Giống vật tư nông nghiệp Yên Bái", C),
    ],
}  # fmt: skip

# Subordinate cells are named after the departments of their unit.
CELL_UNITS = {
    "hospital": [
        "Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Hồi sức cấp cứu", "Khoa Nhi", "Khoa Sản", "Khoa Khám bệnh",
        "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh", "Khoa Dược", "Khoa Truyền nhiễm", "Khoa Y học cổ truyền",
        "Khoa Kiểm soát nhiễm khuẩn", "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức cán bộ", "Phòng Điều dưỡng",
        "Phòng Tài chính kế toán",
    ],
    "school": [
        "Khoa Sư phạm", "Khoa Kinh tế", "Khoa Nông lâm", "Khoa Kỹ thuật", "Khoa Y dược", "Khoa Khoa học cơ bản",
        "Khoa Ngoại ngữ - Tin học", "Phòng Đào tạo", "Phòng Tổ chức - Hành chính", "Phòng Công tác học sinh sinh viên",
        "Trung tâm Tuyển sinh và Hợp tác quốc tế", "Học sinh - Sinh viên",
    ],
    Sector.ENTERPRISE: [
        "Văn phòng", "Phòng Kế hoạch - Kỹ thuật", "Phòng Tài chính - Kế toán", "Phòng Kinh doanh",
        "Phòng Tổ chức - Hành chính", "Xí nghiệp số 1", "Xí nghiệp số 2", "Xí nghiệp số 3", "Đội Vận hành",
        "Đội Quản lý khách hàng", "Chi nhánh thành phố Yên Bái", "Chi nhánh thị xã Nghĩa Lộ", "Chi nhánh huyện Văn Yên",
        "Chi nhánh huyện Lục Yên", "Chi nhánh huyện Yên Bình", "Chi nhánh huyện Trấn Yên",
    ],
    "default": [
        "Văn phòng", "Thanh tra", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Phòng Pháp chế",
        "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3", "Phòng Tổng hợp", "Trung tâm Thông tin",
        "Chi cục thành phố Yên Bái", "Chi cục thị xã Nghĩa Lộ", "Chi cục huyện Văn Yên", "Chi cục huyện Lục Yên",
        "Chi cục huyện Yên Bình", "Chi cục huyện Mù Cang Chải",
    ],
}  # fmt: skip


def _cell_units(unit_name: str, sector: str) -> list[str]:
    if unit_name.startswith(("Bệnh viện", "Trung tâm Kiểm soát")):
        return CELL_UNITS["hospital"]
    if unit_name.startswith("Trường"):
        return CELL_UNITS["school"]
    return CELL_UNITS.get(sector, CELL_UNITS["default"])


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _split(total: int, weights: list[int], rng: random.Random) -> list[int]:
    """Share `total` in proportion to `weights`; the rounding remainder goes to randomly chosen shares."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    for index in rng.sample(range(len(shares)), total - sum(shares)):
        shares[index] += 1
    return shares


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (74 tổ chức cơ sở đảng, chi bộ, đảng viên, tài khoản đăng nhập). Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (mọi tài khoản mẫu dùng chung một mật khẩu công khai).",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG đang tắt: không tạo tài khoản mẫu với mật khẩu công khai trên máy chủ thật. "
                "Dùng --allow-without-debug nếu chắc chắn."
            )
        rng = random.Random(SEED)
        with transaction.atomic():
            created = self._seed(rng)
            if any(created.values()):
                bloc = Bloc.objects.get(name=BLOC["name"], parent_name=BLOC["parent_name"])
                audit.record(actor=None, action="demo.seed", target=bloc, changes=created)
        self._report(created)
        self._seed_apps()

    def _seed_apps(self) -> None:
        """Each app may ship a `demo` module whose seed(today=…) adds its own demo records idempotently and returns
        {Vietnamese label: number created} (campaigns, QCDC cycles…). The apps play their demo years out on
        plausible days up to now, with the clock set for each step (organizations.demo_calendar), so timelines
        and figures for past dates look real. This command stays ignorant of what those apps contain."""
        for config in apps.get_app_configs():
            if importlib.util.find_spec(f"{config.name}.demo") is None:
                continue
            module = importlib.import_module(f"{config.name}.demo")
            with transaction.atomic():
                if settings.CELERY_TASK_ALWAYS_EAGER:
                    # No broker (scripts/serve.sh): the notices and e-mails the history queues run after the
                    # commit, as they would one by one, but in one transaction (hundreds of commits otherwise:
                    # most of the seed's time). Registered first, so it runs before their dispatch hooks.
                    last = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                    transaction.on_commit(partial(outbox.run_pending_at_once, after=last))
                created = module.seed(today=timezone.localdate())
            if any(created.values()):
                summary = ", ".join(f"{count} {label}" for label, count in created.items() if count)
                self.stdout.write(f"Dữ liệu mẫu {config.verbose_name}: {summary}.")

    # The random draws never depend on what the database holds, so a code gets the same data on every run and
    # only the codes not found yet are inserted.
    def _seed(self, rng: random.Random) -> dict[str, int]:
        created = dict.fromkeys(["bloc", "mass_organizations", "organizations", "cells", "members", "users"], 0)
        bloc, was_created = Bloc.objects.get_or_create(
            name=BLOC["name"], parent_name=BLOC["parent_name"], defaults={**BLOC, "valid_from": TERM_START}
        )
        created["bloc"] = int(was_created)

        existing = set(MassOrganization.objects.filter(bloc=bloc).values_list("name", flat=True))
        mass = [
            MassOrganization(bloc=bloc, name=name, kind=kind, email=f"{box}@{MAIL_DOMAIN}", valid_from=TERM_START)
            for name, kind, box in MASS_ORGANIZATIONS
            if name not in existing
        ]
        created["mass_organizations"] = len(MassOrganization.objects.bulk_create(mass))

        organizations, cells_by_org = self._plan_organizations(rng, bloc)
        created["organizations"] = self._create_missing(BaseOrganization, organizations)
        org_ids = dict(BaseOrganization.objects.values_list("code", "id"))
        for org in organizations:
            org.id = org_ids[org.code]

        cells = [cell for org_cells in cells_by_org.values() for cell in org_cells]
        created["cells"] = self._create_missing(Cell, cells)
        cell_ids = dict(Cell.objects.values_list("code", "id"))
        for cell in cells:
            cell.id = cell_ids[cell.code]

        members = self._plan_members(rng, organizations, cells_by_org)
        created["members"] = self._create_missing(Member, members)
        created["users"] = self._create_users(organizations)

        # Dated changes to the tree and its members go here, once everything they refer to exists and before the
        # apps' demo years are played (organizations.demo_calendar sets the clock for them). Each step is
        # idempotent. The reorganisation first: the transfers then move members among organisations that
        # exist today.
        staff = User.objects.get(username=STAFF_USERNAME)
        created["reorganisations"] = seed_reorganisation(actor=staff, today=timezone.localdate())
        seed_member_transfers(actor=None, today=timezone.localdate())  # periods, a few transfers, one death
        return created

    def _plan_organizations(self, rng, bloc):
        organizations, departments = [], {}
        for sector, units in ORGANIZATIONS.items():
            for unit_name, kind in units:
                code = f"CS{len(organizations) + 1:03d}"
                prefix = "Đảng bộ" if kind == BaseOrganizationKind.COMMITTEE else "Chi bộ"
                organizations.append(
                    BaseOrganization(
                        bloc=bloc,
                        code=code,
                        name=f"{prefix} {unit_name}",
                        kind=kind,
                        sector=sector,
                        secretary_name=vietnamese_full_name(rng),
                        danvan_officer_name=vietnamese_full_name(rng),
                        phone=f"0216 3{rng.randint(800_000, 899_999)}",
                        email=f"{code.lower()}@{MAIL_DOMAIN}",
                        valid_from=TERM_START,
                    )
                )
                if kind == BaseOrganizationKind.COMMITTEE:
                    departments[code] = _cell_units(unit_name, sector)

        # Every đảng bộ cơ sở has at least three cells; the rest are dealt out at random.
        counts = dict.fromkeys(departments, 3)
        for _ in range(TOTAL_CELLS - 3 * len(counts)):
            counts[rng.choice([code for code in counts if counts[code] < len(departments[code])])] += 1
        cells_by_org = {}
        for org in organizations:
            cells_by_org[org.code] = [
                Cell(
                    organization=org,
                    code=f"{org.code}-CB{index:02d}",
                    name=f"Chi bộ {department}",
                    secretary_name=vietnamese_full_name(rng),
                    valid_from=TERM_START,
                )
                for index, department in enumerate(departments.get(org.code, [])[: counts.get(org.code, 0)], start=1)
            ]
        return organizations, cells_by_org

    def _plan_members(self, rng, organizations, cells_by_org):
        # Where a member attends: one of the subordinate cells, or the chi bộ cơ sở itself (cell empty).
        places = [(org, cell) for org in organizations for cell in cells_by_org[org.code] or [None]]
        sizes = _split(TOTAL_MEMBERS, [rng.randint(5, 28) for _ in places], rng)
        members = []
        for (org, cell), size in zip(places, sizes, strict=True):
            for _ in range(size):
                members.append(self._plan_member(rng, org, cell, number=len(members) + 1))
        return members

    def _plan_member(self, rng, org, cell, *, number):
        gender = Gender.FEMALE if rng.random() < 0.46 else Gender.MALE
        birth = _day_between(rng, date(1964, 1, 1), date(2000, 12, 31))
        admitted = _day_between(rng, _years_after(birth, 20), min(_years_after(birth, 40), TODAY))
        # Probation lasts a year: members admitted within the last year are still probationary (no official date).
        official = _years_after(admitted, 1)
        status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
        return Member(
            code=f"DV{number:05d}",
            full_name=vietnamese_full_name(rng, gender),
            gender=gender,
            birth_date=birth,
            admitted_on=admitted,
            official_on=official if official <= TODAY else None,
            organization_id=org.id,
            cell_id=cell.id if cell else None,
            status=status,
        )

    @staticmethod
    def _create_missing(model, planned) -> int:
        existing = set(model.objects.filter(code__in=[obj.code for obj in planned]).values_list("code", flat=True))
        missing = [obj for obj in planned if obj.code not in existing]
        for obj in missing:
            refresh_keys(obj)
        model.objects.bulk_create(missing, batch_size=500)
        return len(missing)

    @staticmethod
    def _create_users(organizations) -> int:
        planned = [
            User(username=STAFF_USERNAME, role=Role.STAFF, is_staff=True, first_name="Phương", last_name="Nguyễn Thị"),
            User(username=LEADER_USERNAME, role=Role.LEADER, first_name="Hùng", last_name="Trần Mạnh"),
        ]
        for number, org in enumerate(organizations, start=1):
            family, _, given = org.danvan_officer_name.rpartition(" ")
            planned.append(
                User(
                    username=OFFICER_USERNAME.format(number),
                    role=Role.OFFICER,
                    organization_id=org.id,
                    first_name=given,
                    last_name=family,
                    email=org.email,
                )
            )
        existing = set(
            User.objects.filter(username__in=[u.username for u in planned]).values_list("username", flat=True)
        )
        missing = [user for user in planned if user.username not in existing]
        # One hash for every demo account: PBKDF2 takes a noticeable time per call and the password is public anyway.
        password = make_password(DEMO_PASSWORD) if missing else ""
        for user in missing:
            user.password = password
            user.email = user.email or f"{user.username}@{MAIL_DOMAIN}"
        User.objects.bulk_create(missing)
        for user in missing:
            if user.username == STAFF_USERNAME:
                # The staff menu links to the admin, which shows nothing to a user without model permissions.
                user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS))
        return len(missing)

    def _report(self, created: dict[str, int]) -> None:
        labels = {
            "bloc": "đảng ủy khối",
            "mass_organizations": "đoàn thể khối",
            "organizations": "tổ chức cơ sở đảng",
            "cells": "chi bộ trực thuộc",
            "members": "đảng viên",
            "users": "tài khoản",
            "reorganisations": "lần tổ chức lại",
        }
        if any(created.values()):
            summary = ", ".join(f"{count} {labels.get(key, key)}" for key, count in created.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Đã tạo dữ liệu mẫu: {summary}."))
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không tạo thêm gì.")
        last_officer = OFFICER_USERNAME.format(sum(len(units) for units in ORGANIZATIONS.values()))
        self.stdout.write(
            "\nĐăng nhập tại http://127.0.0.1:8000 bằng một trong các tài khoản sau:\n"
            f"  - Cán bộ Ban Tuyên giáo Đảng ủy Khối (quản lý toàn bộ): {STAFF_USERNAME}\n"
            f"  - Lãnh đạo Đảng ủy Khối (xem toàn bộ): {LEADER_USERNAME}\n"
            f"  - Cán bộ tổ chức cơ sở đảng (mỗi tổ chức một tài khoản): {OFFICER_USERNAME.format(1)} … {last_officer}\n"
            f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}\n"
        )

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from dukportal.core.models import AuditEntry
from models_danvan.models import Campaign, Registration
from organizations.management.commands.seed_demo import DEMO_PASSWORD
from organizations.models import (
    BaseOrganization,
    Bloc,
    Cell,
    MassOrganization,
    Member,
    OrganizationSuccession,
    Role,
    User,
)

MODELS = (
    Bloc,
    MassOrganization,
    BaseOrganization,
    Cell,
    Member,
    User,
    AuditEntry,
    Campaign,
    Registration,
    OrganizationSuccession,
)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True  # the demo seed refuses to run with DEBUG off; pytest-django turns it off


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_bloc_and_a_second_run_creates_nothing(debug_on):
    first_output = _seed()
    after_first = _counts()
    second_output = _seed()

    assert _counts() == after_first
    assert "không tạo thêm gì" in second_output
    assert "http://127.0.0.1:8000" in first_output and DEMO_PASSWORD in first_output
    assert Bloc.objects.get().symbol == "ĐUK"
    assert MassOrganization.objects.count() == 3
    sectors = dict(BaseOrganization.objects.values_list("sector").annotate(n=Count("id")))
    assert sectors == {"administrative": 47, "public_service": 8, "enterprise": 19}
    assert 280 <= Cell.objects.count() <= 300
    assert 4700 <= Member.objects.count() <= 4900
    assert AuditEntry.objects.filter(action="demo.seed").count() == 1
    # Apps add their own demo records through their `demo` modules: two “Dân vận khéo” years, this one live.
    assert Campaign.objects.count() == 2
    this_year = Campaign.objects.get(year=timezone.localdate().year)
    sent = this_year.registrations.exclude(status="draft")
    assert sent.filter(organization__isnull=True).count() == 2  # the committee's own, bloc-level
    assert sent.exclude(organization=None).values("organization").distinct().count() == 30
    assert sent.filter(status="returned").exists() and sent.filter(origin="continued").exists()
    assert "“Dân vận khéo”" in first_output
    # One reorganisation, recorded once: on 1 July last year one organisation was absorbed into another, so 73
    # organisations are active today; the absorbed one's cells moved (closed rows + open rows under the successor).
    last_july = timezone.localdate().replace(year=timezone.localdate().year - 1, month=7, day=1)
    link = OrganizationSuccession.objects.get()
    assert (link.predecessor.code, link.successor.code, link.effective_on) == ("CS003", "CS001", last_july)
    assert BaseOrganization.objects.active_on(timezone.localdate()).count() == 73
    assert Cell.objects.filter(moved_from__isnull=False).count() == link.predecessor.cells.count() > 0
    assert "1 lần tổ chức lại" in first_output


@pytest.mark.django_db
def test_seed_demo_places_members_and_accounts_consistently(debug_on):
    _seed()

    assert not Cell.objects.exclude(organization__kind="committee").exists()
    # Members of a đảng bộ cơ sở attend one of its own cells; members of a chi bộ cơ sở have no cell.
    assert not Member.objects.filter(organization__kind="committee", cell__isnull=True).exists()
    assert not Member.objects.filter(organization__kind="cell", cell__isnull=False).exists()
    assert not Member.objects.filter(cell__isnull=False).exclude(cell__organization=F("organization")).exists()
    # One officer account per organisation; the demo's reorganisation (Sở Kế hoạch và Đầu tư absorbed into Sở
    # Tài chính on 1 July last year) moved the absorbed organisation's account to its successor.
    officers_per_org = dict(BaseOrganization.objects.annotate(n=Count("officers")).values_list("code", "n"))
    assert (officers_per_org.pop("CS003"), officers_per_org.pop("CS001")) == (0, 2)
    assert set(officers_per_org.values()) == {1}
    assert User.objects.filter(role=Role.OFFICER).count() == 74
    staff = User.objects.get(username="bantuyengiao")
    assert staff.role == Role.STAFF and staff.is_staff and staff.check_password(DEMO_PASSWORD)
    assert staff.has_perm("organizations.change_member") and not staff.has_perm("auth.change_group")
    assert User.objects.get(username="lanhdao").role == Role.LEADER
    assert BaseOrganization.objects.filter(name="Đảng bộ Sở Tài chính", search_key__contains="so tai chinh").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()

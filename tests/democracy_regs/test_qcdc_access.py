"""Permission isolation for every QCDC view that takes an id: an officer never sees or changes another
organisation's plans, committees, reports, bright spots or committee members; leaders read; staff manage."""

import copy

import pytest
from django.urls import URLPattern, reverse

from democracy_regs import urls as qcdc_urls
from dukportal.submissions import services as workflow
from organizations.models import BaseOrganization
from tests import module_data
from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    MembershipFactory,
    PlanFactory,
    ReportFactory,
    open_cycle,
    pdf,
)
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Nội dung riêng của đơn vị khác"
KINDS = ("plan", "committee", "report", "bright_spot")
# Views whose id is one submission, and the method they answer.
SUBMISSION_VIEWS = {
    f"{kind}{suffix}": method
    for kind in KINDS
    for suffix, method in {
        "": "get", "_edit": "get", "_submit": "post", "_return": "post", "_accept": "post", "_attach": "post",
        "_withdraw": "post", "_delete": "post",
    }.items()
}  # fmt: skip
# Views whose id is a cycle: any signed-in user may open most, each sees only their scope.
CYCLE_VIEWS = {
    "cycle": "get",
    "cycle_edit": "get",
    "statistics": "get",
    "statistics_xlsx": "get",
    "missing": "get",
    "bright_spots": "get",
    "cycle_submissions": "get",
    **{f"{kind}_create": "get" for kind in KINDS},
}
ORGANIZATION_VIEWS = {"organization_history": "get", "organization_committee": "get"}
MEMBERSHIP_VIEWS = {"membership_end": "post", "membership_role": "post", "membership_remove": "post"}
READ_VIEWS = set(KINDS) | set(ORGANIZATION_VIEWS)


def id_taking_patterns():
    return {p.name for p in qcdc_urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters}


def test_matrix_covers_every_id_taking_view():
    covered = set(SUBMISSION_VIEWS) | set(CYCLE_VIEWS) | set(ORGANIZATION_VIEWS) | set(MEMBERSHIP_VIEWS)
    assert id_taking_patterns() == covered


@pytest.fixture(scope="module")
def foreign_once(django_db_setup, django_db_blocker):
    """Built once for the module (tests/module_data.py)."""
    with module_data.built_once(
        django_db_blocker, lambda staff: _build_foreign(OrganizationFactory(name="Đảng bộ Sở Y tế", code="SOYT"), staff)
    ) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("foreign_once")


@pytest.fixture
def other_organization(foreign_once):
    return BaseOrganization.objects.get(pk=foreign_once["organization"].pk)


@pytest.fixture
def foreign(foreign_once, db):
    """A copy of the Python objects for each test."""
    return copy.deepcopy(foreign_once)


def _build_foreign(other_organization, staff_user):
    """One of each kind of submission, and a committee member, belonging to another organisation."""
    cycle = open_cycle(staff_user)
    objects = {
        "plan": PlanFactory(cycle=cycle, organization=other_organization, summary=SECRET, status="accepted"),
        "committee": CommitteeFactory(cycle=cycle, organization=other_organization, notes=SECRET),
        "report": ReportFactory(cycle=cycle, organization=other_organization, findings_leadership=SECRET),
        "bright_spot": BrightSpotFactory(cycle=cycle, organization=other_organization, title=SECRET),
        "membership": MembershipFactory(organization=other_organization, full_name=SECRET),
        "cycle": cycle,
        "organization": other_organization,
    }
    return objects


def _pk(foreign, name):
    if name in SUBMISSION_VIEWS:
        return foreign[next(k for k in sorted(KINDS, key=len, reverse=True) if name.startswith(k))].pk
    if name in CYCLE_VIEWS:
        return foreign["cycle"].pk
    if name in ORGANIZATION_VIEWS:
        return foreign["organization"].pk
    return foreign["membership"].pk


def _call(client, method, name, pk):
    url = reverse(f"democracy_regs:{name}", args=[pk])
    data = {"comment": "x", "left_on": "01/06/2024", "reason": "nhập nhầm"}
    return client.post(url, data) if method == "post" else client.get(url)


def _statuses(foreign):
    return [type(foreign[k]).objects.get(pk=foreign[k].pk).status for k in KINDS]


ID_VIEWS = {**SUBMISSION_VIEWS, **ORGANIZATION_VIEWS, **MEMBERSHIP_VIEWS}


@pytest.mark.parametrize(("name", "method"), ID_VIEWS.items())
def test_officer_of_another_organisation_gets_404(officer_client, foreign, name, method):
    before = _statuses(foreign)
    response = _call(officer_client, method, name, _pk(foreign, name))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert _statuses(foreign) == before
    foreign["membership"].refresh_from_db()
    assert foreign["membership"].left_on is None


@pytest.mark.parametrize(("name", "method"), {**ID_VIEWS, **CYCLE_VIEWS}.items())
def test_anonymous_is_sent_to_login(client, foreign, name, method):
    response = _call(client, method, name, _pk(foreign, name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "method"), ID_VIEWS.items())
def test_leader_reads_but_never_writes(client, foreign, name, method):
    client.force_login(UserFactory(role="leader"))
    before = _statuses(foreign)
    response = _call(client, method, name, _pk(foreign, name))
    if name in READ_VIEWS:
        assert response.status_code == 200
        if name != "organization_history":
            assert SECRET in response.content.decode()
    else:
        assert response.status_code == 403
    assert _statuses(foreign) == before


@pytest.mark.parametrize(("name", "method"), CYCLE_VIEWS.items())
def test_officer_opens_cycle_pages_within_their_scope(officer_client, foreign, name, method):
    response = _call(officer_client, method, name, _pk(foreign, name))
    if name in ("cycle_edit", "statistics", "statistics_xlsx", "missing", "cycle_submissions"):
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("name", [n for n, m in {**ID_VIEWS, **CYCLE_VIEWS}.items() if m == "get"])
def test_staff_open_every_page(staff_client, foreign, name):
    # Staff's write actions are driven in the flow tests.
    assert _call(staff_client, "get", name, _pk(foreign, name)).status_code == 200


def test_attachment_is_served_only_to_those_who_may_see_it(client, foreign, staff_user, officer_user):
    attachment = workflow.attachment_add(actor=staff_user, submission=foreign["plan"], uploaded=pdf("ke-hoach-ky.pdf"))
    url = reverse("submissions:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(officer_user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role="officer", organization=foreign["organization"]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "ke-hoach-ky.pdf" in response["Content-Disposition"]

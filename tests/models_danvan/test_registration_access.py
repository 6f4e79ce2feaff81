"""Permission isolation for every “Dân vận khéo” view that takes an id: an officer never sees or changes
another organisation's registrations or evaluations; leaders read; staff manage."""

import io

import openpyxl
import pytest
from django.urls import URLPattern, reverse

from models_danvan import urls as danvan_urls
from tests.factories import CampaignFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Views whose id is a registration or an evaluation (object-level isolation), and the method they answer.
REGISTRATION_VIEWS = {
    "registration": "get",
    "registration_edit": "get",
    "registration_submit": "post",
    "registration_return": "post",
    "registration_accept": "post",
    "registration_attach": "post",
    "registration_withdraw": "post",
    "registration_delete": "post",
    "registration_outstanding": "post",
    "evaluation_create": "get",
    "lineage": "get",
}
EVALUATION_VIEWS = {
    "evaluation": "get",
    "evaluation_edit": "get",
    "evaluation_submit": "post",
    "evaluation_return": "post",
    "evaluation_assess": "post",
}
# Views whose id is a campaign: any signed-in user may open them, each sees only their scope.
CAMPAIGN_VIEWS = {
    "campaign": "get",
    "campaign_edit": "get",
    "registrations": "get",
    "registration_create": "get",
    "carry_over": "get",
    "statistics": "get",
    "statistics_organizations": "get",
    "statistics_xlsx": "get",
    "registrations_xlsx": "get",
}
ORGANIZATION_VIEWS = {"organization_history": "get"}


def id_taking_patterns():
    return {p.name for p in danvan_urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters}


def test_matrix_covers_every_id_taking_view():
    covered = set(REGISTRATION_VIEWS) | set(EVALUATION_VIEWS) | set(CAMPAIGN_VIEWS) | set(ORGANIZATION_VIEWS)
    assert id_taking_patterns() == covered


@pytest.fixture
def foreign(other_organization, staff_user):
    """A registration (accepted, with a submitted evaluation) belonging to another organisation."""
    from models_danvan.models import Evaluation

    registration = RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user),
        organization=other_organization,
        status="accepted",
        name="Mô hình bí mật của đơn vị khác",
    )
    evaluation = Evaluation.objects.create(
        registration=registration,
        organization=other_organization,
        period="mid_year",
        results="Kết quả riêng",
        self_rating="good",
        status="submitted",
        created_by=staff_user,
    )
    return registration, evaluation


def _call(client, method, name, pk):
    url = reverse(f"models_danvan:{name}", args=[pk])
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method"), [*REGISTRATION_VIEWS.items(), *EVALUATION_VIEWS.items()])
def test_officer_of_another_organisation_gets_404(officer_client, foreign, name, method):
    registration, evaluation = foreign
    pk = evaluation.pk if name in EVALUATION_VIEWS else registration.pk
    response = _call(officer_client, method, name, pk)
    assert response.status_code in (403, 404)
    assert "Mô hình bí mật của đơn vị khác" not in response.content.decode()
    registration.refresh_from_db()
    evaluation.refresh_from_db()
    assert (registration.status, evaluation.status) == ("accepted", "submitted")


@pytest.mark.parametrize(
    ("name", "method"), [*REGISTRATION_VIEWS.items(), *EVALUATION_VIEWS.items(), *CAMPAIGN_VIEWS.items()]
)
def test_anonymous_is_sent_to_login(client, foreign, name, method):
    registration, evaluation = foreign
    pk = {
        **dict.fromkeys(EVALUATION_VIEWS, evaluation.pk),
        **dict.fromkeys(CAMPAIGN_VIEWS, registration.campaign_id),
    }.get(name, registration.pk)
    response = _call(client, method, name, pk)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "method"), [*REGISTRATION_VIEWS.items(), *EVALUATION_VIEWS.items()])
def test_leader_reads_but_never_writes(client, foreign, name, method):
    registration, evaluation = foreign
    client.force_login(UserFactory(role="leader"))
    pk = evaluation.pk if name in EVALUATION_VIEWS else registration.pk
    response = _call(client, method, name, pk)
    if name in ("registration", "evaluation", "lineage"):
        assert response.status_code == 200
        assert "Mô hình bí mật của đơn vị khác" in response.content.decode()
    else:
        assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == "accepted"


def test_officer_lists_only_own_registrations(officer_client, officer_user, foreign):
    registration, _ = foreign
    RegistrationFactory(campaign=registration.campaign, organization=officer_user.organization, name="Mô hình của tôi")
    page = officer_client.get(reverse("models_danvan:registrations", args=[registration.campaign_id])).content.decode()
    assert "Mô hình của tôi" in page
    assert "Mô hình bí mật của đơn vị khác" not in page


def test_officer_cannot_carry_over_another_organisations_model(officer_client, foreign, staff_user):
    registration, _ = foreign
    next_year = CampaignFactory(year=registration.campaign.year + 1, created_by=staff_user)
    response = officer_client.post(
        reverse("models_danvan:carry_over", args=[next_year.pk]), {"previous": registration.pk}
    )
    assert response.status_code == 404
    assert not next_year.registrations.exists()


def test_officer_cannot_open_campaign_editing(officer_client, foreign):
    registration, _ = foreign
    assert _call(officer_client, "get", "campaign_edit", registration.campaign_id).status_code == 403


@pytest.mark.parametrize("name", ORGANIZATION_VIEWS)
def test_organisation_views_isolate_organisations(client, officer_user, foreign, leader_user, name):
    registration, _ = foreign
    url = reverse(f"models_danvan:{name}", args=[registration.organization_id])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(officer_user)
    response = client.get(url)
    assert response.status_code == 404
    assert "Mô hình bí mật của đơn vị khác" not in response.content.decode()
    own = client.get(reverse(f"models_danvan:{name}", args=[officer_user.organization_id]))
    assert own.status_code == 200
    client.force_login(leader_user)
    assert "Mô hình bí mật của đơn vị khác" in client.get(url).content.decode()


@pytest.mark.parametrize("name", ["statistics", "statistics_xlsx"])
def test_statistics_are_for_staff_and_leaders_only(client, officer_user, leader_user, staff_user, foreign, name):
    registration, _ = foreign
    url = reverse(f"models_danvan:{name}", args=[registration.campaign_id])
    client.force_login(officer_user)
    assert client.get(url).status_code == 403
    for user in (leader_user, staff_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_officer_exports_only_own_registrations(officer_client, officer_user, foreign):
    registration, _ = foreign
    RegistrationFactory(campaign=registration.campaign, organization=officer_user.organization, name="Mô hình của tôi")
    response = officer_client.get(reverse("models_danvan:registrations_xlsx", args=[registration.campaign_id]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[5] for row in workbook.active.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert names == ["Mô hình của tôi"]

"""Permission isolation for every indicator view that takes an id: an officer never sees or changes another
organisation's report (404, nothing leaks); officers never reach staff or reader pages (403); leaders read and
never write; anonymous users are sent to sign in."""

from datetime import date

import pytest
from django.urls import URLPattern, reverse

from indicators import services
from indicators import urls as indicator_urls
from tests import module_data
from tests.factories import OrganizationFactory, UserFactory

from .conftest import at, make_definition, make_first_half

SECRET = "Nội dung riêng của đơn vị khác"
REPORT_VIEWS = {
    "report": "get", "report_edit": "get", "report_submit": "post", "report_return": "post",
    "report_accept": "post", "report_attach": "post", "report_withdraw": "post", "report_delete": "post",
}  # fmt: skip
# Staff only (officers and leaders: 403).
STAFF_VIEWS = {
    "definition_edit": "get",
    "section_add": "post",
    "indicator_add": "post",
    "indicator_move": "post",
    "round_open": "post",
}
# Staff and leaders (officers: 403).
READER_VIEWS = {"definition": "get", "aggregate": "get", "aggregate_xlsx": "get"}
# Any signed-in user; each sees only their own organisation's part.
ROUND_VIEWS = {"round": "get", "report_create": "get"}
ALL = {**REPORT_VIEWS, **STAFF_VIEWS, **READER_VIEWS, **ROUND_VIEWS}


def test_matrix_covers_every_id_taking_view():
    names = {p.name for p in indicator_urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters}
    assert names == set(ALL)


def _foreign(staff_user):
    """Another organisation's report, sent: what every test below tries to reach (and must leave unchanged)."""
    other_organization = OrganizationFactory(name="Đảng bộ Sở Y tế", code="SOYT")
    other_officer_user = UserFactory(username="canbokhac", role="officer", organization=other_organization)
    definition = make_definition(staff_user)
    first_half = make_first_half(staff_user, definition)
    with at(date(2024, 7, 5)):
        report = services.report_create(
            actor=other_officer_user,
            round_=first_half,
            organization=other_organization,
            values={"nhiem_vu": "12", "ten_mo_hinh": SECRET},
        )
        report = services.report_submit(actor=other_officer_user, report=report)
    return {"report": report, "definition": definition, "round": first_half}


@pytest.fixture(scope="module")
def foreign_once(django_db_setup, django_db_blocker):
    """The foreign report built once for the module (the tests only try to read or change it), in a transaction
    rolled back after it; each test's own transaction nests in it."""
    with module_data.built_once(django_db_blocker, _foreign) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("foreign_once")


@pytest.fixture
def foreign(db, foreign_once):
    return foreign_once


def _pk(foreign, name):
    if name in REPORT_VIEWS:
        return foreign["report"].pk
    if name in ROUND_VIEWS or name.startswith("aggregate"):
        return foreign["round"].pk
    return foreign["definition"].pk


def _call(browser, name, foreign):
    url = reverse(f"indicators:{name}", args=[_pk(foreign, name)])
    return browser.post(url, {"comment": "x", "title": "x"}) if ALL[name] == "post" else browser.get(url)


def _state(foreign):
    report = type(foreign["report"]).objects.get(pk=foreign["report"].pk)
    return report.status, report.values, foreign["definition"].indicators.count()


@pytest.mark.parametrize("name", REPORT_VIEWS)
def test_officer_of_another_organisation_gets_404(officer_client, foreign, name):
    before = _state(foreign)
    response = _call(officer_client, name, foreign)
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert _state(foreign) == before


@pytest.mark.parametrize("name", {**STAFF_VIEWS, **READER_VIEWS})
def test_officer_gets_403_on_staff_and_reader_pages(officer_client, foreign, name):
    before = _state(foreign)
    assert _call(officer_client, name, foreign).status_code == 403
    assert _state(foreign) == before


def test_officer_round_page_shows_nothing_of_others(officer_client, foreign):
    page = officer_client.get(foreign["round"].get_absolute_url()).content.decode()
    assert SECRET not in page and foreign["report"].get_absolute_url() not in page


@pytest.mark.parametrize("name", ALL)
def test_anonymous_is_sent_to_login(client, foreign, name):
    response = _call(client, name, foreign)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ALL)
def test_leader_reads_but_never_writes(client, foreign, name):
    client.force_login(UserFactory(role="leader"))
    before = _state(foreign)
    response = _call(client, name, foreign)
    if name in {"report", "definition", "aggregate", "aggregate_xlsx", "round"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    assert _state(foreign) == before

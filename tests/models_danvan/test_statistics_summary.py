"""The statistics page's figures (selectors.campaign_summary, counted in SQL, the first organisations of each list)
against the organisation-by-organisation reading the export and the documents use (campaign_statistics), on a
year built day by day through the services — sendings spread over April, a return, a withdrawal, a draft, a
bloc-level model, a rename, a dissolution before the due date, a merge after it, an organisation created in
September, evaluations — then asked about past dates afterwards, with and without the filters. Then the page:
20 organisations a list, "… và N đơn vị khác", the full list a page at a time, constant queries, and a cached
value without organisation instances."""

import copy
import pickle
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.core import figures_cache
from dukportal.submissions import services as workflow
from models_danvan import selectors, services
from models_danvan.models import Category, EvaluationPeriod, Rating, Registration
from organizations import reorganization
from organizations.models import BaseOrganization, Sector
from tests import module_data
from tests.factories import OrganizationFactory, UserFactory
from tests.models_danvan.test_statistics_by_date import _register, at

pytestmark = pytest.mark.django_db
DEADLINE = date(2024, 5, 15)
SECTORS = [Sector.ADMINISTRATIVE] * 20 + [Sector.PUBLIC_SERVICE] * 6 + [Sector.ENTERPRISE] * 8
# Before the due date (10 of 34 had sent: 24 to chase, more than a page lists), the day of the dissolution, the
# due date, after the withdrawal and the rename, after the merge, year end, and last year's end.
DATES = [
    date(2024, 4, 10),
    date(2024, 5, 1),
    DEADLINE,
    date(2024, 6, 5),
    date(2024, 7, 20),
    date(2024, 12, 31),
    date(2023, 12, 31),
]


def _build(staff):
    orgs = [
        OrganizationFactory(
            code=f"T{number:02d}",
            name=f"Đảng bộ {number:02d}",
            sector=sector,
            danvan_officer_name=f"Cán bộ {number:02d}" if number % 3 else "",
            secretary_name=f"Bí thư {number:02d}",
            phone=f"0216 38{number:04d}",
            email=f"db{number:02d}@example.vn" if number % 2 else "",
            valid_from=date(2020, 1, 1),
        )
        for number, sector in enumerate(SECTORS)
    ]
    officers = [UserFactory(role="officer", organization=org) for org in orgs]
    with at(date(2023, 3, 20)):
        last_year = services.campaign_save(
            actor=staff,
            year=2023,
            plan_number="150-KH/ĐUK",
            plan_date=date(2023, 3, 20),
            registration_deadline=date(2023, 4, 30),
            midyear_deadline=date(2023, 7, 15),
            yearend_deadline=date(2023, 12, 15),
        )
    with at(date(2023, 4, 10)):
        for index in range(0, 12):
            workflow.submission_submit(
                actor=officers[index],
                submission=_register(officers[index], last_year, Category.ECONOMY, f"2023-{index}"),
            )
    with at(date(2024, 3, 25)):
        campaign = services.campaign_save(
            actor=staff,
            year=2024,
            plan_number="252-KH/ĐUK",
            plan_date=date(2024, 3, 25),
            registration_deadline=DEADLINE,
            midyear_deadline=date(2024, 7, 15),
            yearend_deadline=date(2024, 12, 15),
        )
    sent = {}
    categories = Category.values
    for index in range(24):  # o[0..23] send one a day from 1/4; o[0..3] two (the second an exemplar)
        with at(date(2024, 4, 1 + index)):
            officer = officers[index]
            category = categories[index % len(categories)]
            sent[index] = workflow.submission_submit(
                actor=officer, submission=_register(officer, campaign, category, f"Mô hình {index}")
            )
            if index < 4:
                workflow.submission_submit(
                    actor=officer,
                    submission=_register(officer, campaign, Category.EXEMPLAR_COLLECTIVE, f"Điển hình {index}"),
                )
    with at(date(2024, 4, 12)):
        bloc = _register(staff, campaign, Category.POLITICAL_SYSTEM, "Mô hình cấp Khối", organization=None)
        workflow.submission_submit(actor=staff, submission=bloc)
    with at(date(2024, 5, 1)):
        reorganization.organization_dissolve(
            actor=staff, organization=orgs[30], effective_on=date(2024, 5, 1), reason="Giải thể"
        )
    with at(date(2024, 5, 2)):
        workflow.submission_return(actor=staff, submission=sent[6], comment="Bổ sung kết quả.")
    with at(DEADLINE, 16):
        _register(officers[25], campaign, Category.ECONOMY, "Bản nháp")  # never sent
    with at(date(2024, 5, 20)):
        for index in (0, 1, 2, 3, 4):
            workflow.submission_accept(actor=staff, submission=Registration.objects.get(pk=sent[index].pk))
        late = _register(officers[24], campaign, Category.CULTURE_SOCIETY, "Gửi muộn")
        workflow.submission_submit(actor=officers[24], submission=late)
    with at(date(2024, 6, 1)):
        workflow.submission_withdraw(
            actor=staff, submission=Registration.objects.get(pk=sent[5].pk), comment="Gửi nhầm đợt."
        )
        reorganization.organization_rename(
            actor=staff, organization=orgs[2], name="Đảng bộ 02 (tên mới)", effective_on=date(2024, 6, 1)
        )
    with at(date(2024, 7, 1)):
        reorganization.organizations_merge(
            actor=staff, predecessors=[orgs[10], orgs[11]], into=orgs[12], effective_on=date(2024, 7, 1)
        )
    with at(date(2024, 7, 10)):
        evaluation = services.evaluation_create(
            actor=officers[0],
            registration=Registration.objects.get(pk=sent[0].pk),
            period=EvaluationPeriod.MID_YEAR,
            results="Đã triển khai",
            figures="",
            self_rating=Rating.GOOD,
        )
        workflow.submission_submit(actor=officers[0], submission=evaluation)
    with at(date(2024, 7, 12)):
        services.evaluation_assess(actor=staff, evaluation=evaluation, committee_rating=Rating.GOOD)
    with at(date(2024, 9, 5)):
        newcomer = OrganizationFactory(code="T99", name="Đảng bộ thành lập 9/2024", valid_from=date(2024, 9, 1))
        officer = UserFactory(role="officer", organization=newcomer)
        workflow.submission_submit(
            actor=officer, submission=_register(officer, campaign, Category.ECONOMY, "Mô hình mới")
        )  # a model, but not in x/y: it did not exist on the due date
    return campaign, last_year, orgs


@pytest.fixture(scope="module")
def year_once(django_db_setup, django_db_blocker):
    with module_data.built_once(django_db_blocker, _build) as built:
        yield built


bloc, staff_user = module_data.bloc_and_staff_of("year_once")


@pytest.fixture
def year(year_once, db):
    with at(date(2024, 12, 31)):
        yield copy.deepcopy(year_once)


def _entry(org) -> tuple:
    """What a list shows of one organisation (an organisation of campaign_statistics or an OrganizationEntry)."""
    if isinstance(org, selectors.OrganizationEntry):
        return (org.pk, org.name, org.sector, org.danvan_officer_name, org.secretary_name, org.phone, org.email,
                org.registration_count)  # fmt: skip
    return (org.pk, org.name_on_date, org.sector, org.danvan_officer_name, org.secretary_name, org.phone, org.email,
            org.registration_count)  # fmt: skip


FIGURES = ("expected", "registered", "total", "bloc_level", "base_level", "continued", "new", "models",
           "exemplars", "commended", "replicated", "by_category", "by_level_origin")  # fmt: skip


def _rows(stats) -> list:
    return [
        [vars(row) for row in stats.rows],
        [vars(row) for row in stats.by_sector],
        [vars(row) for row in stats.evaluations],
    ]


@pytest.mark.parametrize("on", DATES)
@pytest.mark.parametrize("sector, category", [("", ""), (Sector.ADMINISTRATIVE, ""), ("", Category.ECONOMY)])
def test_the_summary_agrees_with_the_statistics_on_every_date(year, on, sector, category):
    campaign, last_year, _orgs = year
    for asked in (campaign, last_year):
        full = selectors.campaign_statistics(asked, on=on, sector=sector, category=category)
        summary = selectors.campaign_summary(asked, on=on, sector=sector, category=category)
        assert [getattr(summary, name) for name in FIGURES] == [getattr(full, name) for name in FIGURES]
        assert _rows(summary) == _rows(full)
        assert summary.dispatch_sentence == full.dispatch_sentence
        preview = selectors.ORGANIZATION_PREVIEW
        assert summary.missing_count == len(full.missing)
        assert [_entry(org) for org in summary.missing] == [_entry(org) for org in full.missing[:preview]]
        assert [_entry(org) for org in summary.registered_organizations] == [
            _entry(org) for org in full.registered_organizations[:preview]
        ]
        for registered, theirs in ((False, full.missing), (True, full.registered_organizations)):
            rows = selectors.OrganizationList(asked, on, registered=registered, sector=sector, category=category)
            assert rows.count() == len(theirs)
            assert [_entry(org) for org in rows[0:1000]] == [_entry(org) for org in theirs]
            assert [_entry(org) for org in rows[3:7]] == [_entry(org) for org in theirs[3:7]]


@pytest.mark.parametrize("on", DATES)
def test_the_trend_agrees_with_each_years_statistics(year, on):
    for sector, category in (("", ""), (Sector.ENTERPRISE, ""), ("", Category.ECONOMY)):
        for line in selectors.yearly_totals(on=on, sector=sector, category=category):
            campaign = year[0] if line["campaign_id"] == year[0].pk else year[1]
            stats = selectors.campaign_statistics(campaign, on=on, sector=sector, category=category)
            assert (line["organizations"], line["expected"]) == (stats.registered, stats.expected), (on, line)
            assert (line["total"], line["models"], line["exemplars"]) == (stats.total, stats.models, stats.exemplars)
            assert (line["continued"], line["new"]) == (stats.continued, stats.new)


def test_the_cases_the_comparison_rests_on_are_there(year):
    campaign, _last_year, orgs = year
    april = selectors.campaign_summary(campaign, on=date(2024, 4, 10))
    assert (april.ratio_label, april.missing_count, len(april.missing)) == ("10/34", 24, 20)
    may = selectors.campaign_summary(campaign, on=DEADLINE)
    # o[30] dissolved from 1/5: 33 owed it; o[6] returned still counts.
    assert (may.ratio_label, may.more_registered, may.more_missing) == ("24/33", 4, 0)
    june = selectors.campaign_summary(campaign, on=date(2024, 6, 5))
    assert june.ratio_label == "24/33"  # o[5] withdrawn, o[24] sent late
    assert [entry.name for entry in june.registered_organizations][2] == "Đảng bộ 02 (tên mới)"
    assert [entry.name for entry in may.registered_organizations][2] == "Đảng bộ 02"
    december = selectors.campaign_summary(campaign, on=date(2024, 12, 31))
    # Merged away on 1/7, o[10] and o[11] still owed it on the due date and still count; the newcomer does not.
    assert orgs[10].pk in [entry.pk for entry in december.registered_organizations]
    assert (december.ratio_label, december.total) == ("24/33", 30)
    assert [row.assessed for row in december.evaluations] == [1, 0]
    assert BaseOrganization.objects.get(pk=orgs[10].pk).valid_to == date(2024, 6, 30)


def _table_rows(html: str, table: str) -> int:
    part = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr><td>\d+</td>", part))


def test_the_page_lists_20_organisations_a_list_and_links_to_all(client, year, staff_user):
    campaign, _last_year, orgs = year
    client.force_login(staff_user)
    url = reverse("models_danvan:statistics", args=[campaign.pk])
    html = client.get(url, {"ngay": "10/04/2024"}).content.decode()
    assert _table_rows(html, "missing-table") == 20 and _table_rows(html, "registered-table") == 10
    full = reverse("models_danvan:statistics_organizations", args=[campaign.pk])
    assert "… và 4 đơn vị khác." in html
    assert f'href="{full}?muc=chua-gui&amp;ngay=10%2F04%2F2024" class="full-list-link">Danh sách đầy đủ 24' in html
    html = client.get(url, {"sector": Sector.ADMINISTRATIVE}).content.decode()
    # 20 administrative organisations, all sent but o[5], withdrawn on 1/6.
    assert _table_rows(html, "registered-table") == 19 and "… và" not in html
    html = client.get(url).content.decode()
    assert _table_rows(html, "registered-table") == 20 and "… và 4 đơn vị khác." in html
    assert f'href="{full}?muc=da-gui" class="full-list-link">Danh sách đầy đủ 24 đơn vị đã gửi</a>' in html
    assert "tat_ca" not in html


def test_the_full_list_shows_every_organisation_a_page_at_a_time(client, year, staff_user):
    campaign, _last_year, orgs = year
    client.force_login(staff_user)
    url = reverse("models_danvan:statistics_organizations", args=[campaign.pk])
    response = client.get(url, {"ngay": "10/04/2024"})
    assert response.context["page"].paginator.count == 24 and response.context["slug"] == "chua-gui"
    html = response.content.decode()
    assert _table_rows(html, "missing-table") == 24
    assert orgs[33].name in html and orgs[33].phone in html and orgs[33].email in html
    assert "Bí thư 33" in html and "Cán bộ 32" in html
    assert 'value="10/04/2024"' in html  # the reference date is kept
    response = client.get(url, {"muc": "da-gui", "sector": Sector.ENTERPRISE})
    assert response.context["page"].paginator.count == 0 or all(
        entry.sector == Sector.ENTERPRISE for entry in response.context["page"].object_list
    )
    response = client.get(url, {"muc": "da-gui"})
    html = response.content.decode()
    assert response.context["page"].paginator.count == 24 and _table_rows(html, "registered-table") == 24
    assert "Đảng bộ thành lập 9/2024" not in html
    for n in range(90):
        OrganizationFactory(name=f"Đảng bộ bổ sung {n:03d}", valid_from=date(2020, 1, 1))
    first = client.get(url, {"ngay": "10/04/2024"})
    assert first.context["page"].paginator.count == 114 and _table_rows(first.content.decode(), "missing-table") == 100
    second = client.get(url, {"ngay": "10/04/2024", "page": 2}).content.decode()
    assert _table_rows(second, "missing-table") == 14 and "<tr><td>101</td>" in second and "Trang 2/2" in second


def test_officers_cannot_open_the_full_list(client, year):
    campaign, _last_year, orgs = year
    client.force_login(UserFactory(role="officer", organization=orgs[0]))
    assert client.get(reverse("models_danvan:statistics_organizations", args=[campaign.pk])).status_code == 403


def test_the_page_and_the_full_list_need_the_same_queries_for_34_or_94_organisations(client, year, staff_user):
    campaign, _last_year, _orgs = year
    client.force_login(staff_user)
    urls = [
        reverse("models_danvan:statistics", args=[campaign.pk]),
        reverse("models_danvan:statistics_organizations", args=[campaign.pk]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {"ngay": "10/04/2024"}).status_code == 200
            result.append(len(captured))
        return result

    client.get(urls[0])
    small = counts()
    for n in range(60):
        OrganizationFactory(name=f"Đảng bộ bổ sung {n:03d}", valid_from=date(2020, 1, 1))
    assert counts() == small

    def summary_queries():
        with CaptureQueriesContext(connection) as captured:
            selectors.campaign_summary(campaign, on=date(2024, 4, 10))
        return len(captured)

    # The deadlines, the counts by sector, both lists' first rows (one UNION ALL), the breakdown, the
    # evaluations (two).
    assert summary_queries() == 6


@pytest.mark.figures_cache
def test_the_cached_figure_is_the_summary_without_organisation_instances(client, year, staff_user):
    campaign, _last_year, _orgs = year
    client.force_login(staff_user)
    url = reverse("models_danvan:statistics", args=[campaign.pk])
    client.get(url)
    from django.core.cache import cache

    on = date(2024, 12, 31)
    key = figures_cache.key("danvan_statistics", on=on, user=staff_user, params=(campaign.pk, "", ""))
    stats, _years = cache.get(key)
    assert isinstance(stats, selectors.CampaignSummary)
    assert len(stats.registered_organizations) == selectors.ORGANIZATION_PREVIEW
    assert b"BaseOrganization" not in pickle.dumps(stats)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.context["stats"].ratio_label == stats.ratio_label == "24/33"
    assert not any("models_danvan_registration" in q["sql"] for q in captured.captured_queries)

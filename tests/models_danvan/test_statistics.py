"""The statistics of a campaign year, on the page and in the Excel export, for a scenario with known counts:
dispatch 1720-CV/ĐUK's “30/74 … 133 mô hình: 02 cấp Đảng ủy Khối, 131 cấp cơ sở: 73 tiếp tục, 58 mới”."""

import io
import re
from collections import Counter
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_danvan import obligations, selectors
from models_danvan.exports import MISSING_TITLE, SUMMARY_TITLE
from models_danvan.models import Category, Origin, Registration
from organizations.models import Sector
from tests.factories import CampaignFactory, OrganizationFactory
from tests.models_danvan.factories import YEN_BAI_SECTORS, make_organizations, make_years, registration
from tests.timeline import complete_timelines

pytestmark = pytest.mark.django_db

C, N = Origin.CONTINUED, Origin.NEW
# Base-level models of 2024 by category: (continued, new). 73 continued + 58 new = 131.
BASE_PLAN = {
    Category.ECONOMY: (17, 13),
    Category.CULTURE_SOCIETY: (22, 18),
    Category.DEFENCE_SECURITY: (3, 3),
    Category.POLITICAL_SYSTEM: (24, 18),
    Category.EXEMPLAR_COLLECTIVE: (5, 3),
    Category.EXEMPLAR_INDIVIDUAL: (2, 3),
}
# The expected breakdown: category → (bloc, base, total, continued, new, commended, replicated).
EXPECTED_ROWS = {
    "economy": (1, 30, 31, 18, 13, 3, 0),
    "culture_society": (0, 40, 40, 22, 18, 1, 0),
    "defence_security": (0, 6, 6, 3, 3, 0, 0),
    "political_system": (1, 42, 43, 24, 19, 0, 2),
    "fields": (2, 118, 120, 67, 53, 4, 2),
    "exemplar_collective": (0, 8, 8, 5, 3, 0, 0),
    "exemplar_individual": (0, 5, 5, 2, 3, 0, 0),
    "exemplars": (0, 13, 13, 7, 6, 0, 0),
    "all": (2, 131, 133, 74, 59, 4, 2),
}
ROW_COLUMNS = ("bloc", "base", "total", "continued", "new", "commended", "replicated")
EXPECTED_FIGURES = {
    "registered-ratio": "30/74",
    "missing-count": "44",
    "figure-total": "133",
    "figure-bloc": "2",
    "figure-base": "131",
    "figure-continued": "74",
    "figure-new": "59",
    "figure-base-continued": "73",
    "figure-base-new": "58",
    "figure-bloc-continued": "1",
    "figure-bloc-new": "1",
    "figure-models": "120",
    "figure-models-bloc": "2",
    "figure-models-base": "118",
    "figure-models-continued": "67",
    "figure-models-new": "53",
    "figure-exemplars": "13",
    "figure-exemplars-continued": "7",
    "figure-exemplars-new": "6",
    "figure-commended": "4",
    "figure-replicated": "2",
    "sector-administrative-ratio": "20/47",
    "sector-administrative-registrations": "91",
    "sector-administrative-models": "80",
    "sector-administrative-exemplars": "11",  # plan indices 118–130 land on organisations 28, 29, 0–10
    "sector-public_service-ratio": "3/8",
    "sector-public_service-registrations": "12",
    "sector-enterprise-ratio": "7/19",
    "sector-enterprise-registrations": "28",
    # The trend across years, this year's line.
    "year-2024-organizations": "30",
    "year-2024-expected": "74",
    "year-2024-models": "120",
    "year-2024-exemplars": "13",
    "year-2024-total": "133",
    "year-2024-continued": "74",
    "year-2024-new": "59",
}


@pytest.fixture
def scenario(staff_user):
    """74 organisations active in 2024 (one of them dissolved on 30/6/2024, so still counted) plus two that
    are not (dissolved in 2023, created in 2025); 30 of the 74 registered 133 models in 2024."""
    organizations = make_organizations()
    organizations[0].valid_to = date(2024, 6, 30)
    organizations[0].save()
    gone = OrganizationFactory(name="Đảng bộ đã giải thể", valid_to=date(2023, 12, 31))
    future = OrganizationFactory(name="Đảng bộ thành lập năm 2025", valid_from=date(2025, 1, 1))
    last_year = CampaignFactory(year=2023, created_by=staff_user)
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    CampaignFactory(year=2025, created_by=staff_user)

    by_sector = {sector: [o for o in organizations if o.sector == sector] for sector in Sector.values}
    registered = (
        by_sector[Sector.ADMINISTRATIVE][:20] + by_sector[Sector.PUBLIC_SERVICE][:3] + by_sector[Sector.ENTERPRISE][:7]
    )
    plan = [
        (category, origin) for category, (continued, new) in BASE_PLAN.items() for origin in [C] * continued + [N] * new
    ]
    flags = Counter()
    rows = []
    for index, (category, origin) in enumerate(plan):
        organization = registered[index % len(registered)]
        previous = None
        if origin == C:
            previous = Registration.objects.create(
                **vars_of(registration(last_year, organization, category, status="accepted"))
            )
        commended = category == Category.ECONOMY and flags["commended-economy"] < 3
        commended = commended or (category == Category.CULTURE_SOCIETY and flags["commended-culture"] < 1)
        replicated = category == Category.POLITICAL_SYSTEM and flags["replicated"] < 2
        flags["commended-economy" if category == Category.ECONOMY else "commended-culture"] += commended
        flags["replicated"] += replicated
        rows.append(
            registration(
                campaign,
                organization,
                category,
                origin=origin,
                continued_from=previous,
                status=("submitted", "accepted", "returned")[index % 3],
                name=f"Mô hình 2024 số {index + 1:03d}",
                commended=commended,
                replicated=replicated,
            )
        )
    bloc_previous = Registration.objects.create(**vars_of(registration(last_year, None, Category.ECONOMY)))
    rows.append(registration(campaign, None, Category.ECONOMY, origin=C, continued_from=bloc_previous))
    rows.append(registration(campaign, None, Category.POLITICAL_SYSTEM, name="Mô hình cấp Khối 2024"))
    # Not counted: drafts (one of them the only registration of an organisation that is still missing), other
    # years, and organisations not active in 2024.
    missing = [o for o in organizations if o not in registered]
    rows += [
        registration(campaign, registered[0], Category.ECONOMY, status="draft", name="Bản nháp chưa gửi"),
        registration(campaign, missing[0], Category.ECONOMY, status="draft", name="Bản nháp của đơn vị chưa gửi"),
        registration(campaign, None, Category.ECONOMY, status="draft", name="Bản nháp cấp Khối"),
    ]
    Registration.objects.bulk_create(rows)
    complete_timelines()
    Registration.objects.create(**vars_of(registration(last_year, gone, Category.ECONOMY)))
    future_campaign = CampaignFactory(year=2025)
    Registration.objects.create(**vars_of(registration(future_campaign, future, Category.ECONOMY)))
    return campaign, registered, missing, plan


def vars_of(instance: Registration) -> dict:
    return {
        field.name: getattr(instance, field.name)
        for field in Registration._meta.concrete_fields
        if field.name not in ("id", "created_at", "updated_at")
    }


def page_values(html: str) -> dict[str, str]:
    """Text of every element with an id (the figures are leaf elements)."""
    return {key: value.strip() for key, value in re.findall(r'id="([\w-]+)"[^>]*>([^<]*)<', html)}


def test_statistics_page_shows_every_figure_of_the_dispatch(client, leader_user, scenario):
    campaign, registered, missing, _ = scenario
    client.force_login(leader_user)
    response = client.get(reverse("models_danvan:statistics", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    values = page_values(html)
    for key, expected in EXPECTED_FIGURES.items():
        assert values[key] == expected, key
    for category, expected in EXPECTED_ROWS.items():
        shown = tuple(int(values[f"n-{category}-{column}"]) for column in ROW_COLUMNS)
        assert shown == expected, category

    stats = response.context["stats"]
    assert (stats.registered, stats.expected, stats.total, stats.base_continued, stats.base_new) == (
        30,
        74,
        133,
        73,
        58,
    )
    # The page lists the first organisations to chase (Vietnamese order), then links to the full list.
    in_order = sorted(missing, key=lambda o: o.sort_key)
    preview = selectors.ORGANIZATION_PREVIEW
    assert stats.missing_count == 44
    assert [org.pk for org in stats.missing] == [org.pk for org in in_order[:preview]]
    missing_table = html[html.index('id="missing-table"') :]
    for organization in in_order[:preview]:
        assert organization.name in missing_table
        assert organization.danvan_officer_name in missing_table and organization.phone in missing_table
    assert f"… và {44 - preview} đơn vị khác" in missing_table
    full = reverse("models_danvan:statistics_organizations", args=[campaign.pk])
    assert f'href="{full}?muc=chua-gui"' in html and f'href="{full}?muc=da-gui"' in html
    # The list to chase, one click away: every missing organisation with its contact person and phone; none of
    # the others.
    listed = client.get(full, {"muc": "chua-gui"}).content.decode()
    missing_list = listed[listed.index('id="missing-table"') :]
    for organization in missing:
        assert organization.name in missing_list
        assert organization.danvan_officer_name in missing_list and organization.phone in missing_list
    for organization in registered:
        assert organization.name not in missing_table and organization.name not in missing_list
    assert "Đảng bộ đã giải thể" not in html and "Đảng bộ thành lập năm 2025" not in html
    assert "Đảng bộ đã giải thể" not in listed and "Đảng bộ thành lập năm 2025" not in listed
    registered_table = html[html.index('id="registered-table"') : html.index('id="missing-table"')]
    assert registered_table.count("/lich-su/") == preview
    listed = client.get(full, {"muc": "da-gui"}).content.decode()
    assert listed[listed.index('id="registered-table"') :].count("/lich-su/") == 30


def test_as_of_15_may_2024_drafted_later_gives_the_dispatch_figures(client, leader_user, scenario):
    """Asked afterwards “as of 15/5/2024” (everything was sent on 15/4), the figures are the dispatch's; as of
    14/4 nothing had been sent yet. The page's sentence is the dispatch's."""
    campaign, *_ = scenario
    client.force_login(leader_user)
    url = reverse("models_danvan:statistics", args=[campaign.pk])
    html = client.get(url, {"ngay": "15/05/2024"}).content.decode()
    values = page_values(html)
    for key, expected in EXPECTED_FIGURES.items():
        assert values[key] == expected, key
    assert (
        "Tính đến ngày 15/05/2024 đã có 30/74 chi, đảng bộ cơ sở gửi đăng ký mô hình, điển hình “Dân vận khéo” năm "
        "2024, với 133 mô hình, điển hình, trong đó 02 cấp Đảng ủy Khối và 131 cấp cơ sở (73 tiếp tục thực hiện "
        "từ năm 2023, 58 đăng ký mới); gồm 120 mô hình (02 cấp Đảng ủy Khối, 118 cấp cơ sở) và 13 điển hình."
    ) in html
    values = page_values(client.get(url, {"ngay": "14/04/2024"}).content.decode())
    assert (values["registered-ratio"], values["figure-total"], values["year-2024-total"]) == ("0/74", "0", "0")


def test_statistics_excel_holds_the_same_figures(client, staff_user, scenario):
    campaign, registered, missing, plan = scenario
    client.force_login(staff_user)
    response = client.get(reverse("models_danvan:statistics_xlsx", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "thong-ke-dan-van-kheo-2024.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [SUMMARY_TITLE, *[str(label) for label in Category.labels], MISSING_TITLE]

    summary = [list(row) for row in workbook[SUMMARY_TITLE].iter_rows(values_only=True)]
    assert summary[0][0] == "THỐNG KÊ ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2024"
    figures = {row[0]: row[1] for row in summary if row and row[0] and row[1] is not None}
    assert figures["Tổ chức cơ sở đảng đã gửi đăng ký"] == "30/74"
    assert figures["Tổ chức cơ sở đảng phải đăng ký"] == 74  # the registration deadline's expected set
    assert figures["Số tổ chức chưa gửi đăng ký"] == 44
    assert figures["Tổng số mô hình, điển hình"] == 133
    assert (figures["Cấp Đảng ủy Khối"], figures["Cấp cơ sở"]) == (2, 131)
    assert (figures["Cấp cơ sở tiếp tục thực hiện"], figures["Cấp cơ sở đăng ký mới"]) == (73, 58)
    assert (figures["Tiếp tục thực hiện"], figures["Đăng ký mới"]) == (74, 59)
    assert (figures["Mô hình (theo lĩnh vực)"], figures["Điển hình"]) == (120, 13)
    assert (figures["Đề nghị khen thưởng"], figures["Nhân rộng"]) == (4, 2)

    breakdown = {row[0]: tuple(row[1:8]) for row in summary if row and len(row) >= 8 and isinstance(row[1], int)}
    labels = dict(Category.choices) | {
        "fields": "Cộng mô hình",
        "exemplars": "Cộng điển hình",
        "all": "Tổng cộng",
    }
    for category, expected in EXPECTED_ROWS.items():
        assert breakdown[str(labels[category])] == expected, category
    sectors = {row[0]: tuple(row[1:5]) for row in summary if row and row[0] in dict(Sector.choices).values()}
    assert sectors["Khối hành chính"] == (47, 20, "20/47", 91)
    assert sectors["Khối sự nghiệp"] == (8, 3, "3/8", 12)
    assert sectors["Khối doanh nghiệp"] == (19, 7, "7/19", 28)

    # One sheet per field and kind of exemplar, listing exactly its sent registrations.
    for category, label in Category.choices:
        sheet = workbook[str(label)]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows.index(next(r for r in rows if r and r[0] == "STT"))
        data = rows[header + 1 :]
        expected = EXPECTED_ROWS[category][2]
        assert len(data) == expected, category
        assert [r[0] for r in data] == list(range(1, expected + 1))
        assert {r[4] for r in data} == {str(label)}
        assert not any("Bản nháp" in r[5] for r in data)
        assert sum(1 for r in data if r[3] == "Cấp Đảng ủy Khối") == EXPECTED_ROWS[category][0]
        assert sum(1 for r in data if r[6] == "Tiếp tục thực hiện") == EXPECTED_ROWS[category][3]
        continued_years = {r[7] for r in data if r[6] == "Tiếp tục thực hiện"}
        assert continued_years <= {2023}
        assert all(r[9] == date(2024, 1, 1) and r[10] == date(2024, 12, 31) for r in [tuple(
            c.date() if hasattr(c, "date") else c for c in r) for r in data])  # fmt: skip
    missing_rows = list(workbook[MISSING_TITLE].iter_rows(values_only=True))
    header = missing_rows.index(next(r for r in missing_rows if r and r[0] == "STT"))
    assert missing_rows[header] == ("STT", "Tổ chức cơ sở đảng", "Khối", "Người liên hệ", "Điện thoại", "Thư điện tử")
    listed = missing_rows[header + 1 :]
    assert len(listed) == 44
    assert {(r[1], r[3], r[4]) for r in listed} == {(o.name, o.danvan_officer_name, o.phone) for o in missing}


def test_filters_by_sector_and_field(client, leader_user, scenario):
    campaign, registered, _, plan = scenario
    client.force_login(leader_user)
    url = reverse("models_danvan:statistics", args=[campaign.pk])

    values = page_values(client.get(url, {"sector": Sector.ENTERPRISE}).content.decode())
    assert values["registered-ratio"] == "7/19"
    assert values["figure-total"] == "28"
    assert values["figure-bloc"] == "0"  # bloc-level models belong to no sector
    assert "sector-administrative-ratio" not in values

    # Only organisations with a model in the field count as registered for it.
    organizations_by_category = {}
    for index, (category, _origin) in enumerate(plan):
        organizations_by_category.setdefault(category, set()).add(registered[index % len(registered)].pk)
    html = client.get(url, {"category": Category.DEFENCE_SECURITY}).content.decode()
    assert "Tổ chức chưa gửi đăng ký mô hình, điển hình “Quốc phòng – an ninh”" in html
    values = page_values(html)
    assert values["registered-ratio"] == f"{len(organizations_by_category[Category.DEFENCE_SECURITY])}/74"
    assert (values["figure-total"], values["n-defence_security-total"], values["n-economy-total"]) == ("6", "6", "0")

    response = client.get(url, {"category": Category.ECONOMY, "sector": "not-a-sector"})
    assert response.context["params"] == {"category": "economy", "sector": ""}
    assert page_values(response.content.decode())["figure-total"] == "31"

    # The export follows the same filters: only the field's sheet.
    response = client.get(reverse("models_danvan:statistics_xlsx", args=[campaign.pk]), {"category": Category.ECONOMY})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [SUMMARY_TITLE, "Phát triển kinh tế", MISSING_TITLE]


def test_ratio_counts_the_organisations_that_owed_the_registration_on_its_due_date(client, staff_user):
    """y is the registration deadline's expected set (active on the due date, 30/4/2024 here), as tracking
    and the matrix count it; a registration sent by an organisation merged away before then is still a model."""
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    obligations.sync_campaign_deadlines(campaign)
    OrganizationFactory(name="Hết hiệu lực năm 2023", valid_to=date(2023, 12, 31))
    OrganizationFactory(name="Thành lập năm 2025", valid_from=date(2025, 1, 1))
    merged = OrganizationFactory(name="Sáp nhập ngày 31/3/2024", valid_to=date(2024, 3, 31))
    dissolved = OrganizationFactory(name="Giải thể ngày 30/6/2024", valid_to=date(2024, 6, 30))
    created = OrganizationFactory(name="Thành lập ngày 01/10/2024", valid_from=date(2024, 10, 1))
    Registration.objects.create(**vars_of(registration(campaign, merged, Category.ECONOMY)))
    Registration.objects.create(**vars_of(registration(campaign, dissolved, Category.ECONOMY)))
    complete_timelines()
    client.force_login(staff_user)
    response = client.get(reverse("models_danvan:statistics", args=[campaign.pk]))
    stats = response.context["stats"]
    assert stats.ratio_label == "1/1" and stats.total == 2
    assert [org.pk for org in stats.missing] == []
    assert created.pk not in [org.pk for org in stats.missing]
    assert "Hết hiệu lực năm 2023" not in response.content.decode()


def test_statistics_run_a_constant_number_of_queries(client, staff_user, django_assert_num_queries):
    """Counted on 2 organisations and one year, today, then asserted on 74 organisations with three years of
    registrations (444 rows: more organisations and more years than counted on) and on several reference dates (before the deadline, on it, at year end): the
    page and both exports run exactly as many queries. The campaign has its deadlines, so the evaluation
    figures are counted too."""
    client.force_login(staff_user)
    first = make_organizations(YEN_BAI_SECTORS[:2])
    campaign = make_years(first, 2024, 2024)[-1]
    obligations.sync_campaign_deadlines(campaign)
    urls = [
        reverse("models_danvan:statistics", args=[campaign.pk]),
        reverse("models_danvan:statistics_xlsx", args=[campaign.pk]),
        reverse("models_danvan:registrations_xlsx", args=[campaign.pk]),
    ]
    client.get(urls[0])  # the session's first request does some one-off work
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))

    Registration.objects.all().delete()
    rest = make_organizations(YEN_BAI_SECTORS[2:], start=3)
    make_years(first + rest, 2022, 2024)
    assert Registration.objects.filter(campaign__year__gte=2022).count() == 74 * 2 * 3
    for day in ("", "10/04/2024", "30/04/2024", "31/12/2024"):
        for url, count in zip(urls, counts, strict=True):
            with django_assert_num_queries(count):
                response = client.get(url, {"ngay": day} if day else {})
            assert response.status_code == 200
    stats = client.get(urls[0]).context["stats"]
    assert (stats.ratio_label, stats.total, stats.continued) == ("74/74", 148, 148)
    assert client.get(urls[0], {"ngay": "10/04/2024"}).context["stats"].ratio_label == "0/74"  # sent on 15/4


def test_models_and_exemplars_are_counted_apart_as_the_2023_figures(client, leader_user, staff_user):
    """2023: 101 base-level models and 9 exemplars, plus 2 bloc-level models. Every page and the export say
    so, and none of them adds the exemplars into the models."""
    organizations = make_organizations(YEN_BAI_SECTORS[:40])
    campaign = CampaignFactory(year=2023, created_by=staff_user)
    obligations.sync_campaign_deadlines(campaign)
    fields, exemplars = Category.fields(), Category.exemplars()
    rows = [registration(campaign, organizations[i % 40], fields[i % 4], name=f"Mô hình {i}") for i in range(101)]
    rows += [registration(campaign, organizations[i], exemplars[i % 2], name=f"Điển hình {i}") for i in range(9)]
    rows += [registration(campaign, None, fields[i], name=f"Mô hình cấp Khối {i}") for i in range(2)]
    rows.append(registration(campaign, organizations[0], exemplars[0], status="draft", name="Điển hình nháp"))
    Registration.objects.bulk_create(rows)
    complete_timelines()
    client.force_login(leader_user)
    day = {"ngay": "31/12/2023"}

    values = page_values(client.get(reverse("models_danvan:statistics", args=[campaign.pk]), day).content.decode())
    assert (values["figure-models"], values["figure-models-base"], values["figure-models-bloc"]) == ("103", "101", "2")
    assert (values["figure-exemplars"], values["n-exemplars-base"], values["figure-total"]) == ("9", "9", "112")
    assert values["year-2023-models"] == "103" and values["year-2023-exemplars"] == "9"

    response = client.get(reverse("models_danvan:statistics_xlsx", args=[campaign.pk]), day)
    summary = workbook_figures(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))))
    assert (summary["Mô hình cấp cơ sở"], summary["Mô hình cấp Đảng ủy Khối"], summary["Điển hình"]) == (101, 2, 9)

    page = page_values(client.get(reverse("models_danvan:campaign", args=[campaign.pk]), day).content.decode())
    assert (page["campaign-models-base"], page["campaign-models-bloc"], page["campaign-exemplars"]) == ("101", "2", "9")
    card = page_values(client.get(reverse("dashboard:index"), day).content.decode())
    assert (card["campaign-models-base"], card["campaign-models-bloc"], card["campaign-exemplars"]) == ("101", "2", "9")


def workbook_figures(workbook) -> dict:
    return {
        row[0]: row[1]
        for row in workbook[SUMMARY_TITLE].iter_rows(values_only=True)
        if row and row[0] and row[1] is not None
    }

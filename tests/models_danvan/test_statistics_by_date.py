"""A campaign year built day by day with the clock frozen (registrations sent before and after the deadline, a
return and resend, a withdrawal, a draft never sent, a bloc-level model, exemplars, a mid-year evaluation),
then asked about several reference dates afterwards: the statistics page, its .xlsx, the campaign page, the
organisation history and the dashboard give the same figures for the same date."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dukportal.submissions import deadlines
from dukportal.submissions import services as workflow
from dukportal.submissions.models import SubmissionStatus
from models_danvan import obligations, selectors, services
from models_danvan.exports import MISSING_TITLE, SUMMARY_TITLE
from models_danvan.models import Campaign, Category, EvaluationPeriod, Rating, Registration
from organizations.models import Sector
from tests import module_data
from tests.factories import OrganizationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = date(2024, 5, 15)


def at(day: date, hour: int = 9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def _register(officer, campaign, category, name, organization=None):
    return services.registration_create(
        actor=officer,
        campaign=campaign,
        organization=organization if organization is not None else officer.organization,
        category=category,
        name=name,
        aims="",
        content="",
        expected_results="",
        person_in_charge="Nguyễn Văn An",
        start_date=date(campaign.year, 1, 1),
        end_date=date(campaign.year, 12, 31),
    )


class Year:
    """What the scenario built, by letter: A, B, E administrative, C public service, D and F enterprise; G
    administrative, dissolved on 5/5 (before the deadline); E dissolved on 30/6; F created on 1/9."""

    def __init__(self, staff):
        self.staff = staff
        orgs = {
            "A": OrganizationFactory(code="A", name="Đảng bộ A", sector=Sector.ADMINISTRATIVE),
            "B": OrganizationFactory(code="B", name="Đảng bộ B", sector=Sector.ADMINISTRATIVE),
            "C": OrganizationFactory(code="C", name="Đảng bộ C", sector=Sector.PUBLIC_SERVICE),
            "D": OrganizationFactory(code="D", name="Đảng bộ D", sector=Sector.ENTERPRISE),
            "E": OrganizationFactory(
                code="E", name="Đảng bộ E", sector=Sector.ADMINISTRATIVE, valid_to=date(2024, 6, 30)
            ),
            "F": OrganizationFactory(code="F", name="Đảng bộ F", sector=Sector.ENTERPRISE, valid_from=date(2024, 9, 1)),
            "G": OrganizationFactory(
                code="G", name="Đảng bộ G", sector=Sector.ADMINISTRATIVE, valid_to=date(2024, 5, 5)
            ),
        }
        self.orgs = orgs
        self.officers = {key: UserFactory(role="officer", organization=org) for key, org in orgs.items()}


def _build_year(staff_user):
    built = Year(staff_user)
    o, staff = built.officers, staff_user
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
        previous = RegistrationFactory(
            campaign=last_year, organization=built.orgs["A"], category=Category.EXEMPLAR_COLLECTIVE, status="accepted"
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
    r = {}
    with at(date(2024, 4, 2)):
        r["A1"] = workflow.submission_submit(
            actor=o["A"], submission=_register(o["A"], campaign, Category.ECONOMY, "A1")
        )
        carried = services.registration_continue(actor=o["A"], previous=previous, campaign=campaign)
        r["A2"] = workflow.submission_submit(actor=o["A"], submission=carried)  # an exemplar, continued
    with at(date(2024, 4, 10)):
        bloc = _register(staff, campaign, Category.POLITICAL_SYSTEM, "Mô hình cấp Khối", organization=None)
        r["bloc"] = workflow.submission_submit(actor=staff, submission=bloc)
    with at(date(2024, 4, 20)):
        r["B"] = workflow.submission_submit(
            actor=o["B"], submission=_register(o["B"], campaign, Category.CULTURE_SOCIETY, "B1")
        )
    with at(date(2024, 5, 2)):
        workflow.submission_return(actor=staff, submission=r["B"], comment="Bổ sung kết quả dự kiến.")
    with at(date(2024, 5, 10)):
        r["C"] = workflow.submission_submit(
            actor=o["C"], submission=_register(o["C"], campaign, Category.EXEMPLAR_INDIVIDUAL, "C1")
        )
    with at(DEADLINE, 16):
        _register(o["D"], campaign, Category.ECONOMY, "Bản nháp của D")  # never sent
    with at(date(2024, 5, 20)):
        r["B"] = workflow.submission_submit(actor=o["B"], submission=Registration.objects.get(pk=r["B"].pk))
        r["E"] = workflow.submission_submit(
            actor=o["E"], submission=_register(o["E"], campaign, Category.ECONOMY, "E1")
        )  # late
    with at(date(2024, 5, 25)):
        for key in ("A1", "B", "E", "bloc"):
            workflow.submission_accept(actor=staff, submission=Registration.objects.get(pk=r[key].pk))
    with at(date(2024, 6, 1)):
        workflow.submission_withdraw(
            actor=staff, submission=Registration.objects.get(pk=r["C"].pk), comment="Gửi nhầm đợt."
        )
    with at(date(2024, 7, 10)):
        evaluation = services.evaluation_create(
            actor=o["A"],
            registration=Registration.objects.get(pk=r["A1"].pk),
            period=EvaluationPeriod.MID_YEAR,
            results="Đã triển khai",
            figures="",
            self_rating=Rating.GOOD,
        )
        workflow.submission_submit(actor=o["A"], submission=evaluation)
    with at(date(2024, 7, 12)):
        services.evaluation_assess(actor=staff, evaluation=evaluation, committee_rating=Rating.GOOD)
    with at(date(2024, 9, 5)):
        r["F"] = workflow.submission_submit(
            actor=o["F"], submission=_register(o["F"], campaign, Category.ECONOMY, "F1")
        )  # F did not exist on the due date: a model, but not in x/y
    built.campaign, built.registrations = campaign, r
    return built


# What a user reads on each reference date. y: organisations active on min(D, 15/5); x: those of them with a
# registration counted on D.
BEFORE, ON_DEADLINE, YEAR_END = date(2024, 4, 15), DEADLINE, date(2024, 12, 31)
FIGURES = {
    BEFORE: {
        "registered-ratio": "1/6",  # A of A, B, C, D, E, G (G still active on 15/4)
        "missing-count": "5",
        "figure-total": "3",
        "figure-bloc": "1",
        "figure-base": "2",
        "figure-continued": "1",
        "figure-new": "2",
        "figure-models": "2",
        "figure-models-bloc": "1",
        "figure-models-base": "1",
        "figure-models-continued": "0",
        "figure-models-new": "2",
        "figure-exemplars": "1",
        "figure-exemplars-continued": "1",
        "figure-exemplars-new": "0",
        "sector-administrative-ratio": "1/4",
        "sector-administrative-models": "1",
        "sector-administrative-exemplars": "1",
        "sector-public_service-ratio": "0/1",
        "sector-enterprise-ratio": "0/1",
        "year-2024-organizations": "1",
        "year-2024-expected": "6",
        "year-2024-total": "3",
        "year-2024-models": "2",
        "year-2024-exemplars": "1",
    },
    ON_DEADLINE: {
        "registered-ratio": "3/5",  # A, B (returned: still counted), C; G gone before the due date
        "missing-count": "2",
        "figure-total": "5",
        "figure-bloc": "1",
        "figure-base": "4",
        "figure-continued": "1",
        "figure-new": "4",
        "figure-models": "3",
        "figure-models-bloc": "1",
        "figure-models-base": "2",
        "figure-exemplars": "2",
        "figure-exemplars-continued": "1",
        "figure-exemplars-new": "1",
        "sector-administrative-ratio": "2/3",
        "sector-administrative-registrations": "3",
        "sector-administrative-models": "2",
        "sector-administrative-exemplars": "1",
        "sector-public_service-ratio": "1/1",
        "sector-public_service-exemplars": "1",
        "sector-enterprise-ratio": "0/1",  # D's draft does not count
        "n-economy-base": "1",
        "n-culture_society-base": "1",
        "n-political_system-bloc": "1",
        "n-exemplar_collective-continued": "1",
        "n-exemplar_individual-new": "1",
        "n-fields-total": "3",
        "n-exemplars-total": "2",
        "year-2024-organizations": "3",
        "year-2024-expected": "5",
        "year-2024-total": "5",
        "evaluation-mid_year-ratio": "0/0",  # no model accepted yet
    },
    YEAR_END: {
        "registered-ratio": "3/5",  # A, B, E (late); C withdrawn on 1/6; F not expected
        "missing-count": "2",
        "figure-total": "6",
        "figure-bloc": "1",
        "figure-base": "5",
        "figure-continued": "1",
        "figure-new": "5",
        "figure-models": "5",
        "figure-models-bloc": "1",
        "figure-models-base": "4",
        "figure-exemplars": "1",
        "sector-administrative-ratio": "3/3",
        "sector-administrative-registrations": "4",
        "sector-public_service-ratio": "0/1",
        "sector-public_service-registrations": "0",
        "sector-enterprise-ratio": "0/1",
        "sector-enterprise-models": "1",  # F's model
        "n-economy-base": "3",
        "n-fields-total": "5",
        "n-exemplars-total": "1",
        "n-exemplar_individual-total": "0",
        "year-2024-organizations": "3",
        "year-2024-expected": "5",
        "year-2024-total": "6",
        "year-2024-models": "5",
        "year-2024-exemplars": "1",
        "year-2023-organizations": "1",
        "year-2023-expected": "6",  # F did not exist yet; E and G were active
        "evaluation-mid_year-ratio": "1/2",  # A and B had an accepted model and were active on 15/7
        "evaluation-mid_year-assessed": "1",
        "evaluation-mid_year-good": "1",
        "evaluation-year_end-ratio": "0/2",
    },
}
MISSING = {BEFORE: "BCDEG", ON_DEADLINE: "DE", YEAR_END: "CD"}


def page_values(html: str) -> dict[str, str]:
    return {key: value.strip() for key, value in re.findall(r'id="([\w-]+)"[^>]*>([^<]*)<', html)}


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _summary(workbook) -> dict:
    rows = [list(row) for row in workbook[SUMMARY_TITLE].iter_rows(values_only=True)]
    return {row[0]: tuple(row[1:]) for row in rows if row and row[0] is not None}


def _ngay(day: date) -> dict:
    return {"ngay": f"{day:%d/%m/%Y}"}


year_once, year, bloc, staff_user = module_data.copied_per_test("year", _build_year)


@pytest.mark.parametrize("day", [BEFORE, ON_DEADLINE, YEAR_END])
def test_statistics_page_gives_the_figures_of_the_reference_date(leader_client, year, day):
    response = leader_client.get(reverse("models_danvan:statistics", args=[year.campaign.pk]), _ngay(day))
    assert response.status_code == 200
    html = response.content.decode()
    values = page_values(html)
    for key, expected in FIGURES[day].items():
        assert values[key] == expected, (day, key)
    assert values["reference-date"] == f"{day:%d/%m/%Y}"
    stats = response.context["stats"]
    assert [org.code for org in stats.missing] == list(MISSING[day])
    assert f"Tính đến ngày {day:%d/%m/%Y} đã có {FIGURES[day]['registered-ratio']} chi, đảng bộ cơ sở" in html
    # The filters and the export carry the date.
    assert 'name="ngay" id="id_ngay"' in html and f'value="{day:%d/%m/%Y}"' in html
    export = reverse("models_danvan:statistics_xlsx", args=[year.campaign.pk])
    assert f'href="{export}?ngay={day:%d}%2F{day:%m}%2F{day:%Y}"' in html


def test_export_agrees_with_the_page_for_each_date(leader_client, year):
    for day in (BEFORE, ON_DEADLINE, YEAR_END):
        page = page_values(
            leader_client.get(reverse("models_danvan:statistics", args=[year.campaign.pk]), _ngay(day)).content.decode()
        )
        response = leader_client.get(reverse("models_danvan:statistics_xlsx", args=[year.campaign.pk]), _ngay(day))
        assert f"thong-ke-dan-van-kheo-2024-den-{day:%d-%m-%Y}.xlsx" in response["Content-Disposition"]
        workbook = _workbook(response)
        summary = _summary(workbook)
        assert f"Số liệu tính đến ngày {day:%d/%m/%Y}" in summary
        assert summary["Tổ chức cơ sở đảng đã gửi đăng ký"][0] == page["registered-ratio"]
        assert summary["Số tổ chức chưa gửi đăng ký"][0] == int(page["missing-count"])
        pairs = {
            "Tổng số mô hình, điển hình": "figure-total",
            "Cấp Đảng ủy Khối": "figure-bloc",
            "Cấp cơ sở": "figure-base",
            "Tiếp tục thực hiện": "figure-continued",
            "Đăng ký mới": "figure-new",
            "Mô hình (theo lĩnh vực)": "figure-models",
            "Mô hình cấp Đảng ủy Khối": "figure-models-bloc",
            "Mô hình cấp cơ sở": "figure-models-base",
            "Mô hình tiếp tục thực hiện": "figure-models-continued",
            "Mô hình đăng ký mới": "figure-models-new",
            "Điển hình": "figure-exemplars",
            "Điển hình tiếp tục thực hiện": "figure-exemplars-continued",
            "Điển hình đăng ký mới": "figure-exemplars-new",
        }
        for label, key in pairs.items():
            assert summary[label][0] == int(page[key]), (day, label)
        for value, label in Sector.choices:
            expected, registered, ratio, total, models, exemplars = summary[str(label)][:6]
            assert ratio == page[f"sector-{value}-ratio"], (day, value)
            assert (total, models, exemplars) == tuple(
                int(page[f"sector-{value}-{name}"]) for name in ("registrations", "models", "exemplars")
            )
        for category, label in Category.choices:
            row = summary[str(label)]
            assert row[:7] == tuple(
                int(page[f"n-{category}-{name}"])
                for name in ("bloc", "base", "total", "continued", "new", "commended", "replicated")
            ), (day, category)
            sheet = list(workbook[str(label)].iter_rows(values_only=True))
            assert f"Số liệu tính đến ngày {day:%d/%m/%Y}" in [r[0] for r in sheet]
            header = next(i for i, r in enumerate(sheet) if r[0] == "STT")
            assert len(sheet[header + 1 :]) == int(page[f"n-{category}-total"]), (day, category)
        assert summary[2024][0] == f"{page['year-2024-organizations']}/{page['year-2024-expected']}"
        missing = list(workbook[MISSING_TITLE].iter_rows(values_only=True))
        header = next(i for i, r in enumerate(missing) if r[0] == "STT")
        assert [r[1] for r in missing[header + 1 :]] == [f"Đảng bộ {code}" for code in MISSING[day]]


def test_export_lists_each_registration_as_it_stood_on_the_date(leader_client, year):
    """B was returned on 2/5, resent on 20/5 and accepted on 25/5: on 15/5 the sheet says it was returned (and
    first sent on 20/4); at year end, accepted."""
    response = leader_client.get(reverse("models_danvan:statistics_xlsx", args=[year.campaign.pk]), _ngay(DEADLINE))
    rows = list(_workbook(response)["Văn hóa – xã hội"].iter_rows(values_only=True))
    (b_row,) = [r for r in rows if r[5] == "B1"]
    assert b_row[11] == str(SubmissionStatus.RETURNED.label)
    assert b_row[12].date() == date(2024, 4, 20)
    response = leader_client.get(reverse("models_danvan:statistics_xlsx", args=[year.campaign.pk]), _ngay(YEAR_END))
    rows = list(_workbook(response)["Văn hóa – xã hội"].iter_rows(values_only=True))
    (b_row,) = [r for r in rows if r[5] == "B1"]
    assert (b_row[11], b_row[12].date()) == (str(SubmissionStatus.ACCEPTED.label), date(2024, 4, 20))


def test_trend_across_years_agrees_with_each_years_statistics(year):
    for day in (BEFORE, ON_DEADLINE, YEAR_END, timezone.localdate()):
        for line in selectors.yearly_totals(on=day):
            stats = selectors.campaign_statistics(Campaign.objects.get(pk=line["campaign_id"]), on=day)
            assert (line["organizations"], line["expected"]) == (stats.registered, stats.expected), (day, line)
            assert (line["total"], line["models"], line["exemplars"]) == (stats.total, stats.models, stats.exemplars)
            assert (line["continued"], line["new"]) == (stats.continued, stats.new)
    assert [line["campaign__year"] for line in selectors.yearly_totals(on=date(2023, 12, 31))] == [2023]


def test_evaluations_count_what_was_sent_and_assessed_by_the_date(year):
    def mid_year(day):
        (row,) = [r for r in selectors.campaign_statistics(year.campaign, on=day).evaluations if r.period == "mid_year"]
        return row.ratio_label, row.assessed, {value: n for value, _, n in row.ratings}[Rating.GOOD]

    assert mid_year(date(2024, 7, 9)) == ("0/2", 0, 0)
    assert mid_year(date(2024, 7, 11)) == ("1/2", 0, 0)  # sent, not yet assessed
    assert mid_year(date(2024, 7, 12)) == ("1/2", 1, 1)


def test_today_gives_the_year_end_figures_and_a_bad_date_keeps_the_page(leader_client, year):
    url = reverse("models_danvan:statistics", args=[year.campaign.pk])
    today = page_values(leader_client.get(url).content.decode())
    assert today["reference-date"] == f"{timezone.localdate():%d/%m/%Y}"
    for key, expected in FIGURES[YEAR_END].items():
        assert today[key] == expected, key

    response = leader_client.get(url, {"ngay": "31/02/2024", "sector": Sector.ADMINISTRATIVE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ" in html and 'value="31/02/2024"' in html
    assert response.context["on"] == timezone.localdate()
    assert page_values(html)["registered-ratio"] == "3/3"  # the sector filter is kept
    assert "ngay=" not in html.split('id="statistics-filters"')[0]  # a refused date is not carried


def test_filters_carry_the_date_and_filter_the_export(leader_client, year):
    url = reverse("models_danvan:statistics", args=[year.campaign.pk])
    params = {**_ngay(DEADLINE), "sector": Sector.ADMINISTRATIVE}
    html = leader_client.get(url, params).content.decode()
    assert page_values(html)["registered-ratio"] == "2/3"
    assert "sector=administrative&amp;ngay=15%2F05%2F2024" in html
    workbook = _workbook(leader_client.get(reverse("models_danvan:statistics_xlsx", args=[year.campaign.pk]), params))
    assert _summary(workbook)["Tổ chức cơ sở đảng đã gửi đăng ký"][0] == "2/3"


def test_campaign_page_and_history_read_the_same_timeline(leader_client, year):
    page = page_values(
        leader_client.get(reverse("models_danvan:campaign", args=[year.campaign.pk]), _ngay(DEADLINE)).content.decode()
    )
    assert (page["registered-ratio"], page["campaign-models"], page["campaign-exemplars"]) == ("3/5", "3", "2")
    assert (page["campaign-models-base"], page["campaign-models-bloc"]) == ("2", "1")

    history = reverse("models_danvan:organization_history", args=[year.orgs["C"].pk])
    assert page_values(leader_client.get(history, _ngay(DEADLINE)).content.decode())["year-2024-counted"] == "1"
    html = leader_client.get(history).content.decode()
    assert page_values(html)["year-2024-counted"] == "0" and "Không (đã rút lại)" in html
    html = leader_client.get(reverse("models_danvan:organization_history", args=[year.orgs["D"].pk])).content.decode()
    assert page_values(html)["history-counted"] == "0" and "Không (chưa gửi)" in html
    html = leader_client.get(reverse("models_danvan:organization_history", args=[year.orgs["A"].pk])).content.decode()
    values = page_values(html)
    assert (values["year-2024-models"], values["year-2024-exemplars"], values["year-2023-exemplars"]) == ("1", "1", "1")


@pytest.mark.parametrize("day", [BEFORE, ON_DEADLINE, YEAR_END, None])
def test_dashboard_agrees_with_the_statistics_page_for_the_same_date(leader_client, year, day):
    params = _ngay(day) if day else {}
    stats_page = page_values(
        leader_client.get(reverse("models_danvan:statistics", args=[year.campaign.pk]), params).content.decode()
    )
    response = leader_client.get(reverse("dashboard:index"), params)
    html = response.content.decode()
    dashboard = page_values(html)
    assert dashboard["reference-date"] == stats_page["reference-date"]
    assert dashboard["campaign-ratio"] == stats_page["registered-ratio"]
    assert dashboard["campaign-models"] == stats_page["figure-models"]
    assert dashboard["campaign-models-bloc"] == stats_page["figure-models-bloc"]
    assert dashboard["campaign-models-base"] == stats_page["figure-models-base"]
    assert dashboard["campaign-exemplars"] == stats_page["figure-exemplars"]
    assert dashboard["campaign-total"] == stats_page["figure-total"]
    link = reverse("models_danvan:statistics", args=[year.campaign.pk])
    assert f'href="{link}{"?ngay=" + f"{day:%d}%2F{day:%m}%2F{day:%Y}" if day else ""}"' in html
    # Last year's registration deadline, still owed by some, stays on the dashboard too; this year's agrees.
    this_year = [
        progress
        for progress in response.context["dashboard"].deadlines
        if progress.deadline.kind == obligations.REGISTRATION and progress.deadline.source_id == year.campaign.pk
    ]
    assert len(this_year) == 1
    assert f"{this_year[0].sent}/{this_year[0].expected}" == stats_page["registered-ratio"]


def test_dashboard_labels_the_bloc_size_apart_from_the_campaign_ratio(leader_client, year):
    """On 31/12 five organisations are active (A, B, C, D, F) while five owed the registration (A–E)."""
    html = leader_client.get(reverse("dashboard:index"), _ngay(YEAR_END)).content.decode()
    values = page_values(html)
    assert values["organization-total"] == "5"
    assert "tổ chức đang hoạt động" in html
    assert '<strong id="campaign-ratio">3/5</strong> tổ chức phải đăng ký đã gửi đăng ký' in html
    assert "có hiệu lực ngày 15/05/2024 (hạn đăng ký)" in html
    html = leader_client.get(reverse("dashboard:index"), _ngay(BEFORE)).content.decode()
    assert page_values(html)["campaign-ratio"] == "1/6" and "có hiệu lực ngày 15/04/2024;" in html


def test_evaluation_counts_agree_with_the_deadlines_figures_on_every_date(year):
    """The evaluations' x/y and late senders on the statistics page (counted in SQL) are those of
    deadlines.deadline_figures for the same deadline, date and sector: A sent its mid-year report on time
    (10/7), B late (20/7); A's year-end report was sent on 1/11 and withdrawn on 10/11."""
    o, staff = year.officers, year.staff
    with at(date(2024, 7, 20)):
        late = services.evaluation_create(
            actor=o["B"],
            registration=Registration.objects.get(pk=year.registrations["B"].pk),
            period=EvaluationPeriod.MID_YEAR,
            results="Đã triển khai",
            figures="",
            self_rating=Rating.GOOD,
        )
        workflow.submission_submit(actor=o["B"], submission=late)
    with at(date(2024, 11, 1)):
        year_end = services.evaluation_create(
            actor=o["A"],
            registration=Registration.objects.get(pk=year.registrations["A1"].pk),
            period=EvaluationPeriod.YEAR_END,
            results="Hoàn thành",
            figures="",
            self_rating=Rating.GOOD,
        )
        workflow.submission_submit(actor=o["A"], submission=year_end)
    with at(date(2024, 11, 10)):
        workflow.submission_withdraw(actor=staff, submission=year_end, comment="Gửi nhầm mô hình.")

    known = selectors.campaign_deadlines(year.campaign)
    by_period = {"mid_year": known[obligations.MID_YEAR], "year_end": known[obligations.YEAR_END]}
    days = (date(2024, 5, 20), date(2024, 7, 15), date(2024, 7, 25), date(2024, 11, 5), YEAR_END)
    for day in days:
        for sector in ("", Sector.ADMINISTRATIVE, Sector.PUBLIC_SERVICE):
            for row in selectors.evaluation_figures(year.campaign, day, sector=sector):
                figures = deadlines.deadline_figures(by_period[row.period], day, sector=sector)
                assert (row.expected, row.sent, row.sent_late) == (
                    figures.expected,
                    figures.sent,
                    figures.sent_late,
                ), (day, sector, row.period)
    rows = {r.period: r for r in selectors.evaluation_figures(year.campaign, date(2024, 7, 25))}
    assert (rows["mid_year"].ratio_label, rows["mid_year"].sent_late) == ("2/2", 1)
    rows = {r.period: r for r in selectors.evaluation_figures(year.campaign, date(2024, 11, 5))}
    assert rows["year_end"].ratio_label == "1/2"
    rows = {r.period: r for r in selectors.evaluation_figures(year.campaign, YEAR_END)}
    assert (rows["year_end"].ratio_label, rows["mid_year"].ratio_label) == ("0/2", "2/2")

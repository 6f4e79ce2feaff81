"""The pages: staff define a report and open a period, an officer fills and sends it, staff return it with a
comment on one indicator, the officer resends, staff accept and read the aggregate; scope and roles."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import services
from indicators.models import IndicatorReport, ReportDefinition
from tests.factories import UserFactory

from .conftest import at


@pytest.fixture
def report(officer_user, organization, first_half):
    with at(date(2024, 7, 5)):
        report = services.report_create(
            actor=officer_user, round_=first_half, organization=organization, values={"nhiem_vu": "12"}
        )
        return services.report_submit(actor=officer_user, report=report)


def test_staff_define_a_report_add_indicators_and_open_a_period(staff_client):
    response = staff_client.post(
        reverse("indicators:definition_create"),
        {"name": "Dân vận chính quyền", "period_kind": "year", "audience": "all", "sector": "", "due_days": "15"},
    )
    definition = ReportDefinition.objects.get()
    assert response.status_code == 302 and response.url == definition.get_absolute_url()
    staff_client.post(reverse("indicators:section_add", args=[definition.pk]), {"title": "I. Kết quả"})
    section = definition.sections.get()
    response = staff_client.post(
        reverse("indicators:indicator_add", args=[definition.pk]),
        {
            "section": section.pk,
            "code": "doi_thoai",
            "label": "Số cuộc đối thoại",
            "kind": "integer",
            "unit": "cuộc",
            "required": "on",
            "min_value": "0",
            "aggregation": "",
        },
        follow=True,
    )
    assert "Đã thêm chỉ tiêu “Số cuộc đối thoại”." in response.content.decode()
    assert definition.indicators.get().aggregation == "sum"
    response = staff_client.post(
        reverse("indicators:indicator_add", args=[definition.pk]),
        {"code": "doi_thoai", "label": "Trùng", "kind": "integer", "aggregation": ""},
    )
    assert response.status_code == 200
    assert "Mã chỉ tiêu đã được dùng trong mẫu báo cáo này." in response.content.decode()
    with at(date(2024, 12, 1)):
        response = staff_client.post(
            reverse("indicators:round_open", args=[definition.pk]), {"year": "2024", "number": "1"}, follow=True
        )
    assert "Đã mở kỳ báo cáo năm 2024, hạn nộp 15/01/2025." in response.content.decode()


def test_opening_a_period_offers_the_periods_by_name(staff_client, staff_user, definition):
    """A half-year report offers "6 tháng đầu/cuối năm" (the one today falls in chosen), a yearly one asks only
    the year; a period the report does not have is refused."""
    with at(date(2024, 8, 20)):
        page = staff_client.get(definition.get_absolute_url()).content.decode()
    assert '<option value="1">6 tháng đầu năm</option>' in page
    assert '<option value="2" selected>6 tháng cuối năm</option>' in page
    assert "15 ngày sau khi kết thúc kỳ" in page
    response = staff_client.post(
        reverse("indicators:round_open", args=[definition.pk]), {"year": "2024", "number": "3"}
    )
    assert response.status_code == 200 and not definition.rounds.exists()
    yearly = services.definition_create(actor=staff_user, name="Dân vận chính quyền", period_kind="year", due_days=15)
    page = staff_client.get(yearly.get_absolute_url()).content.decode()
    assert '<input type="hidden" name="number" value="1"' in page and "6 tháng" not in page


def test_officer_fills_the_form_built_from_the_definition(officer_client, first_half):
    url = reverse("indicators:report_create", args=[first_half.pk])
    with at(date(2024, 7, 3)):
        page = officer_client.get(url).content.decode()
        assert "Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ)" in page and "I. Kết quả thực hiện" in page
        response = officer_client.post(url, {"nhiem_vu": "9.999", "kinh_phi": "1.234.000", "action": "submit"})
        assert response.status_code == 200
        assert "“Nhiệm vụ trọng tâm hoàn thành”: không được lớn hơn 5.000." in response.content.decode()
        assert not IndicatorReport.objects.exists()
        response = officer_client.post(
            url, {"nhiem_vu": "1.966", "kinh_phi": "1.234.000", "co_mo_hinh": "yes", "action": "submit"}
        )
    report = IndicatorReport.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == "submitted" and report.values["nhiem_vu"] == 1966 and report.values["kinh_phi"] == 1234000
    page = officer_client.get(report.get_absolute_url()).content.decode()
    assert "1.234.000 đồng" in page and "Có" in page


def test_a_double_post_of_the_form_makes_one_report(officer_client, first_half):
    url = reverse("indicators:report_create", args=[first_half.pk])
    data = {"nhiem_vu": "5", "action": "save", "form_token": "6f1c8a2e-2b7e-4b8e-9a51-0e3d7b1f4c11"}
    with at(date(2024, 7, 3)):
        first = officer_client.post(url, data)
        second = officer_client.post(url, data)
    report = IndicatorReport.objects.get()
    assert first.url == second.url == report.get_absolute_url()


def test_return_with_a_comment_on_an_indicator_then_resend_and_accept(login, staff_user, officer_user, report):
    staff_client, officer_client = login(staff_user), login(officer_user)
    with at(date(2024, 7, 8)):
        staff_client.post(
            reverse("indicators:report_return", args=[report.pk]),
            {"comment": "Đề nghị bổ sung.", "comment_on_nhiem_vu": "Số nhiệm vụ chưa khớp."},
        )
    report.refresh_from_db()
    assert report.status == "returned"
    page = officer_client.get(reverse("indicators:report_edit", args=[report.pk])).content.decode()
    assert "Ban Tuyên giáo: Số nhiệm vụ chưa khớp." in page
    with at(date(2024, 7, 9)):
        officer_client.post(reverse("indicators:report_edit", args=[report.pk]), {"nhiem_vu": "14", "action": "submit"})
    report.refresh_from_db()
    assert (report.status, report.values["nhiem_vu"], report.revision) == ("submitted", 14, 2)
    with at(date(2024, 7, 10)):
        staff_client.post(reverse("indicators:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "accepted"
    assert "Đã tiếp nhận" in staff_client.get(report.get_absolute_url()).content.decode()


def test_an_officer_never_sees_another_organisations_report(client, other_officer_user, report):
    client.force_login(other_officer_user)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("indicators:report_edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("indicators:report_withdraw", args=[report.pk]), {"comment": "x"}).status_code == 404


def test_roles_on_the_pages(client, login, leader_user, officer_user, first_half, report):
    leader_client, officer_client = login(leader_user), login(officer_user)
    aggregate = reverse("indicators:aggregate", args=[first_half.pk])
    assert client.get(aggregate).status_code == 302  # anonymous: sign in
    assert officer_client.get(aggregate).status_code == 403
    assert officer_client.get(reverse("indicators:definition_create")).status_code == 403
    assert leader_client.get(aggregate).status_code == 200
    assert leader_client.post(reverse("indicators:report_accept", args=[report.pk])).status_code == 403
    assert leader_client.get(reverse("indicators:definition_create")).status_code == 403


def test_officer_round_page_offers_the_form_and_the_nil_return(client, first_half, other_officer_user):
    client.force_login(other_officer_user)
    with at(date(2024, 7, 3)):
        page = client.get(first_half.get_absolute_url()).content.decode()
    assert "Lập báo cáo" in page and "Báo cáo không phát sinh" in page


def test_aggregate_page_and_export(staff_client, first_half, report):
    url = reverse("indicators:aggregate", args=[first_half.pk])
    with at(date(2024, 8, 1)):
        page = staff_client.get(url, {"ngay": "31/07/2024"}).content.decode()
        assert "Đã gửi <strong>1/1</strong> đơn vị" in page
        early = staff_client.get(url, {"ngay": "04/07/2024"}).content.decode()
        assert "Đã gửi <strong>0/1</strong> đơn vị" in early
        response = staff_client.get(reverse("indicators:aggregate_xlsx", args=[first_half.pk]), {"ngay": "31/07/2024"})
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content)))["Tổng hợp"].iter_rows(values_only=True))
    assert rows[2][0] == "Đã gửi 1/1 đơn vị (trong đó 0 báo cáo không phát sinh)"
    assert next(r for r in rows if r[0] == "nhiem_vu")[4] == 12


def test_lists_are_reachable_from_the_navigation(login, staff_user, officer_user, definition, first_half):
    staff_client, officer_client = login(staff_user), login(officer_user)
    page = staff_client.get(reverse("indicators:definitions")).content.decode()
    assert reverse("indicators:definitions") in page and "Báo cáo công tác dân vận" in page
    assert "6 tháng đầu năm 2024" in page
    assert reverse("indicators:definitions") in officer_client.get(reverse("indicators:definitions")).content.decode()


def test_staff_round_page_counts_nil_returns_with_the_reports(
    login, staff_user, other_officer_user, other_organization, first_half, report
):
    with at(date(2024, 7, 10)):
        services.nil_return_send(
            actor=other_officer_user, round_=first_half, organization=other_organization, reason="Không có hoạt động."
        )
    with at(date(2024, 8, 1)):
        page = login(staff_user).get(first_half.get_absolute_url()).content.decode()
    assert "Đến hôm nay đã gửi <strong>2/2</strong> đơn vị (trong đó 1 báo cáo không phát sinh)." in page


def test_officer_round_page_links_the_organisations_other_periods(login, staff_user, officer_user, report, definition):
    second_half = services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    page = login(officer_user).get(second_half.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in page and "6 tháng đầu năm 2024" in page


def _count_queries(browser, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_queries_for_2_and_8_organisations(login, staff_user, definition, first_half):
    from tests.factories import OrganizationFactory

    def send(count):
        for _ in range(count):
            organization = OrganizationFactory()
            officer = UserFactory(role="officer", organization=organization)
            with at(date(2024, 7, 5)):
                report = services.report_create(
                    actor=officer, round_=first_half, organization=organization, values={"nhiem_vu": "3"}
                )
                services.report_submit(actor=officer, report=report)
        return report

    services.round_open(actor=staff_user, definition=definition, year=2023, number=2)  # a period to chart before
    browser = login(staff_user)
    report = send(2)
    urls = [
        reverse("indicators:definitions"),
        reverse("indicators:aggregate", args=[first_half.pk]),
        reverse("indicators:aggregate", args=[first_half.pk]) + "?bieu_do=ky",  # the chart across periods
        first_half.get_absolute_url(),
        report.get_absolute_url(),
    ]
    for url in urls:  # warm the per-process caches (content types) so both counts compare the pages alone
        browser.get(url)
    few = [_count_queries(browser, url) for url in urls]
    report = send(6)
    urls[-1] = report.get_absolute_url()
    assert [_count_queries(browser, url) for url in urls] == few


def test_definition_page_shows_the_figures_across_periods(login, staff_user, definition, first_half, report):
    with at(date(2024, 8, 1)):
        page = login(staff_user).get(definition.get_absolute_url()).content.decode()
    assert "Qua các kỳ" in page and reverse("indicators:aggregate", args=[first_half.pk]) in page
    assert "<td>1/1</td>" in page


def test_staff_return_an_accepted_report_from_its_page_like_every_kind(staff_user, officer_user, report, login):
    """The shared detail page: an accepted periodic report can be reopened (returned) as a registration or a
    QCDC plan can; staff still do not edit a sent report in place (its figures are read from what was sent)."""
    with at(date(2024, 7, 6)):
        services.report_accept(actor=staff_user, report=report)
    staff = login(staff_user)
    page = staff.get(reverse("indicators:report", args=[report.pk])).content.decode()
    return_url = reverse("indicators:report_return", args=[report.pk])
    assert f'action="{return_url}"' in page
    assert reverse("indicators:report_edit", args=[report.pk]) not in page
    assert staff.get(reverse("indicators:report_edit", args=[report.pk])).status_code == 403

    staff.post(return_url, {"comment": "Kiểm tra lại số nhiệm vụ trọng tâm."})

    report.refresh_from_db()
    assert report.status == "returned"
    officer_page = login(officer_user).get(reverse("indicators:report", args=[report.pk])).content.decode()
    assert "Kiểm tra lại số nhiệm vụ trọng tâm." in officer_page
    assert reverse("indicators:report_edit", args=[report.pk]) in officer_page

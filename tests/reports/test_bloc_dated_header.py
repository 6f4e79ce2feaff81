"""The bloc's name, superior body, symbol and place are dated (organizations.blocs): a rename adds a profile from
its effective date, documents of before keep the old values, documents from that date on use the new ones.
The data admin goes through the same dated service and is audited."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dukportal.core.audit import AuditEntry
from organizations import blocs
from organizations.models import Bloc, BlocProfile
from organizations.selectors import current_bloc
from reports import selectors, services
from reports.models import DocumentKind
from tests.factories import BlocFactory, UserFactory
from tests.reports.drafts import finish

from .factories import HCM, IssuingBodyFactory

pytestmark = pytest.mark.django_db

REFORM = date(2025, 7, 1)


def _at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


def _rename(staff_user, bloc, effective_on=REFORM, **values):
    values = {"name": "Đảng ủy các cơ quan Đảng tỉnh", "parent_name": "Đảng bộ tỉnh Lào Cai", **values}
    return blocs.bloc_rename(actor=staff_user, bloc=bloc, effective_on=effective_on, **values)


def test_rename_keeps_the_old_values_for_earlier_dates(staff_user, bloc):
    with _at(date(2025, 7, 15)):
        _rename(staff_user, bloc, symbol="ĐUCQ", place_name="Lào Cai")
    before = blocs.bloc_values_on(bloc, date(2025, 6, 30))
    after = blocs.bloc_values_on(bloc, REFORM)
    assert (before.name, before.parent_name, before.symbol, before.place_name) == (
        "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh",
        "Đảng bộ tỉnh Yên Bái",
        "ĐUK",
        "Yên Bái",
    )
    assert (after.name, after.parent_name, after.symbol, after.place_name) == (
        "Đảng ủy các cơ quan Đảng tỉnh",
        "Đảng bộ tỉnh Lào Cai",
        "ĐUCQ",
        "Lào Cai",
    )
    assert blocs.bloc_values_on(bloc, date(2019, 1, 1)).name == before.name  # before its history: the first
    bloc.refresh_from_db()
    assert bloc.name == "Đảng ủy các cơ quan Đảng tỉnh"  # the row holds today's values
    entry = AuditEntry.objects.get(action="bloc.rename")
    assert entry.changes["effective_on"] == "2025-07-01"
    assert entry.changes["parent_name"] == {"from": "Đảng bộ tỉnh Yên Bái", "to": "Đảng bộ tỉnh Lào Cai"}


def test_a_rename_dated_in_the_future_leaves_todays_values(staff_user, bloc):
    with _at(date(2025, 6, 20)):
        _rename(staff_user, bloc)
    bloc.refresh_from_db()
    assert bloc.name == "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert blocs.bloc_values_on(bloc, REFORM).name == "Đảng ủy các cơ quan Đảng tỉnh"


def test_rename_refuses_out_of_order_dates_and_no_change(staff_user, bloc):
    with _at(date(2025, 7, 15)):
        _rename(staff_user, bloc)
        with pytest.raises(ValidationError) as error:
            _rename(staff_user, bloc, effective_on=date(2025, 6, 1), name="Tên khác")
        assert "thay đổi mới phải áp dụng từ sau ngày đó" in error.value.messages[0]
        with pytest.raises(ValidationError) as error:
            _rename(staff_user, bloc, effective_on=date(2025, 7, 10))
        assert "Không có thay đổi nào" in error.value.messages[0]
    assert BlocProfile.objects.count() == 2


def test_first_rename_must_follow_the_blocs_start(staff_user, bloc):
    with pytest.raises(ValidationError) as error:
        _rename(staff_user, bloc, effective_on=date(2020, 10, 1))
    assert "phải sau ngày bắt đầu hiệu lực của đảng ủy khối (01/10/2020)" in error.value.messages[0]
    assert not BlocProfile.objects.exists()


def test_rename_is_for_staff_only(bloc, leader_user):
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied
        _rename(leader_user, bloc)
    assert not BlocProfile.objects.exists()


def test_documents_issued_on_each_side_of_the_change_print_their_own_dates_values(staff_user, issuing_body, term):
    department = IssuingBodyFactory(bloc=issuing_body.bloc, kind="department", name="Ban Tuyên giáo Đảng ủy Khối")
    with _at(date(2025, 6, 25)):
        _rename(staff_user, issuing_body.bloc, symbol="ĐUCQ", place_name="Lào Cai")  # registered in advance
    issued = {}
    for day in (date(2025, 6, 30), REFORM):
        with _at(day):
            for body in (issuing_body, department):
                draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=body)
                issued[(body.kind, day)] = services.document_issue(actor=staff_user, document=finish(draft, staff_user))
    before, after = issued[("committee", date(2025, 6, 30))], issued[("committee", REFORM)]
    assert (before.header_superior, before.header_name, before.symbol, before.place_name) == (
        "Đảng bộ tỉnh Yên Bái",
        "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh",
        "ĐUK",
        "Yên Bái",
    )
    assert (after.header_superior, after.header_name, after.symbol, after.place_name) == (
        "Đảng bộ tỉnh Lào Cai",
        "Đảng ủy các cơ quan Đảng tỉnh",
        "ĐUCQ",
        "Lào Cai",
    )
    dept_before, dept_after = issued[("department", date(2025, 6, 30))], issued[("department", REFORM)]
    assert (dept_before.header_superior, dept_before.symbol) == ("Đảng ủy Khối cơ quan và doanh nghiệp tỉnh", "BTGĐUK")
    assert (dept_after.header_superior, dept_after.symbol) == ("Đảng ủy các cơ quan Đảng tỉnh", "BTGĐUCQ")
    assert services.structure_of(before).place_date == "Yên Bái, ngày 30 tháng 6 năm 2025"
    assert services.structure_of(after).place_date == "Lào Cai, ngày 01 tháng 7 năm 2025"


def test_issuing_body_signer_and_lines_are_dated(staff_user, issuing_body):
    with _at(date(2025, 7, 15)):
        services.issuing_body_change(
            actor=staff_user, issuing_body=issuing_body, effective_on=REFORM, signer_name="Lê Thị Mai", symbol="ĐU"
        )
    assert selectors.header_for(issuing_body, date(2025, 6, 30)).signer_name == "Nguyễn Văn An"
    assert selectors.header_for(issuing_body, date(2025, 6, 30)).symbol == "ĐUK"
    assert selectors.header_for(issuing_body, REFORM).signer_name == "Lê Thị Mai"
    assert selectors.header_for(issuing_body, REFORM).symbol == "ĐU"
    with _at(date(2025, 7, 15)):
        old = services.document_create(
            actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, as_of=date(2025, 6, 30)
        )
    assert old.content["signer_name"] == "Nguyễn Văn An"  # a draft for a date takes that date's signer
    assert AuditEntry.objects.filter(action="issuing_body.change").count() == 1


def test_current_bloc_is_the_one_active_on_the_date():
    old = BlocFactory(valid_from=date(2020, 10, 1), valid_to=date(2025, 6, 30))
    new = BlocFactory(name="Đảng ủy các cơ quan Đảng tỉnh", valid_from=REFORM)
    assert current_bloc(date(2025, 6, 30)) == old
    assert current_bloc(REFORM) == new


# --- the data admin -------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, bloc):
    client.force_login(UserFactory(username="quantri", role="staff", is_superuser=True))
    return client


def _admin_form(bloc, **changes):
    data = {
        "name": bloc.name,
        "parent_name": bloc.parent_name,
        "symbol": bloc.symbol,
        "place_name": bloc.place_name,
        "propaganda_department_name": bloc.propaganda_department_name,
        "valid_from": bloc.valid_from.isoformat(),
        "valid_to": "",
        "effective_on": "",
        "profiles-TOTAL_FORMS": "0",
        "profiles-INITIAL_FORMS": "0",
        "profiles-MIN_NUM_FORMS": "0",
        "profiles-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_rename_goes_through_the_dated_service(admin_client, bloc, staff_user, issuing_body, term):
    with _at(date(2024, 5, 22)):
        draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
        issued = services.document_issue(actor=staff_user, document=finish(draft, staff_user))
    url = reverse("admin:organizations_bloc_change", args=[bloc.pk])
    with _at(date(2025, 7, 15)):
        response = admin_client.post(url, _admin_form(bloc, parent_name="Đảng bộ tỉnh Lào Cai"))
        assert response.status_code == 200 and "Nhập ngày áp dụng tên gọi mới." in response.content.decode()
        assert not BlocProfile.objects.exists()
        response = admin_client.post(
            url, _admin_form(bloc, parent_name="Đảng bộ tỉnh Lào Cai", effective_on="01/10/2020")
        )
        assert "Ngày áp dụng phải sau ngày 01/10/2020" in response.content.decode()
        assert not BlocProfile.objects.exists()
        response = admin_client.post(
            url, _admin_form(bloc, parent_name="Đảng bộ tỉnh Lào Cai", place_name="Lào Cai", effective_on="01/07/2025")
        )
    assert response.status_code == 302
    assert [(p.valid_from, p.parent_name) for p in BlocProfile.objects.all()] == [
        (date(2020, 10, 1), "Đảng bộ tỉnh Yên Bái"),
        (REFORM, "Đảng bộ tỉnh Lào Cai"),
    ]
    assert Bloc.objects.get().parent_name == "Đảng bộ tỉnh Lào Cai"
    assert AuditEntry.objects.filter(action="bloc.rename", actor__username="quantri").exists()
    assert services.structure_of(issued).superior_line == "ĐẢNG BỘ TỈNH YÊN BÁI"
    assert selectors.header_for(issuing_body, date(2025, 6, 30)).superior == "Đảng bộ tỉnh Yên Bái"


def test_admin_change_of_an_issuing_bodys_signer_is_dated(admin_client, issuing_body, staff_user):
    url = reverse("admin:reports_issuingbody_change", args=[issuing_body.pk])
    data = {
        "bloc": issuing_body.bloc_id,
        "kind": issuing_body.kind,
        "name": issuing_body.name,
        "superior_line": "",
        "name_line": "",
        "symbol": "",
        "signer_authority": issuing_body.signer_authority,
        "signer_title": issuing_body.signer_title,
        "signer_name": "Lê Thị Mai",
        "contact_name": issuing_body.contact_name,
        "contact_title": issuing_body.contact_title,
        "contact_phone": issuing_body.contact_phone,
        "archive_line": issuing_body.archive_line,
        "is_active": "on",
        "effective_on": "",
        "profiles-TOTAL_FORMS": "0",
        "profiles-INITIAL_FORMS": "0",
        "profiles-MIN_NUM_FORMS": "0",
        "profiles-MAX_NUM_FORMS": "1000",
    }
    with _at(date(2025, 7, 15)):
        response = admin_client.post(url, data)
        assert "Nhập ngày áp dụng thay đổi." in response.content.decode()
        response = admin_client.post(url, {**data, "effective_on": "01/07/2025"})
    assert response.status_code == 302
    assert selectors.header_for(issuing_body, date(2025, 6, 30)).signer_name == "Nguyễn Văn An"
    assert selectors.header_for(issuing_body, REFORM).signer_name == "Lê Thị Mai"
    assert AuditEntry.objects.filter(action="issuing_body.change", actor__username="quantri").exists()

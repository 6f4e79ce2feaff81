"""The year of dispatch 1720-CV/ĐUK, built day by day through the services (registrations sent on time and late,
a return and a resend, a withdrawal, QCDC plans, a merge on 1 July, member transfers, a dissolution on 1 October),
then asked in December about several reference dates: the shared layer, the dashboard, each statistics page,
tracking, the compliance matrix, each Excel export and each generated document give the same figures. First, on
the spring alone: an issued dispatch, the summer's reorganisation and the bloc's new name leave past figures and
issued documents as they were."""

import copy
import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from democracy_regs import obligations as qcdc_obligations
from democracy_regs.selectors import cycle_summary
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from models_danvan import obligations
from models_danvan.models import Campaign
from models_danvan.selectors import campaign_statistics
from organizations import blocs
from organizations import selectors as organization_selectors
from organizations.models import Bloc, User
from reports import exports
from reports import services as documents
from reports.models import Document, DocumentKind
from tests.factories import BlocFactory, UserFactory
from tests.reports.drafts import finish
from tests.reports.factories import IssuingBodyFactory, TermFactory

from .builder import DISPATCH_DAY, REGISTRATION_DUE, at, build_1720_year, reorganise_summer

pytestmark = pytest.mark.django_db

DECEMBER = date(2024, 12, 1)
# Reference date → (registrations x/y, counted models, QCDC plans x/y)
EXPECTED = {
    REGISTRATION_DUE: ("25/74", None, "33/74"),
    DISPATCH_DAY: ("30/74", 133, "40/74"),
    date(2024, 6, 30): ("40/74", 142, "48/74"),
    DECEMBER: ("40/74", 142, "48/74"),
}


def _ngay(day: date) -> dict:
    return {"ngay": f"{day:%d/%m/%Y}"}


def _ids(html: str) -> dict[str, str]:
    return {key: value.strip() for key, value in re.findall(r'id="([\w-]+)"[^>]*>([^<]*)<', html)}


def _workbook_text(response) -> set[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value}


@pytest.fixture(scope="module")
def spring_once(django_db_setup, django_db_blocker):
    """The spring built once for the module (the build is the slow part), inside a transaction rolled back after
    the module, as Django's setUpTestData does; each test's own transaction nests in it and rolls back what the
    test changed."""
    with django_db_blocker.unblock(), transaction.atomic():
        BlocFactory()
        staff = UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")
        built = build_1720_year(staff)
        built.changes = None
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def year_once(spring_once, django_db_blocker):
    """The spring, then the summer's reorganisation (a savepoint in the module's transaction). The test that
    needs the spring alone comes first in the module: once this fixture is set up, the spring is gone."""
    with django_db_blocker.unblock(), transaction.atomic():
        spring_once.changes = reorganise_summer(spring_once)
        yield spring_once
        transaction.set_rollback(True)


@pytest.fixture
def spring(spring_once, db):
    assert spring_once.changes is None, "the spring alone is asked after the summer's reorganisation was built"
    return copy.deepcopy(spring_once)


@pytest.fixture
def year(year_once, db):
    """Each test gets its own copy of the Python objects, so one that renames an organisation in memory leaves
    the next test's copy as built."""
    return copy.deepcopy(year_once)


@pytest.fixture
def staff_user(request):
    built = request.getfixturevalue("year" if "year" in request.fixturenames else "spring")
    return User.objects.get(pk=built.staff.pk)


def test_past_figures_and_issued_documents_survive_the_merge_and_a_bloc_rename(spring, staff_user, staff_client):
    """First in the module: the spring alone, then an issued dispatch, then the summer's reorganisation and the
    bloc's new name (in this test's transaction): past figures and issued documents keep what they said."""
    built = spring
    bloc = Bloc.objects.get()
    issuing_body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    registration = Deadline.objects.get(kind=obligations.REGISTRATION)
    last_year = Campaign.objects.get(year=2023)
    with time_machine.travel(at(date(2024, 5, 20)), tick=False):
        draft = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DISPATCH_DAY,
        )
        issued = documents.document_issue(
            actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 20)
        )
        before = {
            "2023": campaign_statistics(last_year, on=date(2023, 12, 31)),
            "spring": campaign_statistics(built.campaign, on=DISPATCH_DAY),
            "members": organization_selectors.organization_totals(
                list(organization_selectors.organization_list(staff_user, on=date(2024, 5, 15)))
            ),
        }
        page_before = staff_client.get(reverse("reports:document", args=[issued.pk])).content.decode()
    reorganise_summer(built)
    with time_machine.travel(at(date(2024, 9, 1)), tick=False):
        blocs.bloc_rename(
            actor=staff_user,
            bloc=Bloc.objects.get(),
            effective_on=date(2024, 9, 1),
            name="Đảng ủy các cơ quan Đảng tỉnh",
            parent_name="ĐẢNG BỘ TỈNH LÀO CAI",
            symbol="ĐUCQ",
            place_name="Lào Cai",
        )
    with time_machine.travel(at(DECEMBER), tick=False):
        after_2023 = campaign_statistics(last_year, on=date(2023, 12, 31))
        after_spring = campaign_statistics(built.campaign, on=DISPATCH_DAY)
        assert (after_2023.ratio_label, after_2023.total) == (before["2023"].ratio_label, before["2023"].total)
        assert (after_spring.ratio_label, after_spring.total, after_spring.by_level_origin) == (
            before["spring"].ratio_label,
            before["spring"].total,
            before["spring"].by_level_origin,
        )
        members = organization_selectors.organization_totals(
            list(organization_selectors.organization_list(staff_user, on=date(2024, 5, 15)))
        )
        assert members == before["members"]
        issued.refresh_from_db()
        assert issued.number_label.endswith("-CV/ĐUK") and issued.place_name != "Lào Cai"
        page_after = staff_client.get(reverse("reports:document", args=[issued.pk])).content.decode()
        assert issued.header_name in page_after and "Lào Cai" not in _strip_nav(page_after)
        assert _strip_nav(page_after).count(issued.number_label) == _strip_nav(page_before).count(issued.number_label)
        # A new document from the change date uses the new values.
        new = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DECEMBER,
        )
        new = documents.document_issue(actor=staff_user, document=finish(new, staff_user), issued_on=DECEMBER)
        assert new.number_label.endswith("-CV/ĐUCQ") and new.place_name == "Lào Cai"
        assert Document.objects.count() == 2


def test_the_shared_layer_on_each_date_asked_in_december(year):
    registration = Deadline.objects.get(kind=obligations.REGISTRATION)
    plan = Deadline.objects.get(kind=qcdc_obligations.PLAN)
    with time_machine.travel(at(DECEMBER), tick=False):
        for day, (ratio, models, plans) in EXPECTED.items():
            stats = campaign_statistics(year.campaign, on=day)
            assert stats.ratio_label == ratio == deadlines.deadline_figures(registration, day).ratio_label, day
            if models:
                assert stats.total == models, day
            assert cycle_summary(year.cycle, on=day).plans.ratio_label == plans
            assert deadlines.deadline_figures(plan, day).ratio_label == plans
        dispatch = campaign_statistics(year.campaign, on=DISPATCH_DAY)
        assert (dispatch.bloc_level, dispatch.base_level, dispatch.base_continued, dispatch.base_new) == (
            2,
            131,
            73,
            58,
        )
        assert deadlines.deadline_figures(registration, DISPATCH_DAY).sent_late == 5
        # Merged and dissolved organisations still owed the spring deadline; they are no longer chased.
        figures = deadlines.deadline_figures(registration, DECEMBER)
        assert {o.code for o in figures.no_longer_active} == {"CS072", "CS073", "CS074"}
        assert len(figures.to_chase) == 34 - 3
        # The self-inspection report, due 25/10, is owed by the 72 organisations that existed that day.
        inspection = deadlines.deadline_figures(Deadline.objects.get(kind=qcdc_obligations.SELF_INSPECTION), DECEMBER)
        assert inspection.ratio_label == "0/72" and "CS075" in {o.code for o in inspection.organizations}
        # Members: the merge and the transfers of 1/7 leave the figures of 30/6 as they were; from 1/10 the
        # dissolved organisation's members are no longer in the bloc's active organisations.
        totals = {
            day: organization_selectors.organization_totals(
                list(organization_selectors.organization_list(year.staff, on=day))
            )
            for day in (date(2024, 6, 30), date(2024, 7, 1), DECEMBER)
        }
        assert totals[date(2024, 6, 30)] == {"organizations": 74, "cells": 0, "members": 222}
        assert totals[date(2024, 7, 1)] == {"organizations": 73, "cells": 0, "members": 222}
        assert totals[DECEMBER]["organizations"] == 72
        by_code = {
            o.code: o.member_count for o in organization_selectors.organization_list(year.staff, on=date(2024, 7, 1))
        }
        assert (by_code["CS010"], by_code["CS011"], by_code["CS075"]) == (1, 5, 6)


def test_every_page_and_export_agrees_on_each_date(year, staff_client):
    campaign_pk, cycle_pk = year.campaign.pk, year.cycle.pk
    with time_machine.travel(at(DECEMBER), tick=False):
        for day, (ratio, models, plans) in EXPECTED.items():
            statistics = staff_client.get(reverse("models_danvan:statistics", args=[campaign_pk]), _ngay(day))
            values = _ids(statistics.content.decode())
            assert values["registered-ratio"] == ratio and values["reference-date"] == f"{day:%d/%m/%Y}"
            if models:
                assert statistics.context["stats"].total == models
            assert ratio in _workbook_text(
                staff_client.get(reverse("models_danvan:statistics_xlsx", args=[campaign_pk]), _ngay(day))
            )
            dashboard = staff_client.get(reverse("dashboard:index"), _ngay(day))
            assert _ids(dashboard.content.decode())["campaign-ratio"] == ratio

            qcdc = staff_client.get(reverse("democracy_regs:statistics", args=[cycle_pk]), _ngay(day))
            assert _ids(qcdc.content.decode())["ratio-qcdcplan"] == plans
            assert plans in _workbook_text(
                staff_client.get(reverse("democracy_regs:statistics_xlsx", args=[cycle_pk]), _ngay(day))
            )

            matrix = staff_client.get(reverse("notifications:matrix"), {"nam": 2024, **_ngay(day)}).context["matrix"]
            columns = {column.deadline.kind: f"{column.sent}/{column.expected}" for column in matrix.columns}
            assert columns[obligations.REGISTRATION] == ratio and columns[qcdc_obligations.PLAN] == plans
            exported = _workbook_text(
                staff_client.get(reverse("notifications:matrix_xlsx"), {"nam": 2024, **_ngay(day)})
            )
            assert {ratio, plans} <= exported

            # The register's organisation × deadline workbook (a background export) reads the same standings.
            sheet = openpyxl.load_workbook(io.BytesIO(exports.deadline_matrix_xlsx(on=day))).active
            rows = list(sheet.iter_rows(values_only=True))
            column = next(i for i, title in enumerate(rows[0]) if title and title.startswith("Đăng ký mô hình"))
            owed = [row[column] for row in rows[1:] if row[column] != "—"]
            sent = [label for label in owed if label not in ("Chưa nộp", "Quá hạn")]
            assert f"{len(sent)}/{len(owed)}" == ratio, day

            progress = staff_client.get(reverse("notifications:tracking"), _ngay(day)).context["progress"]
            for item in progress:  # the deadlines still followed on that day
                expected = {obligations.REGISTRATION: ratio, qcdc_obligations.PLAN: plans}.get(item.deadline.kind)
                if expected:
                    assert f"{item.sent}/{item.expected}" == expected, (day, item.deadline.kind)
        assert {
            p.deadline.kind
            for p in staff_client.get(reverse("notifications:tracking"), _ngay(DISPATCH_DAY)).context["progress"]
        } >= {
            obligations.REGISTRATION,
            qcdc_obligations.PLAN,
        }


def test_documents_drafted_for_15_may_in_december_read_as_the_dispatch(year, staff_user):
    issuing_body = IssuingBodyFactory()
    TermFactory()
    registration = Deadline.objects.get(kind=obligations.REGISTRATION)
    with time_machine.travel(at(DECEMBER), tick=False):
        dispatch = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DISPATCH_DAY,
        )
        report = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.DANVAN_REPORT,
            issuing_body=issuing_body,
            source=year.campaign,
            as_of=DISPATCH_DAY,
        )
        qcdc = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.QCDC_REPORT,
            issuing_body=issuing_body,
            source=year.cycle,
            as_of=DISPATCH_DAY,
        )
    assert (
        "Tính đến ngày 15/5/2024 đã có 30/74 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024, với 133 "
        "mô hình đăng ký, trong đó có 02 mô hình cấp Đảng ủy Khối và 131 mô hình cấp cơ sở; 73 mô hình tiếp tục thực "
        "hiện từ năm 2023 và 58 mô hình đăng ký mới năm 2024." in dispatch.content["body"]
    )
    # The 44 still missing that day are listed, whatever happened to them since.
    assert "Còn 44 chi, đảng bộ cơ sở chưa gửi" in dispatch.content["body"]
    assert "30/74" in report.content["body"] and "40/74" in qcdc.content["body"]
    # Drafted "as of 1/12", the dispatch chases only organisations that still exist.
    with time_machine.travel(at(DECEMBER), tick=False):
        later = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DECEMBER,
        )
    assert "đã có 40/74 chi, đảng bộ cơ sở" in later.content["body"]
    assert "Còn 31 chi, đảng bộ cơ sở chưa gửi" in later.content["body"]
    assert "CS072" not in later.content["body"] and "Đảng bộ cơ sở số 073" not in later.content["body"]


def test_a_renamed_organisation_keeps_its_old_name_in_figures_of_before(year, staff_user, staff_client):
    """Renamed on 1/9/2024: the lists of who was missing on 15/5 (statistics page, tracking, the dispatch)
    show the name it bore then; today's lists show the new one."""
    from organizations import reorganization

    renamed = next(o for o in year.organizations if o.code == "CS050")
    old_name = renamed.name
    with time_machine.travel(at(date(2024, 9, 1)), tick=False):
        reorganization.organization_rename(
            actor=staff_user, organization=renamed, name="Đảng bộ Sở Văn hóa và Thể thao", effective_on=date(2024, 9, 1)
        )
    issuing_body = IssuingBodyFactory()
    registration = Deadline.objects.get(kind=obligations.REGISTRATION)
    with time_machine.travel(at(DECEMBER), tick=False):
        # The statistics page lists the first 20 of the 34 to chase; the full list behind its link has them all.
        missing = reverse("models_danvan:statistics_organizations", args=[year.campaign.pk])
        then = staff_client.get(missing, _ngay(DISPATCH_DAY))
        assert old_name in then.content.decode() and "Đảng bộ Sở Văn hóa và Thể thao" not in then.content.decode()
        # All of those to chase (the page lists the first 20 of each deadline; CS050 comes later).
        tracking = staff_client.get(reverse("notifications:tracking"), {**_ngay(DISPATCH_DAY), "tat_ca": "1"})
        assert old_name in tracking.content.decode()
        dispatch = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=registration,
            as_of=DISPATCH_DAY,
        )
        assert old_name in dispatch.content["body"] and "Văn hóa và Thể thao" not in dispatch.content["body"]
        now = staff_client.get(missing)
        assert "Đảng bộ Sở Văn hóa và Thể thao" in now.content.decode()


def test_four_topic_dispatch_drafted_in_december_for_15_may_reads_as_1720(year, staff_user):
    """The dispatch itself: DVK registrations, QCDC plans, self-inspection with the three units chosen in the
    spring for a direct visit, and a free section, drafted in December for 15/5; issued as 1720 after 1719."""
    from democracy_regs import services as qcdc
    from reports import checks
    from reports.models import DocType, TopicKind
    from reports.topics import TopicSpec

    units = year.organizations[40:43]
    with time_machine.travel(at(date(2024, 4, 1)), tick=False):
        qcdc.cycle_save(
            actor=staff_user,
            instance=year.cycle,
            inspected_organizations=units,
            inspection_deadline=date(2024, 9, 1),
            review_start=date(2023, 10, 1),
            review_end=date(2024, 9, 30),
        )
    issuing_body = IssuingBodyFactory()
    term = TermFactory()
    specs = [
        TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind=obligations.REGISTRATION)),
        TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind=qcdc_obligations.PLAN)),
        TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind=qcdc_obligations.SELF_INSPECTION)),
        TopicSpec(TopicKind.FREE, title="Về việc đẩy mạnh việc thực hiện Kết luận số 114-KL/TW", text="Tiếp tục …"),
    ]
    with time_machine.travel(at(DECEMBER), tick=False):
        draft = documents.document_create(
            actor=staff_user,
            kind=DocumentKind.DISPATCH,
            issuing_body=issuing_body,
            as_of=DISPATCH_DAY,
            topic_specs=specs,
        )
        body = draft.content["body"]
        for figure in ("30/74", "133 mô hình", "02 mô hình", "131 mô hình", "73 mô hình", "58 mô hình", "40/74"):
            assert figure in body, figure
        assert "Kế hoạch số 252-KH/ĐUK" in body and "Kế hoạch số 253-KH/ĐUK" in body
        names = "; ".join(unit.name for unit in sorted(units, key=lambda unit: (unit.sort_key, unit.code)))
        assert f"trực tiếp gồm: {names}, tiến hành rà soát" in body
        assert "từ ngày 01/10/2023 đến ngày 30/9/2024" in body and "trước ngày 01/9/2024" in body
        assert "trước ngày 25/10/2024" in body and "chưa gửi báo cáo tự kiểm tra" not in body
        assert draft.content["recipients"] == ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]
        assert checks.issue_problems(draft) == ["Nội dung còn chỗ để trống chưa điền (“…” hoặc “[…]”)."]
        documents.counter_set_last_number(
            actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1719
        )
        issued = documents.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=DECEMBER)
    assert issued.number_label == "1720-CV/ĐUK"


def _strip_nav(html: str) -> str:
    """The page without its navigation bar (which shows the bloc's name as it is today)."""
    return re.sub(r"<nav.*?</nav>", "", html, flags=re.S)

"""References are data: recorded once, linked to campaigns, cycles and deadlines, cited by generated sections
("Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của …"); documents issued by the portal become references;
staff manage them on the portal's pages, leaders and officers cannot."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from democracy_regs import obligations as qcdc_obligations
from dukportal.core.models import AuditEntry
from dukportal.submissions.models import Deadline
from reports import generators, services
from reports.models import DocType, DocumentKind, Reference, ReferenceKind, ReferenceLink
from reports.references import citation_for
from tests.democracy_regs.factories import open_cycle
from tests.factories import CampaignFactory
from tests.reports.drafts import finish

pytestmark = pytest.mark.django_db

PLAN_252 = (
    "Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về tiếp tục đẩy mạnh thực hiện "
    "phong trào thi đua “Dân vận khéo” năm 2024"
)


@pytest.fixture
def superiors(staff_user):
    scheme = services.reference_create(
        actor=staff_user,
        kind=ReferenceKind.SCHEME,
        number="13-ĐA/TU",
        issued_on=date(2023, 3, 16),
        issuer="Ban Thường vụ Tỉnh ủy",
        summary="về nâng cao chất lượng, hiệu quả phong trào thi đua “Dân vận khéo”",
    )
    guide = services.reference_create(
        actor=staff_user,
        kind=ReferenceKind.GUIDE,
        number="02-HD/BDVTU",
        issued_on=date(2023, 6, 27),
        issuer="Ban Dân vận Tỉnh ủy",
        summary="về hướng dẫn xây dựng mô hình “Dân vận khéo”",
    )
    return scheme, guide


@pytest.fixture
def campaign(staff_user, superiors):
    campaign = CampaignFactory(year=2024, plan_number="252-KH/ĐUK", created_by=staff_user)
    services.reference_create(
        actor=staff_user,
        kind=ReferenceKind.PLAN,
        number="252-KH/ĐUK",
        issued_on=date(2024, 3, 25),
        issuer="Ban Thường vụ Đảng ủy Khối",
        summary="về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        implements=list(superiors),
        sources=[campaign],
    )
    return campaign


def test_citation_names_number_date_issuer_and_summary(campaign):
    assert citation_for(campaign, on=date(2024, 5, 15)) == f"Thực hiện {PLAN_252}"


def test_citation_with_superiors_puts_the_implemented_documents_first(campaign):
    assert citation_for(campaign, on=date(2024, 5, 15), superiors=True) == (
        "Thực hiện Đề án số 13-ĐA/TU, ngày 16/3/2023 của Ban Thường vụ Tỉnh ủy về nâng cao chất lượng, hiệu quả "
        "phong trào thi đua “Dân vận khéo” và Hướng dẫn số 02-HD/BDVTU, ngày 27/6/2023 của Ban Dân vận Tỉnh ủy "
        f"về hướng dẫn xây dựng mô hình “Dân vận khéo”; {PLAN_252}"
    )


def test_a_draft_dated_before_the_plan_does_not_cite_it(campaign):
    assert citation_for(campaign, on=date(2024, 3, 24)) == ""
    assert citation_for(campaign, on=date(2024, 3, 25)) == f"Thực hiện {PLAN_252}"


def test_a_deadline_without_its_own_reference_cites_its_campaigns(campaign):
    from models_danvan import obligations

    obligations.sync_campaign_deadlines(campaign)
    deadline = Deadline.objects.get(kind=obligations.REGISTRATION)
    assert citation_for(deadline, on=date(2024, 5, 15)) == f"Thực hiện {PLAN_252}"


def test_reminder_opening_cites_the_recorded_plan(staff_user, issuing_body, campaign):
    from models_danvan import obligations

    obligations.sync_campaign_deadlines(campaign)
    Reference.objects.filter(number="252-KH/ĐUK").update(summary="về phong trào thi đua “Dân vận khéo” năm 2024")
    deadline = Deadline.objects.get(kind=obligations.REGISTRATION)
    content = generators.reminder_content(deadline, issuing_body, date(2024, 5, 15))
    assert content["body"].startswith(
        "Thực hiện Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về phong trào thi đua "
        "“Dân vận khéo” năm 2024, Đảng ủy Khối đã hướng dẫn, đôn đốc"
    )


def test_self_inspection_reminder_cites_the_provincial_plan_linked_to_its_deadline(staff_user, issuing_body, bloc):
    cycle = open_cycle(staff_user)
    deadline = Deadline.objects.get(kind=qcdc_obligations.SELF_INSPECTION, source_id=cycle.pk)
    services.reference_create(
        actor=staff_user,
        kind=ReferenceKind.PLAN,
        number="171-KH/BDVTU",
        issued_on=date(2024, 3, 25),
        issuer="Ban Chỉ đạo Tỉnh ủy",
        summary="về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm 2024",
        sources=[deadline],
    )
    body = generators.reminder_content(deadline, issuing_body, date(2024, 5, 15))["body"]
    # Five months ahead the reminder is the topic composer's single section (it asks, lists nobody), whose
    # request opens with the citation, as the section of dispatch 1720-CV/ĐUK does.
    assert (
        "Thực hiện Kế hoạch số 171-KH/BDVTU, ngày 25/3/2024 của Ban Chỉ đạo Tỉnh ủy về việc kiểm tra, giám sát "
        "việc thực hiện dân chủ ở cơ sở năm 2024, Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở tham gia"
    ) in body


def test_qcdc_report_cites_the_cycles_reference(staff_user, issuing_body, bloc):
    cycle = open_cycle(staff_user)
    services.reference_create(
        actor=staff_user,
        kind=ReferenceKind.PLAN,
        number="253-KH/ĐUK",
        issued_on=date(2024, 3, 25),
        issuer="Ban Thường vụ Đảng ủy Khối",
        summary="về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        sources=[cycle],
    )
    body = generators.report_content(cycle, issuing_body, date(2024, 5, 15))["body"]
    assert body.startswith(
        "Thực hiện Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về xây dựng và thực hiện "
        "Quy chế dân chủ ở cơ sở năm 2024, "
    )


def test_an_issued_document_becomes_a_citable_reference(staff_user, issuing_body, term, bloc):
    services.counter_set_last_number(
        actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1719
    )
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    draft = services.document_update(
        actor=staff_user, document=finish(draft, staff_user), subject="V/v triển khai nhiệm vụ công tác Dân vận"
    )
    issued = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 22))
    reference = Reference.objects.get(document=issued)
    assert (reference.kind, reference.number, reference.issued_on) == ("CV", "1720-CV/ĐUK", date(2024, 5, 22))
    cycle = open_cycle(staff_user)
    services.reference_link(actor=staff_user, reference=reference, source=cycle)
    assert citation_for(cycle, on=date(2024, 6, 1)) == (
        "Thực hiện Công văn số 1720-CV/ĐUK, ngày 22/5/2024 của Ban Thường vụ Đảng ủy Khối về việc triển khai "
        "nhiệm vụ công tác Dân vận"
    )
    with pytest.raises(ValidationError, match="do cổng phát hành"):
        services.reference_update(actor=staff_user, reference=reference, number="1721-CV/ĐUK")


def test_summary_must_read_as_a_citation_tail(staff_user):
    with pytest.raises(ValidationError) as error:
        services.reference_create(
            actor=staff_user,
            kind=ReferenceKind.PLAN,
            number="1-KH/ĐUK",
            issued_on=date(2024, 1, 2),
            issuer="Ban Thường vụ Đảng ủy Khối",
            summary="Về việc gì đó",
        )
    assert "bắt đầu bằng chữ thường" in str(error.value)
    assert not Reference.objects.exists()


# --- pages ----------------------------------------------------------------------------------------------------


def _form(campaign=None, **overrides):
    data = {
        "kind": ReferenceKind.PLAN,
        "number": "252-KH/ĐUK",
        "issued_on": "25/03/2024",
        "issuer": "Ban Thường vụ Đảng ủy Khối",
        "summary": "về tiếp tục đẩy mạnh thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
    }
    if campaign is not None:
        data["campaigns"] = [campaign.pk]
    data.update(overrides)
    return data


def test_staff_record_a_reference_with_its_links_and_it_is_audited(staff_client, staff_user, superiors):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    response = staff_client.post(
        reverse("reports:reference_create"), _form(campaign, implements=[superiors[0].pk, superiors[1].pk])
    )
    assert response.status_code == 302 and response["Location"] == reverse("reports:references")
    reference = Reference.objects.get(number="252-KH/ĐUK")
    assert set(reference.implements.all()) == set(superiors)
    assert ReferenceLink.objects.filter(
        reference=reference, source_type=ContentType.objects.get_for_model(campaign), source_id=campaign.pk
    ).exists()
    entry = AuditEntry.objects.get(action="reference.create", target_id=str(reference.pk))
    assert entry.actor == staff_user and entry.changes["number"] == "252-KH/ĐUK"

    page = staff_client.get(reverse("reports:references")).content.decode()
    assert "252-KH/ĐUK" in page and "13-ĐA/TU" in page

    edit = reverse("reports:reference_edit", args=[reference.pk])
    assert "về tiếp tục đẩy mạnh" in staff_client.get(edit).content.decode()
    response = staff_client.post(edit, _form(summary="về phong trào thi đua năm 2024"))
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.summary == "về phong trào thi đua năm 2024"
    assert not reference.links.exists()  # the campaign was unticked
    assert AuditEntry.objects.filter(action="reference.update", target_id=str(reference.pk)).exists()


def test_bad_input_keeps_what_was_typed_and_explains(staff_client):
    response = staff_client.post(reverse("reports:reference_create"), _form(issued_on="31/02/2024"))
    page = response.content.decode()
    assert response.status_code == 200 and "Ngày không hợp lệ" in page and "252-KH/ĐUK" in page
    assert not Reference.objects.exists()


def test_the_same_number_and_date_is_recorded_once(staff_client, staff_user):
    staff_client.post(reverse("reports:reference_create"), _form())
    response = staff_client.post(reverse("reports:reference_create"), _form())
    assert "đã được ghi nhận" in response.content.decode()
    assert Reference.objects.count() == 1


def test_leader_reads_the_list_but_cannot_manage(leader_client, staff_user, superiors):
    assert leader_client.get(reverse("reports:references")).status_code == 200
    assert leader_client.get(reverse("reports:reference_create")).status_code == 403
    assert leader_client.post(reverse("reports:reference_create"), _form()).status_code == 403
    edit = reverse("reports:reference_edit", args=[superiors[0].pk])
    assert leader_client.post(edit, _form()).status_code == 403
    assert not Reference.objects.filter(number="252-KH/ĐUK").exists()


def test_officer_cannot_see_or_manage_references(officer_client, superiors):
    assert officer_client.get(reverse("reports:references")).status_code == 403
    assert officer_client.post(reverse("reports:reference_create"), _form()).status_code == 403
    assert officer_client.get(reverse("reports:reference_edit", args=[superiors[0].pk])).status_code == 403


def test_unknown_reference_is_404_for_staff(staff_client):
    assert staff_client.get(reverse("reports:reference_edit", args=[999])).status_code == 404


def test_demo_records_the_references_of_dispatch_1720(staff_user, issuing_body, bloc):
    from reports import demo

    campaign = CampaignFactory(year=2024, plan_number="252-KH/ĐUK", created_by=staff_user)
    cycle = open_cycle(staff_user)
    first = demo.seed(today=date(2024, 5, 22))
    assert first["văn bản được trích dẫn"] == 7  # 13-ĐA/TU, 02-HD/BDVTU, 252, 170, 253, 171, 780
    assert demo.seed(today=date(2024, 5, 22))["văn bản được trích dẫn"] == 0
    on = date(2024, 5, 15)
    assert citation_for(campaign, on=on) == f"Thực hiện {PLAN_252}"
    assert citation_for(campaign, on=on, superiors=True).startswith("Thực hiện Đề án số 13-ĐA/TU, ngày 16/3/2023")
    assert citation_for(cycle, on=on, superiors=True) == (
        "Thực hiện Kế hoạch số 170-KH/BCĐTU, ngày 25/3/2024 của Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh "
        "về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024; Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của "
        "Ban Thường vụ Đảng ủy Khối về xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024"
    )
    self_inspection = Deadline.objects.get(kind=qcdc_obligations.SELF_INSPECTION, source_id=cycle.pk)
    assert citation_for(self_inspection, on=on).startswith("Thực hiện Kế hoạch số 171-KH/BDVTU, ngày 25/3/2024")
    assert Reference.objects.filter(number="780-CV/BDVTU", issued_on=date(2024, 5, 13)).exists()
    # Seeded before 13/5, the demo has no 780-CV/BDVTU of that year: nothing is dated after the seed.
    Reference.objects.filter(number="780-CV/BDVTU").delete()
    demo.seed(today=date(2024, 5, 1))
    assert not Reference.objects.filter(number="780-CV/BDVTU").exists()


def test_a_double_click_records_one_reference(staff_client):
    import uuid

    data = {**_form(), "form_token": str(uuid.uuid4())}
    first = staff_client.post(reverse("reports:reference_create"), data)
    second = staff_client.post(reverse("reports:reference_create"), data)
    reference = Reference.objects.get()
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == reverse("reports:reference_edit", args=[reference.pk])


def test_the_list_costs_the_same_queries_whatever_its_length(
    leader_client, staff_user, superiors, django_assert_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert leader_client.get(reverse("reports:references")).status_code == 200
        return len(captured)

    few = count_queries()
    for n in range(5):
        services.reference_create(
            actor=staff_user,
            kind=ReferenceKind.DISPATCH,
            number=f"{700 + n}-CV/BDVTU",
            issued_on=date(2024, 5, 1 + n),
            issuer="Ban Dân vận Tỉnh ủy",
            summary="về việc tiếp tục đẩy mạnh công tác dân vận",
            implements=list(superiors),
        )
    with django_assert_num_queries(few):
        assert leader_client.get(reverse("reports:references")).status_code == 200

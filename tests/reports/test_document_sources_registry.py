"""A report kind is declared once, in dukportal.documents.sources: a throw-away kind registered here is offered on
the create page with its own picker, drafted by its own generator (kept as the document's source) and
redrafted, with no line of reports naming it."""

from datetime import date

import pytest
from django.urls import reverse

from dukportal.documents import sources
from dukportal.documents.sections import Report
from organizations.models import BaseOrganization
from reports import services

pytestmark = pytest.mark.django_db


def _report(organization, draft):
    return Report(
        subject=f"kết quả chuyên đề của {organization.name}",
        body=[f"{draft.actor} báo cáo (số liệu tính đến ngày {draft.as_of:%d/%m/%Y}):", "# I- KẾT QUẢ", "…"],
        distribution_extra=("- Ban chuyên đề,",),
    )


@pytest.fixture
def thematic_kind():
    sources.register(
        sources.DocumentSource(
            kind="test_thematic",
            label="Báo cáo chuyên đề thử",
            model=BaseOrganization,
            field="thematic_org",
            field_label="Đơn vị của chuyên đề",
            missing="Chọn đơn vị của chuyên đề.",
            choices=lambda: BaseOrganization.objects.order_by("code"),
            report=_report,
            order=15,
        )
    )
    yield "test_thematic"
    sources.unregister("test_thematic")


def test_registered_kind_is_offered_drafted_and_redrafted(
    thematic_kind, staff_user, staff_client, issuing_body, organization
):
    page = staff_client.get(reverse("reports:document_create")).content.decode()
    assert "Báo cáo chuyên đề thử" in page and 'name="thematic_org"' in page

    response = staff_client.post(
        reverse("reports:document_create"),
        {"kind": thematic_kind, "issuing_body": issuing_body.pk, "figures_as_of": "15/05/2024"},
    )
    assert "Chọn đơn vị của chuyên đề." in response.content.decode()

    document = services.document_create(
        actor=staff_user, kind=thematic_kind, issuing_body=issuing_body, source=organization, as_of=date(2024, 5, 15)
    )
    assert (document.doc_type, document.source) == ("BC", organization)
    assert document.content["subject"] == "kết quả chuyên đề của Đảng bộ Sở Tài chính"
    assert "- Ban chuyên đề," in document.content["distribution"]
    redrafted = services.document_regenerate(actor=staff_user, document=document, as_of=date(2024, 5, 20))
    assert "20/05/2024" in str(redrafted.content)


def test_a_source_of_another_kind_is_refused(thematic_kind, staff_user, issuing_body, organization):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.document_create(actor=staff_user, kind=thematic_kind, issuing_body=issuing_body, source=staff_user)
    assert error.value.message_dict == {"thematic_org": ["Chọn đơn vị của chuyên đề."]}


def test_a_source_a_document_was_drafted_from_cannot_be_deleted(staff_user, issuing_body):
    """The generic Document.source keeps the old foreign keys' PROTECT: the campaign of a drafted report stays."""
    from django.db import transaction
    from django.db.models import ProtectedError

    from models_danvan.models import Campaign
    from tests.factories import CampaignFactory

    cited, unused = CampaignFactory(year=2023), CampaignFactory(year=2022)
    services.document_create(
        actor=staff_user, kind="danvan_report", issuing_body=issuing_body, source=cited, as_of=date(2024, 5, 15)
    )
    with pytest.raises(ProtectedError, match="đã có văn bản được soạn từ mục này"), transaction.atomic():
        cited.delete()
    unused.delete()
    assert list(Campaign.objects.values_list("year", flat=True)) == [2023]

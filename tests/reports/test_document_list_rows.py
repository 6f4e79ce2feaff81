"""The document list's and the register's rows, formatted in Python (reports/rows.py, issue 13), are the bytes
the old templates printed for the same documents: drafts and issued ones, a committee and a department body
with and without their own symbol, a subject with markup and one past 120 characters, no subject at all, a
draft created late in the evening (UTC the day before), signers present or not."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from bench import dataset
from reports import rows, selectors
from reports.models import DocType, Document, DocumentKind, DocumentStatus, IssuerKind, IssuingBody
from tests.reports.factories import IssuingBodyFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

# The loop bodies of templates/reports/document_list.html and register.html before the rows moved to Python.
OLD_DOCUMENT_ROW = Template(
    """{% for d in documents %}
    <tr>
      <td><a href="{{ d.get_absolute_url }}">{{ d.number_label }}</a></td>
      <td>{% if d.issued_on %}{{ d.issued_on|date:"d/m/Y" }}{% else %}<span class="text-muted">{{ d.created_at|date:"d/m/Y" }}</span>{% endif %}</td>
      <td>{{ d.figures_as_of|date:"d/m/Y" }}</td>
      <td>{{ d.content.subject|truncatechars:120 }}</td>
      <td>{{ d.issuer_label }}</td>
      <td>{% if d.is_issued %}<span class="badge text-bg-success">{{ d.get_status_display }}</span>{% else %}<span class="badge text-bg-warning">{{ d.get_status_display }}</span>{% endif %}</td>
      <td class="text-nowrap"><a href="{% url 'reports:document_download' d.pk 'docx' %}">Word</a> · <a href="{% url 'reports:document_download' d.pk 'pdf' %}">PDF</a></td>
    </tr>
  {% endfor %}"""
)
OLD_REGISTER_ROW = Template(
    """{% for d in issued %}
    <tr><td><a href="{{ d.get_absolute_url }}">{{ d.number_label }}</a></td><td>{{ d.issued_on|date:"d/m/Y" }}</td><td>{{ d.issuer_label }}</td>
      <td class="small">{{ d.header_superior|upper }}<br>{{ d.header_name|upper }}<br>{{ d.place_name }}</td>
      <td>{{ d.content.subject|truncatechars:120 }}</td><td class="small">{{ d.content.signer_title }} {{ d.content.signer_name }}</td></tr>
  {% endfor %}"""
)


def _new(row_strings) -> str:
    return "".join(f"\n    {row}\n  " for row in row_strings)


@pytest.fixture
def documents(staff_user):
    dataset.build_documents(staff_user, count=9)  # a department's register: issued and drafts
    bloc = IssuingBody.objects.first().bloc
    committee = IssuingBody.objects.get(kind=IssuerKind.COMMITTEE)
    own_symbol = IssuingBodyFactory(bloc=bloc, kind=IssuerKind.DEPARTMENT, name="Ban <Tổ chức>", symbol="BTC&K")
    issued = Document.objects.filter(status=DocumentStatus.ISSUED).first()
    extra = [
        Document(
            kind=DocumentKind.values[0],
            doc_type=DocType.BC,
            issuing_body=committee,
            content={"subject": "Về <b>việc</b> " + "rất dài " * 30, "signer_title": "Phó Bí thư"},
            created_by=staff_user,
        ),
        Document(
            kind=DocumentKind.values[0], doc_type=DocType.KH, issuing_body=own_symbol, content={}, created_by=staff_user
        ),
        Document(
            kind=DocumentKind.values[0], doc_type=DocType.TB, issuing_body=own_symbol, content=[], created_by=staff_user
        ),
        Document(
            kind=DocumentKind.values[0],
            doc_type=DocType.CV,
            issuing_body=committee,
            status=DocumentStatus.ISSUED,
            content={"subject": "Ký & đóng dấu", "signer_title": "Bí thư", "signer_name": "Lê <Văn> B"},
            term=issued.term,
            number=7,
            issued_on=date(2024, 11, 30),
            issued_at=datetime(2024, 11, 30, 9, tzinfo=HCM),
            issued_by=staff_user,
            created_by=staff_user,
            header_superior="Tỉnh ủy yên bái",
            header_name="Đảng ủy khối",
            place_name="Yên Bái",
            issuer_name="",  # issued before the name was frozen: the body's current name
        ),
    ]
    Document.objects.bulk_create(extra)
    # Created at 23:30 UTC: 06:30 the next day in Việt Nam, the day the list shows.
    late = datetime(2024, 12, 9, 23, 30, tzinfo=ZoneInfo("UTC"))
    Document.objects.filter(status=DocumentStatus.DRAFT).update(created_at=late)
    Document.objects.filter(status=DocumentStatus.DRAFT, doc_type=DocType.KH).update(
        created_at=late - timedelta(days=40)
    )
    return Document.objects.count()


def test_document_list_rows_are_the_old_templates_output(documents, staff_user):
    instances = list(selectors.document_list(staff_user))
    values = selectors.document_list(staff_user).values_list(*selectors.DOCUMENT_ROW_FIELDS, named=True)
    assert len(instances) == documents == 13
    assert _new(rows.document_rows(values)) == OLD_DOCUMENT_ROW.render(Context({"documents": instances}))


def test_register_rows_are_the_old_templates_output(documents, staff_user):
    instances = list(selectors.issued_documents(staff_user))
    values = selectors.issued_documents(staff_user).values_list(*selectors.REGISTER_ROW_FIELDS, named=True)
    assert len(instances) == 7
    assert _new(rows.register_rows(values)) == OLD_REGISTER_ROW.render(Context({"issued": instances}))


def test_the_pages_show_the_rows(documents, staff_client):
    listed = staff_client.get(reverse("reports:documents")).content.decode()
    assert "<td>10/12/2024</td>" not in listed and '<span class="text-muted">10/12/2024</span>' in listed
    assert "Về &lt;b&gt;việc&lt;/b&gt;" in listed and "Ban &lt;Tổ chức&gt;" in listed
    register = staff_client.get(reverse("reports:register")).content.decode()
    assert "07-CV/ĐUK</a></td><td>30/11/2024</td>" in register
    assert "TỈNH ỦY YÊN BÁI<br>ĐẢNG ỦY KHỐI<br>Yên Bái" in register and "Bí thư Lê &lt;Văn&gt; B" in register


def test_register_forms_offer_the_rows_the_page_read_and_check_a_posted_value(
    staff_client, issuing_body, term, django_assert_num_queries
):
    staff_client.get(reverse("reports:register"))
    # session, user, counters, count of issued documents (none: no page to read), terms, issuing bodies, bloc
    # header: the selects of the counter form query nothing more (they did: two queries).
    with django_assert_num_queries(7):
        page = staff_client.get(reverse("reports:register")).content.decode()
    assert f'<option value="{issuing_body.pk}">{issuing_body.name}</option>' in page
    assert f'<option value="{term.pk}">{term}</option>' in page
    assert '<div id="div_id_last_number" class="mb-3">' in page and 'class="numberinput form-control"' in page
    assert 'class="dateinput form-control"' in page and "crispy" not in page
    refused = staff_client.post(
        reverse("reports:register"),
        {"action": "counter", "issuing_body": 999_999, "doc_type": "CV", "term": term.pk, "last_number": 3},
    ).content.decode()
    assert 'class="select form-select is-invalid"' in refused and "id_issuing_body_error" in refused

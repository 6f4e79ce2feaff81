"""An organisation's page shows what the apps above organizations register (organizations.page_sections): a
link and a section declared here alone appear on it, the section computed for the page's reference date and
rendered with its own context only."""

import pytest
from django.urls import reverse

from organizations import page_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_section(tmp_path, settings):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "_visits.html").write_text(
        '<div id="visit-section">{{ organization.code }} ngày {{ on|date:"d/m/Y" }}'
        "{% if reference_form %} (lộ ngữ cảnh trang){% endif %}</div>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    page_sections.register_section(
        page_sections.Section(
            key="tests.visits",
            template_name="sections/_visits.html",
            context=lambda user, organization, *, on: {"organization": organization, "on": on},
        )
    )
    page_sections.register_link(
        page_sections.Link(key="tests.visits_link", label="Các đợt kiểm tra", url=lambda org: f"/kiem-tra/{org.pk}/")
    )
    yield
    page_sections.unregister("tests.visits")
    page_sections.unregister("tests.visits_link")


def test_a_registered_link_and_section_are_on_the_organisation_page(staff_client, organization, visit_section):
    url = reverse("organizations:detail", args=[organization.pk])
    page = staff_client.get(url, {"ngay": "05/05/2024"}).content.decode()
    assert f'<a href="/kiem-tra/{organization.pk}/">Các đợt kiểm tra</a>' in page
    assert '<div id="visit-section">SOTC ngày 05/05/2024</div>' in page  # its own context, not the page's


def test_the_apps_own_link_and_section_stay_on_the_page(staff_client, organization):
    page = staff_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    history = reverse("models_danvan:organization_history", args=[organization.pk])
    assert f'<a href="{history}">Mô hình “Dân vận khéo” qua các năm</a>' in page
    assert 'id="organization-deadlines"' in page and 'id="received-reminders"' in page


def test_a_registered_export_is_offered_on_the_import_export_page(staff_client, bloc):
    page_sections.register_export(
        page_sections.Export(key="tests.cells", label="Xuất danh sách chi bộ", url=lambda: "/xuat-thu/", kind="cells")
    )
    try:
        page = staff_client.get(reverse("organizations:import")).content.decode()
    finally:
        page_sections.unregister("tests.cells")
    assert '<form method="post" action="/xuat-thu/">' in page
    assert '<input type="hidden" name="kind" value="cells">' in page and "Xuất danh sách chi bộ" in page
    assert f'action="{reverse("reports:export_start")}"' in page  # reports' member export stays

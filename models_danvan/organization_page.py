"""What “Dân vận khéo” adds to an organisation's page (registered in organizations.page_sections)."""

from django.urls import reverse

from organizations import page_sections


def register() -> None:
    page_sections.register_link(
        page_sections.Link(
            key="danvan.history",
            label="Mô hình “Dân vận khéo” qua các năm",
            url=lambda organization: reverse("models_danvan:organization_history", args=[organization.pk]),
            order=10,
        )
    )

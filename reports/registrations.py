"""What reports adds to the pages of the packages below it, through their registries (filled in
ReportsConfig.ready()): the reminder dispatch drafted from a deadline on the tracking page, the long export of
organisations, cells and members on the organisations' import/export page, and an organisation's incoming
documents (Văn bản đến) linked from its page."""

from urllib.parse import urlencode

from django.urls import reverse

from dukportal.notifications import deadline_actions
from organizations import page_sections


def _reminder_dispatch_url(deadline, reference_query: str = "") -> str:
    query = urlencode({"kind": "reminder", "deadline": deadline.pk})
    return f"{reverse('reports:document_create')}?{query}" + (f"&{reference_query}" if reference_query else "")


def register() -> None:
    deadline_actions.register(
        deadline_actions.DeadlineAction(
            key="reports.reminder_dispatch",
            label="Soạn công văn đôn đốc",
            url=_reminder_dispatch_url,
            icon="file-earmark-text",
            css_class="write-dispatch",
        )
    )
    page_sections.register_link(
        page_sections.Link(
            key="reports.inbox",
            label="Văn bản đến",
            url=lambda organization: reverse("reports:inbox", args=[organization.pk]),
            order=20,
            element_id="inbox-link",
        )
    )
    page_sections.register_export(
        page_sections.Export(
            key="reports.members",
            label="Xuất toàn bộ dữ liệu hiện có (cùng mẫu, sửa rồi nhập lại được)",
            url=lambda: reverse("reports:export_start"),
            kind="members",
        )
    )

"""What reports adds to the pages of the packages below it, through their registries (filled in
ReportsConfig.ready()): the reminder dispatch drafted from a deadline on the tracking page, the long export of
organisations, cells and members on the organisations' import/export page, and an organisation's incoming
documents (Văn bản đến) linked from its page. It also keeps a document's source (Document.source, a generic
reference) from being deleted while a document was drafted from it, as the foreign keys' PROTECT once did."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.urls import reverse

from dukportal.documents import sources
from dukportal.notifications import deadline_actions
from organizations import page_sections


def _reminder_dispatch_url(deadline, reference_query: str = "") -> str:
    query = urlencode({"kind": "reminder", "deadline": deadline.pk})
    return f"{reverse('reports:document_create')}?{query}" + (f"&{reference_query}" if reference_query else "")


def _protect_document_source(sender, instance, **kwargs) -> None:
    """Refuse to delete a campaign, cycle or any registered source that a document was drafted from."""
    if not any(source.model is sender for source in sources.sources()):
        return
    from .models import Document

    cited = Document.objects.filter(source_type=ContentType.objects.get_for_model(sender), source_id=instance.pk)
    if cited.exists():
        raise ProtectedError(f"Không thể xoá “{instance}”: đã có văn bản được soạn từ mục này.", set(cited))


def register() -> None:
    pre_delete.connect(_protect_document_source, dispatch_uid="reports.protect_document_source")
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

from django.http import FileResponse
from django.views import View

from organizations import access

from . import selectors


class AttachmentDownloadView(access.RoleRequiredMixin, View):
    """Serve an attachment only to users who may see its organisation (others get 404)."""

    def get(self, request, pk):
        attachment = access.get_visible_or_404(selectors.attachments_visible_to(request.user), request.user, pk=pk)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.mime_type,
        )

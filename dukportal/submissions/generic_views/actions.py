"""The building blocks of the generic pages (pages.py), usable alone by a kind with pages of its own: the
context of a detail page with the review actions (who may edit, send, accept, return with field comments,
reopen an accepted item, withdraw, delete a draft, attach), the POST action views, and the form pages' one
save → attach → send sequence.

    ACTIONS = generic_views.action_views(visible=selectors.reports_visible_to, after_delete_url=…, submit=…)
    context.update(generic_views.review_context(user, report, urls=…, deadline=…))
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from organizations import access

from .. import deadlines, idempotency, revisions, selectors
from .. import services as workflow
from ..forms import ReturnForm
from ..models import SubmissionStatus
from ..views import SubmissionActionView

ACTIONS = ("submit", "return", "accept", "attach", "withdraw", "delete")
# The URL segment of each action, the same for every kind: …/<pk>/gui/, …/<pk>/tra-lai/ …
ACTION_SEGMENTS = {
    "submit": "gui",
    "return": "tra-lai",
    "accept": "tiep-nhan",
    "attach": "tep",
    "withdraw": "rut-lai",
    "delete": "xoa",
}


def review_context(
    user: Any, submission: Any, *, urls: dict[str, str], deadline: Any = None, staff_edits_sent: bool = False
) -> dict[str, Any]:
    """What the detail page of any submission shows and which actions it offers to `user`. `urls`: the
    kind's URL names ({"edit": …, "submit": …, "return": …, …}; a missing one hides its action). Staff may
    return an accepted item ("reopen") on every kind; `staff_edits_sent`: staff also correct a sent item in
    place (a new kept version), for kinds whose figures are not read from the sent versions."""
    is_staff = access.is_staff(user)
    owner = access.is_officer(user) and submission.organization_id == user.organization_id
    returned = submission.status == SubmissionStatus.RETURNED
    # Every file once, removed ones included: the list shows the attached ones, the version comparison
    # (revisions.version_diffs(files=…)) reads them all without a query of its own.
    # Each list through SQL compiled once per process (selectors._listed).
    every_file = selectors.every_attachment_list(submission)
    return {
        "submission": submission,
        "urls": urls,
        "events": selectors.timeline_list(submission),
        "attachments": [file for file in every_file if file.removed_at is None],
        "every_file": every_file,
        "revisions": selectors.revision_list(submission),
        "return_reason": selectors.last_return_comment(submission) if returned else "",
        "field_comments": revisions.open_field_comments(submission),
        "can_edit": "edit" in urls
        and (((owner or is_staff) and submission.is_editable_by_organization) or (is_staff and staff_edits_sent)),
        "can_submit": (owner or is_staff) and submission.is_editable_by_organization,
        "can_review": is_staff and submission.status == SubmissionStatus.SUBMITTED,
        "is_staff": is_staff,
        "can_reopen": "return" in urls and is_staff and submission.status == SubmissionStatus.ACCEPTED,
        "can_withdraw": "withdraw" in urls and (owner or is_staff) and submission.is_withdrawable,
        "can_delete": "delete" in urls and (owner or is_staff) and submission.status == SubmissionStatus.DRAFT,
        "can_attach": "attach" in urls and (owner or is_staff) and submission.is_editable_by_organization,
        "can_remove_files": (owner or is_staff) and submission.is_editable_by_organization,
        "days_late": deadlines.days_late(submission, deadline),
        # Shown only with can_review or can_reopen, both staff's: an officer's page builds no form (a box per field).
        "return_form": ReturnForm(submission=submission) if is_staff else None,
    }


def action_views(
    *,
    name: str,
    visible: Callable[..., Any],
    after_delete_url: Callable[..., Any],
    submit: Callable[..., Any] | None = None,
) -> dict[str, type]:
    """The POST views of one kind's workflow actions, keyed by action. `submit(actor=, submission=)` replaces
    the shared send when the kind checks more first (required answers, a signed file)."""

    def perform(self: Any, request: Any, submission: Any) -> None:
        if self.action == "submit" and submit is not None:
            submit(actor=request.user, submission=submission)
        else:
            SubmissionActionView.perform(self, request, submission)

    return {
        action: type(
            f"{name}_{action}",
            (SubmissionActionView,),
            {
                "visible": staticmethod(visible),
                "action": action,
                "perform": perform,
                "after_delete_url": lambda self, submission: after_delete_url(submission),
            },
        )
        for action in ACTIONS
    }


def save_attach_send(
    request: Any,
    write: Callable[[], Any],
    attachment: Any = None,
    *,
    submit: Callable[..., Any] | None = None,
    claim_token: bool = False,
) -> Any:
    """The form pages' one sequence: run `write` (a create or an update), attach the uploaded file, and send
    when the user pressed "Gửi" (`submit(actor=, submission=)`, default the shared send) — all or nothing. A
    file already written to storage is removed again when a later step is refused, so a rollback leaves no
    orphan. An edit claims the form's token here (a create passes it to its service)."""
    attached = None
    try:
        with transaction.atomic():
            claimed = idempotency.claim(idempotency.token_of(request), actor=request.user) if claim_token else None
            submission = write()
            if attachment:
                attached = workflow.attachment_add(actor=request.user, submission=submission, uploaded=attachment)
            if request.POST.get("action") == "submit":
                submission = (submit or workflow.submission_submit)(actor=request.user, submission=submission)
            idempotency.bind(claimed, submission)
    except ValidationError:
        if attached is not None:
            attached.file.delete(save=False)
        raise
    return submission

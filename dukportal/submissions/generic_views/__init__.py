"""The generic views of every kind of submission (pages.py) and their building blocks (actions.py)."""

from .actions import ACTION_SEGMENTS, ACTIONS, action_views, review_context, save_attach_send
from .pages import (
    SubmissionCreateView,
    SubmissionDetailView,
    SubmissionListView,
    SubmissionPages,
    SubmissionUpdateView,
    kind_views,
    submission_urls,
)

__all__ = [
    "ACTIONS",
    "ACTION_SEGMENTS",
    "SubmissionCreateView",
    "SubmissionDetailView",
    "SubmissionListView",
    "SubmissionPages",
    "SubmissionUpdateView",
    "action_views",
    "kind_views",
    "review_context",
    "save_attach_send",
    "submission_urls",
]

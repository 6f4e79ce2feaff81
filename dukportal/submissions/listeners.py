"""Who hears of a step of the shared workflow. The workflow announces a sending and a decision here; the packages
that act on them (dukportal.notifications tells committee staff and the organisation) subscribe in their
AppConfig.ready(). So the workflow never imports the packages that listen to it: dependencies run one way.

A listener is called inside the workflow's transaction, with keyword arguments only, and queues any outside
work after the commit (as notifications does through the outbox)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

SENT = "sent"  # listener(*, submission, actor): a submission was sent (or sent again)
DECIDED = "decided"  # listener(*, decision: Decision): staff returned or accepted a submission


@dataclass(frozen=True)
class Decision:
    """A decision on a submission, as the organisation is told of it."""

    submission: object
    event: object  # the SubmissionEvent of the decision (its pk keys the notice: one notice per decision)
    action: str  # EventAction value: "returned" or "accepted"
    day: date
    comment: str = ""
    detail: str = ""  # a line the notice adds (e.g. the rating)
    field_comments: tuple[tuple[str, str], ...] = ()  # (field label, comment) pairs of a return


_LISTENERS: dict[str, dict[str, Callable[..., Any]]] = {SENT: {}, DECIDED: {}}


def listen(step: str, listener: Callable[..., Any]) -> None:
    """Subscribe `listener` to `step`. Keyed on the listener's qualified name, so a second ready() (tests reload
    apps) replaces it instead of calling it twice."""
    _LISTENERS[step][f"{listener.__module__}.{listener.__qualname__}"] = listener


def listeners(step: str) -> list[Callable[..., Any]]:
    return list(_LISTENERS[step].values())


def sent(*, submission: Any, actor: Any) -> None:
    for listener in listeners(SENT):
        listener(submission=submission, actor=actor)


def decided(decision: Decision) -> None:
    for listener in listeners(DECIDED):
        listener(decision=decision)

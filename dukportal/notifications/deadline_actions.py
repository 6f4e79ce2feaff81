"""What other apps offer to do about a deadline from the tracking page (reports: "Soạn công văn đôn đốc", a
reminder dispatch drafted from the deadline's figures), registered in their AppConfig.ready(), so this package
names none of the packages above it:

    deadline_actions.register(DeadlineAction(key="reports.reminder_dispatch", label="…", url=...))

The page offers them to staff, for a deadline some organisations still owe, on today's figures."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DeadlineAction:
    key: str
    label: str  # Vietnamese, as the button says it
    url: Callable[..., str]  # (deadline, reference_query: str) -> the action's page for that deadline and date
    icon: str = ""  # a Bootstrap icon name ("file-earmark-text")
    css_class: str = ""  # what the page's tests and scripts find the button by
    order: int = 100


@dataclass(frozen=True)
class ShownAction:
    action: DeadlineAction
    url: str


_REGISTRY: dict[str, DeadlineAction] = {}


def register(action: DeadlineAction) -> None:
    _REGISTRY[action.key] = action


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def actions() -> list[DeadlineAction]:
    return sorted(_REGISTRY.values(), key=lambda a: (a.order, a.key))


def shown_actions(deadline, reference_query: str = "") -> list[ShownAction]:
    return [ShownAction(action=action, url=action.url(deadline, reference_query)) for action in actions()]

"""The registry of what a document can be drafted from. A feature app declares, in AppConfig.ready(), each kind
of source it owns (a “Dân vận khéo” campaign year, a QCDC cycle):

    sources.register(DocumentSource(kind="danvan_report", model=Campaign, report=year_report, ...))

reports reads it for everything kind-specific: the create form's choices and pickers (`choices`, `field`), the
year report (`report`), a reminder's wording for the app's obligations (`reminders`), the topics of a dispatch
of several topics (`topic_kind`, `topic_sources`, `overview`) and each of the app's deadlines as a topic
(`wordings`, by obligation kind). reports names no feature app.

Every writer is given a sections.Draft (the reference date, who writes, how to cite a source) and reads its
figures for the end of that date."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet

from dukportal.submissions.models import Deadline

from .sections import Draft, Overview, Reminder, Report, Wording

# Document.kind is 20 characters long.
KIND_LENGTH = 20


@dataclass(frozen=True)
class DocumentSource:
    kind: str  # the report kind, stored on Document.kind: "danvan_report"
    label: str  # the kind's Vietnamese label on the create form and the document page
    model: type[Model]  # what such a report is written from (Document.source)
    field: str  # the create form's picker and its query parameter ("?kind=danvan_report&campaign=3")
    field_label: str  # the picker's label
    missing: str  # the message when none is picked ("Chọn đợt “Dân vận khéo”.")
    choices: Callable[[], QuerySet[Any]]  # the sources staff may pick, in the order shown
    report: Callable[[Any, Draft], Report]  # the section generator: (source, draft) → the report's body
    help_text: str = ""
    doc_type: str = "BC"
    order: int = 100  # kinds are offered by (order, kind), after the reminder
    # Label of the references form's picker ("Trích dẫn cho đợt …"); its field is `field` + "s".
    reference_label: str = ""
    # A reminder for a deadline of one of the app's obligation kinds: kind → (deadline, draft) → its wording.
    reminders: Mapping[str, Callable[[Deadline, Draft], Reminder]] = field(default_factory=dict)
    # Dispatches and reports of several topics: the whole source as one topic (DocumentTopic.kind), the
    # sources offered on a reference date, the candidate's label and the section.
    topic_kind: str = ""
    topic_sources: Callable[[date], Iterable[Any]] | None = None
    topic_label: Callable[[Any], str] | None = None
    topic_detail: Callable[[Any], str] | None = None  # beside the label: "năm 2024"
    overview: Callable[[Any, Draft], Overview] | None = None
    # Each of the app's deadlines as a topic: obligation kind → (deadline, draft, close) → its wording.
    wordings: Mapping[str, Callable[[Deadline, Draft, bool], Wording]] = field(default_factory=dict)


_REGISTRY: dict[str, DocumentSource] = {}


def register(source: DocumentSource) -> None:
    if len(source.kind) > KIND_LENGTH:
        raise ValueError(f"Document kind {source.kind!r} is longer than {KIND_LENGTH} characters.")
    _REGISTRY[source.kind] = source


def unregister(kind: str) -> None:
    _REGISTRY.pop(kind, None)


def sources() -> list[DocumentSource]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.kind))


def source_of(kind: str) -> DocumentSource | None:
    """The registered source of a report kind; None for reports' own kinds (reminder, dispatch, other)."""
    return _REGISTRY.get(kind)


def for_topic(topic_kind: str) -> DocumentSource | None:
    return next((s for s in _REGISTRY.values() if s.topic_kind and s.topic_kind == topic_kind), None)


def wording(obligation_kind: str) -> Callable[[Deadline, Draft, bool], Wording] | None:
    """The registered wording of a deadline of this obligation kind as a topic; None: the generic one."""
    for source in _REGISTRY.values():
        if obligation_kind in source.wordings:
            return source.wordings[obligation_kind]
    return None


def reminder(obligation_kind: str) -> Callable[[Deadline, Draft], Reminder] | None:
    for source in _REGISTRY.values():
        if obligation_kind in source.reminders:
            return source.reminders[obligation_kind]
    return None

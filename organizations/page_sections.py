"""What the apps above this one add to an organisation's page: links (its models over the years…) and sections
(its obligations and reminders…); and to the import/export page, the long exports that run as background jobs
(reports' job of organisations, cells and members). Each app registers its own in AppConfig.ready(), so this package, low in
the layers, names none of them:

    page_sections.register_link(Link(key="danvan.history", label="…", url=lambda org: reverse(..., args=[org.pk])))
    page_sections.register_section(Section(key="notifications.deadlines", template_name="…", context=...))

The view computes every section's context before rendering (templates run no queries); the page renders each
section's template with that context alone, as an inclusion tag would ({% page_section %} in portal_sections)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Link:
    key: str
    label: str  # Vietnamese, as the page shows it
    url: Callable[..., str]  # organization -> URL
    order: int = 100
    element_id: str = ""  # what the page's tests and scripts find the link by


@dataclass(frozen=True)
class Section:
    key: str
    template_name: str
    context: Callable[..., dict]  # (user, organization, *, on: date) -> the template's whole context
    order: int = 100


@dataclass(frozen=True)
class Export:
    """A long export offered on the import/export page: a POST of `kind` to `url()` starts its job."""

    key: str
    label: str
    url: Callable[[], str]
    kind: str
    order: int = 100


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str
    element_id: str = ""


@dataclass(frozen=True)
class ShownExport:
    label: str
    url: str
    kind: str


@dataclass(frozen=True)
class ShownSection:
    template_name: str
    context: dict


_LINKS: dict[str, Link] = {}
_SECTIONS: dict[str, Section] = {}
_EXPORTS: dict[str, Export] = {}


def register_link(link: Link) -> None:
    _LINKS[link.key] = link


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def register_export(export: Export) -> None:
    _EXPORTS[export.key] = export


def unregister(key: str) -> None:
    _LINKS.pop(key, None)
    _SECTIONS.pop(key, None)
    _EXPORTS.pop(key, None)


def _ordered(registry: dict) -> list:
    return sorted(registry.values(), key=lambda item: (item.order, item.key))


def shown_links(organization) -> list[ShownLink]:
    return [
        ShownLink(label=link.label, url=link.url(organization), element_id=link.element_id) for link in _ordered(_LINKS)
    ]


def shown_sections(user, organization, *, on: date) -> list[ShownSection]:
    """Every registered section with its context for `organization` at the end of `on`. The caller has already
    checked the user may see the organisation."""
    return [
        ShownSection(template_name=section.template_name, context=section.context(user, organization, on=on))
        for section in _ordered(_SECTIONS)
    ]


def shown_exports() -> list[ShownExport]:
    return [ShownExport(label=export.label, url=export.url(), kind=export.kind) for export in _ordered(_EXPORTS)]

"""Recipients chosen from data: the "Kính gửi" and "Nơi nhận" lines of a document.

A choice (base organisations: all, one sector or chosen ones; the bloc's mass organisations; named units;
superior bodies for "(b/c)") becomes the two lists of strings the document keeps (`content["recipients"]`,
`content["distribution"]`), written as party-document-format.md §3 C2 and §6 want them:
- one recipient: "Kính gửi: Các chi, đảng bộ cơ sở." on one line;
- several: a dash list under "Kính gửi:", each line ending ";" and the last ".";
- "Nơi nhận": "- Như trên," first for a công văn, then "- … (b/c),", the others, and the archive line last.
The choice itself is kept too (`content["recipient_choice"]`, ids only), so the picker shows it again and the
organisations it names can be listed (recipient_organizations)."""

from dataclasses import dataclass, field
from datetime import date

from organizations.history import with_name_on
from organizations.models import BaseOrganization, MassOrganization, Sector

from . import layout as L
from .models import DocType, SuperiorBody

ALL_BASE = "Các chi, đảng bộ cơ sở"
ALL_MASS = "Các đoàn thể khối"
AS_ABOVE = "Như trên"


class BaseScope:
    NONE, ALL, SECTOR, CHOSEN = "", "all", "sector", "chosen"
    CHOICES = [
        (NONE, "Không gửi tổ chức cơ sở đảng"),
        (ALL, "Tất cả chi, đảng bộ cơ sở"),
        (SECTOR, "Các chi, đảng bộ cơ sở một khối"),
        (CHOSEN, "Các tổ chức cơ sở đảng được chọn"),
    ]


class MassScope:
    NONE, ALL, CHOSEN = "", "all", "chosen"
    CHOICES = [(NONE, "Không gửi đoàn thể"), (ALL, "Tất cả đoàn thể khối"), (CHOSEN, "Các đoàn thể được chọn")]


@dataclass
class RecipientChoice:
    base: str = BaseScope.NONE
    sector: str = ""
    organizations: list[int] = field(default_factory=list)
    mass: str = MassScope.NONE
    mass_organizations: list[int] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # named units typed in, one per line
    superiors: list[int] = field(default_factory=list)  # "(b/c)" in Nơi nhận

    def as_json(self) -> dict:
        return {
            "base": self.base,
            "sector": self.sector,
            "organizations": list(self.organizations),
            "mass": self.mass,
            "mass_organizations": list(self.mass_organizations),
            "others": list(self.others),
            "superiors": list(self.superiors),
        }

    @classmethod
    def from_json(cls, data) -> "RecipientChoice":
        data = data if isinstance(data, dict) else {}
        return cls(**{key: data[key] for key in cls().as_json() if key in data})


def _bare(line: str) -> str:
    """A name without the list dash and the punctuation the lists add."""
    line = line.strip()
    if line.startswith("-"):
        line = line[1:].strip()
    return line.rstrip(" ,;.")


def _sector_label(sector: str) -> str:
    label = str(Sector(sector).label)
    return label[:1].lower() + label[1:]


def recipient_names(choice: RecipientChoice, *, on: date) -> list[str]:
    """The recipients named by a choice, in the order the committee lists them (organisations by their name
    on `on`)."""
    names: list[str] = []
    if choice.base == BaseScope.ALL:
        names.append(ALL_BASE)
    elif choice.base == BaseScope.SECTOR and choice.sector in Sector.values:
        names.append(f"{ALL_BASE} {_sector_label(choice.sector)}")
    elif choice.base == BaseScope.CHOSEN:
        chosen = with_name_on(BaseOrganization.objects.filter(pk__in=choice.organizations), on)
        names += [org.name_on_date for org in chosen.order_by("sort_key", "id")]
    if choice.mass == MassScope.ALL:
        names.append(ALL_MASS)
    elif choice.mass == MassScope.CHOSEN:
        names += list(
            MassOrganization.objects.filter(pk__in=choice.mass_organizations)
            .order_by("name")
            .values_list("name", flat=True)
        )
    names += [_bare(line) for line in choice.others if _bare(line)]
    return names


def recipient_lines(names: list[str]) -> list[str]:
    """One name: "X." (printed "Kính gửi: X."). Several: "- X;" … "- Z."."""
    names = [_bare(name) for name in names if _bare(name)]
    if len(names) == 1:
        return [f"{names[0]}."]
    return [f"- {name}{L.RECIPIENT_LIST_SEPARATOR if i < len(names) - 1 else '.'}" for i, name in enumerate(names)]


def distribution_lines(*, doc_type: str, names: list[str], superiors: list[str], archive_line: str) -> list[str]:
    """Nơi nhận: "- Như trên," first for a công văn (its recipients are on the Kính gửi line); a report lists
    its recipients here. Then the superior bodies "(b/c)" and the archive line, which ends the list with "."."""
    items = [AS_ABOVE] if doc_type == DocType.CV and names else []
    items += [f"{_bare(name)} (b/c)" for name in superiors]
    if doc_type != DocType.CV:
        items += [_bare(name) for name in names]
    lines = [f"- {item}{L.DISTRIBUTION_SEPARATOR}" for item in items if item]
    archive = _bare(archive_line)
    if archive:
        lines.append(f"- {archive}.")
    elif lines:
        lines[-1] = lines[-1][: -len(L.DISTRIBUTION_SEPARATOR)] + "."
    return lines


def superior_names(choice: RecipientChoice) -> list[str]:
    by_id = {body.pk: body.name for body in SuperiorBody.objects.filter(pk__in=choice.superiors)}
    return [by_id[pk] for pk in choice.superiors if pk in by_id]


def lines_for(choice: RecipientChoice, *, doc_type: str, archive_line: str, on: date) -> tuple[list[str], list[str]]:
    """(recipients, distribution) for a document of `doc_type`; a report prints no "Kính gửi"."""
    names = recipient_names(choice, on=on)
    recipients = recipient_lines(names) if doc_type == DocType.CV else []
    distribution = distribution_lines(
        doc_type=doc_type, names=names, superiors=superior_names(choice), archive_line=archive_line
    )
    return recipients, distribution


def recipient_organizations(choice: RecipientChoice, *, bloc, on: date):
    """The base organisations a choice addresses on `on` (for delivery): all active ones, one sector's, or the
    chosen ones."""
    active = BaseOrganization.objects.filter(bloc=bloc).active_on(on)
    if choice.base == BaseScope.ALL:
        return active
    if choice.base == BaseScope.SECTOR:
        return active.filter(sector=choice.sector)
    if choice.base == BaseScope.CHOSEN:
        return active.filter(pk__in=choice.organizations)
    return active.none()

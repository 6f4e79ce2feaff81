"""Writes of periodic indicator reports: definitions (versioned once in use), their sections and indicators,
rounds with their deadline, and the reports themselves on the shared workflow (dukportal.submissions.services).

A definition that reports were filled against is never edited in place: any change (its fields, a section or an
indicator added, changed or reordered) first makes a new version copying everything, and the change applies to
that. Reports keep the version they were filled against; new reports use the latest version."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from dukportal.core import audit
from dukportal.submissions import deadlines
from dukportal.submissions import services as workflow
from dukportal.submissions.models import Deadline
from organizations import access

from . import values as indicator_values
from .models import (
    NUMERIC_KINDS,
    PERIODS_PER_YEAR,
    TEXT_KINDS,
    Aggregation,
    AudienceKind,
    Indicator,
    IndicatorKind,
    IndicatorReport,
    IndicatorSection,
    PeriodKind,
    ReportDefinition,
    ReportRound,
)
from .obligations import REPORT, current_version

DEFINITION_FIELDS = ("name", "period_kind", "audience", "sector", "due_days")
# The aggregations each kind of indicator allows (the first one is its default).
AGGREGATIONS = {
    IndicatorKind.INTEGER: (Aggregation.SUM, Aggregation.AVERAGE),
    IndicatorKind.MONEY: (Aggregation.SUM, Aggregation.AVERAGE),
    IndicatorKind.PERCENT: (Aggregation.AVERAGE,),
    IndicatorKind.YES_NO: (Aggregation.COUNT_YES,),
    IndicatorKind.SHORT_TEXT: (Aggregation.LIST,),
    IndicatorKind.LONG_TEXT: (Aggregation.LIST,),
}


def _in_use(definition: ReportDefinition) -> bool:
    return IndicatorReport.objects.filter(definition=definition).exists()


def _require_current(definition: ReportDefinition) -> ReportDefinition:
    locked = ReportDefinition.objects.select_for_update().get(pk=definition.pk)
    if not locked.is_current:
        raise ValidationError(
            "Đây là phiên bản cũ của mẫu báo cáo; vui lòng sửa phiên bản mới nhất.", code="superseded"
        )
    return locked


@transaction.atomic
def definition_create(
    *,
    actor,
    name: str,
    period_kind: str,
    audience: str = AudienceKind.ALL,
    sector: str = "",
    organizations=(),
    due_days: int = 15,
) -> ReportDefinition:
    access.require_staff(actor)
    definition = ReportDefinition(
        name=(name or "").strip(),
        period_kind=period_kind,
        audience=audience,
        sector=sector if audience == AudienceKind.SECTOR else "",
        due_days=due_days,
        created_by=actor,
    )
    definition.full_clean(exclude=["family"])
    definition.save()
    definition.family = definition
    definition.save(update_fields=["family"])
    _set_organizations(definition, audience, organizations)
    audit.record(actor=actor, action="indicators.definition_create", target=definition, changes=_fields(definition))
    return definition


def _set_organizations(definition, audience, organizations) -> None:
    chosen = list(organizations or ()) if audience == AudienceKind.CHOSEN else []
    if audience == AudienceKind.CHOSEN and not chosen:
        raise ValidationError({"organizations": "Vui lòng chọn ít nhất một tổ chức phải báo cáo."})
    definition.organizations.set(chosen)


def _fields(definition) -> dict:
    return {name: getattr(definition, name) for name in DEFINITION_FIELDS}


def _copy(definition: ReportDefinition, *, actor) -> ReportDefinition:
    """A new version of `definition` with the same fields, sections and indicators."""
    new = ReportDefinition.objects.create(
        family_id=definition.family_id,
        version=definition.version + 1,
        supersedes=definition,
        created_by=actor,
        **_fields(definition),
    )
    new.organizations.set(definition.organizations.all())
    sections = {}
    for section in definition.sections.all():
        sections[section.pk] = IndicatorSection.objects.create(
            definition=new, title=section.title, position=section.position
        )
    for indicator in definition.indicators.all():
        indicator.pk = None
        indicator.definition = new
        indicator.section = sections.get(indicator.section_id)
        indicator.save()
    audit.record(actor=actor, action="indicators.definition_version", target=new, changes={"supersedes": definition.pk})
    return new


@transaction.atomic
def definition_writable(*, actor, definition: ReportDefinition) -> ReportDefinition:
    """The version a change applies to: `definition` itself while no report uses it, else a new version."""
    access.require_staff(actor)
    locked = _require_current(definition)
    return _copy(locked, actor=actor) if _in_use(locked) else locked


@transaction.atomic
def definition_update(*, actor, definition: ReportDefinition, organizations=None, **fields) -> ReportDefinition:
    """Change a definition's fields; a definition in use gets a new version instead. Returns the version changed."""
    unknown = set(fields) - set(DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    current = ReportDefinition.objects.get(pk=definition.pk)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    chosen_now = set(current.organizations.values_list("pk", flat=True))
    chosen_changed = organizations is not None and {o.pk for o in organizations} != chosen_now
    if not changed and not chosen_changed:
        return current
    target = definition_writable(actor=actor, definition=current)
    for name, value in changed.items():
        setattr(target, name, value)
    if target.audience != AudienceKind.SECTOR:
        target.sector = ""
    target.full_clean()
    target.save()
    if organizations is not None or "audience" in changed:
        _set_organizations(
            target, target.audience, organizations if organizations is not None else target.organizations.all()
        )
    audit.record(actor=actor, action="indicators.definition_update", target=target, changes=changed)
    return target


@transaction.atomic
def section_add(*, actor, definition: ReportDefinition, title: str) -> IndicatorSection:
    target = definition_writable(actor=actor, definition=definition)
    position = (target.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    section = IndicatorSection(definition=target, title=(title or "").strip(), position=position)
    section.full_clean()
    section.save()
    audit.record(actor=actor, action="indicators.section_add", target=section, changes={"title": section.title})
    return section


@transaction.atomic
def indicator_add(
    *,
    actor,
    definition: ReportDefinition,
    code: str,
    label: str,
    kind: str,
    section: IndicatorSection | None = None,
    unit: str = "",
    required: bool = True,
    min_value=None,
    max_value=None,
    aggregation: str = "",
) -> Indicator:
    """Add an indicator at the end (of its section). The aggregation must suit the kind (sum or average for
    numbers, count of yes for yes/no, list for texts); empty: the kind's usual one."""
    target = definition_writable(actor=actor, definition=definition)
    if section is not None and section.definition_id != target.pk:
        # The section as copied into the new version.
        section = target.sections.get(title=section.title, position=section.position)
    allowed = AGGREGATIONS[IndicatorKind(kind)]
    aggregation = aggregation or allowed[0]
    if aggregation not in allowed:
        message = "Cách tổng hợp “%(agg)s” không phù hợp với loại dữ liệu “%(kind)s”."
        raise ValidationError(
            {
                "aggregation": ValidationError(
                    message, params={"agg": Aggregation(aggregation).label, "kind": IndicatorKind(kind).label}
                )
            }
        )
    if kind not in NUMERIC_KINDS and (min_value is not None or max_value is not None):
        raise ValidationError({"min_value": "Chỉ đặt giới hạn cho chỉ tiêu dạng số."})
    position = (target.indicators.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    indicator = Indicator(
        definition=target,
        section=section,
        code=(code or "").strip(),
        label=(label or "").strip(),
        kind=kind,
        unit=unit if kind not in TEXT_KINDS else "",
        required=required,
        min_value=min_value,
        max_value=max_value,
        aggregation=aggregation,
        position=position,
    )
    indicator.full_clean()
    indicator.save()
    audit.record(
        actor=actor,
        action="indicators.indicator_add",
        target=indicator,
        changes={"code": indicator.code, "label": indicator.label, "kind": kind, "aggregation": aggregation},
    )
    return indicator


@transaction.atomic
def indicators_reorder(*, actor, definition: ReportDefinition, codes: list[str]) -> ReportDefinition:
    """Put the indicators in the order of `codes` (every code of the definition, once)."""
    target = definition_writable(actor=actor, definition=definition)
    indicators = {i.code: i for i in target.indicators.all()}
    if sorted(codes) != sorted(indicators):
        raise ValidationError("Danh sách sắp xếp phải có đủ các chỉ tiêu của mẫu báo cáo, mỗi chỉ tiêu một lần.")
    for position, code in enumerate(codes, start=1):
        Indicator.objects.filter(pk=indicators[code].pk).update(position=position)
    audit.record(actor=actor, action="indicators.indicators_reorder", target=target, changes={"codes": codes})
    return target


@transaction.atomic
def sections_reorder(*, actor, definition: ReportDefinition, titles: list[str]) -> ReportDefinition:
    target = definition_writable(actor=actor, definition=definition)
    sections = {s.title: s for s in target.sections.all()}
    if sorted(titles) != sorted(sections):
        raise ValidationError("Danh sách sắp xếp phải có đủ các phần của mẫu báo cáo, mỗi phần một lần.")
    for position, title in enumerate(titles, start=1):
        IndicatorSection.objects.filter(pk=sections[title].pk).update(position=position)
    audit.record(actor=actor, action="indicators.sections_reorder", target=target, changes={"titles": titles})
    return target


# --- Rounds ---------------------------------------------------------------------------------------------------


def due_date_for(definition: ReportDefinition, year: int, number: int) -> date:
    months = 12 // PERIODS_PER_YEAR[PeriodKind(definition.period_kind)]
    end_month = months * number
    end = date(year, 12, 31) if end_month == 12 else date(year, end_month + 1, 1) - timedelta(days=1)
    return end + timedelta(days=definition.due_days)


@transaction.atomic
def round_open(*, actor, definition: ReportDefinition, year: int, number: int = 1, due_date: date | None = None):
    """Open one period of a report family, with its deadline (the definition's rule unless `due_date` is given).
    Opening the same period again returns it (its deadline updated when a date is given)."""
    access.require_staff(actor)
    family = definition.family or definition
    current = current_version(family)
    if not 1 <= number <= PERIODS_PER_YEAR[PeriodKind(current.period_kind)]:
        raise ValidationError({"number": "Kỳ báo cáo không hợp lệ."})
    round_, created = ReportRound.objects.get_or_create(
        family=family, year=year, number=number, defaults={"due_date": due_date or due_date_for(current, year, number)}
    )
    if not created and due_date and round_.due_date != due_date:
        round_.due_date = due_date
        round_.save(update_fields=["due_date"])
    deadline_for_round(round_, current)
    if created:
        audit.record(
            actor=actor,
            action="indicators.round_open",
            target=round_,
            changes={"year": year, "number": number, "due_date": round_.due_date},
        )
    return round_


def deadline_for_round(round_: ReportRound, definition: ReportDefinition) -> Deadline:
    chosen = list(definition.organizations.all()) if definition.audience == AudienceKind.CHOSEN else None
    return deadlines.deadline_sync(
        kind=REPORT,
        source=round_,
        title=f"{definition.name} {round_.period_label}",
        year=round_.year,
        due_date=round_.due_date,
        organizations=chosen,
    )


def round_deadline(round_: ReportRound) -> Deadline:
    return Deadline.objects.get(kind=REPORT, source_type__model="reportround", source_id=round_.pk)


# --- Reports --------------------------------------------------------------------------------------------------


def _cleaned(definition: ReportDefinition, raw: dict, *, complete: bool) -> dict:
    values, errors = indicator_values.clean(list(definition.indicators.all()), raw, complete=complete)
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def report_create(*, actor, round_: ReportRound, organization, values: dict, token=None) -> IndicatorReport:
    """A draft report for `organization`, against the family's latest version. Bounds and formats are checked
    now; required answers when it is sent."""
    definition = current_version(round_.family)
    report = IndicatorReport(
        round=round_,
        definition=definition,
        organization=organization,
        values=_cleaned(definition, values, complete=False),
    )
    return workflow.submission_create(actor=actor, submission=report, token=token)


@transaction.atomic
def report_update(*, actor, report: IndicatorReport, values: dict) -> IndicatorReport:
    """Change a draft or a returned report. A sent report changes only by being returned and sent again (staff
    included): the figures of a date are read from what each report had sent by then (its kept revisions)."""
    if not IndicatorReport.objects.get(pk=report.pk).is_editable_by_organization:
        raise ValidationError(
            "Báo cáo đã gửi chỉ thay đổi khi Ban Tuyên giáo trả lại để đơn vị bổ sung rồi gửi lại.", code="locked"
        )
    return workflow.submission_update(
        actor=actor, submission=report, fields={"values": _cleaned(report.definition, values, complete=False)}
    )


@transaction.atomic
def report_submit(*, actor, report: IndicatorReport) -> IndicatorReport:
    """Send (or resend) a report: every required indicator must be answered, within its bounds."""
    locked = IndicatorReport.objects.select_for_update().select_related("definition").get(pk=report.pk)
    _cleaned(locked.definition, locked.values, complete=True)
    return workflow.submission_submit(actor=actor, submission=locked)


def report_return(*, actor, report: IndicatorReport, comment: str, field_comments: dict | None = None):
    """Staff send a report back, with comments on individual indicators (by code)."""
    return workflow.submission_return(actor=actor, submission=report, comment=comment, field_comments=field_comments)


def report_accept(*, actor, report: IndicatorReport, comment: str = ""):
    return workflow.submission_accept(actor=actor, submission=report, comment=comment)


def nil_return_send(*, actor, round_: ReportRound, organization, reason: str):
    """“Không phát sinh” for one round, through the shared nil return."""
    return workflow.nil_return_send(
        actor=actor, deadline=round_deadline(round_), organization=organization, reason=reason
    )

"""What a document says of a round's reports on a date: one sentence per sector, built from the aggregate every
page and export reads (selectors.round_aggregate), e.g. “Các chi, đảng bộ khối hành chính (40/47 đơn vị đã báo
cáo): nhiệm vụ trọng tâm đã xác định và thực hiện hoàn thành 1.966 nhiệm vụ; …”. Registered with the obligation
(Obligation.figure_lines), so document composition asks for it without naming this app."""

from datetime import date

from organizations.models import Sector

from . import selectors
from .models import Aggregation, IndicatorKind, ReportRound
from .values import vn_number

TEXTS_SHOWN = 5


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def total_phrase(total) -> str:
    """One indicator's total in running text ("" when nothing was reported for it)."""
    indicator = total.indicator
    label = _lower_first(indicator.label)
    if indicator.aggregation == Aggregation.LIST:
        if indicator.kind == IndicatorKind.LONG_TEXT or not total.texts:
            return ""
        shown = list(dict.fromkeys(text for _name, text in total.texts))[:TEXTS_SHOWN]
        return f"{label}: " + "; ".join(f"“{text}”" for text in shown)
    if indicator.aggregation == Aggregation.COUNT_YES:
        return f"{total.value}/{total.answered} đơn vị {label}" if total.answered else ""
    if total.value is None:
        return ""
    unit = "%" if indicator.kind == IndicatorKind.PERCENT else f" {indicator.unit}" if indicator.unit else ""
    average = " bình quân" if indicator.aggregation == Aggregation.AVERAGE else ""
    return f"{label}{average} {vn_number(total.value)}{unit}"


def round_sentences(round_: ReportRound, on: date) -> list[str]:
    lines = []
    for sector, label in Sector.choices:
        aggregate = selectors.round_aggregate(round_, on, sector=sector)
        figures = aggregate.figures
        if not figures.expected or not figures.sent:
            continue
        phrases = [p for p in (total_phrase(t) for t in aggregate.totals) if p]
        if not phrases:
            continue
        who = f"Các chi, đảng bộ {_lower_first(str(label))}"
        lines.append(f"{who} ({figures.sent}/{figures.expected} đơn vị đã báo cáo): " + "; ".join(phrases) + ".")
    return lines


def figure_lines(deadline, on: date) -> list[str]:
    return round_sentences(ReportRound.objects.select_related("family").get(pk=deadline.source_id), on)

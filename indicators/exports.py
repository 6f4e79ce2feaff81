"""Excel export of a round's aggregate through the shared writer (dukportal.core.xlsx)."""

from dukportal.core import xlsx
from organizations.models import Sector

from .selectors import RoundAggregate, display


def aggregate_workbook(aggregate: RoundAggregate) -> bytes:
    workbook = xlsx.new_workbook()
    round_ = aggregate.round
    figures = aggregate.figures
    heading = [
        f"{aggregate.definition.name} {round_.period_label}",
        f"Số liệu tính đến hết ngày {aggregate.on:%d/%m/%Y}"
        + (f" · {Sector(aggregate.sector).label}" if aggregate.sector else ""),
        f"Đã gửi {figures.ratio_label} đơn vị (trong đó {figures.nil_returns} báo cáo không phát sinh)",
    ]
    xlsx.add_table(
        workbook,
        "Tổng hợp",
        [
            xlsx.Column("Mã", 14),
            xlsx.Column("Chỉ tiêu", 50),
            xlsx.Column("Đơn vị tính", 14),
            xlsx.Column("Cách tổng hợp", 20),
            xlsx.Column("Kết quả", 18),
            xlsx.Column("Số đơn vị có số liệu", 14),
        ],
        [
            [
                t.indicator.code,
                t.indicator.label,
                t.indicator.unit,
                t.indicator.get_aggregation_display(),
                t.value if t.value is not None else "; ".join(f"{name}: {text}" for name, text in t.texts),
                t.answered,
            ]
            for t in aggregate.totals
        ],
        heading=heading,
    )
    columns = [xlsx.Column("STT", 6), xlsx.Column("Tổ chức cơ sở đảng", 45), xlsx.Column("Tình trạng", 16)]
    columns += [xlsx.Column(i.label[:60], 18) for i in aggregate.indicators]
    xlsx.add_table(
        workbook,
        "Theo đơn vị",
        columns,
        [
            [number, row.organization.name_on_date, row.standing.label]
            + [_cell(i, row.values.get(i.code)) for i in aggregate.indicators]
            for number, row in enumerate(aggregate.rows, start=1)
        ],
        heading=heading,
    )
    return xlsx.to_bytes(workbook)


def _cell(indicator, value):
    """Numbers stay numbers in Excel (sums work); yes/no and texts as the page shows them."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or isinstance(value, str) and indicator.kind != "percent":
        return display(indicator, value)
    return float(value) if indicator.kind == "percent" else value

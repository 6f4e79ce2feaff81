"""The aggregate page's bar chart, drawn on the server as SVG: the portal's CSP forbids inline scripts and no
chart library is needed for horizontal bars. Pure geometry and wording, no database: the figures come from
selectors.chart_by_organization / selectors.chart_by_period, the markup from indicators/_bar_chart.svg.

Horizontal bars, one row each, the label on the left (long organisation names are shortened, the full name is
the bar's <title>), the value written after the bar in Vietnamese format (1.966, 12,5%), so the chart reads
without colour or hover; <title>/<desc> give a screen reader the same figures as one sentence."""

from dataclasses import dataclass, field
from decimal import Decimal

from .values import vn_number

WIDTH = 760
LABEL_WIDTH = 250  # left column for the labels
VALUE_WIDTH = 110  # right margin for the value written after the longest bar
ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 6
LABEL_CHARS = 36  # about what fits in LABEL_WIDTH at the chart's font size

BY_ORGANIZATION = "don-vi"
BY_PERIOD = "ky"
MODES = [(BY_ORGANIZATION, "Theo từng đơn vị"), (BY_PERIOD, "Qua các kỳ")]


@dataclass
class Bar:
    label: str  # full label (organisation name, period)
    value: Decimal | None  # None: nothing reported
    text: str  # the value as written on the chart: "1.966", "12,5%", "—"
    x: int = LABEL_WIDTH
    y: int = 0
    width: int = 0

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1].rstrip() + "…"

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return self.x + self.width + 6


@dataclass
class BarChart:
    title: str  # "Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ) theo từng đơn vị"
    subtitle: str  # "số liệu tính đến hết ngày 31/07/2024"
    bars: list[Bar] = field(default_factory=list)
    left_out: str = ""  # what the chart does not show ("2 đơn vị chưa có số liệu")

    width: int = WIDTH
    label_x: int = LABEL_WIDTH - 8
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 2 * PADDING

    @property
    def desc(self) -> str:
        """The chart in one sentence, for screen readers (and the tooltip of the whole figure)."""
        parts = "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars) or "chưa có số liệu"
        return f"{self.title}, {self.subtitle}. {parts}." + (f" {self.left_out}." if self.left_out else "")


def number_text(value, *, percent: bool) -> str:
    if value is None:
        return "—"
    return vn_number(value) + ("%" if percent else "")


def bar_chart(title: str, subtitle: str, rows: list[tuple[str, Decimal | None]], *, percent: bool, left_out=""):
    """A laid-out chart of `rows` [(label, value)], in the given order. Bars are scaled to the largest value;
    a negative or missing value draws no bar but keeps its row and its number."""
    chart = BarChart(title=title, subtitle=subtitle, left_out=left_out)
    numbers = [value for _label, value in rows if value is not None and value > 0]
    top = max(numbers, default=Decimal(0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for index, (label, value) in enumerate(rows):
        width = 0
        if top and value is not None and value > 0:
            width = max(1, int((Decimal(value) / top * span).to_integral_value()))
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text=number_text(value, percent=percent),
                y=PADDING + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                width=width,
            )
        )
    return chart

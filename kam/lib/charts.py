"""Geometry of the server-rendered SVG charts: the portfolio's segmentation chart, trend lines
and sparklines. Computed here so that templates only place what they are given; no chart
library and nothing from a CDN, so the charts work offline and print as they look."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

# --- the segmentation chart: whitespace (log scale) against relationship health ---------------

SCATTER_WIDTH, SCATTER_HEIGHT = 640, 360
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 64, 16, 16, 40
DOT_MIN, DOT_MAX = 4.0, 14.0
PAD = 14


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    item: object  # what the dot stands for (a portfolio row)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class QuadrantBox:
    key: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the label


@dataclass
class Scatter:
    dots: list[Dot]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    split_x: float
    split_y: float
    quadrants: list[QuadrantBox]
    width: int = SCATTER_WIDTH
    height: int = SCATTER_HEIGHT
    left: int = PLOT_LEFT
    top: int = PLOT_TOP
    right: int = SCATTER_WIDTH - PLOT_RIGHT
    bottom: int = SCATTER_HEIGHT - PLOT_BOTTOM

    def dots_svg(self, *, href, css_class, title) -> SafeString:
        """The dots as SVG links, built here rather than in a template loop: a portfolio has
        hundreds to thousands of them. `href`, `css_class` and `title` take a dot's item and
        return plain text, escaped here; the coordinates are floats and need no escaping."""
        return mark_safe(
            "".join(
                f'<a href="{escape(href(d.item))}"><circle class="{escape(css_class(d.item))}"'
                f' cx="{d.x}" cy="{d.y}" r="{d.r}"><title>{escape(title(d.item))}</title></circle></a>'
                for d in self.dots
            )
        )


def segmentation(items: list, *, health, whitespace, revenue, split_health: Decimal, split_whitespace) -> Scatter:
    """Place each item by `health(item)` (0–1, None as 0) across and `whitespace(item)` up on a
    log scale, its size by `revenue(item)`; the quadrants split at the given values."""
    right, bottom = SCATTER_WIDTH - PLOT_RIGHT, SCATTER_HEIGHT - PLOT_BOTTOM
    positive = [float(whitespace(item)) for item in items if whitespace(item) and whitespace(item) > 0]
    low = math.floor(math.log10(min(positive))) if positive else 0
    high = max(math.ceil(math.log10(max(positive))), low + 1) if positive else 1

    # Dots keep PAD from the plot's edges, so that 0 %, 100 % and the smallest amounts show whole.
    def x_of(value) -> float:
        return PLOT_LEFT + PAD + float(value or 0) * (right - PLOT_LEFT - 2 * PAD)

    def y_of(value) -> float:
        if not value or value <= 0:
            return float(bottom - PAD)
        return bottom - PAD - (math.log10(float(value)) - low) / (high - low) * (bottom - PLOT_TOP - 2 * PAD)

    top_revenue = max((float(revenue(item) or 0) for item in items), default=0) or 1
    dots = [
        Dot(
            round(x_of(health(item)), 1),
            round(y_of(whitespace(item)), 1),
            round(DOT_MIN + (DOT_MAX - DOT_MIN) * math.sqrt(float(revenue(item) or 0) / top_revenue), 1),
            item,
        )
        for item in items
    ]
    split_x, split_y = round(x_of(split_health), 1), round(y_of(split_whitespace), 1)
    return Scatter(
        dots=sorted(dots, key=lambda dot: -dot.r),  # small dots on top of big ones
        x_ticks=[Tick(x_of(Decimal(p) / 100), f"{p} %") for p in (0, 25, 50, 75, 100)],
        y_ticks=[Tick(y_of(10**exponent), short_amount(10**exponent)) for exponent in range(low, high + 1)],
        split_x=split_x,
        split_y=split_y,
        quadrants=_quadrants(split_x, split_y, right, bottom),
    )


def _quadrants(split_x: float, split_y: float, right: float, bottom: float) -> list[QuadrantBox]:
    """The four areas around the split lines, each labelled in its outer corner."""
    left, top = PLOT_LEFT, PLOT_TOP
    return [
        QuadrantBox("connect", left, top, split_x - left, split_y - top, left + 6, top + 18, "start"),
        QuadrantBox("develop", split_x, top, right - split_x, split_y - top, right - 6, top + 18, "end"),
        QuadrantBox("review", left, split_y, split_x - left, bottom - split_y, left + 6, bottom - 6, "start"),
        QuadrantBox("maintain", split_x, split_y, right - split_x, bottom - split_y, right - 6, bottom - 6, "end"),
    ]


def short_amount(value: float) -> str:
    """1200 → "1.2 k", 3500000 → "3.5 M": axis labels, not figures to read exactly."""
    for threshold, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / threshold:.3g} {suffix}"
    return f"{value:.3g}"


# --- trend lines -----------------------------------------------------------------------------

LINE_WIDTH, LINE_HEIGHT = 640, 220
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 64, 28, 12, 32


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: str  # "x,y x,y ..." for <polyline>
    last: tuple[float, float]  # where the line ends, for its end marker


@dataclass
class LineChart:
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    left: int = LINE_LEFT
    top: int = LINE_TOP
    right: int = LINE_WIDTH - LINE_RIGHT
    bottom: int = LINE_HEIGHT - LINE_BOTTOM
    percent: bool = False
    days: list[date] = field(default_factory=list)


def line_chart(days: list[date], series: dict[str, tuple[str, list]], *, percent: bool = False) -> LineChart | None:
    """Lines over `days` (oldest first): {key: (label, values)}; None values leave a gap at the
    start. A linear axis from zero (amounts) or 0–100 % (`percent`). None without two days."""
    if len(days) < 2:
        return None
    right, bottom = LINE_WIDTH - LINE_RIGHT, LINE_HEIGHT - LINE_BOTTOM
    values = [float(v) for _, vs in series.values() for v in vs if v is not None]
    top_value = 1.0 if percent else _nice_ceiling(max(values, default=0))
    first, span = days[0].toordinal(), max(days[-1].toordinal() - days[0].toordinal(), 1)

    def x_of(day: date) -> float:
        return round(LINE_LEFT + (day.toordinal() - first) / span * (right - LINE_LEFT), 1)

    def y_of(value: float) -> float:
        return round(bottom - value / top_value * (bottom - LINE_TOP), 1) if top_value else float(bottom)

    lines = []
    for key, (label, line_values) in series.items():
        placed = [(x_of(day), y_of(float(v))) for day, v in zip(days, line_values, strict=True) if v is not None]
        if placed:
            lines.append(Line(key, label, " ".join(f"{x},{y}" for x, y in placed), placed[-1]))
    steps = [top_value * i / 4 for i in range(5)]
    y_ticks = [Tick(y_of(v), f"{v * 100:.0f} %" if percent else short_amount(v)) for v in steps]
    x_ticks = [Tick(x_of(day), date_format(day, "M y")) for day in _spread(days, 6)]
    return LineChart(lines=lines, y_ticks=y_ticks, x_ticks=x_ticks, percent=percent, days=days)


def sparkline(values: list, *, width: int = 80, height: int = 20) -> str:
    """Points of a small polyline through `values` (None skipped), scaled to their own range."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    spread = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = ((round(i * step, 1), round(height - 2 - (v - low) / spread * (height - 4), 1)) for i, v in known)
    return " ".join(f"{x},{y}" for x, y in points)


def _nice_ceiling(value: float) -> float:
    """The next 1, 2, 2.5 or 5 × 10^n at or above `value`, so that the axis reads well."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _spread(days: list[date], most: int) -> list[date]:
    """At most `most` of `days`, evenly spread, first and last included."""
    if len(days) <= most:
        return days
    return [days[round(i * (len(days) - 1) / (most - 1))] for i in range(most)]

"""Horizontal bar charts drawn on the server as SVG, safe under the portal's CSP.

No script and no style attributes: every position and colour is an SVG attribute computed
here, so the chart renders the same without JavaScript and prints as it looks. A chart is a
picture of a table, never a replacement: pages put the table with the same figures after it
(``templates/components/charts/bar_chart.html`` says so to screen readers).

    chart = bar_chart(
        groups=[Group("Open", [Bar(12, "12 tenders")]), Group("Awarded", [Bar(3, "3 tenders")])],
        series=[Series("Tenders", BLUE)],
    )
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# GOV.UK Frontend colours with at least 4.5:1 contrast against white (WCAG 1.4.11 needs 3:1).
BLUE, GREEN, PURPLE, ORANGE, DARK_GREY = "#1d70b8", "#00703c", "#4c2c92", "#b14e00", "#505a5f"
PALETTE = (BLUE, GREEN, PURPLE, ORANGE, DARK_GREY)

BAR_HEIGHT, BAR_GAP, LABEL_HEIGHT, GROUP_GAP = 14, 2, 16, 18
MAX_BAR_PERCENT = Decimal("60")  # the rest of the width is left for the figure after the bar


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    value: Decimal | int | float | None  # None draws nothing (a figure the table shows as "–")
    text: str


@dataclass(frozen=True)
class Group:
    label: str
    bars: list[Bar]


def bar_chart(*, groups: list[Group], series: list[Series]) -> dict:
    """Positions for ``components/charts/bar_chart.html``: one labelled group of bars per row
    of the table, one bar per series, all scaled to the largest value."""
    largest = max((Decimal(str(bar.value)) for group in groups for bar in group.bars
                   if bar.value is not None and bar.value > 0), default=Decimal(1))
    block = LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    rows = []
    for index, group in enumerate(groups):
        top = index * block
        rows.append({"label": group.label, "label_y": top + 12, "bars": [
            _bar(bar, item, top + LABEL_HEIGHT + position * (BAR_HEIGHT + BAR_GAP), largest)
            for position, (bar, item) in enumerate(zip(group.bars, series, strict=True))]})
    return {"groups": rows, "height": max(len(rows) * block, block), "series": series,
            "bar_height": BAR_HEIGHT}


def _bar(bar: Bar, series: Series, y: int, largest: Decimal) -> dict:
    value = Decimal(str(bar.value)) if bar.value is not None and bar.value > 0 else Decimal(0)
    width = (value / largest * MAX_BAR_PERCENT).quantize(Decimal("0.1"))
    return {"y": y, "width": f"{width}%", "text_x": f"{width + 1}%", "text": bar.text,
            "colour": series.colour, "series": series.name}


def legend(series: list[Series]) -> str:
    """"Blue bars: committed. Green bars: delivered." for the caption under the chart."""
    names = {BLUE: "Blue", GREEN: "Green", PURPLE: "Purple", ORANGE: "Orange",
             DARK_GREY: "Grey"}
    return " ".join(f"{names.get(item.colour, 'Coloured')} bars: {item.name}." for item in series)

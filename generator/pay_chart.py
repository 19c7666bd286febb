"""The pay chart: salary bands per tier as range bars, the tracks side by side."""

from __future__ import annotations

import math
from dataclasses import dataclass

from generator.describe import format_money, format_number
from generator.model import Framework
from generator.templating import render_template

ROW_HEIGHT = 22
GROUP_GAP = 14
LABEL_WIDTH = 150
PLOT_WIDTH = 520
TRACK_LABEL_WIDTH = 230
LEGEND_HEIGHT = 30
AXIS_HEIGHT = 28


@dataclass(frozen=True)
class Bar:
    """One band drawn as a bar from min to max, with a tick at the midpoint."""

    track: str
    kind: str
    x: float
    width: float
    mid_x: float | None
    """Where the midpoint tick is drawn (None: the band has no midpoint)."""
    y: float
    label: str


@dataclass(frozen=True)
class Group:
    """The bars of one tier."""

    tier: str
    y: float
    height: float
    bars: list[Bar]


def render_pay_chart(framework: Framework) -> str:
    """An SVG chart of the public bands of ``framework`` (empty string when there are none)."""
    if framework.salary is None or not framework.salary.bands:
        return ""
    tracks = sorted(framework.spec.tracks, key=lambda t: t.kind != "individual")
    rows = []
    for tier in reversed(framework.spec.tiers):
        bands = [(track, framework.band_at(track.id, tier.id)) for track in tracks]
        bands = [(track, band) for track, band in bands if band is not None]
        if bands:
            rows.append((tier.name, bands))
    low = min(band.min for _, bands in rows for _, band in bands)
    high = max(band.max for _, bands in rows for _, band in bands)
    step = _nice_step((high - low) / 5)
    axis_low = math.floor(low / step) * step
    axis_high = math.ceil(high / step) * step

    def x_of(value: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * (value - axis_low) / (axis_high - axis_low)

    groups = []
    y = LEGEND_HEIGHT
    currency = framework.spec.currency
    for tier_name, bands in rows:
        bars = []
        for index, (track, band) in enumerate(bands):
            bars.append(Bar(
                track=track.name, kind=track.kind, x=x_of(band.min),
                width=max(x_of(band.max) - x_of(band.min), 2),
                mid_x=x_of(band.mid) if band.mid is not None else None,
                y=y + index * ROW_HEIGHT,
                label=f"{track.name}: {format_money(band.min, currency)} to "
                      f"{format_number(band.max)}" + (f", midpoint {format_number(band.mid)}"
                                                      if band.mid is not None else "")))
        height = len(bands) * ROW_HEIGHT
        groups.append(Group(tier=tier_name, y=y, height=height, bars=bars))
        y += height + GROUP_GAP
    ticks = [(x_of(value), format_number(value))
             for value in range(int(axis_low), int(axis_high) + 1, int(step))]
    return render_template(
        "pay_chart.svg.j2", groups=groups, ticks=ticks,
        width=LABEL_WIDTH + PLOT_WIDTH + TRACK_LABEL_WIDTH, height=y + AXIS_HEIGHT, axis_y=y,
        plot_left=LABEL_WIDTH, plot_right=LABEL_WIDTH + PLOT_WIDTH,
        title=f"Salary bands of the {framework.spec.name} ({currency or 'no currency'})",
    )


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude

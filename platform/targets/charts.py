"""Geometry of the dashboard's inline SVG charts (no JavaScript; the template draws them).

Pure functions: dates and counts in, coordinates out."""

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, PAD = 480, 200, 32


@dataclass(frozen=True)
class BurnUpChart:
    width: int
    height: int
    points: str  # polyline of the cumulative count
    ideal: str  # the straight line from 0 at the start to the target at the end
    target_y: float
    axis_bottom: float
    axis_left: float
    axis_right: float
    y_max: int


def burn_up_chart(points: list[tuple[date, int]], *, start: date, end: date,
                  target: int) -> BurnUpChart:
    """Map weekly (day, cumulative count) points onto the SVG's coordinate space."""
    days = max((end - start).days, 1)
    y_max = max([target, 1, *(count for _day, count in points)])
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def x(day: date) -> float:
        return round(PAD + inner_w * (day - start).days / days, 1)

    def y(count: int) -> float:
        return round(HEIGHT - PAD - inner_h * count / y_max, 1)

    line = " ".join(f"{x(day)},{y(count)}" for day, count in points)
    return BurnUpChart(
        width=WIDTH, height=HEIGHT, points=line,
        ideal=f"{x(start)},{y(0)} {x(end)},{y(target)}", target_y=y(target),
        axis_bottom=HEIGHT - PAD, axis_left=PAD, axis_right=WIDTH - PAD, y_max=y_max)


def bar_width(count: int, largest: int, *, width: int = 200) -> int:
    """Width of a funnel bar, relative to the funnel's largest step."""
    return round(width * count / largest) if largest else 0

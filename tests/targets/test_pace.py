"""Pace and forecast arithmetic (pure: no database)."""

from datetime import date

import pytest

from targets.charts import bar_width, burn_up_chart
from targets.progress import pace

START, END = date(2026, 1, 1), date(2026, 4, 10)  # 100 days, both ends included


@pytest.mark.parametrize(("today", "count", "expected", "forecast", "behind"), [
    (date(2025, 12, 31), 0, 0, 0, False),   # before the start: nothing expected yet
    (date(2026, 1, 1), 0, 0, 0, False),     # day 1: 40 x 1/100 = 0.4, rounded down
    (date(2026, 1, 1), 1, 0, 100, False),   # one on day 1: at that rate 100 by the end
    (date(2026, 1, 3), 0, 1, 0, True),      # day 3: 1.2 -> 1 expected
    (date(2026, 2, 19), 20, 20, 40, False),  # day 50 of 100: half-way, exactly on line
    (date(2026, 2, 19), 19, 20, 38, True),   # one short of the line
    (date(2026, 4, 10), 39, 40, 39, True),   # the last day: the whole target
    (date(2026, 6, 1), 41, 40, 41, False),   # after the end: clamped to the period
])
def test_expected_and_forecast(today, count, expected, forecast, behind):
    result = pace(count, 40, START, END, today)
    assert (result.expected, result.forecast, result.behind) == (expected, forecast, behind)
    assert result.days_total == 100
    assert result.reached == (count >= 40)


def test_days_passed_is_clamped():
    assert pace(0, 40, START, END, date(2025, 1, 1)).days_passed == 0
    assert pace(0, 40, START, END, date(2026, 1, 1)).days_passed == 1
    assert pace(0, 40, START, END, date(2027, 1, 1)).days_passed == 100


def test_a_zero_target_is_reached_and_never_behind():
    result = pace(0, 0, START, END, date(2026, 2, 19))
    assert (result.expected, result.forecast, result.behind, result.reached) == (0, 0, False, True)


def test_forecast_extrapolates_the_rate_per_day():
    # 7 after 25 of 100 days: 7 * 100 / 25 = 28
    assert pace(7, 40, START, END, date(2026, 1, 25)).forecast == 28
    # 10 after 30 days: 33.3 -> 33 (rounded down)
    assert pace(10, 40, START, END, date(2026, 1, 30)).forecast == 33


def test_burn_up_chart_geometry():
    chart = burn_up_chart([(START, 0), (date(2026, 4, 10), 40)], start=START, end=END,
                          target=40)
    assert chart.points == "32.0,168.0 448.0,32.0"
    assert chart.ideal == chart.points
    assert chart.target_y == 32.0
    assert bar_width(5, 10) == 100 and bar_width(0, 0) == 0

"""Target progress of the current municipality (read side, no writes).

Everything here runs inside a municipality's schema and is shared by the dashboard, the
signals (`alerts`), the Friday report (`reports`) and the ministry rollups (`ministry`).

Counting rules (the only place they are combined):
- *new employer contacts*: employers whose first contact moment falls inside the period
  (`relations.selectors.new_employer_contacts`);
- *regular jobs* / *work-experience places*: placements of that kind that start inside the
  period and have started (`matching_events.counting.placements_in_period`); trial placements
  count towards neither.

Query cost never depends on the number of candidates or employers: every function runs a fixed
number of aggregate queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.schemas import current_schema
from matching_events.counting import placements_in_period
from matching_events.models import Placement
from relations.models import Employer
from relations.selectors import new_employer_contacts
from tenants.models import Municipality

from .breakdown import Funnel, FunnelStep, ManagerRow, funnel, per_manager
from .models import ProjectPeriod
from .people import DomainShare, LadderMovement, ZrmProgress, ladder_movement, zrm_progress

__all__ = [
    "KEYS", "LABELS", "DomainShare", "Funnel", "FunnelStep", "LadderMovement", "ManagerRow",
    "Pace", "Period", "TargetStatus", "ZrmProgress", "burn_up", "counts", "current_period",
    "funnel", "ladder_movement", "pace", "per_manager", "period_from_row",
    "target_progress", "zrm_progress",
]

EMPLOYER_CONTACTS, REGULAR_JOBS, WORK_EXPERIENCE_PLACES = (
    "employer_contacts", "regular_jobs", "work_experience_places")
KEYS: tuple[str, ...] = (EMPLOYER_CONTACTS, REGULAR_JOBS, WORK_EXPERIENCE_PLACES)
LABELS: dict[str, Promise] = {
    EMPLOYER_CONTACTS: _("new employer contacts"),
    REGULAR_JOBS: _("regular jobs"),
    WORK_EXPERIENCE_PLACES: _("work-experience places"),
}
PLACEMENT_KIND = {REGULAR_JOBS: Placement.Kind.JOB,
                  WORK_EXPERIENCE_PLACES: Placement.Kind.WORK_EXPERIENCE}


@dataclass(frozen=True)
class Period:
    """A project period (both ends included) and its targets, keyed like `KEYS`.

    `id` is the `targets.ProjectPeriod` it came from; None when it came from the
    municipality's own fields (no period recorded in the schema yet)."""

    start: date
    end: date
    targets: dict[str, int]
    id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_from_row(row) -> Period:
    """A `Period` from a `targets.ProjectPeriod` row."""
    return Period(start=row.start, end=row.end, id=row.pk, targets={
        EMPLOYER_CONTACTS: row.target_employer_contacts,
        REGULAR_JOBS: row.target_regular_jobs,
        WORK_EXPERIENCE_PLACES: row.target_work_experience_places,
    })


def current_period(*, today: date | None = None) -> Period | None:
    """The current project period of the municipality of `current_schema()`.

    The latest recorded `ProjectPeriod` that has started (by start date); when none has
    started yet, the earliest future one. Without any recorded period: the period and
    targets on the municipality's row (`tenants.Municipality`), or None when it has none."""
    today = today or timezone.localdate()
    row = (ProjectPeriod.objects.filter(start__lte=today).order_by("-start", "-pk").first()
           or ProjectPeriod.objects.order_by("start", "pk").first())
    if row is not None:
        return period_from_row(row)
    municipality = (Municipality.objects.filter(schema_name=current_schema())
                    .only("period_start", "period_end", "target_employer_contacts",
                          "target_regular_jobs", "target_work_experience_places").first())
    if municipality is None or not (municipality.period_start and municipality.period_end):
        return None
    return Period(start=municipality.period_start, end=municipality.period_end, targets={
        EMPLOYER_CONTACTS: municipality.target_employer_contacts,
        REGULAR_JOBS: municipality.target_regular_jobs,
        WORK_EXPERIENCE_PLACES: municipality.target_work_experience_places,
    })


@dataclass(frozen=True)
class Pace:
    """Where the municipality should be today, and where it is heading.

    `expected`: the target times the share of the period's days that have passed, today
    included (both ends of the period count as days), rounded down: on the last day (and
    after it) it is the target, before the first day 0. `forecast`: the count extrapolated at
    the current rate (count per day passed) to the end date, rounded down; before the start
    it is the count itself."""

    expected: int
    forecast: int
    behind: bool
    reached: bool
    days_passed: int
    days_total: int

    @property
    def on_track(self) -> bool:
        return not self.behind


def pace(count: int, target: int, start: date, end: date, today: date) -> Pace:
    """Pure arithmetic: see `Pace`. A zero target is reached at once and never behind."""
    days_total = max((end - start).days + 1, 1)
    days_passed = min(max((today - start).days + 1, 0), days_total)
    expected = target * days_passed // days_total
    forecast = count * days_total // days_passed if days_passed else count
    return Pace(expected=expected, forecast=forecast, behind=count < expected,
                reached=count >= target, days_passed=days_passed, days_total=days_total)


def _last_counted_day(period: Period, today: date | None) -> date:
    return min(period.end, today or timezone.localdate())


def counts(period: Period, *, today: date | None = None) -> dict[str, int]:
    """The three counts of the period up to `today` (default: today). Two queries."""
    last = _last_counted_day(period, today)
    if last < period.start:
        return dict.fromkeys(KEYS, 0)
    placed = placements_in_period(period.start, last)
    return {
        EMPLOYER_CONTACTS: new_employer_contacts(period.start, last),
        REGULAR_JOBS: placed[Placement.Kind.JOB],
        WORK_EXPERIENCE_PLACES: placed[Placement.Kind.WORK_EXPERIENCE],
    }


@dataclass(frozen=True)
class TargetStatus:
    key: str
    label: Promise
    count: int
    target: int
    pace: Pace

    @property
    def share(self) -> float | None:
        """Count / target (1.0 is 100%); None for a zero target."""
        return self.count / self.target if self.target else None

    @property
    def percentage(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None

    @property
    def expected(self) -> int:
        return self.pace.expected

    @property
    def forecast(self) -> int:
        return self.pace.forecast

    @property
    def behind(self) -> bool:
        return self.pace.behind

    @property
    def reached(self) -> bool:
        return self.pace.reached


def target_progress(period: Period, today: date | None = None) -> list[TargetStatus]:
    """Count, target, share and pace of each target, in the order of `KEYS`."""
    today = today or timezone.localdate()
    counted = counts(period, today=today)
    return [TargetStatus(key=key, label=LABELS[key], count=counted[key],
                         target=period.targets.get(key, 0),
                         pace=pace(counted[key], period.targets.get(key, 0), period.start,
                                   period.end, today))
            for key in KEYS]


def _counts_per_day(period: Period, key: str, last: date) -> dict[date, int]:
    if key == EMPLOYER_CONTACTS:
        rows = (Employer.objects.filter(first_contact_date__gte=period.start,
                                        first_contact_date__lte=last)
                .values_list("first_contact_date").annotate(n=Count("pk")).order_by())
    elif key in PLACEMENT_KIND:
        rows = (Placement.objects.filter(kind=PLACEMENT_KIND[key], start_date__gte=period.start,
                                         start_date__lte=last)
                .values_list("start_date").annotate(n=Count("pk")).order_by())
    else:
        raise ValueError(f"unknown target: {key}")
    return dict(rows)


def burn_up(period: Period, key: str, *, today: date | None = None) -> list[tuple[date, int]]:
    """Weekly cumulative count of one target: a point on the start date, every seven days
    after it, and on the last counted day (today, or the end date once the period is over).
    Empty before the period starts. One query."""
    last = min(_last_counted_day(period, today), timezone.localdate())
    if last < period.start:
        if key not in KEYS:
            raise ValueError(f"unknown target: {key}")
        return []
    per_day = sorted(_counts_per_day(period, key, last).items())
    points: list[tuple[date, int]] = []
    day, total, index = period.start, 0, 0
    while True:
        while index < len(per_day) and per_day[index][0] <= day:
            total += per_day[index][1]
            index += 1
        points.append((day, total))
        if day >= last:
            return points
        day = min(day + timedelta(days=7), last)

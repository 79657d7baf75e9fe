"""What the Friday report says: counts only, never a name (the report is e-mailed).

Everything is counted for the report's week (Monday to Sunday, Europe/Amsterdam) and for the
project period to date. "To date" is the report's reference day: the end of the week, or today
when the week has not ended yet (the Friday run counts up to and including that Friday).
Runs inside the municipality's schema; a fixed, small number of queries whatever the size of
the municipality (aggregates in the database, no rows in Python).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Signal
from alerts.selectors import open_signal_counts
from matching_events.models import Meetup, Placement
from relations.models import Employer
from targets.progress import Period, TargetStatus, ZrmProgress, current_period, target_progress
from targets.progress import zrm_progress as zrm_progress_of_candidates
from tenants.current import current_municipality_name

_UNSET: Any = object()


@dataclass(frozen=True)
class Figure:
    """One count in the week and in the project period to date (None: no period)."""

    label: str
    week: int
    period: int | None


@dataclass
class ReportContent:
    municipality: str
    week_start: date
    week_end: date
    as_of: date
    period_start: date | None
    period_end: date | None
    targets: list[TargetStatus] = field(default_factory=list)
    activity: list[Figure] = field(default_factory=list)
    placements: list[Figure] = field(default_factory=list)
    # (kind, open signals); None when the signals app is not there.
    signals: list[tuple[str, int]] | None = None
    zrm: ZrmProgress | None = None

    @property
    def has_period(self) -> bool:
        return self.period_start is not None and self.period_end is not None

    @property
    def week_number(self) -> int:
        return self.week_start.isocalendar().week

    @property
    def signals_total(self) -> int:
        return sum(count for _kind, count in self.signals or [])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _between(field_name: str, first: date, last: date) -> Q:
    """`field_name` (a date) in [first, last], both ends included."""
    return Q(**{f"{field_name}__gte": first, f"{field_name}__lte": last})


def _moments_between(field_name: str, first: date, last: date) -> Q:
    """`field_name` (a datetime) on a local day in [first, last]."""
    return Q(**{f"{field_name}__gte": _local_midnight(first),
                f"{field_name}__lt": _local_midnight(last + timedelta(days=1))})


def build_content(week_start: date, *, today: date | None = None,
                  period: Period | None = _UNSET) -> ReportContent:
    """The report of the week starting on `week_start` (a Monday). `period` is the project
    period (default: `targets.progress.current_period()`; None: no period). About ten
    aggregate queries."""
    today = today or timezone.localdate()
    week_end = week_start + timedelta(days=6)
    as_of = min(week_end, today)
    if period is _UNSET:
        period = current_period(today=as_of)
    content = ReportContent(
        municipality=_municipality_name(), week_start=week_start, week_end=week_end,
        as_of=as_of, period_start=getattr(period, "start", None),
        period_end=getattr(period, "end", None))
    week = (week_start, as_of)
    to_date = (content.period_start, min(content.period_end, as_of)) if content.has_period \
        else None
    if period is not None:
        content.targets = target_progress(period, as_of)
    content.activity = [
        _count(Employer.objects.all(), _between, "first_contact_date", week, to_date,
               _("New employers (first contact)")),
        _count(Meetup.objects.filter(status=Meetup.Status.HELD), _moments_between,
               "starts_at", week, to_date, _("Meetups held")),
    ]
    content.placements = _placements(week, to_date)
    content.signals = open_signals()
    content.zrm = zrm_progress_of_candidates()
    return content


def _municipality_name() -> str:
    return current_municipality_name()


def _count(queryset, between, field_name: str, week: tuple[date, date],
           to_date: tuple[date, date] | None, label: str) -> Figure:
    """One query: the week's count and the period's."""
    aggregates = {"week": Count("pk", filter=between(field_name, *week))}
    if to_date is not None:
        aggregates["period"] = Count("pk", filter=between(field_name, *to_date))
    row = queryset.aggregate(**aggregates)
    return Figure(label, row["week"], row.get("period"))


def _placements(week: tuple[date, date], to_date: tuple[date, date] | None) -> list[Figure]:
    """Placements per kind that started in the week / in the period to date (start date on or
    before the reference day, like `matching_events.counting`)."""
    aggregates = {"week": Count("pk", filter=_between("start_date", *week))}
    if to_date is not None:
        aggregates["period"] = Count("pk", filter=_between("start_date", *to_date))
    first = min(week[0], to_date[0]) if to_date else week[0]
    rows = {row["kind"]: row for row in Placement.objects.filter(
        start_date__gte=first, start_date__lte=week[1]).values("kind").annotate(**aggregates)}
    figures = []
    for kind, label in Placement.Kind.choices:
        row = rows.get(kind, {})
        figures.append(Figure(str(label), row.get("week", 0),
                              row.get("period", 0) if to_date else None))
    return figures


def open_signals() -> list[tuple[str, int]]:
    """Open signals (not dismissed, not resolved) per kind, every kind listed."""
    labels = dict(Signal.Kind.choices)
    return [(str(labels.get(kind, kind)), count)
            for kind, count in open_signal_counts().items()]

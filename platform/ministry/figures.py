"""The read side: what the dashboard, the exports and the API show. Reads only the rollup
tables and `tenants.Municipality`, in a fixed number of queries whatever the number of
municipalities; every figure passes through `ministry.suppression`."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, Sum
from django.utils import timezone

from targets.progress import pace
from tenants.models import Municipality

from .models import PeriodRollup, WeekRollup
from .rollups import WEEK_FIELDS
from .suppression import (
    PERSON_COUNTS,
    THRESHOLD,
    is_small,
    suppress_progress,
    suppress_row,
    suppress_total,
)

PERIOD_FIELDS = [f.name for f in PeriodRollup._meta.concrete_fields
                 if f.name not in ("id", "municipality", "updated_at")]
# name of the target -> (count field, target field, about persons?)
TARGETS = {
    "employer_contacts": ("new_employer_contacts", "target_employer_contacts", False),
    "regular_jobs": ("regular_jobs", "target_regular_jobs", True),
    "work_experience_places": ("work_experience_places", "target_work_experience_places", True),
}
SORT_KEYS = ("name", "province", *TARGETS)


class BadFilter(ValueError):
    """A filter value the ministry asked for that does not exist (unknown province...)."""


@dataclass
class Row:
    """One municipality in the overview: its current period's figures, suppressed."""

    cbs_code: str
    name: str
    province: str
    figures: dict[str, Any] | None  # None: nothing published yet
    progress: dict[str, dict[str, Any]]
    # For totals only: never shown, exported or served as such.
    unsuppressed: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def behind(self) -> bool:
        return any(p["behind"] for p in self.progress.values())

    def sort_value(self, key: str) -> Any:
        if key in ("name", "province"):
            return (getattr(self, key).lower(), self.name.lower())
        share = self.progress.get(key, {}).get("share")
        return (-1.0 if share is None else share, self.name.lower())


def progress_of(raw: dict[str, Any], today: date) -> dict[str, dict[str, Any]]:
    """Where each target should be today: the same straight line as the municipality's own
    dashboard (`targets.progress.pace`)."""
    return {name: suppress_progress(
        raw[count], raw[target],
        pace(raw[count], raw[target], raw["period_start"], raw["period_end"], today).expected,
        about_persons=persons)
        for name, (count, target, persons) in TARGETS.items()}


def public_period(raw: dict[str, Any]) -> dict[str, Any]:
    return suppress_row({name: raw[name] for name in PERIOD_FIELDS})


def current_rows(today: date | None = None) -> list[Row]:
    """Every participating municipality with the rollup of its current period: one query."""
    today = today or timezone.localdate()
    rows = (Municipality.objects.participating()
            .annotate(current=FilteredRelation(
                "period_rollups", condition=Q(period_rollups__period_start=F("period_start"))))
            .values("cbs_code", "name", "province",
                    **{f"r_{name}": F(f"current__{name}") for name in PERIOD_FIELDS})
            .order_by("name"))
    return [make_row(values["cbs_code"], values["name"], values["province"],
                     {name: values[f"r_{name}"] for name in PERIOD_FIELDS}, today)
            for values in rows]


def make_row(cbs_code: str, name: str, province: str, raw: dict[str, Any] | None,
             today: date) -> Row:
    published = raw is not None and raw["period_start"] is not None
    return Row(cbs_code=cbs_code, name=name, province=province,
               figures=suppress_row(raw) if published else None,
               progress=progress_of(raw, today) if published else {},
               unsuppressed=raw if published else {})


def row_of(municipality: Municipality, today: date | None = None) -> Row:
    """One municipality's current period (one query)."""
    raw = (municipality.period_rollups.filter(period_start=municipality.period_start)
           .values(*PERIOD_FIELDS).first()) if municipality.period_start else None
    return make_row(municipality.cbs_code, municipality.name, municipality.province, raw,
                    today or timezone.localdate())


def provinces(rows: list[Row]) -> list[str]:
    return sorted({row.province for row in rows if row.province})


def select(rows: list[Row], *, province: str = "", sort: str = "name") -> list[Row]:
    """Filter by province and sort ("-" in front: descending). Raises BadFilter."""
    if province and province not in provinces(rows):
        raise BadFilter("province")
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        raise BadFilter("sort")
    chosen = [row for row in rows if not province or row.province == province]
    return sorted(chosen, key=lambda row: row.sort_value(key), reverse=sort.startswith("-"))


def totals(rows: list[Row]) -> dict[str, Any]:
    """Totals of the given rows (national, or of one province): sums of the unsuppressed
    figures; person counts through `suppress_total` (withheld when they would give away a
    municipality's suppressed figure)."""
    names = [*WEEK_FIELDS, "target_employer_contacts", "target_regular_jobs",
             "target_work_experience_places"]
    sums: dict[str, int] = dict.fromkeys(names, 0)
    hidden: dict[str, list[int]] = {name: [] for name in names}
    for row in rows:
        for name in names:
            value = row.unsuppressed.get(name) or 0
            sums[name] += value
            if row.figures is not None and is_small(value):
                hidden[name].append(value)
    return {name: suppress_total(total, len(hidden[name]), sum(hidden[name]))
            if name in PERSON_COUNTS else total for name, total in sums.items()}


def national_weeks(*, province: str = "", limit: int = 26) -> list[dict[str, Any]]:
    """Weekly totals over the participating municipalities (latest `limit` weeks): one query.
    Person counts through `suppress_total`, with the number and sum of the contributions
    below the threshold counted in the same query."""
    weeks = WeekRollup.objects.filter(municipality__kind=Municipality.Kind.MUNICIPALITY)
    if province:
        weeks = weeks.filter(municipality__province=province)
    small = {name: Q(**{f"{name}__lt": THRESHOLD}) for name in WEEK_FIELDS
             if name in PERSON_COUNTS}
    rows = list(weeks.values("week_start").annotate(
        **{f"sum_{name}": Sum(name) for name in WEEK_FIELDS},
        **{f"hidden_n_{name}": Count("pk", filter=q) for name, q in small.items()},
        **{f"hidden_sum_{name}": Sum(name, filter=q, default=0) for name, q in small.items()},
    ).order_by("-week_start")[:limit])
    return [{"week_start": row["week_start"],
             **{name: suppress_total(row[f"sum_{name}"], row[f"hidden_n_{name}"],
                                     row[f"hidden_sum_{name}"])
                if name in small else row[f"sum_{name}"] for name in WEEK_FIELDS}}
            for row in reversed(rows)]


def public_week(values: dict[str, Any]) -> dict[str, Any]:
    return suppress_row({"week_start": values["week_start"],
                         **{name: values[name] for name in WEEK_FIELDS}})


def periods_of(municipality: Municipality) -> list[dict[str, Any]]:
    """Every published period of one municipality, newest first (one query)."""
    return [public_period(values) for values in
            municipality.period_rollups.order_by("-period_start").values(*PERIOD_FIELDS)]


def weeks_of(municipality: Municipality) -> list[dict[str, Any]]:
    """Every published week of one municipality, oldest first (one query)."""
    return [public_week(values) for values in
            municipality.week_rollups.order_by("week_start").values("week_start", *WEEK_FIELDS)]

"""Publishing a municipality's aggregated figures into the public schema.

`publish_rollup` runs INSIDE a municipality's schema: it reads that schema's tables (with the
counting rules of `relations.selectors` and `matching_events.counting`) and upserts the rows of
`PeriodRollup` and `WeekRollup` in the public schema, which is on the search path. There are no
cross-schema joins: the tenant tables are read first, the public rows written afterwards.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core.schemas import current_schema
from matching_events.counting import placements_in_period
from matching_events.models import Meetup, Placement, Registration, SurveyResponse
from relations.models import Employer, ZrmAssessment, ZrmScore
from relations.selectors import new_employer_contacts
from tenants.models import Municipality

from . import overview_cache
from .models import PeriodRollup, WeekRollup

WEEK_FIELDS = ("new_employer_contacts", "regular_jobs", "work_experience_places",
               "trial_placements", "meetups_held", "candidates_attending")
SURVEY_FIELDS = ("approach", "relationship_manager", "self_efficacy")
KIND_FIELD = {Placement.Kind.JOB: "regular_jobs",
              Placement.Kind.WORK_EXPERIENCE: "work_experience_places",
              Placement.Kind.TRIAL: "trial_placements"}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def current_municipality() -> Municipality:
    """The municipality whose schema the connection is in (a fresh row: the period or the
    targets may have changed since the tenant was set)."""
    municipality = Municipality.objects.participating().filter(
        schema_name=current_schema()).first()
    if municipality is None:
        raise RuntimeError("publish_rollup must run inside a municipality's schema")
    return municipality


def _held_meetups(start: date, last: date):
    return Meetup.objects.filter(status=Meetup.Status.HELD, starts_at__date__gte=start,
                                 starts_at__date__lte=last)


def zrm_progress(start: date, last: date) -> tuple[int, float | None]:
    """Candidates with at least two assessments whose latest one lies in the period, and the
    share of them whose latest assessment improved on at least one domain over the first."""
    spans = (ZrmAssessment.objects.values("candidate_id")
             .annotate(n=Count("pk"), first=Min("assessed_on"), latest=Max("assessed_on"))
             .filter(n__gte=2, latest__gte=start, latest__lte=last))
    span = {row["candidate_id"]: (row["first"], row["latest"]) for row in spans}
    if not span:
        return 0, None
    first_pk: dict[int, int] = {}
    latest: dict[int, int] = {}
    # The first and latest assessment per candidate (earliest pk on a tie, as the ordering).
    for row in (ZrmAssessment.objects.filter(candidate_id__in=span)
                .order_by("candidate_id", "assessed_on", "pk")
                .values("pk", "candidate_id", "assessed_on")):
        candidate = row["candidate_id"]
        first_pk.setdefault(candidate, row["pk"])
        if row["assessed_on"] == span[candidate][1]:
            latest[candidate] = row["pk"]
    first = {pk: candidate for candidate, pk in first_pk.items()}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for row in ZrmScore.objects.filter(
            assessment_id__in=[*first, *latest.values()]).values("assessment_id", "domain",
                                                                  "score"):
        scores[row["assessment_id"]][row["domain"]] = row["score"]
    improved = 0
    for pk, candidate in first.items():
        before, after = scores[pk], scores[latest[candidate]]
        if any(after.get(domain, 0) > score for domain, score in before.items()):
            improved += 1
    return len(span), improved / len(span)


def satisfaction(start: date, last: date) -> dict[str, Any]:
    aggregates: dict[str, Any] = {}
    for field in SURVEY_FIELDS:
        aggregates[f"satisfaction_{field}"] = Avg(field)
        aggregates[f"satisfaction_{field}_responses"] = Count(field)
    return SurveyResponse.objects.filter(
        submitted_at__date__gte=start, submitted_at__date__lte=last).aggregate(**aggregates)


def period_figures(start: date, end: date, today: date) -> dict[str, Any]:
    last = min(end, today)
    placements = placements_in_period(start, end)
    held = _held_meetups(start, last)
    zrm_candidates, zrm_share = zrm_progress(start, last)
    return {
        "new_employer_contacts": new_employer_contacts(start, end),
        **{field: placements.get(kind, 0) for kind, field in KIND_FIELD.items()},
        "meetups_held": held.count(),
        "candidates_attending": Registration.objects.filter(
            meetup__in=held, attended=True).values("candidate_id").distinct().count(),
        "zrm_candidates": zrm_candidates, "zrm_improved_share": zrm_share,
        **satisfaction(start, last),
    }


def week_figures(start: date, end: date, today: date) -> dict[date, dict[str, int]]:
    """Per ISO week of the period (up to today): the period's counts split by week. A week
    sums what happened on its days inside the period, so the weeks add up to the period,
    except `candidates_attending`: distinct candidates per week, and someone who came in two
    weeks counts in both."""
    last = min(end, today)
    weeks: dict[date, dict[str, int]] = {}
    week = monday(start)
    while week <= last:
        weeks[week] = dict.fromkeys(WEEK_FIELDS, 0)
        week += timedelta(days=7)

    def add(field: str, rows) -> None:
        for row in rows:
            weeks[row["week"]][field] += row["n"]

    add("new_employer_contacts", Employer.objects.filter(
        first_contact_date__gte=start, first_contact_date__lte=last)
        .annotate(week=TruncWeek("first_contact_date")).values("week")
        .annotate(n=Count("pk")).values("week", "n"))
    for row in (Placement.objects.filter(start_date__gte=start, start_date__lte=last)
                .annotate(week=TruncWeek("start_date")).values("week", "kind")
                .annotate(n=Count("pk"))):
        weeks[row["week"]][KIND_FIELD[row["kind"]]] += row["n"]
    add("meetups_held", _held_meetups(start, last)
        .annotate(week=TruncWeek("starts_at__date")).values("week")
        .annotate(n=Count("pk")).values("week", "n"))
    add("candidates_attending", Registration.objects.filter(
        meetup__in=_held_meetups(start, last), attended=True)
        .annotate(week=TruncWeek("meetup__starts_at__date")).values("week")
        .annotate(n=Count("candidate_id", distinct=True)).values("week", "n"))
    return weeks


def publish_rollup(today: date | None = None) -> PeriodRollup | None:
    """Compute this municipality's figures and upsert its period row and week rows. Without
    a project period there is nothing to publish (None)."""
    municipality = current_municipality()
    start, end = municipality.period_start, municipality.period_end
    if start is None or end is None:
        return None
    today = today or timezone.localdate()
    figures = period_figures(start, end, today)
    weeks = week_figures(start, end, today)
    with transaction.atomic():
        rollup, _created = PeriodRollup.objects.update_or_create(
            municipality=municipality, period_start=start, defaults={
                "period_end": end, "computed_on": today,
                "target_employer_contacts": municipality.target_employer_contacts,
                "target_regular_jobs": municipality.target_regular_jobs,
                "target_work_experience_places": municipality.target_work_experience_places,
                **figures})
        # One upsert for all weeks (INSERT ... ON CONFLICT DO UPDATE): same effect as an
        # update_or_create per week, in one statement instead of two per week.
        WeekRollup.objects.bulk_create(
            [WeekRollup(municipality=municipality, week_start=week, updated_at=timezone.now(),
                        **counts) for week, counts in weeks.items()],
            update_conflicts=True, unique_fields=["municipality", "week_start"],
            update_fields=[*WEEK_FIELDS, "updated_at"])
        overview_cache.changed()
    return rollup

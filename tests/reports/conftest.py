"""A known data set for the Friday report, in Zoetermeer (see tests/relations/conftest.py for
alice, bob, carol and charlie).

The report's week is the week before last (a finished week, so nothing in it lies in the
future); the project period started four weeks before it. Counted in the week / in the period
to date (up to the week's Sunday):

- new employers (first contact): 1 / 2 (one before the period, one prospect: neither);
- meetups held: 1 / 2 (one held before the period, one published in the week: neither);
- placements: job 1 / 2, work-experience place 1 / 1, trial 1 / 1 (one job before the period
  and one that starts after the week: neither);
- ZRM: 2 candidates with a second assessment, 1 improved (50%).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from matching_events.models import Meetup
from matching_events.services import placements
from relations import services as relations
from reports.content import monday_of
from targets.services import set_project_period
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import (  # noqa: F401  (fixtures)
    alice,
    bob,
    carol,
    charlie,
    in_zoetermeer,
    logged_in,
    new_candidate,
    new_employer,
)


@dataclass(frozen=True)
class Known:
    week_start: date
    week_end: date
    period_start: date
    period_end: date


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _employer(by, number: int, first_contact: date | None):
    employer = new_employer(by, name=f"Werkgever {number}", kvk_number=f"{27_000_000 + number}")
    if first_contact is not None:
        relations.log_contact_moment(employer, kind="call", occurred_at=at(first_contact),
                                     summary="Kennismaking", by=by)
    return employer


def _meetup(by, day: date, *, held: bool):
    meetup = new_meetup(by)
    status = Meetup.Status.HELD if held else Meetup.Status.PUBLISHED
    # Meetups cannot be planned in the past through the services: move it there.
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=at(day, 14), status=status)
    return meetup


def _zrm(candidate, by, first: int, latest: int, day: date) -> None:
    relations.record_zrm_assessment(candidate, assessed_on=day - timedelta(days=60),
                                    scores=dict.fromkeys(range(1, 14), first), by=by)
    relations.record_zrm_assessment(candidate, assessed_on=day,
                                    scores=dict.fromkeys(range(1, 14), latest), by=by)


@pytest.fixture
def known(zoetermeer, alice, carol) -> Known:  # noqa: F811
    today = timezone.localdate()
    week_start = monday_of(today) - timedelta(days=14)
    week_end = week_start + timedelta(days=6)
    period_start, period_end = week_start - timedelta(days=28), week_start + timedelta(days=330)
    with tenant_context(zoetermeer):
        set_project_period(by=carol, start=period_start, end=period_end,
                           target_employer_contacts=70, target_regular_jobs=40,
                           target_work_experience_places=20)
        employers = [_employer(alice, 1, week_start + timedelta(days=2)),
                     _employer(alice, 2, period_start + timedelta(days=3)),
                     _employer(alice, 3, period_start - timedelta(days=10)),
                     _employer(alice, 4, None)]
        _meetup(alice, week_start + timedelta(days=1), held=True)
        _meetup(alice, period_start + timedelta(days=1), held=True)
        _meetup(alice, period_start - timedelta(days=5), held=True)
        _meetup(alice, week_start + timedelta(days=3), held=False)
        for number, (kind, start) in enumerate([
            ("job", week_start + timedelta(days=4)),
            ("work_experience", week_start),
            ("trial", week_end),
            ("job", period_start),
            ("job", period_start - timedelta(days=1)),
            ("job", week_end + timedelta(days=1)),
        ]):
            candidate = new_candidate(alice, first_name=f"Kandidaat{number}",
                                      email=f"k{number}@example.org")
            placements.record_placement(candidate_id=candidate.pk,
                                        employer_id=employers[number % 3].pk, by=alice,
                                        kind=kind, start_date=start)
        improved = new_candidate(alice, first_name="Beter", email="beter@example.org")
        same = new_candidate(alice, first_name="Gelijk", email="gelijk@example.org")
        once = new_candidate(alice, first_name="Eenmaal", email="eenmaal@example.org")
        _zrm(improved, alice, 2, 3, week_start)
        _zrm(same, alice, 3, 3, week_start)
        relations.record_zrm_assessment(once, assessed_on=week_start,
                                        scores=dict.fromkeys(range(1, 14), 2), by=alice)
    return Known(week_start, week_end, period_start, period_end)

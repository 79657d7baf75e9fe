"""Fixtures of the target tests (people: see tests/relations/conftest.py)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from matching_events.services.placements import record_placement
from relations import services
from targets.services import set_project_period
from tests.matching_events.conftest import confirmed_registration, new_meetup  # noqa: F401
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

TODAY = timezone.localdate


def days_ago(n: int) -> date:
    return TODAY() - timedelta(days=n)


def a_period(by, *, start_days_ago: int = 100, length: int = 365, **targets):
    values = {"target_employer_contacts": 70, "target_regular_jobs": 40,
              "target_work_experience_places": 20}
    values.update(targets)
    start = days_ago(start_days_ago)
    return set_project_period(by=by, start=start, end=start + timedelta(days=length - 1),
                              **values)


def contacted_employer(owner, kvk: str, *, on: date, name: str = "Werkgever"):
    employer = new_employer(owner, name=name, kvk_number=kvk)
    services.log_contact_moment(
        employer, kind="call", summary="Kennismaking", by=owner,
        occurred_at=timezone.make_aware(datetime.combine(on, time(10))))
    employer.refresh_from_db()
    return employer


def placed(candidate, employer, by, *, kind: str, start: date):
    return record_placement(candidate_id=candidate.pk, employer_id=employer.pk, by=by,
                            kind=kind, start_date=start)


KVK = iter(f"{n:08d}" for n in range(10_000_001, 10_099_999))


@pytest.fixture
def kvk():
    """Fresh valid-looking KvK numbers."""
    return lambda: next(KVK)

"""Fixtures of the signal tests (alice, bob: relationship managers in Zoetermeer; carol: its
coordinator; charlie: Hilversum). Data is built through the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from matching_events.models import Conversation, MatchLead
from matching_events.services.placements import add_months
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


def months_ago(months: int, today: date | None = None) -> date:
    return add_months(today or timezone.localdate(), -months)


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def make_lead(employer, candidate, owner, **fields) -> MatchLead:
    """A match lead as a mutual yes at a meetup makes it (the meetup flow itself is tested in
    tests/matching_events)."""
    conversation = Conversation.objects.create(
        meetup=new_meetup(owner), employer=employer, candidate=candidate, employer_says="yes",
        candidate_says="yes")
    return MatchLead.objects.create(conversation=conversation, employer=employer,
                                    candidate=candidate, owner=owner, **fields)


@pytest.fixture
def no_project_period(zoetermeer):
    """Without a project period there are no target signals: tests of the other kinds count
    only their own."""
    from tenants.models import Municipality

    Municipality.objects.filter(pk=zoetermeer.pk).update(period_start=None, period_end=None)


@pytest.fixture
def project_period(zoetermeer):
    """A year-long period that started 100 days ago: 40 jobs, 20 work-experience places and
    70 employer contacts expected; nothing counted yet, so all three are behind pace."""
    from tenants.models import Municipality

    Municipality.objects.filter(pk=zoetermeer.pk).update(
        period_start=days(-100), period_end=days(265), target_employer_contacts=70,
        target_regular_jobs=40, target_work_experience_places=20)

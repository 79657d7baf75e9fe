"""People and things of the meetup tests (see tests/relations/conftest.py for alice, bob,
carol and charlie)."""

from datetime import timedelta

from django.utils import timezone

from matching_events.services import meetups, registrations
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


def new_meetup(organiser, *, publish: bool = True, capacity: int = 12, days_ahead: int = 7,
               **fields):
    values = {"title": "Prettig gesprek in de zorg", "theme": "Zorg en welzijn",
              "starts_at": timezone.now() + timedelta(days=days_ahead),
              "address": "Markt 1, 2711 CA Zoetermeer", "capacity": capacity}
    values.update(fields)
    meetup = meetups.create_meetup(by=organiser, **values)
    if publish:
        meetup = meetups.publish_meetup(meetup.pk, by=organiser)
    return meetup


def confirmed_registration(meetup, candidate, by):
    registration = registrations.invite_candidate(meetup.pk, candidate.pk, by=by)
    return registrations.confirm_on_behalf(registration.pk, by=by)

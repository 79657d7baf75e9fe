"""Capacity is never exceeded, also when many people confirm at the same moment.

Written the way pretix tests its quotas: first show that the race is real (with the lock on
the registration and its meetup replaced by a plain read, concurrent confirmations overbook),
then that the lock prevents it. The data is committed, because every thread has its own
database connection."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from matching_events import tokens
from matching_events.models import Meetup, Registration
from matching_events.services import meetups, registrations
from relations.models import Candidate
from tenants.models import Municipality
from tests.conftest import ZOETERMEER

CAPACITY, PEOPLE = 4, 12


@pytest.fixture
def pending(django_db_setup, django_db_blocker, monkeypatch):
    """A committed meetup with CAPACITY places and PEOPLE pending registrations; removed
    again afterwards."""
    from accounts.roles import Role
    from tests.conftest import make_user

    monkeypatch.setattr("matching_events.notifications.notify", lambda *a, **k: None)
    for module in (registrations, meetups):
        monkeypatch.setattr(module, "notify", lambda *a, **k: None)
    with django_db_blocker.unblock():
        municipality = Municipality.objects.get(cbs_code=ZOETERMEER)
        with tenant_context(municipality):
            organiser = make_user(municipality, Role.RELATIONSHIP_MANAGER, "race@example.org")
            meetup = meetups.create_meetup(
                by=organiser, title="Drukte", address="Markt 1", capacity=CAPACITY,
                starts_at=timezone.now() + timedelta(days=3))
            meetups.publish_meetup(meetup.pk, by=organiser)
            tokens_ = []
            for i in range(PEOPLE):
                registration = registrations.register_for_meetup(
                    meetup.pk, first_name="R", last_name=str(i), email=f"r{i}@example.org")
                tokens_.append(tokens.make_token(
                    tokens.CONFIRM, registration.pk, registration.link_key))
        yield municipality, meetup, tokens_
        with tenant_context(municipality):
            Meetup.objects.filter(pk=meetup.pk).delete()
            Candidate.objects.filter(email__startswith="r", owner=organiser).delete()
            organiser.delete()
        connection.set_schema_to_public()


def confirm_all_at_once(municipality, tokens_) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(tokens_))

    def confirm(token: str) -> None:
        try:
            connection.set_tenant(municipality)
            start.wait(timeout=10)
            registrations.confirm_registration(token)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(t,)) for t in tokens_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def slow_count(monkeypatch):
    """Widen the window between counting the places and taking one, as a busy server does."""
    count = registrations.confirmed_count

    def slowly(meetup):
        n = count(meetup)
        time.sleep(0.05)
        return n

    monkeypatch.setattr(registrations, "confirmed_count", slowly)


def statuses(municipality, meetup) -> dict[str, int]:
    with tenant_context(municipality):
        rows = Registration.objects.filter(meetup=meetup).values_list("status", flat=True)
        return {s: list(rows).count(s) for s in ("confirmed", "waiting", "pending")}


def test_without_the_lock_concurrent_confirmations_overbook(pending, monkeypatch,
                                                            django_db_blocker):
    municipality, meetup, tokens_ = pending
    slow_count(monkeypatch)
    monkeypatch.setattr(registrations, "lock_registration",  # the bug: no lock
                        lambda pk: Registration.objects.select_related("meetup").get(pk=pk))
    with django_db_blocker.unblock():
        errors = confirm_all_at_once(municipality, tokens_)
        counts = statuses(municipality, meetup)
    assert not errors
    assert counts["confirmed"] > CAPACITY, counts  # the race is real


def test_with_the_lock_capacity_is_never_exceeded(pending, monkeypatch, django_db_blocker):
    municipality, meetup, tokens_ = pending
    slow_count(monkeypatch)
    with django_db_blocker.unblock():
        errors = confirm_all_at_once(municipality, tokens_)
        counts = statuses(municipality, meetup)
        with tenant_context(municipality):
            status = Meetup.objects.get(pk=meetup.pk).status
    assert not errors
    assert counts == {"confirmed": CAPACITY, "waiting": PEOPLE - CAPACITY, "pending": 0}
    assert status == Meetup.Status.FULL

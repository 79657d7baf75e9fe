"""The same e-mail address, submitted at the same moment, makes one person and one registration.

A security test found that a double (or sextuple) submit of the portal's registration form
created several candidate files and registrations for one address, and that two of those
people could each take a place. The database now says "one portal candidate per address"
(a partial unique index on the normalised address) and "one active portal registration per
address per meetup", and the service turns the loser of the race into the same answer as a
normal registration.

Written like test_capacity_race.py: committed data, every thread its own connection, and the
window between "look the address up" and "insert" widened with a sleep, as on a busy server.
The first test shows the race on the lookup alone (the constraints' net removed), the others
that it is closed, through the service and through the portal page."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.functions import Lower, Trim
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from matching_events import tokens
from matching_events.models import Meetup, Registration
from matching_events.services import meetups, registrations
from relations.models import Candidate
from tenants.models import Municipality
from tests.conftest import ZOETERMEER, host_of

THREADS = 6
ADDRESS = "dubbel@example.org"
# What people (and their browsers' autofill) really send: case and spaces vary.
VARIANTS = [ADDRESS, ADDRESS.upper(), f"  {ADDRESS} ", "Dubbel@Example.org", ADDRESS,
            f"{ADDRESS} "]


@pytest.fixture
def open_meetup(django_db_setup, django_db_blocker, monkeypatch):
    """A committed, published meetup with 20 places; removed again afterwards with every
    candidate of the test address."""
    from accounts.roles import Role
    from tests.conftest import make_user

    for module in (registrations, meetups):
        monkeypatch.setattr(module, "notify", lambda *a, **k: None)
    with django_db_blocker.unblock():
        municipality = Municipality.objects.get(cbs_code=ZOETERMEER)
        with tenant_context(municipality):
            organiser = make_user(municipality, Role.RELATIONSHIP_MANAGER,
                                  "dubbel-organiser@example.org")
            meetup = meetups.create_meetup(
                by=organiser, title="Dubbel", address="Markt 1", capacity=20,
                starts_at=timezone.now() + timedelta(days=3))
            meetups.publish_meetup(meetup.pk, by=organiser)
        yield municipality, meetup
        with tenant_context(municipality):
            Meetup.objects.filter(pk=meetup.pk).delete()
            same_address().delete()
            organiser.delete()
        connection.set_schema_to_public()


def same_address():
    return Candidate.objects.annotate(key=Lower(Trim("email"))).filter(key=ADDRESS)


def slow_lookup(monkeypatch, count: int = THREADS):
    """Hold every submit between "is this address known?" and creating the candidate until
    all of them are there (a barrier, not a sleep: on a loaded machine a sleep's window can
    close before the last thread arrives, and the race would not show)."""
    create = registrations.create_candidate
    window = threading.Barrier(count)

    def slowly(**fields):
        try:
            window.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass  # fewer submits reached this point: go on, never hang
        return create(**fields)

    monkeypatch.setattr(registrations, "create_candidate", slowly)


def all_at_once(municipality, work, count: int = THREADS) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            connection.set_tenant(municipality)
            start.wait(timeout=10)
            work(i)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def register_through_service(meetup):
    answers: list[str] = []

    def register(i: int) -> None:
        try:
            registrations.register_for_meetup(
                meetup.pk, first_name="Dubbel", last_name=f"Inzender {i}",
                email=VARIANTS[i % len(VARIANTS)])
            answers.append("registered")
        except ValidationError as error:
            answers.append(error.code)  # "twice": the page says "check your e-mail" too

    return register, answers


def confirm_everything(municipality, meetup) -> int:
    """Click every confirmation link that exists; the number of places taken."""
    with tenant_context(municipality):
        for registration in Registration.objects.filter(meetup=meetup):
            token = tokens.make_token(tokens.CONFIRM, registration.pk, registration.link_key)
            registrations.confirm_registration(token)
        return Registration.objects.filter(
            meetup=meetup, status=Registration.Status.CONFIRMED).count()


def test_without_the_database_constraints_a_double_submit_makes_several_people(
        open_meetup, monkeypatch, django_db_blocker):
    """The race is real: the service's own lookup does not stop it."""
    municipality, meetup = open_meetup
    slow_lookup(monkeypatch)
    with django_db_blocker.unblock():
        with tenant_context(municipality):
            dropped = drop_constraints()
        try:
            register, _answers = register_through_service(meetup)
            errors = all_at_once(municipality, register)
            with tenant_context(municipality):
                candidates = same_address().count()
            places = confirm_everything(municipality, meetup)
        finally:
            with tenant_context(municipality):
                Meetup.objects.filter(pk=meetup.pk).delete()
                same_address().delete()
                restore_constraints(dropped)
    assert not errors, errors
    assert candidates > 1  # several files for one person
    assert places > 1  # and one person holds several places


def test_a_double_submit_makes_one_candidate_and_one_registration(
        open_meetup, monkeypatch, django_db_blocker):
    municipality, meetup = open_meetup
    slow_lookup(monkeypatch)
    with django_db_blocker.unblock():
        register, answers = register_through_service(meetup)
        errors = all_at_once(municipality, register)
        with tenant_context(municipality):
            candidates = list(same_address())
            count = Registration.objects.filter(meetup=meetup).count()
        places = confirm_everything(municipality, meetup)
    assert not errors, errors
    assert len(candidates) == 1
    assert candidates[0].source == Candidate.Source.PORTAL
    assert count == 1
    assert places == 1
    # Every visitor gets the "check your e-mail" answer: one registered, the rest "twice",
    # which the portal page shows exactly like a new registration.
    assert answers.count("registered") == 1
    assert set(answers) <= {"registered", "twice"}


def test_a_double_submit_through_the_portal_page_gets_the_same_page_every_time(
        open_meetup, monkeypatch, django_db_blocker):
    municipality, meetup = open_meetup
    slow_lookup(monkeypatch)
    monkeypatch.setattr("cms.meetup_pages.REGISTRATION_RATE", "1000/m")
    statuses: list[int] = []
    locations: list[str] = []

    def post(i: int) -> None:
        client = Client(HTTP_HOST=host_of(municipality))
        response = client.post(f"/bijeenkomsten/{meetup.pk}/", {
            "first_name": "Dubbel", "last_name": f"Inzender {i}",
            "email": VARIANTS[i % len(VARIANTS)], "phone": "", "interests": "",
            "needs_note": ""})
        statuses.append(response.status_code)
        locations.append(response.get("Location", ""))

    with django_db_blocker.unblock():
        # Load the URLconf and views once: six threads importing them at the same moment
        # trip over each other's half-imported modules.
        Client(HTTP_HOST=host_of(municipality)).get(f"/bijeenkomsten/{meetup.pk}/")
        errors = all_at_once(municipality, post)
        with tenant_context(municipality):
            candidates = same_address().count()
            count = Registration.objects.filter(meetup=meetup).count()
    assert not errors, errors
    assert statuses == [302] * THREADS
    assert len(set(locations)) == 1
    assert (candidates, count) == (1, 1)


# --- switching the database's net off for the first test ------------------------------------

NETS = {
    # table: the constraint / index names that stop duplicates of one address
    "relations_candidate": ["candidate_portal_email_unique"],
    "matching_events_registration": ["registration_portal_email_once"],
}


def drop_constraints() -> list[tuple[str, str]]:
    """Drop the unique indexes (when they exist yet) and return their definitions."""
    dropped = []
    with connection.cursor() as cursor:
        for table, names in NETS.items():
            for name in names:
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = "
                               "current_schema() AND tablename = %s AND indexname = %s",
                               [table, name])
                row = cursor.fetchone()
                if row:
                    dropped.append((name, row[0]))
                    cursor.execute(f'DROP INDEX "{name}"')
    return dropped


def restore_constraints(dropped: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        for _name, definition in dropped:
            cursor.execute(definition)


# --- the same race on portal accounts -------------------------------------------------------

def test_two_account_invitations_for_one_address_make_one_user_and_a_clear_refusal(
        django_db_setup, django_db_blocker, monkeypatch):
    """Two contact persons (of two employers) share an address and are invited at the same
    moment: one user, and the other invitation gets "there is already an account", not a
    database error."""
    from accounts.models import User
    from matching_events.services import accounts
    from relations import services as relations
    from relations.models import Employer

    create = accounts.create_user_with_role

    def slowly(*args, **kwargs):
        time.sleep(0.2)
        return create(*args, **kwargs)

    monkeypatch.setattr(accounts, "create_user_with_role", slowly)
    monkeypatch.setattr(accounts, "send_set_password_mail", lambda *a, **k: None)
    with django_db_blocker.unblock():
        municipality = Municipality.objects.get(cbs_code=ZOETERMEER)
        with tenant_context(municipality):
            employers = [relations.create_employer(
                by=None, name=f"Dubbel {i}", kvk_number=f"9{i}345678",
                contacts=[{"name": "Dubbel Contact", "email": ADDRESS}]) for i in range(2)]
            pairs = [(e.pk, e.contacts.get().pk) for e in employers]
        outcomes: list[str] = []

        def invite(i: int) -> None:
            try:
                accounts.invite_employer_user(*pairs[i], by=None)
                outcomes.append("made")
            except ValidationError as error:
                outcomes.append(error.code)

        try:
            errors = all_at_once(municipality, invite, count=2)
            with tenant_context(municipality):
                users = User.objects.filter(email__iexact=ADDRESS).count()
        finally:
            with tenant_context(municipality):
                User.objects.filter(email__iexact=ADDRESS).delete()
                Employer.objects.filter(pk__in=[e.pk for e in employers]).delete()
    assert not errors, errors
    assert users == 1
    assert sorted(outcomes) == ["account_exists", "made"]

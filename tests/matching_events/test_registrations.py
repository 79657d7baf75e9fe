"""Registration for a meetup: double opt-in, capacity, waiting list, links and bad input."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context

from matching_events import tokens
from matching_events.models import Meetup, Registration
from matching_events.services import meetups, registrations
from relations.models import Candidate

from .conftest import confirmed_registration, new_candidate, new_meetup

pytestmark = pytest.mark.usefixtures("in_zoetermeer")


def register(meetup, email="fatima@example.org", **fields):
    values = {"first_name": "Fatima", "last_name": "El Amrani", "email": email}
    values.update(fields)
    return registrations.register_for_meetup(meetup.pk, **values)


def confirm_token(registration):
    return tokens.make_token(tokens.CONFIRM, registration.pk, registration.link_key)


def manage_token(registration):
    return tokens.make_token(tokens.MANAGE, registration.pk, registration.link_key)


def test_a_portal_registration_takes_no_place_until_the_address_is_confirmed(alice):
    meetup = new_meetup(alice, capacity=1)
    registration = register(meetup, needs=["childcare"], interests="koken")
    assert registration.status == Registration.Status.PENDING
    assert registration.candidate.email == "fatima@example.org"
    assert registration.candidate.owner == alice  # the organiser picks the person up
    assert registrations.confirmed_count(meetup) == 0

    confirmed = registrations.confirm_registration(confirm_token(registration))
    assert confirmed.status == Registration.Status.CONFIRMED
    assert confirmed.needs == ["childcare"]
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.FULL


def test_a_known_address_reuses_the_candidate(alice):
    candidate = new_candidate(alice, email="Fatima@Example.org")
    registration = register(new_meetup(alice), email="fatima@example.org")
    assert registration.candidate == candidate
    assert not registration.created_candidate


def test_a_confirmation_link_works_once(alice):
    registration = register(new_meetup(alice))
    token = confirm_token(registration)
    registrations.confirm_registration(token)
    with pytest.raises(tokens.LinkError, match="al gebruikt|already used"):
        registrations.confirm_registration(token)
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "abc",
    lambda t: t.replace(":", ";"),
])
def test_a_forged_link_is_refused_and_changes_nothing(alice, mangle):
    registration = register(new_meetup(alice))
    with pytest.raises(tokens.LinkError):
        registrations.confirm_registration(mangle(confirm_token(registration)))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_a_link_for_another_purpose_is_refused(alice):
    registration = register(new_meetup(alice))
    with pytest.raises(tokens.LinkError):
        registrations.confirm_registration(manage_token(registration))


def test_an_expired_confirmation_link_is_refused(alice):
    registration = register(new_meetup(alice))
    token = confirm_token(registration)
    later = timezone.now().timestamp() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        with pytest.raises(tokens.LinkError, match="verlopen|expired"):
            registrations.confirm_registration(token)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_a_link_of_another_municipality_is_refused(alice, hilversum):
    registration = register(new_meetup(alice))
    token = confirm_token(registration)
    with tenant_context(hilversum):
        with pytest.raises(tokens.LinkError):
            registrations.confirm_registration(token)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_the_waiting_list_moves_up_when_someone_cancels(alice):
    meetup = new_meetup(alice, capacity=2)
    people = [new_candidate(alice, first_name=f"K{i}", email=f"k{i}@example.org")
              for i in range(4)]
    regs = [confirmed_registration(meetup, person, alice) for person in people]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waiting", "waiting"]
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.FULL

    registrations.cancel_registration(manage_token(regs[0]))
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[regs[0].pk] == "cancelled"
    assert statuses[regs[2].pk] == "confirmed"  # first in line
    assert statuses[regs[3].pk] == "waiting"
    assert registrations.confirmed_count(meetup) == 2

    registrations.cancel_on_behalf(regs[1].pk, by=alice)
    registrations.cancel_on_behalf(regs[2].pk, by=alice)
    assert registrations.confirmed_count(meetup) == 1
    meetup.refresh_from_db()
    assert meetup.status == Meetup.Status.PUBLISHED


def test_a_cancellation_link_works_once(alice):
    meetup = new_meetup(alice)
    registration = confirmed_registration(meetup, new_candidate(alice), alice)
    token = manage_token(registration)
    registrations.cancel_registration(token)
    with pytest.raises(tokens.LinkError, match="al afgemeld|already cancelled"):
        registrations.cancel_registration(token)


def test_registering_again_after_cancelling_invalidates_old_links(alice):
    meetup = new_meetup(alice)
    first = register(meetup)
    registrations.confirm_registration(confirm_token(first))
    old_manage = manage_token(Registration.objects.get())
    registrations.cancel_registration(old_manage)
    again = register(meetup)
    assert again.pk == first.pk and again.status == Registration.Status.PENDING
    with pytest.raises(tokens.LinkError):
        registrations.confirm_registration(confirm_token(first))
    registrations.confirm_registration(confirm_token(again))


def test_more_places_promote_the_waiting_list(alice):
    meetup = new_meetup(alice, capacity=1)
    regs = [confirmed_registration(meetup, new_candidate(alice, email=f"p{i}@example.org"),
                                   alice) for i in range(3)]
    registrations.change_capacity(meetup.pk, 2, by=alice)
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [
        "confirmed", "confirmed", "waiting"]
    with pytest.raises(ValidationError):
        registrations.change_capacity(meetup.pk, 1, by=alice)
    assert Meetup.objects.get(pk=meetup.pk).capacity == 2


# --- bad input: a clear Dutch message and nothing changes ------------------------------------

def assert_refused(call, *, message: str) -> None:
    before = (Registration.objects.count(), Candidate.objects.count())
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(error.value.messages)
    assert (Registration.objects.count(), Candidate.objects.count()) == before


def test_registering_after_the_deadline(alice):
    meetup = new_meetup(alice, registration_deadline=timezone.now() + timedelta(hours=1))
    Meetup.objects.filter(pk=meetup.pk).update(
        registration_deadline=timezone.now() - timedelta(minutes=1))
    assert_refused(lambda: register(meetup), message="Aanmelden kon tot")


def test_registering_for_a_cancelled_meetup(alice):
    meetup = new_meetup(alice)
    meetups.cancel_meetup(meetup.pk, by=alice)
    assert_refused(lambda: register(meetup), message="afgelast")


def test_registering_for_a_meetup_in_the_past(alice):
    meetup = new_meetup(alice)
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() - timedelta(days=1))
    assert_refused(lambda: register(meetup), message="al geweest")


def test_registering_for_a_full_meetup_needs_a_yes_to_the_waiting_list(alice):
    meetup = new_meetup(alice, capacity=1)
    confirmed_registration(meetup, new_candidate(alice), alice)
    assert_refused(lambda: register(meetup), message="vol")
    registration = register(meetup, waiting_list=True)
    registrations.confirm_registration(confirm_token(registration))
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.WAITING


def test_registering_twice(alice):
    meetup = new_meetup(alice)
    register(meetup)
    assert_refused(lambda: register(meetup, email="FATIMA@example.org"),
                   message="al aangemeld")


@pytest.mark.parametrize("email", ["fatima", "fatima@", "@example.org", "a b@example.org", ""])
def test_registering_with_an_invalid_email_address(alice, email):
    meetup = new_meetup(alice)
    assert_refused(lambda: register(meetup, email=email), message="geldig e-mailadres")


def test_a_meetup_in_the_past_cannot_be_made(alice):
    with pytest.raises(ValidationError) as error:
        new_meetup(alice, days_ahead=-1)
    assert "toekomst" in " ".join(error.value.messages)
    assert not Meetup.objects.exists()


def test_unconfirmed_registrations_expire_with_the_candidate_they_made(alice):
    meetup = new_meetup(alice)
    registration = register(meetup)
    known = new_candidate(alice, email="known@example.org")
    kept = register(meetup, email="known@example.org")
    Registration.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert registrations.expire_unconfirmed() == 2
    assert not Registration.objects.exists()
    assert not Candidate.objects.filter(pk=registration.candidate_id).exists()
    assert Candidate.objects.filter(pk=known.pk).exists()
    assert kept.candidate_id == known.pk

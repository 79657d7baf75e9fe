"""The pages behind e-mail links: double opt-in (a GET never confirms), cancelling moves the
waiting list up, surveys, an employer's answer, "my registrations". A forged, expired, reused
or foreign link changes nothing and gets a friendly page with status 400."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django_tenants.utils import tenant_context

from matching_events import links, tokens
from matching_events.models import Meetup, MeetupEmployer, Registration, SurveyResponse
from matching_events.services import meetups, registrations
from tests.conftest import client_for
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import new_employer


def register(meetup, first_name="Samira", email="samira@example.org"):
    return registrations.register_for_meetup(
        meetup.pk, first_name=first_name, last_name="Bouzid", email=email)


@pytest.fixture
def meetup(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_meetup(alice, capacity=1)


@pytest.fixture
def pending(zoetermeer, meetup):
    with tenant_context(zoetermeer):
        registration = register(meetup)
        return registration, links.confirm_token(registration)


def status_of(municipality, registration) -> str:
    with tenant_context(municipality):
        return Registration.objects.get(pk=registration.pk).status


def link_error(municipality, token: str) -> str:
    """The message the visitor should see (as HTML) for a bad confirmation link."""
    with tenant_context(municipality), translation.override("nl"):
        try:
            tokens.read_token(tokens.CONFIRM, token, tokens.CONFIRM_MAX_AGE)
        except tokens.LinkError as error:
            return escape(error.message)
    raise AssertionError("the link is valid")


def assert_private(response) -> None:
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_double_opt_in_get_shows_a_button_post_confirms_a_second_post_is_refused(
        zoetermeer, pending):
    registration, token = pending
    client = client_for(zoetermeer)
    url = f"/aanmelding/bevestigen/{token}/"
    response = client.get(url)  # what a mail scanner does
    assert response.status_code == 200
    assert_private(response)
    assert b'<form method="post"' in response.content
    assert b"Prettig gesprek in de zorg" in response.content
    assert b"Zoetermeer" in response.content  # the portal layout, without a Wagtail page
    assert status_of(zoetermeer, registration) == "pending"

    response = client.post(url)
    assert response.status_code == 200
    assert_private(response)
    assert status_of(zoetermeer, registration) == "confirmed"
    with tenant_context(zoetermeer):
        confirmed_at = Registration.objects.get(pk=registration.pk).confirmed_at

    response = client.post(url)
    assert response.status_code == 400
    assert b'role="alert"' in response.content  # "you already used this link"
    with tenant_context(zoetermeer):
        assert Registration.objects.get(pk=registration.pk).confirmed_at == confirmed_at


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-3] + "abc",
    lambda token: "abc" + token[3:],
    lambda token: "niet-een-token",
])
def test_a_forged_link_is_refused_and_changes_nothing(zoetermeer, pending, mangle):
    registration, token = pending
    client = client_for(zoetermeer)
    for url in (f"/aanmelding/bevestigen/{mangle(token)}/",
                f"/aanmelding/{mangle(token)}/afmelden/"):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            assert_private(response)
            assert link_error(zoetermeer, mangle(token)) in response.content.decode()
    assert status_of(zoetermeer, registration) == "pending"


def test_an_expired_confirmation_link_is_refused(zoetermeer, meetup):
    with tenant_context(zoetermeer):
        registration = register(meetup)
        eight_days_ago = time.time() - (tokens.CONFIRM_MAX_AGE + timedelta(days=1)).total_seconds()
        with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
            token = links.confirm_token(registration)
    client = client_for(zoetermeer)
    for method in (client.get, client.post):
        response = method(f"/aanmelding/bevestigen/{token}/")
        assert response.status_code == 400
        assert link_error(zoetermeer, token) in response.content.decode()
    assert status_of(zoetermeer, registration) == "pending"


def test_a_link_of_zoetermeer_does_not_work_on_hilversums_host(zoetermeer, hilversum, pending):
    registration, token = pending
    client = client_for(hilversum)
    for url in (f"/aanmelding/bevestigen/{token}/", f"/aanmelding/{token}/"):
        assert client.get(url).status_code == 400
        assert client.post(url).status_code in (400, 405)
    assert status_of(zoetermeer, registration) == "pending"


def test_the_waiting_list_position_and_cancelling_promotes_the_first_waiting(
        zoetermeer, meetup):
    with tenant_context(zoetermeer):
        first = register(meetup)
        second = register(meetup, "Piet", "piet@example.org")
        third = register(meetup, "Anna", "anna@example.org")
        tokens_ = [links.confirm_token(r) for r in (first, second, third)]
        manage = links.manage_token(first)
    client = client_for(zoetermeer)
    for token in tokens_:
        assert client.post(f"/aanmelding/bevestigen/{token}/").status_code == 200
    assert [status_of(zoetermeer, r) for r in (first, second, third)] == [
        "confirmed", "waiting", "waiting"]
    with tenant_context(zoetermeer):
        assert links.waiting_position(Registration.objects.get(pk=third.pk)) == 2

    page = client.get(f"/aanmelding/{manage}/")
    assert page.status_code == 200
    assert_private(page)
    assert f"/aanmelding/{manage}/afmelden/".encode() in page.content
    response = client.get(f"/aanmelding/{manage}/afmelden/")  # the question, nothing more
    assert response.status_code == 200
    assert status_of(zoetermeer, first) == "confirmed"

    response = client.post(f"/aanmelding/{manage}/afmelden/")
    assert response.status_code == 200
    assert [status_of(zoetermeer, r) for r in (first, second, third)] == [
        "cancelled", "confirmed", "waiting"]
    response = client.post(f"/aanmelding/{manage}/afmelden/")  # used again
    assert response.status_code == 400
    assert [status_of(zoetermeer, r) for r in (first, second, third)] == [
        "cancelled", "confirmed", "waiting"]


def held(meetup, *registrations_present):
    Meetup.objects.filter(pk=meetup.pk).update(
        status=Meetup.Status.HELD, starts_at=timezone.now() - timedelta(days=1))
    Registration.objects.filter(pk__in=[r.pk for r in registrations_present]).update(
        attended=True)


def test_the_candidate_survey_opens_after_the_meetup(zoetermeer, meetup, pending):
    registration, token = pending
    client = client_for(zoetermeer)
    client.post(f"/aanmelding/bevestigen/{token}/")
    with tenant_context(zoetermeer):
        manage = links.manage_token(registration)
    url = f"/aanmelding/{manage}/enquete/"
    assert client.get(url).status_code == 400  # not yet
    with tenant_context(zoetermeer):
        held(meetup, registration)
    assert url.encode() in client.get(f"/aanmelding/{manage}/").content
    form = client.get(url)
    assert form.status_code == 200
    assert form.content.count(b"<fieldset") == 3
    assert b"<legend" in form.content and b'type="radio"' in form.content
    response = client.post(url, {"approach": "6"})
    assert response.status_code == 200 and b"werktop-error-summary" in response.content
    response = client.post(url, {"approach": "5", "relationship_manager": "4",
                                 "self_efficacy": "3", "comment": "Fijn gesprek"})
    assert response.status_code == 200
    with tenant_context(zoetermeer):
        answer = SurveyResponse.objects.get()
        assert (answer.approach, answer.relationship_manager, answer.self_efficacy,
                answer.comment) == (5, 4, 3, "Fijn gesprek")
    assert client.post(url, {"approach": "1"}).status_code == 400
    with tenant_context(zoetermeer):
        assert SurveyResponse.objects.get().approach == 5


def test_my_registrations_lists_them_with_their_manage_links(zoetermeer, alice, meetup,
                                                             pending):
    registration, _token = pending
    with tenant_context(zoetermeer):
        other = new_meetup(alice, title="Prettig gesprek in de logistiek")
        second = register(other)
        candidate = registration.candidate
        token = links.my_registrations_token(candidate)
        manage_urls = [links.manage_path(r) for r in (registration, second)]
        assert links.candidate_from_my_registrations_token(token) == candidate
    response = client_for(zoetermeer).get(f"/mijn-aanmeldingen/{token}/")
    assert response.status_code == 200
    assert_private(response)
    for url in manage_urls:
        assert url.encode() in response.content
    assert b"Prettig gesprek in de logistiek" in response.content
    with tenant_context(zoetermeer):
        type(candidate).objects.filter(pk=candidate.pk).update(email="nieuw@example.org")
    assert client_for(zoetermeer).get(f"/mijn-aanmeldingen/{token}/").status_code == 400


@pytest.fixture
def invitation(zoetermeer, alice):
    """An employer invited to a meetup whose date is still open, with two proposed dates."""
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        employer.contacts.create(name="Joke Bakker", email="joke@bakkerij.example")
        meetup = new_meetup(alice, publish=False, starts_at=None)
        soon = timezone.now() + timedelta(days=10)
        proposals = meetups.propose_dates(meetup.pk, [soon, soon + timedelta(days=1)], by=alice)
        participation = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)[0]
        return participation, proposals, links.employer_token(participation)


def participation_status(municipality, participation) -> str:
    with tenant_context(municipality):
        return MeetupEmployer.objects.get(pk=participation.pk).status


def test_an_employer_picks_dates_while_the_date_is_open(zoetermeer, alice, invitation):
    participation, proposals, token = invitation
    client = client_for(zoetermeer)
    url = f"/werkgever/uitnodiging/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert_private(page)
    assert page.content.count(b'type="checkbox"') == 2
    assert participation_status(zoetermeer, participation) == "invited"
    assert client.post(url, {"dates": [str(proposals[1].pk)]}).status_code == 200
    assert participation_status(zoetermeer, participation) == "confirmed"
    with tenant_context(zoetermeer):
        assert {a.proposed_date_id: a.suits for a in participation.date_answers.all()} == {
            proposals[0].pk: False, proposals[1].pk: True}
    response = client.post(url, {"dates": ["999999"]})  # not one of the proposals
    assert response.status_code == 200 and b"werktop-error-summary" in response.content
    assert participation_status(zoetermeer, participation) == "confirmed"
    assert client.post(url, {}).status_code == 200  # no date suits: cannot come
    assert participation_status(zoetermeer, participation) == "declined"
    forged = client.post(f"/werkgever/uitnodiging/{token[:-2]}xx/", {"dates": []})
    assert forged.status_code == 400


def test_an_employer_says_yes_once_the_date_is_set_and_fills_in_the_survey(
        zoetermeer, alice, invitation):
    participation, proposals, token = invitation
    with tenant_context(zoetermeer):
        meetups.choose_date(participation.meetup_id, proposals[0].pk, by=alice)
    client = client_for(zoetermeer)
    url = f"/werkgever/uitnodiging/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and page.content.count(b'type="radio"') == 2
    assert client.post(url, {"coming": "yes"}).status_code == 200
    assert participation_status(zoetermeer, participation) == "confirmed"
    survey = f"/werkgever/uitnodiging/{token}/enquete/"
    assert client.get(survey).status_code == 400  # before the meetup
    with tenant_context(zoetermeer):
        held(participation.meetup)
    assert survey.encode() in client.get(url).content
    assert client.post(url, {"coming": "no"}).status_code == 400  # too late to change
    assert participation_status(zoetermeer, participation) == "confirmed"
    form = client.get(survey)
    assert form.status_code == 200 and form.content.count(b"<fieldset") == 2
    assert client.post(survey, {"approach": "4", "relationship_manager": "5"}).status_code == 200
    assert client.post(survey, {"approach": "1"}).status_code == 400
    with tenant_context(zoetermeer):
        assert SurveyResponse.objects.get(participation=participation).approach == 4

"""Who sees which candidate of a meetup, on every page, export and answer of it.

The rule (docs/architecture.md, "Who sees what"): the organiser and coordinators see every
registered name and practical-needs note; another relationship manager sees them only for
candidates in their own portfolio, the others as an anonymous placeholder without a number
that could be looked up elsewhere; nobody outside the workspace sees any. Only the organiser
and coordinators change the table plan, and the service refuses everyone else.

The walk takes every URL pattern of `meetups.urls` and `tableplan.urls` from the resolver, so
a page added later is walked too: GET, a plain POST (following the redirect to the page with
its messages) and an htmx POST, for every role."""

import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, reverse
from django_tenants.utils import tenant_context

from accounts.roles import Role
from matching_events.meetups import urls as urls_meetups
from matching_events.models import Opportunity, TableSeat
from matching_events.services import accounts as account_services
from matching_events.services import meetups as meetup_services
from matching_events.services import outcomes, seating
from matching_events.services import registrations as registration_services
from matching_events.tableplan import urls as urls_tableplan
from tests.conftest import client_for, make_user
from tests.matching_events.conftest import new_meetup
from tests.matching_events.test_meetup_views import to_the_day
from tests.relations.conftest import logged_in, new_candidate, new_employer

PLACEHOLDER_WITH_NUMBER = re.compile(r"(Candidate no\.|Kandidaat nr\.)\s*\d+")


@dataclass
class World:
    meetup: object
    alices: list  # the organiser's candidates: (candidate, registration, needs note)
    bobs: list  # a colleague's candidate at the same meetup
    registrations: list
    participations: list
    opportunity: object
    users: dict


def secrets(rows) -> set[str]:
    """What must not be shown of these candidates: first and last name and the needs note."""
    found = set()
    for candidate, _registration, note in rows:
        found |= {candidate.first_name, candidate.last_name}
        if note:
            found.add(note)
    return found


@pytest.fixture
def world(zoetermeer, alice, bob, carol):
    """A meetup of alice on its day: three of her candidates (one on the waiting list), one of
    bob's, two employers; everyone checked in, a full table plan, two mutual yeses."""
    with tenant_context(zoetermeer):
        users = {
            "organiser": alice, "coordinator": carol, "colleague_with_candidates": bob,
            "colleague_without": make_user(zoetermeer, Role.RELATIONSHIP_MANAGER,
                                           "dave@zoetermeer.example"),
            "editor": make_user(zoetermeer, Role.EDITOR, "eddie@zoetermeer.example"),
            "employer_portal": make_user(zoetermeer, Role.EMPLOYER, "erik@bedrijf.example"),
            "candidate_portal": make_user(zoetermeer, Role.CANDIDATE, "kim@kandidaat.example"),
        }
        meetup = new_meetup(alice, capacity=3, duration_minutes=30, round_minutes=10)
        employers = [new_employer(alice, name=f"Werkgever {n}", kvk_number=f"4567890{n}",
                                  sector="Q") for n in range(2)]
        participations = meetup_services.invite_employers(
            meetup.pk, [e.pk for e in employers], by=alice)
        for row in participations:
            meetup_services.set_employer_status(row.pk, "confirmed", by=alice)
        opportunity = Opportunity.objects.create(employer=employers[0], title="Zorghulp",
                                                 status=Opportunity.Status.OPEN)

        def register(owner, first, last, note):
            candidate = new_candidate(owner, first_name=first, last_name=last,
                                      preferred_sectors=["Q"])
            registration = registration_services.invite_candidate(
                meetup.pk, candidate.pk, by=owner, needs=["accessibility"], needs_note=note)
            registration = registration_services.confirm_on_behalf(registration.pk, by=owner)
            return candidate, registration, note

        alices = [register(alice, "Annemarie", "Vlierboom", "Rolstoelnotitie Quokka"),
                  register(alice, "Cornelis", "Wilgenroos", "")]
        bobs = [register(bob, "Boudewijn", "Kastanje", "Gehoornotitie Okapi")]
        alices.append(register(alice, "Dirkje", "Waterlelie", "Wachtnotitie Tapir"))  # waits
        account_services.link_existing_users(
            employer_user=users["employer_portal"], employer=employers[0],
            candidate_user=users["candidate_portal"], candidate=alices[0][0])
        to_the_day(meetup)
        for _candidate, registration, _note in alices[:2] + bobs:
            outcomes.check_in(registration.pk, present=True, by=alice)
        for row in participations:
            outcomes.check_in_employer(row.pk, present=True, by=alice)
        seating.make_table_plan(meetup.pk, by=alice)
        for candidate in (alices[0][0], bobs[0][0]):
            outcomes.record_outcome(meetup.pk, employer_id=employers[0].pk,
                                    candidate_id=candidate.pk, employer_says="yes",
                                    candidate_says="yes", by=alice)
        registrations = [r for _c, r, _n in alices + bobs]
        return World(meetup, alices, bobs, registrations, participations, opportunity, users)


FORBIDDEN = {  # role: whose candidates must stay unnamed
    "organiser": (),
    "coordinator": (),
    "colleague_with_candidates": ("alices",),
    "colleague_without": ("alices", "bobs"),
    "editor": ("alices", "bobs"),
    "employer_portal": ("alices", "bobs"),
    "candidate_portal": ("alices", "bobs"),
    "anonymous": ("alices", "bobs"),
}


def meetup_patterns() -> list[URLPattern]:
    return [p for p in urls_meetups.urlpatterns + urls_tableplan.urlpatterns
            if isinstance(p, URLPattern)]


def urls_of(pattern: URLPattern, world: World) -> list[str]:
    """Every way to fill the pattern's parameters with the objects of the world."""
    arguments = set(pattern.pattern.converters)
    choices: dict[str, list[int]] = {"pk": [world.meetup.pk],
                                     "registration": [r.pk for r in world.registrations],
                                     "participation": [p.pk for p in world.participations]}
    if pattern.name == "candidate_suggestions":
        choices["pk"] = [c.pk for c, _r, _n in world.alices + world.bobs]
    elif pattern.name == "opportunity_suggestions":
        choices["pk"] = [world.opportunity.pk]
    combinations: list[dict[str, int]] = [{}]
    for name in sorted(arguments):
        combinations = [{**c, name: value} for c in combinations for value in choices[name]]
    return [reverse(f"matching_events:{pattern.name}", kwargs=c) for c in combinations]


def test_the_walk_covers_the_pages_that_name_candidates():
    names = {p.name for p in meetup_patterns()}
    assert {"meetup_detail", "meetup_candidates", "meetup_check_in", "check_in_candidate",
            "meetup_conversations", "tableplan", "tableplan_pdf", "tableplan_seat"} <= names


@pytest.mark.parametrize("role", sorted(FORBIDDEN))
def test_no_page_of_a_meetup_names_a_candidate_outside_the_users_view(
        zoetermeer, world, role, monkeypatch):
    # The PDF is the HTML that feeds WeasyPrint: test that text (no PDF text extractor here).
    monkeypatch.setattr(seating, "html_to_pdf", lambda html: html.encode())
    hidden = set()
    for group in FORBIDDEN[role]:
        hidden |= secrets(getattr(world, group))
    user = world.users.get(role)
    client = logged_in(zoetermeer, user) if user else client_for(zoetermeer)
    for pattern in meetup_patterns():
        for url in urls_of(pattern, world):
            answers = [("GET", client.get(url, follow=True)),
                       ("POST", client.post(url, follow=True)),
                       ("htmx POST", client.post(url, HTTP_HX_REQUEST="true"))]
            for method, response in answers:
                assert response.status_code < 500, (method, url)
                text = response.content.decode(errors="replace")
                shown = {secret for secret in hidden if secret in text}
                assert not shown, f"{role} {method} {url} shows {shown}"
                if FORBIDDEN[role]:
                    assert not PLACEHOLDER_WITH_NUMBER.search(text), (role, method, url)


def test_the_organiser_sees_every_name_and_note_and_a_colleague_only_their_own(
        zoetermeer, world, monkeypatch):
    monkeypatch.setattr(seating, "html_to_pdf", lambda html: html.encode())
    pk = world.meetup.pk
    pages = [f"/werkplek/bijeenkomsten/{pk}/{page}"
             for page in ("", "kandidaten/", "aanmelden/", "gesprekken/", "tafelindeling/")]
    pages.append(f"/werkplek/bijeenkomsten/{pk}/tafelindeling.pdf")
    organiser, colleague = logged_in(zoetermeer, world.users["organiser"]), logged_in(
        zoetermeer, world.users["colleague_with_candidates"])
    for page in pages:
        assert "Vlierboom" in organiser.get(page).content.decode(), page
        assert "Kastanje" in colleague.get(page).content.decode(), page
    assert "Rolstoelnotitie Quokka" in organiser.get(pages[1]).content.decode()
    assert "Gehoornotitie Okapi" in colleague.get(pages[1]).content.decode()


# --- the table plan service -----------------------------------------------------------------

def test_only_the_organiser_and_coordinators_change_the_table_plan(zoetermeer, world):
    with tenant_context(zoetermeer):
        meetup, users = world.meetup, world.users
        seat = TableSeat.objects.filter(meetup=meetup, round_no=1).order_by("employer_id")[0]
        before = sorted(TableSeat.objects.filter(meetup=meetup).values_list(
            "round_no", "employer_id", "candidate_id"))
        outside, own = world.alices[1][0], world.bobs[0][0]
        for user in (users["colleague_with_candidates"], users["colleague_without"],
                     users["editor"]):
            for candidate in (outside, own, None):
                with pytest.raises(PermissionDenied):
                    seating.set_seat(meetup.pk, round_no=1, employer_id=seat.employer_id,
                                     candidate_id=candidate.pk if candidate else None, by=user)
            with pytest.raises(PermissionDenied):
                seating.make_table_plan(meetup.pk, by=user)
        assert sorted(TableSeat.objects.filter(meetup=meetup).values_list(
            "round_no", "employer_id", "candidate_id")) == before
        seating.make_table_plan(meetup.pk, by=users["coordinator"])
        seating.set_seat(meetup.pk, round_no=1, employer_id=seat.employer_id,
                         candidate_id=None, by=users["coordinator"])


def test_a_colleague_cannot_seat_through_the_view(zoetermeer, world):
    seat_url = f"/werkplek/bijeenkomsten/{world.meetup.pk}/tafelindeling/plaats/"
    with tenant_context(zoetermeer):
        before = sorted(TableSeat.objects.filter(meetup=world.meetup).values_list(
            "round_no", "employer_id", "candidate_id"))
        employer_id = world.participations[0].employer_id
    client = logged_in(zoetermeer, world.users["colleague_with_candidates"])
    assert client.post(seat_url.replace("plaats/", "maken/")).status_code == 403
    for candidate_id in [c.pk for c, _r, _n in world.alices + world.bobs] + [""]:
        for round_no in (1, 2, 3):  # "": empty the table, which would remove anyone's seat
            client.post(seat_url, {"round_no": round_no, "employer_id": employer_id,
                                   "candidate_id": candidate_id})
    with tenant_context(zoetermeer):
        assert sorted(TableSeat.objects.filter(meetup=world.meetup).values_list(
            "round_no", "employer_id", "candidate_id")) == before


def test_checking_in_or_recording_a_candidate_outside_the_view_is_refused(zoetermeer, world):
    with tenant_context(zoetermeer):
        bob = world.users["colleague_with_candidates"]
        outside = world.alices[0]
        with pytest.raises((PermissionDenied, ValidationError)):
            outcomes.check_in(outside[1].pk, present=False, by=bob)
        with pytest.raises((PermissionDenied, ValidationError)):
            outcomes.record_outcome(
                world.meetup.pk, employer_id=world.participations[1].employer_id,
                candidate_id=outside[0].pk, employer_says="no", candidate_says="no", by=bob)
        own = world.bobs[0]
        assert outcomes.check_in(own[1].pk, present=True, by=bob).attended is True

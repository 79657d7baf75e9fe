"""The portal's meetup pages (overview, a meetup with its registration form, "check your
e-mail") and the opportunities overview: only what is public, only this municipality's,
registering through the page, anti-spam, escaping, the page cache and query budgets."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from accounts.roles import Role
from cms import meetup_pages
from cms.caching import CACHE_HEADER
from matching_events.models import Meetup, Opportunity, Registration
from matching_events.services import meetups, opportunities, registrations
from relations.models import Candidate
from tests.conftest import client_for, make_user, query_budget
from tests.matching_events.conftest import confirmed_registration, new_meetup
from tests.relations.conftest import logged_in, new_candidate, new_employer

INDEX = "/bijeenkomsten/"
PERSON = {"first_name": "Samira", "last_name": "Bouzid", "email": "samira@example.org",
          "phone": "", "interests": "", "needs_note": ""}


def dutch(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def detail(meetup: Meetup) -> str:
    return f"{INDEX}{meetup.pk}/"


def stored() -> tuple[int, int]:
    """(registrations, candidates) of the current schema."""
    return Registration.objects.count(), Candidate.objects.count()


@pytest.fixture
def alice(zoetermeer):
    """A relationship manager of Zoetermeer, who organises the meetups."""
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")


@pytest.fixture
def meetup(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_meetup(alice, title="Prettig gesprek in de zorg", location_name="Stadhuis",
                          accessibility_notes="Drempelvrije ingang en een lift.")


@pytest.fixture
def full_meetup(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, title="Gesprek in de logistiek", capacity=1, days_ahead=3)
        candidate = new_candidate(alice, email="kees@example.org", first_name="Kees")
        confirmed_registration(meetup, candidate, alice)
        meetup.refresh_from_db()
        assert meetup.status == Meetup.Status.FULL
        return meetup


def register(client, meetup: Meetup, **changes):
    return client.post(detail(meetup), {**PERSON, **changes})


# --- the overview and the meetup page ----------------------------------------------------

def test_the_overview_lists_only_upcoming_public_meetups_of_this_municipality(
        zoetermeer, hilversum, alice, meetup, full_meetup):
    with tenant_context(zoetermeer):
        new_meetup(alice, title="Nog een concept", publish=False)
        cancelled = new_meetup(alice, title="Afgelaste bijeenkomst")
        meetups.cancel_meetup(cancelled.pk, by=alice)
        past = new_meetup(alice, title="Bijeenkomst van vorige week")
        Meetup.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=7))
        online = new_meetup(alice, title="Online kennismaking", address="", days_ahead=20,
                            online_link="https://meet.example.org/zoetermeer")
    page = client_for(zoetermeer).get(INDEX).content.decode()
    assert "Prettig gesprek in de zorg" in page and "Stadhuis" in page
    assert "concept" not in page and "Afgelaste" not in page and "vorige week" not in page
    # soonest first: the full one (3 days), the one in a week, the online one (20 days)
    assert (page.index("Gesprek in de logistiek") < page.index("Prettig gesprek in de zorg")
            < page.index("Online kennismaking"))
    assert page.count(dutch("full — waiting list")) == 1
    assert dutch("online") in page and "meet.example.org" not in page
    assert f'href="{detail(online)}"' in page
    start = timezone.localtime(meetup.starts_at, timezone.get_default_timezone())
    assert f"{start:%H:%M}" in page  # Europe/Amsterdam

    hilversum_client = client_for(hilversum)
    assert "Prettig gesprek in de zorg" not in hilversum_client.get(INDEX).content.decode()
    assert hilversum_client.get(detail(meetup)).status_code == 404


def test_a_meetup_page_shows_the_meetup_and_only_confirmed_employer_names(
        zoetermeer, alice, meetup):
    with tenant_context(zoetermeer):
        coming = new_employer(alice, name="Zorggroep Het Baken", kvk_number="12345678",
                              contacts=[{"name": "Anja de Vries", "email": "anja@baken.example",
                                         "phone": "079 123 4567"}])
        invited = new_employer(alice, name="Thuiszorg De Linde", kvk_number="87654321")
        for participation in meetups.invite_employers(meetup.pk, [coming.pk, invited.pk],
                                                      by=alice):
            if participation.employer_id == coming.pk:
                meetups.set_employer_status(participation.pk, "confirmed", by=alice)
    response = client_for(zoetermeer).get(detail(meetup))
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<h1") == 1
    assert "Prettig gesprek in de zorg" in page and "Drempelvrije ingang" in page
    assert "Zorggroep Het Baken" in page
    assert "Thuiszorg De Linde" not in page
    assert "Anja" not in page and "anja@baken.example" not in page and "079 123" not in page
    assert 'autocomplete="given-name"' in page and 'autocomplete="family-name"' in page
    assert 'autocomplete="email"' in page and 'autocomplete="tel"' in page
    assert "<fieldset" in page and "<legend" in page
    assert f'rel="canonical" href="http://{zoetermeer.get_primary_domain().domain}' \
           f'{detail(meetup)}"' in page


@pytest.mark.parametrize("state", ["draft", "cancelled", "past", "held", "missing"])
def test_only_upcoming_published_meetups_have_a_page(zoetermeer, alice, state):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, publish=state != "draft")
        if state == "cancelled":
            meetups.cancel_meetup(meetup.pk, by=alice)
        elif state in ("past", "held"):
            Meetup.objects.filter(pk=meetup.pk).update(
                starts_at=timezone.now() - timedelta(hours=3))
            if state == "held":
                meetups.mark_held(meetup.pk, by=alice)
        pk = meetup.pk + 1000 if state == "missing" else meetup.pk
    client = client_for(zoetermeer)
    assert client.get(f"{INDEX}{pk}/").status_code == 404
    assert client.post(f"{INDEX}{pk}/", PERSON).status_code == 404
    assert client.get(f"{INDEX}{pk}/aangemeld/").status_code == 404


def test_after_the_registration_deadline_the_page_has_no_form(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, registration_deadline=timezone.now() + timedelta(days=1))
        Meetup.objects.filter(pk=meetup.pk).update(
            registration_deadline=timezone.now() - timedelta(hours=1))
    client = client_for(zoetermeer)
    page = client.get(detail(meetup)).content.decode()
    assert "<form method=\"post\" class=\"werktop-form\"" not in page
    assert dutch("Registration closed on %(deadline)s.").split("%")[0] in page
    assert register(client, meetup).status_code == 400
    with tenant_context(zoetermeer):
        assert stored() == (0, 0)


# --- registering -------------------------------------------------------------------------

def test_registering_makes_a_pending_registration_and_sends_the_confirmation_mail(
        zoetermeer, meetup, django_capture_on_commit_callbacks):
    client = client_for(zoetermeer)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, meetup, phone="06 12345678", interests="Koken",
                            needs=["childcare", "transport"], needs_note="Twee kinderen")
    assert response.status_code == 302
    assert response["Location"] == f"{detail(meetup)}aangemeld/"
    with tenant_context(zoetermeer):
        registration = Registration.objects.select_related("candidate").get()
    assert registration.status == Registration.Status.PENDING
    assert registration.source == Registration.Source.PORTAL
    assert registration.needs == ["childcare", "transport"]
    assert registration.needs_note == "Twee kinderen" and registration.interests == "Koken"
    assert registration.candidate.email == "samira@example.org"
    assert [message.to for message in mail.outbox] == [["samira@example.org"]]

    done = client.get(response["Location"])
    assert done.status_code == 200
    assert dutch("Check your e-mail") in done.content.decode()
    assert "samira" not in done.content.decode().lower()  # no personal data on it


def test_registering_again_shows_the_same_page_and_sends_nothing_new(
        zoetermeer, meetup, django_capture_on_commit_callbacks):
    client = client_for(zoetermeer)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(client, meetup)
    with django_capture_on_commit_callbacks(execute=True):
        second = register(client, meetup, first_name="Iemand", last_name="Anders")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1
    with tenant_context(zoetermeer):
        assert stored() == (1, 1)


def test_a_full_meetup_asks_for_the_waiting_list(zoetermeer, full_meetup,
                                                 django_capture_on_commit_callbacks):
    client = client_for(zoetermeer)
    assert dutch("full — waiting list") in client.get(INDEX).content.decode()
    page = client.get(detail(full_meetup)).content.decode()
    assert 'name="waiting_list"' in page
    with tenant_context(zoetermeer):
        before = stored()
    refused = register(client, full_meetup)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert dutch("This meetup is full. You can join the waiting list: you get a place as soon "
                 "as someone cancels.") in text
    assert 'href="#id_waiting_list"' in text and 'value="Samira"' in text
    with tenant_context(zoetermeer):
        assert stored() == before
    with django_capture_on_commit_callbacks(execute=True):
        accepted = register(client, full_meetup, waiting_list="on")
    assert accepted.status_code == 302
    with tenant_context(zoetermeer):
        assert Registration.objects.get(candidate__email="samira@example.org").status == (
            Registration.Status.PENDING)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "geen-adres"}, "email", "Fill in a valid e-mail address, like naam@voorbeeld.nl."),
    ({"first_name": "x" * 101}, "first_name", "A name can be at most %(max)d characters."),
    ({"needs_note": "x" * 501}, "needs_note", "Keep it short: at most 500 characters."),
    ({"first_name": "", "last_name": "", "email": ""}, "first_name", "Fill in your first name."),
    ({"needs": ["medical"]}, "needs", "Choose the practical needs from the list."),
])
def test_a_mistake_is_explained_in_dutch_and_nothing_is_stored(
        zoetermeer, meetup, changes, field, message):
    response = register(client_for(zoetermeer), meetup, interests="Buiten werken", **changes)
    assert response.status_code == 200
    page = response.content.decode()
    expected = dutch(message) % {"max": 100} if "%(max)d" in message else dutch(message)
    assert expected in page
    assert f'id="id_{field}_error"' in page  # next to the field ...
    assert 'class="werktop-error-summary"' in page  # ... and summed up on top
    anchor = f"id_{field}_0" if field == "needs" else f"id_{field}"
    assert f'href="#{anchor}"' in page
    assert "Buiten werken" in page  # what was typed is kept
    with tenant_context(zoetermeer):
        assert stored() == (0, 0)
    assert mail.outbox == []


def test_a_filled_honeypot_stores_nothing(zoetermeer, meetup):
    response = register(client_for(zoetermeer), meetup, homepage="https://spam.example")
    assert response.status_code == 200
    assert dutch("We could not process this form. Please try again, or contact the "
                 "municipality.") in response.content.decode()
    with tenant_context(zoetermeer):
        assert stored() == (0, 0)


def test_too_many_posts_from_one_address_get_429(zoetermeer, hilversum, meetup, monkeypatch):
    monkeypatch.setattr(meetup_pages, "REGISTRATION_RATE", "3/h")
    client = client_for(zoetermeer)
    for _ in range(3):
        assert register(client, meetup, email="fout").status_code == 200
    blocked = register(client, meetup)
    assert blocked.status_code == 429 and blocked["Retry-After"]
    with tenant_context(zoetermeer):
        assert stored() == (0, 0)
    assert client.get(detail(meetup)).status_code == 200  # reading is not limited


def test_html_typed_in_the_form_is_stored_as_text_and_escaped_everywhere(
        zoetermeer, alice, meetup, django_capture_on_commit_callbacks):
    script = "<script>alert('x')</script>"
    client = client_for(zoetermeer)
    again = register(client, meetup, first_name=script, email="fout").content.decode()
    assert script not in again and "&lt;script&gt;" in again
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, meetup, first_name=script, interests=script)
    assert response.status_code == 302
    assert script not in client.get(response["Location"]).content.decode()
    with tenant_context(zoetermeer):
        assert Registration.objects.get().candidate.first_name == script
    workspace = logged_in(zoetermeer, alice).get(
        f"/werkplek/bijeenkomsten/{meetup.pk}/kandidaten/").content.decode()
    assert script not in workspace and "&lt;script&gt;" in workspace


# --- the page cache ----------------------------------------------------------------------

def test_the_overview_cache_is_purged_when_a_meetup_is_published_or_cancelled(
        zoetermeer, alice, meetup):
    client = client_for(zoetermeer)
    with tenant_context(zoetermeer):
        draft = new_meetup(alice, title="Binnenkort bekend", publish=False)
    assert client.get(INDEX)[CACHE_HEADER] == "miss"
    assert client.get(INDEX)[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        meetups.publish_meetup(draft.pk, by=alice)
    response = client.get(INDEX)
    assert response[CACHE_HEADER] == "miss" and "Binnenkort bekend" in response.content.decode()
    assert client.get(INDEX)[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        meetups.cancel_meetup(draft.pk, by=alice)
    response = client.get(INDEX)
    assert response[CACHE_HEADER] == "miss"
    assert "Binnenkort bekend" not in response.content.decode()
    # A registration alone (no change of the meetup) keeps the cached pages.
    assert client.get(INDEX)[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        registrations.register_for_meetup(meetup.pk, **PERSON)
    assert client.get(INDEX)[CACHE_HEADER] == "hit"


def test_a_meetup_page_with_its_form_is_never_cached(zoetermeer, meetup):
    client = client_for(zoetermeer)
    for _ in range(2):
        response = client.get(detail(meetup))
        assert response[CACHE_HEADER] == "miss" and "csrfmiddlewaretoken" in (
            response.content.decode())


def test_the_opportunities_cache_is_purged_when_an_opportunity_changes(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
    client = client_for(zoetermeer)
    client.get("/kansen/")
    assert client.get("/kansen/")[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        opportunities.create_opportunity(employer.pk, by=alice, title="Bakker in opleiding",
                                         publish_on_portal=True)
    response = client.get("/kansen/")
    assert response[CACHE_HEADER] == "miss" and "Bakker in opleiding" in response.content.decode()


# --- opportunities -----------------------------------------------------------------------

def test_the_opportunities_overview_shows_open_published_ones_by_kind(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice, name="Bakkerij De Korenschoof", contacts=[
            {"name": "Piet Bakker", "email": "piet@korenschoof.example", "phone": "0791112222"}])
        create = opportunities.create_opportunity
        create(employer.pk, by=alice, title="Broodbakker", kind="job", hours_per_week=32,
               location="Zoetermeer-centrum", start_date=timezone.localdate(),
               publish_on_portal=True)
        create(employer.pk, by=alice, title="Winkelhulp", kind="work_experience",
               publish_on_portal=True)
        create(employer.pk, by=alice, title="Niet publiceren", publish_on_portal=False)
        create(employer.pk, by=alice, title="Concept kans", status="draft",
               publish_on_portal=True)
        create(employer.pk, by=alice, title="Al vervuld", status="filled",
               publish_on_portal=True)
    page = client_for(zoetermeer).get("/kansen/").content.decode()
    assert "Broodbakker" in page and "Winkelhulp" in page
    assert "Niet publiceren" not in page and "Concept kans" not in page
    assert "Al vervuld" not in page
    assert "Bakkerij De Korenschoof" in page and "Zoetermeer-centrum" in page and "32" in page
    assert "Piet" not in page and "korenschoof.example" not in page and "0791112222" not in page
    assert page.index(dutch("regular job").capitalize()) < page.index("Broodbakker")
    assert page.index(dutch("work-experience place").capitalize()) < page.index("Winkelhulp")
    assert 'href="/doe-mee-als-ondernemer/"' in page  # employers sign up there


# --- query budgets -----------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 8])
def test_the_meetup_pages_stay_within_their_query_budget(zoetermeer, alice, settings, count):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with tenant_context(zoetermeer):
        made = [new_meetup(alice, title=f"Bijeenkomst {n}", days_ahead=n + 1)
                for n in range(count)]
        employers = [new_employer(alice, name=f"Werkgever {n}", kvk_number=f"1000000{n}")
                     for n in range(count)]
        for participation in meetups.invite_employers(made[0].pk, [e.pk for e in employers],
                                                      by=alice):
            meetups.set_employer_status(participation.pk, "confirmed", by=alice)
    client = client_for(zoetermeer)
    client.get(INDEX)  # warm per-process caches (site root paths, content types)
    with query_budget(10):
        page = client.get(INDEX).content.decode()
    assert page.count('class="werktop-card"') == count
    with query_budget(10):
        assert client.get(detail(made[0])).status_code == 200
    with query_budget(10):
        assert client.get(f"{detail(made[0])}aangemeld/").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_the_opportunities_overview_stays_within_its_query_budget(
        zoetermeer, alice, settings, count):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with tenant_context(zoetermeer):
        for n in range(count):
            employer = new_employer(alice, name=f"Werkgever {n}", kvk_number=f"2000000{n}")
            opportunities.create_opportunity(
                employer.pk, by=alice, title=f"Kans {n}", publish_on_portal=True,
                kind=Opportunity.Kind.values[n % 4])
    client = client_for(zoetermeer)
    client.get("/kansen/")
    with query_budget(10):
        page = client.get("/kansen/").content.decode()
    assert page.count('class="werktop-card"') == count


def test_the_home_page_shows_the_next_three_meetups_within_budget(zoetermeer, alice, hilversum):
    with tenant_context(zoetermeer):
        made = [new_meetup(alice, title=f"Gesprek {i}", days_ahead=2 + i) for i in range(5)]
        new_meetup(alice, title="Nog een concept", publish=False)
    client = client_for(zoetermeer)
    client.get("/")  # warm up
    with query_budget(10):
        body = client.get("/").content.decode()
    assert [f'href="{INDEX}{m.pk}/"' in body for m in made] == [True] * 3 + [False] * 2
    assert "Nog een concept" not in body
    assert "Gesprek 0" not in client_for(hilversum).get("/").content.decode()

"""The meetup pages of the workspace: every page renders, bad input gets a Dutch message and
stores nothing, every write goes through a service, portfolios and municipalities stay apart,
the lists stay within their query budget. (E-mails go out after commit: not run here.)"""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from matching_events.models import MatchLead, Meetup, MeetupEmployer, Registration
from matching_events.services import meetups as meetup_services
from matching_events.services import registrations as registration_services
from tests.conftest import client_for, query_budget
from tests.matching_events.conftest import (
    confirmed_registration,
    logged_in,
    new_candidate,
    new_employer,
    new_meetup,
)

BASE = "/werkplek/bijeenkomsten/"
FORM = {"title": "Prettig gesprek techniek", "theme": "Techniek", "starts_at": "",
        "duration_minutes": "90", "round_minutes": "10", "capacity": "12",
        "address": "Markt 1, 2711 CA Zoetermeer"}
PAGES = ["", "bewerken/", "data/", "werkgevers/", "kandidaten/", "publiceren/", "annuleren/",
         "afgerond/", "aanmelden/", "gesprekken/", "enquete/"]


def dutch(message: str) -> str:
    """The message as the page shows it (Dutch once the translations are compiled)."""
    with translation.override("nl"):
        return gettext(message)


def future(days: int = 30, hour: int = 10) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def to_the_day(meetup: Meetup) -> None:
    """The meetup started an hour ago (set directly: no service moves a meetup into the past)."""
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def meetup(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_meetup(alice)


def test_anonymous_users_are_sent_to_the_login_page(zoetermeer, meetup):
    for path in (BASE, f"{BASE}{meetup.pk}/", f"{BASE}enquetes/"):
        response = client_for(zoetermeer).get(path)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_a_meetup_renders(zoetermeer, alice, meetup, page):
    response = logged_in(zoetermeer, alice).get(f"{BASE}{meetup.pk}/{page}")
    assert response.status_code == 200
    assert meetup.title in response.content.decode()


def test_the_list_the_new_form_and_the_survey_period_render(zoetermeer, alice, meetup):
    client = logged_in(zoetermeer, alice)
    for path in (BASE, f"{BASE}?status=published", f"{BASE}?status=nonsense", f"{BASE}nieuw/",
                 f"{BASE}enquetes/", f"{BASE}enquetes/?start=2026-01-01&end=2026-12-31"):
        assert client.get(path).status_code == 200, path
    response = client.get(f"{BASE}enquetes/?start=2026-12-31&end=2026-01-01")
    assert response.status_code == 200
    assert 'id="id_end_error"' in response.content.decode()


def test_a_meetup_is_created_as_a_draft_with_an_amsterdam_time(zoetermeer, alice):
    response = logged_in(zoetermeer, alice).post(f"{BASE}nieuw/", {
        **FORM, "starts_at": "2031-03-15T10:00"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        meetup = Meetup.objects.get()
        assert (meetup.status, meetup.organiser) == ("draft", alice)
        assert meetup.starts_at.utcoffset() is not None
        assert timezone.localtime(meetup.starts_at).hour == 10
        assert meetup.starts_at.astimezone(UTC).hour == 9  # CET is UTC+1 in March


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"starts_at": "2020-01-01T10:00"}, "starts_at", "Choose a date and time in the future."),
    ({"starts_at": "15-03-2031 25:00"}, "starts_at",
     "Fill in a date and time, like 15-03-2027 10:00."),
    ({"title": ""}, "title", "This field is required."),
    ({"capacity": "0"}, "capacity", None),
    ({"round_minutes": "60", "duration_minutes": "30"}, "round_minutes",
     "One conversation cannot take longer than the meetup."),
])
def test_bad_input_on_create_is_explained_and_nothing_is_stored(zoetermeer, alice, changes,
                                                                field, message):
    response = logged_in(zoetermeer, alice).post(f"{BASE}nieuw/", {**FORM, **changes})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in body
    if message:
        assert dutch(message) in body
    assert "Prettig gesprek techniek" in body or field == "title"  # input kept
    with tenant_context(zoetermeer):
        assert not Meetup.objects.exists()


def test_capacity_below_the_confirmed_number_is_refused_and_nothing_changes(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, capacity=3)
        for name in ("Ana", "Bram"):
            confirmed_registration(meetup, new_candidate(alice, first_name=name), alice)
        starts_at = timezone.localtime(meetup.starts_at).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(zoetermeer, alice).post(f"{BASE}{meetup.pk}/bewerken/", {
        **FORM, "title": "Nieuwe titel", "starts_at": starts_at, "capacity": "1"})
    assert response.status_code == 200
    assert 'id="id_capacity_error"' in response.content.decode()
    assert "Nieuwe titel" in response.content.decode()
    with tenant_context(zoetermeer):
        meetup.refresh_from_db()
        assert (meetup.capacity, meetup.title) == (3, "Prettig gesprek in de zorg")


def test_an_edit_is_saved(zoetermeer, alice, meetup):
    with tenant_context(zoetermeer):
        starts_at = timezone.localtime(meetup.starts_at).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(zoetermeer, alice).post(f"{BASE}{meetup.pk}/bewerken/", {
        **FORM, "starts_at": starts_at, "capacity": "20"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        meetup.refresh_from_db()
        assert (meetup.capacity, meetup.title) == (20, "Prettig gesprek techniek")


def test_publish_cancel_and_held(zoetermeer, alice):
    with tenant_context(zoetermeer):
        draft = new_meetup(alice, publish=False)
        undated = new_meetup(alice, publish=False, starts_at=None)
        other = new_meetup(alice)
    client = logged_in(zoetermeer, alice)
    assert client.post(f"{BASE}{draft.pk}/publiceren/").status_code == 302
    response = client.post(f"{BASE}{undated.pk}/publiceren/")
    assert response.status_code == 200
    assert dutch("Choose the date before publishing.") in response.content.decode()
    # Cancelling needs the tick in the box.
    response = client.post(f"{BASE}{draft.pk}/annuleren/", {"reason": "Te weinig animo"})
    assert response.status_code == 200
    assert 'id="id_confirm_error"' in response.content.decode()
    assert client.post(f"{BASE}{draft.pk}/annuleren/", {"confirm": "on"}).status_code == 302
    # Held: not before it started.
    response = client.post(f"{BASE}{other.pk}/afgerond/")
    assert dutch("The meetup has not started yet.") in response.content.decode()
    with tenant_context(zoetermeer):
        to_the_day(other)
    assert client.post(f"{BASE}{other.pk}/afgerond/").status_code == 302
    with tenant_context(zoetermeer):
        statuses = dict(Meetup.objects.values_list("pk", "status"))
    assert statuses == {draft.pk: "cancelled", undated.pk: "draft", other.pk: "held"}


def test_dates_are_proposed_and_chosen(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, publish=False, starts_at=None)
    client = logged_in(zoetermeer, alice)
    response = client.post(f"{BASE}{meetup.pk}/data/", {"date_1": future(20)})
    assert dutch("Propose two to four different dates.") in response.content.decode()
    response = client.post(f"{BASE}{meetup.pk}/data/", {"date_1": future(20),
                                                         "date_2": future(21)})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        proposal = meetup.proposed_dates.order_by("starts_at").first()
    response = client.post(f"{BASE}{meetup.pk}/data/kiezen/", {"proposal": proposal.pk})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        meetup.refresh_from_db()
        assert meetup.starts_at == proposal.starts_at
    assert client.post(f"{BASE}{meetup.pk}/data/kiezen/", {"proposal": "x"}).status_code == 302


def test_employers_are_invited_and_their_answer_recorded(zoetermeer, alice, meetup):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
    client = logged_in(zoetermeer, alice)
    response = client.post(f"{BASE}{meetup.pk}/werkgevers/", {"employers": [employer.pk]})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        row = MeetupEmployer.objects.get()
    response = client.post(f"{BASE}{meetup.pk}/werkgevers/{row.pk}/antwoord/",
                           {"status": "confirmed"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        assert MeetupEmployer.objects.get().status == "confirmed"
    response = client.post(f"{BASE}{meetup.pk}/werkgevers/", {"employers": [employer.pk]})
    assert response.status_code == 200  # already invited: no longer a choice
    assert 'id="id_employers_error"' in response.content.decode()


def test_only_candidates_the_user_may_see_can_be_invited(zoetermeer, alice, bob, meetup):
    with tenant_context(zoetermeer):
        mine = new_candidate(alice)
        not_mine = new_candidate(bob, first_name="Piet")
    client = logged_in(zoetermeer, alice)
    response = client.post(f"{BASE}{meetup.pk}/kandidaten/", {"candidate": not_mine.pk})
    assert response.status_code == 200
    assert 'id="id_candidate_error"' in response.content.decode()
    assert "Piet" not in response.content.decode()
    with tenant_context(zoetermeer):
        assert not Registration.objects.exists()
    response = client.post(f"{BASE}{meetup.pk}/kandidaten/", {
        "candidate": mine.pk, "needs": ["childcare"], "needs_note": "Tot 15 uur"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        registration = Registration.objects.get()
        assert (registration.candidate, registration.needs) == (mine, ["childcare"])
    page = client.get(f"{BASE}{meetup.pk}/kandidaten/").content.decode()
    assert dutch("childcare") in page and "Tot 15 uur" in page
    assert client.post(f"{BASE}{meetup.pk}/kandidaten/{registration.pk}/bevestigen/"
                       ).status_code == 302
    with tenant_context(zoetermeer):
        assert Registration.objects.get().status == "confirmed"
    assert client.post(f"{BASE}{meetup.pk}/kandidaten/{registration.pk}/afmelden/"
                       ).status_code == 302
    with tenant_context(zoetermeer):
        assert Registration.objects.get().status == "cancelled"


def test_the_waiting_list_is_shown_in_order(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, capacity=1)
        for name in ("Ana", "Bram", "Cees"):
            confirmed_registration(meetup, new_candidate(alice, first_name=name), alice)
    page = logged_in(zoetermeer, alice).get(f"{BASE}{meetup.pk}/kandidaten/").content.decode()
    assert page.index("Bram") < page.index("Cees")
    assert page.index("Ana") < page.index("Bram")


def test_a_registration_of_another_meetup_is_a_404(zoetermeer, alice, meetup):
    with tenant_context(zoetermeer):
        other = new_meetup(alice, title="Ander gesprek")
        registration = confirmed_registration(other, new_candidate(alice), alice)
    client = logged_in(zoetermeer, alice)
    for action in ("bevestigen", "afmelden"):
        url = f"{BASE}{meetup.pk}/kandidaten/{registration.pk}/{action}/"
        assert client.post(url).status_code == 404
    assert client.post(f"{BASE}{meetup.pk}/aanmelden/kandidaten/{registration.pk}/",
                       {"present": "1"}).status_code == 404
    with tenant_context(zoetermeer):
        assert Registration.objects.get().status == "confirmed"


def test_names_outside_the_portfolio_are_hidden_from_colleagues(zoetermeer, alice, bob, meetup):
    with tenant_context(zoetermeer):
        confirmed_registration(meetup, new_candidate(alice, first_name="Zoë"), alice)
    assert "Zoë" in logged_in(zoetermeer, alice).get(f"{BASE}{meetup.pk}/").content.decode()
    assert "Zoë" not in logged_in(zoetermeer, bob).get(f"{BASE}{meetup.pk}/").content.decode()


@pytest.fixture
def meetup_day(zoetermeer, alice):
    """A meetup that started an hour ago, with two confirmed candidates and an employer."""
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        present = confirmed_registration(meetup, new_candidate(alice, first_name="Ana"), alice)
        absent = confirmed_registration(meetup, new_candidate(alice, first_name="Bram"), alice)
        employer = new_employer(alice)
        [row] = meetup_services.invite_employers(meetup.pk, [employer.pk], by=alice)
        meetup_services.set_employer_status(row.pk, "confirmed", by=alice)
        to_the_day(meetup)
    return meetup, present, absent, row


def test_check_in_through_the_page_with_and_without_htmx(zoetermeer, alice, meetup_day):
    meetup, present, absent, row = meetup_day
    client = logged_in(zoetermeer, alice)
    url = f"{BASE}{meetup.pk}/aanmelden/"
    response = client.post(f"{url}kandidaten/{present.pk}/", {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kandidaat-{present.pk}")
    response = client.post(f"{url}kandidaten/{absent.pk}/", {"present": "0"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="kandidaat-{absent.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(f"{url}werkgevers/{row.pk}/", {"present": "1"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    with tenant_context(zoetermeer):
        assert Registration.objects.get(pk=present.pk).attended is True
        assert Registration.objects.get(pk=absent.pk).attended is False
        assert MeetupEmployer.objects.get(pk=row.pk).attended is True
    assert 'aria-pressed="true"' in client.get(url).content.decode()


def test_outcomes_only_for_present_people_and_a_mutual_yes_makes_a_lead(zoetermeer, alice,
                                                                         meetup_day):
    meetup, present, absent, row = meetup_day
    client = logged_in(zoetermeer, alice)
    url = f"{BASE}{meetup.pk}/aanmelden/"
    client.post(f"{url}kandidaten/{present.pk}/", {"present": "1"})
    client.post(f"{url}kandidaten/{absent.pk}/", {"present": "0"})
    client.post(f"{url}werkgevers/{row.pk}/", {"present": "1"})
    url = f"{BASE}{meetup.pk}/gesprekken/"
    answer = {"participation": row.pk, "employer_says": "yes", "candidate_says": "yes"}
    response = client.post(url, {**answer, "registration": absent.pk})
    assert response.status_code == 200
    assert dutch("This candidate was not checked in as present: record attendance first."
                 ) in response.content.decode()
    with tenant_context(zoetermeer):
        assert not MatchLead.objects.exists()
    response = client.post(url, {**answer, "registration": present.pk, "employer_says": "no"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        assert not MatchLead.objects.exists()
    assert client.post(url, {**answer, "registration": present.pk}).status_code == 302
    with tenant_context(zoetermeer):
        lead = MatchLead.objects.get()
        assert (lead.candidate_id, lead.owner) == (present.candidate_id, alice)
    page = client.get(url).content.decode()
    assert "Ana" in page and "Bakkerij De Korenschoof" in page


def test_the_list_stays_within_its_query_budget(zoetermeer, alice):
    with tenant_context(zoetermeer):
        for number in range(4):
            meetup = new_meetup(alice, title=f"Gesprek {number}", days_ahead=number + 2)
            for name in ("Ana", "Bram", "Cees"):
                confirmed_registration(meetup, new_candidate(alice, first_name=name), alice)
    client = logged_in(zoetermeer, alice)
    client.get(BASE)  # warm up: session, content types
    with query_budget(10):
        response = client.get(BASE)
    assert response.content.decode().count("Gesprek ") >= 4


@pytest.mark.parametrize("page", ["", "kandidaten/", "aanmelden/"])
def test_the_detail_pages_do_not_grow_with_the_registrations(zoetermeer, alice, page):
    """The same budget for 1 and for 8 registrations: no query per registration."""
    with tenant_context(zoetermeer):
        small, large = new_meetup(alice), new_meetup(alice, title="Groot")
        confirmed_registration(small, new_candidate(alice), alice)
        for number in range(8):
            registration = registration_services.invite_candidate(
                large.pk, new_candidate(alice, first_name=f"K{number}").pk, by=alice,
                needs=["transport"])
            if number % 2:
                registration_services.confirm_on_behalf(registration.pk, by=alice)
    client = logged_in(zoetermeer, alice)
    client.get(f"{BASE}{small.pk}/{page}")
    counts = []
    for meetup in (small, large):
        with query_budget(14), CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}{meetup.pk}/{page}").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_another_municipalitys_meetup_is_a_404_and_stays_unchanged(zoetermeer, hilversum,
                                                                   alice, charlie, meetup):
    client = logged_in(hilversum, charlie)
    for page in PAGES:
        assert client.get(f"{BASE}{meetup.pk}/{page}").status_code == 404, page
    assert client.post(f"{BASE}{meetup.pk}/annuleren/", {"confirm": "on"}).status_code == 404
    assert client.post(f"{BASE}{meetup.pk}/bewerken/", {**FORM}).status_code == 404
    with tenant_context(zoetermeer):
        meetup.refresh_from_db()
        assert (meetup.status, meetup.title) == ("published", "Prettig gesprek in de zorg")

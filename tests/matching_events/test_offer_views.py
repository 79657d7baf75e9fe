"""Workspace screens of opportunities, pledges, placements and match leads: they render, bad
input gets a Dutch message and stores nothing, portfolios and municipalities stay apart."""

from datetime import date

import pytest
from django_tenants.utils import tenant_context

from matching_events.models import Conversation, MatchLead, Opportunity, Placement, SectorPledge
from matching_events.services import opportunities
from tests.conftest import query_budget
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import logged_in, new_candidate, new_employer

OPPORTUNITY = {"kind": "job", "title": "Medewerker bakkerij", "places": "2",
               "status": "open", "postcode": "2711 ab", "days": ["ma", "di"]}


@pytest.fixture
def bakery(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_employer(alice)


@pytest.fixture
def samira(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_candidate(alice)


def portal_opportunity(employer, **fields):
    values = {"title": "Vakkenvuller", "kind": "job"}
    values.update(fields)
    return opportunities.post_opportunity(employer.pk, **values)


def test_every_page_renders(zoetermeer, alice, bakery, samira):
    with tenant_context(zoetermeer):
        opportunity = opportunities.create_opportunity(bakery.pk, by=alice, title="Bakker")
    client = logged_in(zoetermeer, alice)
    for url in ("/werkplek/kansen/", "/werkplek/kansen/nieuw/",
                f"/werkplek/kansen/{opportunity.pk}/",
                f"/werkplek/kansen/{opportunity.pk}/bewerken/",
                f"/werkplek/kansen/{opportunity.pk}/beoordelen/",
                f"/werkplek/werkgevers/{bakery.pk}/toezeggingen/",
                "/werkplek/plaatsingen/", "/werkplek/plaatsingen/nieuw/", "/werkplek/matches/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'<h1 class="utrecht-heading-1">' in response.content


def test_a_relationship_manager_adds_an_opportunity(zoetermeer, alice, bakery):
    client = logged_in(zoetermeer, alice)
    response = client.post("/werkplek/kansen/nieuw/", {**OPPORTUNITY, "employer": bakery.pk})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        opportunity = Opportunity.objects.get()
        assert (opportunity.postcode, opportunity.days, opportunity.status, opportunity.posted_by
                ) == ("2711 AB", ["ma", "di"], "open", alice)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "verplicht veld"),
    ("postcode", "27111 AB", "Nederlandse postcode"),
    ("places", "0", "minstens 1 is"),
    ("start_date", "31-02-2026", "geldige datum"),
    ("status", "awaiting_review", "geldige keuze"),
])
def test_bad_opportunity_input_gets_a_dutch_message_and_stores_nothing(
        zoetermeer, alice, bakery, field, value, message):
    client = logged_in(zoetermeer, alice)
    response = client.post("/werkplek/kansen/nieuw/",
                           {**OPPORTUNITY, "employer": bakery.pk, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "werktop-error-summary" in response.content.decode()
    with tenant_context(zoetermeer):
        assert not Opportunity.objects.exists()


def test_an_edit_keeps_the_employer_and_bad_input_changes_nothing(zoetermeer, alice, bakery):
    with tenant_context(zoetermeer):
        opportunity = opportunities.create_opportunity(bakery.pk, by=alice, title="Bakker")
    client = logged_in(zoetermeer, alice)
    url = f"/werkplek/kansen/{opportunity.pk}/bewerken/"
    response = client.post(url, {**OPPORTUNITY, "hours_per_week": "99"})
    assert response.status_code == 200
    assert "hoogstens 60 is" in response.content.decode()
    response = client.post(url, {**OPPORTUNITY, "title": "Broodbakker", "status": "filled"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        opportunity.refresh_from_db()
        assert (opportunity.title, opportunity.status, opportunity.employer_id,
                opportunity.hours_per_week) == ("Broodbakker", "filled", bakery.pk, None)


def test_own_opportunities_awaiting_review_come_first_and_can_be_approved(
        zoetermeer, alice, bob, bakery):
    with tenant_context(zoetermeer):
        other = new_employer(bob, name="Garage Snel", kvk_number="12345678")
        opportunities.create_opportunity(bakery.pk, by=alice, title="Oudste open kans")
        portal_opportunity(other, title="Kans van Bob")
        waiting = portal_opportunity(bakery, title="Wacht op Alice")
        opportunities.create_opportunity(bakery.pk, by=alice, title="Nieuwste open kans")
    client = logged_in(zoetermeer, alice)
    page = client.get("/werkplek/kansen/").content.decode()
    assert page.index("Wacht op Alice") < page.index("Nieuwste open kans")
    assert page.index("Nieuwste open kans") < page.index("Kans van Bob")
    filtered = client.get("/werkplek/kansen/", {"status": "awaiting_review"}).content.decode()
    assert "Kans van Bob" in filtered and "Oudste open kans" not in filtered
    filtered = client.get("/werkplek/kansen/", {"employer": other.pk}).content.decode()
    assert "Kans van Bob" in filtered and "Wacht op Alice" not in filtered

    url = f"/werkplek/kansen/{waiting.pk}/beoordelen/"
    assert client.post(url, {"decision": "approve"}).status_code == 302
    with tenant_context(zoetermeer):
        waiting.refresh_from_db()
        assert (waiting.status, waiting.reviewed_by) == ("open", alice)
    response = client.post(url, {"decision": "reject"})  # not waiting any more
    assert response.status_code == 200
    with tenant_context(zoetermeer):
        waiting.refresh_from_db()
        assert waiting.status == "open"


def test_a_rejected_opportunity_is_closed(zoetermeer, alice, bakery):
    with tenant_context(zoetermeer):
        waiting = portal_opportunity(bakery)
    client = logged_in(zoetermeer, alice)
    assert client.post(f"/werkplek/kansen/{waiting.pk}/beoordelen/",
                       {"decision": "reject"}).status_code == 302
    with tenant_context(zoetermeer):
        waiting.refresh_from_db()
        assert waiting.status == "closed"


def test_pledges_show_how_many_places_are_filled(zoetermeer, alice, bakery, samira):
    client = logged_in(zoetermeer, alice)
    url = f"/werkplek/werkgevers/{bakery.pk}/toezeggingen/"
    response = client.post(url, {"description": "Drie mensen uit de logistieke opleiding",
                                 "places": "0", "made_on": "2026-01-15"})
    assert response.status_code == 200
    assert "minstens 1 is" in response.content.decode()
    response = client.post(url, {"description": "Drie mensen uit de logistieke opleiding",
                                 "places": "3", "made_on": "2026-01-15"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        pledge = SectorPledge.objects.get()
    response = client.post("/werkplek/plaatsingen/nieuw/", {
        "candidate": samira.pk, "employer": bakery.pk, "kind": "job",
        "start_date": "2026-02-01", "status": "started", "pledge": pledge.pk})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1" in page and 'value="1"' in page and 'max="3"' in page


def test_a_placement_plans_the_follow_up_after_six_months(zoetermeer, alice, bakery, samira):
    with tenant_context(zoetermeer):
        opportunity = opportunities.create_opportunity(bakery.pk, by=alice, title="Bakker")
    client = logged_in(zoetermeer, alice)
    form = client.get(f"/werkplek/plaatsingen/nieuw/?kandidaat={samira.pk}"
                      f"&werkgever={bakery.pk}").content.decode()
    assert f'<option value="{samira.pk}" selected>' in form
    assert f'<option value="{bakery.pk}" selected>' in form
    response = client.post("/werkplek/plaatsingen/nieuw/", {
        "candidate": samira.pk, "employer": bakery.pk, "kind": "job",
        "start_date": "2026-01-31", "status": "agreed", "opportunity": opportunity.pk,
        "hours_per_week": "24"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        placement = Placement.objects.select_related("follow_up", "candidate").get()
        assert placement.follow_up.due_on == date(2026, 7, 31)
        assert placement.follow_up.owner == alice
        assert placement.candidate.status == "placed"
        opportunity.refresh_from_db()
        assert opportunity.status == "filled"  # one place, now taken
    assert client.get(f"/werkplek/plaatsingen/{placement.pk}/").status_code == 200
    response = client.post(f"/werkplek/plaatsingen/{placement.pk}/bewerken/", {
        "kind": "job", "start_date": "2026-01-31", "end_date": "2025-12-31",
        "status": "agreed"})
    assert response.status_code == 200
    assert "einddatum" in response.content.decode().lower()
    with tenant_context(zoetermeer):
        placement.refresh_from_db()
        assert placement.end_date is None


def test_bad_placement_input_stores_nothing(zoetermeer, alice, bob, bakery, samira):
    with tenant_context(zoetermeer):
        other = new_employer(bob, name="Garage Snel", kvk_number="12345678")
        foreign = opportunities.create_opportunity(other.pk, by=bob, title="Monteur")
        bobs = new_candidate(bob, first_name="Piet", email="piet@example.org")
    client = logged_in(zoetermeer, alice)
    base = {"candidate": samira.pk, "employer": bakery.pk, "kind": "job",
            "start_date": "2026-01-31", "status": "agreed"}
    for data in ({**base, "start_date": ""}, {**base, "opportunity": foreign.pk},
                 {**base, "candidate": bobs.pk}, {**base, "kind": "open_to_meet"}):
        response = client.post("/werkplek/plaatsingen/nieuw/", data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "verplicht veld" in content or "geldige keuze" in content
    with tenant_context(zoetermeer):
        assert not Placement.objects.exists()


def test_a_colleagues_unshared_placement_is_not_found(zoetermeer, alice, bob, bakery):
    with tenant_context(zoetermeer):
        bobs = new_candidate(bob, first_name="Piet", email="piet@example.org")
        from matching_events.services.placements import record_placement
        placement = record_placement(candidate_id=bobs.pk, employer_id=bakery.pk, by=bob,
                                     kind="job", start_date=date(2026, 1, 5))
    client = logged_in(zoetermeer, alice)
    assert client.get(f"/werkplek/plaatsingen/{placement.pk}/").status_code == 404
    assert client.get(f"/werkplek/plaatsingen/{placement.pk}/bewerken/").status_code == 404
    assert "Piet" not in client.get("/werkplek/plaatsingen/").content.decode()


def make_lead(meetup, employer, candidate, owner):
    conversation = Conversation.objects.create(
        meetup=meetup, employer=employer, candidate=candidate, employer_says="yes",
        candidate_says="yes")
    return MatchLead.objects.create(conversation=conversation, employer=employer,
                                    candidate=candidate, owner=owner)


@pytest.fixture
def lead(zoetermeer, alice, bakery, samira):
    with tenant_context(zoetermeer):
        bakery.contacts.create(name="Joke Bakker", email="joke@bakkerij.example",
                               phone="0791234567")
        return make_lead(new_meetup(alice), bakery, samira, alice)


def test_lead_contact_details_are_hidden_until_the_introduction(zoetermeer, alice, lead):
    client = logged_in(zoetermeer, alice)
    url = f"/werkplek/matches/{lead.pk}/"
    page = client.get(url).content.decode()
    assert "Samira Bouzid" in page and "Bakkerij De Korenschoof" in page
    for detail in ("samira@example.org", "joke@bakkerij.example", "0791234567", "Joke Bakker"):
        assert detail not in page
    assert "Samira Bouzid" in client.get("/werkplek/matches/").content.decode()
    response = client.post(f"/werkplek/matches/{lead.pk}/besluit/", {"action": "approve"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    for detail in ("samira@example.org", "joke@bakkerij.example", "0791234567", "Joke Bakker"):
        assert detail in page
    with tenant_context(zoetermeer):
        lead.refresh_from_db()
        assert (lead.status, lead.approved_by) == ("approved", alice)
    response = client.post(f"/werkplek/matches/{lead.pk}/besluit/", {"action": "approve"})
    assert response.status_code == 200  # already handled: said on the page, nothing changes


def test_a_lead_can_be_closed_and_only_its_owner_or_a_coordinator_sees_it(
        zoetermeer, alice, bob, carol, lead):
    bobs_client = logged_in(zoetermeer, bob)
    assert bobs_client.get(f"/werkplek/matches/{lead.pk}/").status_code == 404
    assert bobs_client.post(f"/werkplek/matches/{lead.pk}/besluit/",
                            {"action": "close"}).status_code == 404
    assert "Samira" not in bobs_client.get("/werkplek/matches/").content.decode()
    coordinator = logged_in(zoetermeer, carol)
    assert coordinator.get(f"/werkplek/matches/{lead.pk}/").status_code == 200
    assert coordinator.post(f"/werkplek/matches/{lead.pk}/besluit/",
                            {"action": "close"}).status_code == 302
    with tenant_context(zoetermeer):
        lead.refresh_from_db()
        assert (lead.status, lead.approved_at) == ("closed", None)


def test_zoetermeer_ids_do_not_exist_in_hilversum(zoetermeer, hilversum, alice, charlie,
                                                  bakery, samira, lead):
    with tenant_context(zoetermeer):
        opportunity = opportunities.create_opportunity(bakery.pk, by=alice, title="Bakker")
        from matching_events.services.placements import record_placement
        placement = record_placement(candidate_id=samira.pk, employer_id=bakery.pk, by=alice,
                                     kind="job", start_date=date(2026, 1, 5))
    client = logged_in(hilversum, charlie)
    for url in (f"/werkplek/kansen/{opportunity.pk}/",
                f"/werkplek/kansen/{opportunity.pk}/bewerken/",
                f"/werkplek/kansen/{opportunity.pk}/beoordelen/",
                f"/werkplek/werkgevers/{bakery.pk}/toezeggingen/",
                f"/werkplek/plaatsingen/{placement.pk}/",
                f"/werkplek/plaatsingen/{placement.pk}/bewerken/",
                f"/werkplek/matches/{lead.pk}/"):
        assert client.get(url).status_code == 404, url
    assert "Bakker" not in client.get("/werkplek/kansen/").content.decode()
    assert client.post(f"/werkplek/matches/{lead.pk}/besluit/",
                       {"action": "approve"}).status_code == 404
    with tenant_context(zoetermeer):
        lead.refresh_from_db()
        assert lead.status == "new"


def test_the_lists_stay_within_a_query_budget(zoetermeer, alice, bakery, samira):
    with tenant_context(zoetermeer):
        for number in range(30):
            opportunities.create_opportunity(bakery.pk, by=alice, title=f"Kans {number}")
    client = logged_in(zoetermeer, alice)
    client.get("/werkplek/kansen/")  # warm up: session, content types
    with query_budget(14):
        assert client.get("/werkplek/kansen/").status_code == 200
    with query_budget(14):
        assert client.get("/werkplek/plaatsingen/").status_code == 200

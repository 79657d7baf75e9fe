"""Matching scores: every point has a reason, rankings are ordered and stay inside the user's
portfolio, and ranking costs a fixed number of queries."""

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context

from matching_events import matching
from matching_events.matching import Fit, estimate_km, fit
from matching_events.services import meetups, opportunities
from relations.models import Candidate
from relations.selectors import visible_candidates
from tests.conftest import query_budget
from tests.matching_events.conftest import confirmed_registration, new_meetup
from tests.relations.conftest import logged_in, new_candidate, new_employer

WORK = {"sector": "Q", "days": ["ma", "di", "wo", "do"], "hours": 24, "postcode": "2711 AB",
        "driving_licence_required": True, "languages": "Nederlands",
        "interests_text": "Helpende in de zorg, koken voor bewoners"}


def person(**fields) -> Candidate:
    values = {"pk": 1, "first_name": "Samira", "last_name": "Bouzid", "postcode": "2712 CD",
              "languages": "Dutch, Arabic", "driving_licence": True, "hours_per_week": 32,
              "days_available": ["ma", "di", "wo", "do", "vr"], "travel_radius_km": 15,
              "talents": "Geduldig, goed met ouderen", "interests": "zorg, koken",
              "preferred_sectors": ["Q"], "ladder_rung": 4}
    values.update(fields)
    return Candidate(**values)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_good_fit_says_why_in_plain_words():
    result = fit(person(), **WORK)
    assert isinstance(result, Fit) and 0 <= result.points <= 100
    assert "Prefers this sector" in result.reasons
    assert "Available on 4 of 4 working days" in result.reasons
    assert "About 5 km away (estimate); travels up to 15 km" in result.reasons
    assert "Has a driving licence (required)" in result.reasons
    assert "Speaks Dutch" in result.reasons  # "Dutch" in the file, "Nederlands" asked
    assert "Ladder rung 4" in result.reasons
    assert any(r.startswith("Talents and interests match: ") and "koken" in r
               for r in result.reasons)
    assert result.points >= 90


def test_negative_reasons_cost_points():
    good = fit(person(), **WORK)
    bad = fit(person(driving_licence=False, preferred_sectors=["C"], days_available=["za"],
                     hours_per_week=8, languages="Engels", postcode="9711 AA",
                     travel_radius_km=10, ladder_rung=1, talents="", interests=""), **WORK)
    assert bad.points < 20 < good.points
    for reason in ["No driving licence (required)", "Prefers other sectors",
                   "Not available on any of the working days",
                   "Available only 8 of the 24 hours a week", "Does not speak Dutch (asked)",
                   "About 80 km away (estimate); further than the 10 km they travel",
                   "Ladder rung 1"]:
        assert reason in bad.reasons


def test_unknown_data_is_neutral_and_silent():
    empty = person(postcode="", languages="", hours_per_week=None, days_available=[],
                   travel_radius_km=None, talents="", interests="", preferred_sectors=[],
                   ladder_rung=None)
    result = fit(empty, **WORK)
    assert result.reasons == ["Has a driving licence (required)"]
    assert 40 <= result.points <= 60


@pytest.mark.parametrize(("a", "b", "km"), [
    ("2711 AB", "2711 XY", 2), ("2711 AB", "2715 AB", 5), ("2711 AB", "2791 AB", 15),
    ("2711 AB", "2011 AB", 40), ("2711 AB", "9711 AB", 80), ("", "2711 AB", None)])
def test_distance_is_estimated_from_the_pc4(a, b, km):
    assert estimate_km(a, b) == km


def test_reasons_are_plain_strings_in_the_active_language():
    result = fit(person(driving_licence=False), **WORK)
    assert all(type(reason) is str for reason in result.reasons)


def test_fit_for_an_employer_takes_its_best_open_opportunity(in_zoetermeer, alice):
    employer = new_employer(alice, sector="Q", postcode="2711 AB")
    opportunities.create_opportunity(employer.pk, by=alice, title="Chauffeur", sector="H",
                                     driving_licence_required=True)
    opportunities.create_opportunity(employer.pk, by=alice, title="Helpende zorg",
                                     sector="Q")
    candidate = new_candidate(alice, preferred_sectors=["Q"], driving_licence=False)
    offers = list(employer.opportunities.all())
    result = matching.fit_for_employer(candidate, employer, offers)
    assert result.reasons[0] == "Best opportunity: Helpende zorg"
    assert matching.fit_for_employer(candidate, employer, []).points >= 0


def test_candidates_are_ranked_best_first_with_ties_by_pk(in_zoetermeer, alice, bob):
    employer = new_employer(alice, sector="Q", postcode="2711 AB")
    offer = opportunities.create_opportunity(
        employer.pk, by=alice, title="Zorg", sector="Q", postcode="2711 AB")
    weak = new_candidate(alice, first_name="Weak", preferred_sectors=["C"], postcode="9711 AA")
    twin_a = new_candidate(alice, first_name="A", preferred_sectors=["Q"], postcode="2711 AC")
    twin_b = new_candidate(alice, first_name="B", preferred_sectors=["Q"], postcode="2711 AC")
    new_candidate(bob, first_name="Hidden", preferred_sectors=["Q"], postcode="2711 AC")
    mine = visible_candidates(alice)  # (asks the user's permissions once)
    with query_budget(1):
        ranked = matching.rank_candidates_for_opportunity(offer, mine)
    assert [c.pk for c, _fit in ranked] == [twin_a.pk, twin_b.pk, weak.pk]
    assert ranked[0][1].points == ranked[1][1].points > ranked[2][1].points
    assert len(matching.rank_candidates_for_opportunity(
        offer, visible_candidates(alice), limit=1)) == 1


def test_opportunities_are_ranked_for_a_candidate_in_one_query(in_zoetermeer, alice):
    candidate = new_candidate(alice, preferred_sectors=["I"], postcode="2711 AB")
    for number, sector in enumerate("QIC"):
        employer = new_employer(alice, name=f"E{number}", kvk_number=f"1234567{number}")
        opportunities.create_opportunity(employer.pk, by=alice, title=f"O{sector}",
                                         sector=sector, postcode="2711 AB")
    with query_budget(1):
        ranked = matching.rank_opportunities_for_candidate(
            candidate, opportunities.Opportunity.objects.all())
        titles = [(o.title, o.employer.name) for o, _fit in ranked]
    assert titles[0] == ("OI", "E1")


def test_meetup_suggestions_leave_out_the_registered_and_stay_within_budget(in_zoetermeer,
                                                                             alice):
    meetup = new_meetup(alice)
    employers = [new_employer(alice, name=f"E{n}", kvk_number=f"2345678{n}", sector="Q")
                 for n in range(3)]
    meetups.invite_employers(meetup.pk, [e.pk for e in employers], by=alice)
    opportunities.create_opportunity(employers[0].pk, by=alice, title="Zorg", sector="Q")
    registered = new_candidate(alice, first_name="Registered", preferred_sectors=["Q"])
    confirmed_registration(meetup, registered, alice)
    fan = new_candidate(alice, first_name="Fan", preferred_sectors=["Q"], ladder_rung=5)
    other = new_candidate(alice, first_name="Other", preferred_sectors=["C"])
    mine = visible_candidates(alice)
    with query_budget(4):
        rows = matching.suggest_candidates_for_meetup(meetup, mine)
    assert [c.pk for c, _fit in rows] == [fan.pk, other.pk]
    assert rows[0][1].reasons[0].startswith("Best match: E")


def test_fit_matrix_covers_every_pair_without_queries(in_zoetermeer, alice):
    employers = [new_employer(alice, name=f"E{n}", kvk_number=f"3456789{n}") for n in range(2)]
    opportunities.create_opportunity(employers[0].pk, by=alice, title="Magazijn", sector="H")
    candidates = [new_candidate(alice, first_name=f"C{n}") for n in range(3)]
    offers = matching.opportunities_by_employer(opportunities.Opportunity.objects.all())
    with query_budget(0):
        matrix = matching.fit_matrix(employers, candidates, offers)
    assert len(matrix) == 6
    assert all(0 <= f.points <= 100 for f in matrix.values())


# --- views ---------------------------------------------------------------------------------

def test_suggestion_pages_show_points_and_reasons(zoetermeer, alice):
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice, preferred_sectors=["Q"])
        employer = new_employer(alice, sector="Q")
        offer = opportunities.create_opportunity(employer.pk, by=alice, title="Helpende",
                                                 sector="Q")
        meetup = new_meetup(alice)
    client = logged_in(zoetermeer, alice)
    page = client.get(f"/werkplek/kandidaten/{candidate.pk}/suggesties/")
    assert page.status_code == 200 and "Helpende" in page.content.decode()
    page = client.get(f"/werkplek/kansen/{offer.pk}/suggesties/")
    assert page.status_code == 200 and "Samira Bouzid" in page.content.decode()
    assert "voorkeur" in page.content.decode().lower() or "sector" in page.content.decode()
    page = client.get(f"/werkplek/bijeenkomsten/{meetup.pk}/suggesties/")
    assert page.status_code == 200 and "Samira Bouzid" in page.content.decode()


def test_a_colleagues_unshared_candidate_is_a_404(zoetermeer, alice, bob):
    with tenant_context(zoetermeer):
        hidden = new_candidate(bob, first_name="Verborgen")
        employer = new_employer(alice, sector="Q")
        offer = opportunities.create_opportunity(employer.pk, by=alice, title="Helpende")
    client = logged_in(zoetermeer, alice)
    assert client.get(f"/werkplek/kandidaten/{hidden.pk}/suggesties/").status_code == 404
    page = client.get(f"/werkplek/kansen/{offer.pk}/suggesties/")
    assert page.status_code == 200 and "Verborgen" not in page.content.decode()
